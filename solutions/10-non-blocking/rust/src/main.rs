//! Non-blocking receives: `try_recv`, `try_iter` and `recv_timeout`, and telling
//! "nothing yet" from "nothing ever again".
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread;
use std::time::Duration;

// The kit's channel that gets a value while you wait (see probe.rs).
mod probe;

const JOBS: u64 = 8;

// [worker]
/// Squares each job it is given; stops when the jobs channel closes, and its
/// results Sender goes with it.
fn worker(jobs: Receiver<u64>, results: Sender<u64>) {
    for n in jobs {
        thread::sleep(Duration::from_millis(2)); // the work takes a while
        results.send(n * n).unwrap();
    }
}

/// What a non-blocking look at a channel found.
fn describe(polled: Result<u64, TryRecvError>) -> String {
    match polled {
        Ok(v) => format!("got {v}"),
        Err(TryRecvError::Empty) => "empty".into(),
        Err(TryRecvError::Disconnected) => "disconnected".into(),
    }
}

/// Prints what a wait found, under `label`; the kit's probe notes how long a value waited.
fn waited(label: &str, found: Result<u64, RecvTimeoutError>) {
    match found {
        Ok(v) => {
            probe::received(v);
            println!("{label}: got {v}");
        }
        Err(RecvTimeoutError::Timeout) => println!("{label}: timed out"),
        Err(RecvTimeoutError::Disconnected) => println!("{label}: disconnected"),
    }
}

fn main() {
    // [poll]
    // A dispatcher on one thread: it hands out jobs and collects results, so it may
    // block on neither. While no result is ready it does its other work.
    let (job_tx, job_rx) = mpsc::channel::<u64>();
    let (result_tx, results) = mpsc::channel::<u64>();
    let helper = thread::spawn(move || worker(job_rx, result_tx));
    let mut to_hand_out = 1..=JOBS;
    let mut job_tx = Some(job_tx);
    let (mut collected, mut sum, mut idle) = (0, 0, 0);
    loop {
        match results.try_recv() {
            Ok(square) => {
                println!("got {square}");
                collected += 1;
                sum += square;
            }
            Err(TryRecvError::Empty) => {
                // Nothing yet: other work. Hand out the next job, or close the jobs
                // channel once they are all out (dropping the only Sender).
                idle += 1;
                match (to_hand_out.next(), &job_tx) {
                    (Some(n), Some(tx)) => tx.send(n).unwrap(),
                    _ => drop(job_tx.take()),
                }
                thread::yield_now();
            }
            // Nothing ever again: the worker is gone and every result is taken.
            Err(TryRecvError::Disconnected) => break,
        }
    }
    println!("collected {collected} results, sum {sum}");
    println!("idle polls: {idle}");
    helper.join().unwrap();

    // [drain]
    // Take what is queued right now, without waiting for more.
    let (tx, rx) = mpsc::channel::<u64>();
    for n in 1..=3 {
        tx.send(n).unwrap();
    }
    let now: Vec<u64> = rx.try_iter().collect();
    println!("drained {now:?}, then {}", describe(rx.try_recv()));
    for n in 4..=5 {
        tx.send(n).unwrap();
    }
    drop(tx);
    let rest: Vec<u64> = rx.try_iter().collect();
    println!("drained {rest:?}, then {}", describe(rx.try_recv()));

    // [timeout]
    // Wait, but not for ever: and no longer than it takes a value to come.
    let (tx, rx) = mpsc::channel::<u64>();
    waited("waited 20 ms", rx.recv_timeout(Duration::from_millis(20)));
    drop(tx);
    waited("waited again", rx.recv_timeout(Duration::from_millis(20)));
    waited("waited up to 2 s", probe::later(7).recv_timeout(Duration::from_secs(2)));

    // [rendezvous]
    // A channel of capacity 0 holds nothing: `try_recv` succeeds only while a sender
    // is waiting in `send`, so we poll until one is.
    let (tx, rx) = mpsc::sync_channel::<u64>(0);
    let sender = thread::spawn(move || tx.send(42).unwrap());
    let got = loop {
        match rx.try_recv() {
            Ok(v) => break v,
            Err(TryRecvError::Empty) => thread::yield_now(),
            Err(TryRecvError::Disconnected) => panic!("the sender left without sending"),
        }
    };
    sender.join().unwrap();
    println!("rendezvous: got {got}");
}
