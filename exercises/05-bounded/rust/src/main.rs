//! Bounded channels: back-pressure and rendezvous.
//!
//! `run` moves 1..=items from a fast producer thread to a slow consumer (the
//! calling thread) through a channel that holds at most `capacity` values.
//! The kit's probe prints `{name} sent {i}` after each send (`probe::sent`) and
//! `{name} got {i}` after each receive (`probe::got`), and measures how many values
//! are in flight (sent, not yet received) before each receive
//! (`probe::before_receive`). `main` runs it twice: "bounded" with capacity 2 and 10
//! items, "rendezvous" with capacity 0 and 5 items; `probe::verdict` then prints
//! `{name}: never more than {capacity} in flight` when the bound held.
//!
//! Run `fearless check bounded --lang rust` to grade it, `fearless hint bounded` when stuck.
use std::sync::mpsc;
use std::thread;

mod probe;

/// Moves 1..=items from a fast producer to a slow consumer through a channel of
/// `capacity`. The kit's probe prints both sides' lines, is the consumer's clock, and
/// measures what is in flight (sent, not yet received).
fn run(name: &str, capacity: usize, items: usize) {
    // [channel]
    // TODO: a channel that holds at most `capacity` values (0: a rendezvous).
    let (tx, rx) = mpsc::channel::<usize>();

    // [produce]
    let producer = {
        let name = name.to_string();
        thread::spawn(move || {
            for i in 1..=items {
                tx.send(i).unwrap();
                probe::sent(&name, i);
            }
        })
    };

    // [consume]
    // TODO: until the channel closes: `probe::before_receive(name)` (it waits and
    // measures what is in flight), then receive one value and `probe::got(name, i)`.
    let _ = (&rx, capacity);
    todo!("receive slowly");

    // [join]
    #[allow(unreachable_code)]
    producer.join().unwrap();
}

fn main() {
    // [rendezvous]
    for (name, capacity, items) in [("bounded", 2, 10), ("rendezvous", 0, 5)] {
        run(name, capacity, items);
        // [verdict]
        probe::verdict(name, capacity);
    }
}
