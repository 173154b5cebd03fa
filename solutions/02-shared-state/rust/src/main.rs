//! Shared state: four threads update one counter and one list, each behind a
//! `Mutex`, shared through an `Arc`; every update is whole, so the total is exact.
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

const WORKERS: usize = 4;
const STEPS: u64 = 200;
const NOTE_EVERY: u64 = 50;

/// Stands for the work between reading the counter and writing it back (a
/// computation, a file read): other threads run meanwhile.
fn work() {
    thread::sleep(Duration::from_micros(500));
}

fn main() {
    // [shared]
    let counter = Arc::new(Mutex::new(0u64));
    let notes = Arc::new(Mutex::new(Vec::<String>::new()));

    // [spawn]
    let workers: Vec<_> = (0..WORKERS)
        .map(|id| {
            // Another handle to the same Mutex, owned by the thread.
            let counter = Arc::clone(&counter);
            let notes = Arc::clone(&notes);
            thread::spawn(move || {
                for step in 1..=STEPS {
                    // [update]
                    // Read, work, write, all under one guard: no other thread can come between.
                    let mut n = counter.lock().unwrap();
                    let seen = *n;
                    work();
                    *n = seen + 1;
                    drop(n);
                    // [note]
                    if step % NOTE_EVERY == 0 {
                        notes.lock().unwrap().push(format!("t{id}-{step}"));
                    }
                }
            })
        })
        .collect();

    // [join]
    for worker in workers {
        worker.join().unwrap();
    }

    // [report]
    let notes = notes.lock().unwrap();
    for note in notes.iter() {
        println!("note: {note}");
    }
    println!("notes: {}", notes.len());
    println!("counter: {}", *counter.lock().unwrap());
}
