//! The kit's program, on your `Counter` and `Mailbox` (a kit file: `shared.rs` is yours).
//!
//! Four workers, started together, each call `add_one` 250 times on one `Counter`; once
//! they are joined, `counter: 1000`. Then a reader looks into a `Mailbox` (`read`) until
//! a value is there, while a publisher puts 42 in it (`publish`): `read: 42`.
use std::sync::{Arc, Barrier};
use std::thread;

use atomics::{sync, Counter, Mailbox};

const WORKERS: usize = 4;
const STEPS: u64 = 250;

fn main() {
    let counter = Arc::new(Counter::new());
    let start = Arc::new(Barrier::new(WORKERS));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let counter = Arc::clone(&counter);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                for _ in 0..STEPS {
                    counter.add_one();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("counter: {}", counter.get());

    let mailbox = Arc::new(Mailbox::new());
    let reader = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || loop {
            if let Some(value) = sync::looking(|| mailbox.read()) {
                sync::done_looking();
                return value;
            }
            thread::yield_now();
        })
    };
    let publisher = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || sync::publishing(|| mailbox.publish(42)))
    };
    publisher.join().unwrap();
    println!("read: {}", reader.join().unwrap());
}
