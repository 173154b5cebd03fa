//! Bounded channels: back-pressure and rendezvous.
//!
//! `run` moves 1..=items from a fast producer thread to a slow consumer (the
//! calling thread) through a channel that holds at most `capacity` values.
//! The producer prints `{name} sent {i}` after each send, the consumer
//! `{name} got {i}` after each receive, and the consumer measures how many
//! values are in flight (sent, not yet received). `main` runs it twice:
//! "bounded" with capacity 2 and 10 items, "rendezvous" with capacity 0 and
//! 5 items, and prints `{name}: never more than {capacity} in flight` when
//! the bound held.
//!
//! Run `fearless check bounded --lang rust` to grade it, `fearless hint bounded` when stuck.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

/// The consumer's time per value: long enough for the producer to run ahead.
const SLOW: Duration = Duration::from_millis(3);

/// Moves 1..=items from a fast producer to a slow consumer through a channel of
/// `capacity`; returns the most values ever seen in flight (sent, not yet received).
fn run(name: &str, capacity: usize, items: usize) -> usize {
    // [channel]
    // TODO: a channel that holds at most `capacity` values (0: a rendezvous).
    let (tx, rx) = mpsc::channel::<usize>();
    let sent = Arc::new(AtomicUsize::new(0)); // sends that have returned

    // [produce]
    let producer = {
        let sent = Arc::clone(&sent);
        let name = name.to_string();
        thread::spawn(move || {
            for i in 1..=items {
                tx.send(i).unwrap();
                sent.fetch_add(1, Ordering::SeqCst);
                println!("{name} sent {i}");
            }
        })
    };

    // [consume]
    // TODO: until the channel closes: sleep `SLOW`, note how many values are in
    // flight (`sent` minus what you received so far; keep the most), then receive
    // one value and print `{name} got {i}`.
    let _ = (&rx, capacity, SLOW);
    let most: usize = todo!("receive slowly, and measure what is in flight");

    // [join]
    #[allow(unreachable_code)]
    producer.join().unwrap();
    most
}

fn main() {
    // [rendezvous]
    for (name, capacity, items) in [("bounded", 2, 10), ("rendezvous", 0, 5)] {
        let most = run(name, capacity, items);
        // [verdict]
        if most <= capacity {
            println!("{name}: never more than {capacity} in flight");
        } else {
            println!("{name}: {most} in flight, more than {capacity}");
        }
    }
}
