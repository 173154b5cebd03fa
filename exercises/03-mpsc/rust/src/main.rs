//! Multi-producer, single-consumer channels.
//!
//! Three producers (ids 0, 1, 2) each send `p{id}-msg{i}` for i = 1..=5;
//! the consumer prints `got: {msg}` for every message and must stop by itself
//! once every producer is done. Then a second channel is filled with 0..=4,
//! closed, and drained without blocking: `drained: [0, 1, 2, 3, 4]`.
//!
//! Run `fearless check mpsc --lang rust` (or `make check EX=mpsc`) to grade it,
//! and `fearless hint mpsc` when stuck.
use std::sync::mpsc;
use std::thread;

// The drain's channel is the kit's (see probe.rs).
mod probe;

fn main() {
    let (tx, rx) = mpsc::channel::<String>();

    // [spawn]
    let producers: Vec<_> = (0..3)
        .map(|id| {
            // TODO: give this producer a Sender of its own (hint: `tx.clone()`).
            thread::spawn(move || {
                // [send]
                for i in 1..=5 {
                    // TODO: send `format!("p{id}-msg{i}")` through the channel.
                    let _ = (id, i);
                }
            })
        })
        .collect();

    // [close]
    // TODO: the channel only closes when *every* Sender is gone. Which one is still alive here?

    // [recv]
    // TODO: print `got: {msg}` for every message; the loop must end by itself.
    let _ = &rx;
    todo!("receive every message from `rx`");

    // [join]
    #[allow(unreachable_code)]
    for producer in producers {
        producer.join().unwrap();
    }

    // [drain]
    // The second channel: `mpsc::channel::<u32>()`, of which the kit keeps a Sender of its
    // own until `probe::drained` (see probe.rs).
    let (tx2, rx2) = probe::channel();
    // TODO: fill it with 0..5, close it (your Sender), and collect what it holds without
    // blocking (hint: `try_iter`), then print `drained: {:?}`.
    let _ = tx2;
    probe::drained(&rx2);
}
