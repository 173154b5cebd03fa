//! Back-pressure: a bounded channel holds at most `capacity` values, so a fast
//! producer waits for a slow consumer; with capacity 0 every send is a rendezvous.
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
    let (tx, rx) = mpsc::sync_channel::<usize>(capacity);
    let sent = Arc::new(AtomicUsize::new(0)); // sends that have returned

    // [produce]
    let producer = {
        let sent = Arc::clone(&sent);
        let name = name.to_string();
        thread::spawn(move || {
            for i in 1..=items {
                tx.send(i).unwrap(); // waits while the channel is full
                sent.fetch_add(1, Ordering::SeqCst);
                println!("{name} sent {i}");
            }
            // `tx` is dropped here: the consumer's `recv` then returns `Err`.
        })
    };

    // [consume]
    let mut received = 0;
    let mut most = 0;
    loop {
        thread::sleep(SLOW);
        // Measured between receives: the channel holds at most `capacity` values.
        most = most.max(sent.load(Ordering::SeqCst).saturating_sub(received));
        match rx.recv() {
            Ok(i) => {
                received += 1;
                println!("{name} got {i}");
            }
            Err(_) => break,
        }
    }

    // [join]
    // Only now: a producer blocked on a full channel can finish only while someone receives.
    producer.join().unwrap();
    most
}

fn main() {
    // [rendezvous]
    // The same code with capacity 0: each send waits until the consumer takes its value.
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
