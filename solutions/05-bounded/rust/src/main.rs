//! Back-pressure: a bounded channel holds at most `capacity` values, so a fast
//! producer waits for a slow consumer; with capacity 0 every send is a rendezvous.
use std::sync::mpsc;
use std::thread;

mod probe;

/// Moves 1..=items from a fast producer to a slow consumer through a channel of
/// `capacity`. The kit's probe prints both sides' lines, is the consumer's clock, and
/// measures what is in flight (sent, not yet received).
fn run(name: &str, capacity: usize, items: usize) {
    // [channel]
    let (tx, rx) = mpsc::sync_channel::<usize>(capacity);

    // [produce]
    let producer = {
        let name = name.to_string();
        thread::spawn(move || {
            for i in 1..=items {
                tx.send(i).unwrap(); // waits while the channel is full
                probe::sent(&name, i);
            }
            // `tx` is dropped here: the consumer's `recv` then returns `Err`.
        })
    };

    // [consume]
    loop {
        probe::before_receive(name);
        match rx.recv() {
            Ok(i) => probe::got(name, i),
            Err(_) => break,
        }
    }

    // [join]
    // Only now: a producer blocked on a full channel can finish only while someone receives.
    producer.join().unwrap();
}

fn main() {
    // [rendezvous]
    // The same code with capacity 0: each send waits until the consumer takes its value.
    for (name, capacity, items) in [("bounded", 2, 10), ("rendezvous", 0, 5)] {
        run(name, capacity, items);
        // [verdict]
        probe::verdict(name, capacity);
    }
}
