//! Shared state.
//!
//! Four workers (ids 0..=3) each add 1 to one shared counter 200 times, and
//! every 50 steps push the note `t{id}-{step}` onto one shared list. Each
//! update reads the counter, works a little (`work()`), then
//! writes back what it read plus one. After joining the workers, `main` prints
//! every note as `note: {note}` in the list's order, then `notes: 16` and
//! `counter: 800`. The total must be exact, every run.
//!
//! Run `fearless check shared-state --lang rust` to grade it, `fearless hint shared-state` when stuck.
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
    // TODO: a counter (u64) and a list of notes (Vec<String>) that every thread can update.
    let counter: Arc<Mutex<u64>> = todo!("share a counter between threads");
    #[allow(unreachable_code)]
    let notes: Arc<Mutex<Vec<String>>> = todo!("share a list between threads");

    // [spawn]
    let workers: Vec<_> = (0..WORKERS)
        .map(|id| {
            // TODO: the thread needs handles of its own to the counter and the notes.
            thread::spawn(move || {
                for step in 1..=STEPS {
                    // [update]
                    // TODO: read the counter, `work()`, write back what you read + 1,
                    // with no other thread in between.

                    // [note]
                    if step % NOTE_EVERY == 0 {
                        // TODO: push `format!("t{id}-{step}")` onto the notes.
                        let _ = id;
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
