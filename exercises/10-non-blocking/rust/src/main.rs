//! Non-blocking receives: `try_recv`, `try_iter` and `recv_timeout`, and telling
//! "nothing yet" from "nothing ever again".
//!
//! 1. [poll] A dispatcher on one thread hands out jobs 1..=8 to a worker and
//!    collects the squares it sends back, so it may block on neither: it polls the
//!    results with `try_recv`, prints `got {square}` for each, hands out the next job
//!    (or closes the jobs channel) while none is ready, and stops when the worker has
//!    hung up. Then `collected 8 results, sum 204` and `idle polls: {n}` (any n).
//! 2. [drain] Three values queued, sender alive: take them without waiting, then
//!    look once more: `drained [1, 2, 3], then empty`; two more, sender dropped:
//!    `drained [4, 5], then disconnected`.
//! 3. [timeout] `recv_timeout` on an empty channel whose sender lives:
//!    `waited 20 ms: timed out`; after dropping the sender: `waited again: disconnected`;
//!    on the kit's `probe::later(7)`, which gets 7 after 20 ms: `waited up to 2 s: got 7`.
//! 4. [rendezvous] A `sync_channel(0)`: poll with `try_recv` until the sender is
//!    there: `rendezvous: got 42`.
//!
//! Grade it with `fearless check non-blocking --lang rust`; `fearless hint non-blocking`.
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

/// What a non-blocking look at a channel found: "got {v}", "empty" or "disconnected".
fn describe(polled: Result<u64, TryRecvError>) -> String {
    // TODO: one answer for each of the three outcomes.
    let _ = polled;
    todo!("describe what try_recv found")
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
    let (job_tx, job_rx) = mpsc::channel::<u64>();
    let (result_tx, results) = mpsc::channel::<u64>();
    let helper = thread::spawn(move || worker(job_rx, result_tx));
    let mut to_hand_out = 1..=JOBS;
    let mut job_tx = Some(job_tx); // `job_tx.take()` drops it when the jobs are all out
    // TODO: loop on `results.try_recv()`:
    //  - a result: print `got {square}`, count it, add it up;
    //  - `Empty`: other work: hand out the next job, or drop the jobs Sender when none is left;
    //  - `Disconnected`: the worker is gone and every result taken: stop.
    // Then print `collected {collected} results, sum {sum}` and `idle polls: {idle}`,
    // and join the worker.
    let _ = (&results, &mut to_hand_out, &mut job_tx, helper);
    todo!("poll the results while handing out jobs");

    // [drain]
    // TODO: queue 1, 2, 3 (keep the sender), take what is there with `try_iter`, and
    // print `drained {now:?}, then {}` with `describe(rx.try_recv())`; queue 4 and 5,
    // drop the sender, and do the same.

    // [timeout]
    // TODO: `waited("waited 20 ms", rx.recv_timeout(Duration::from_millis(20)))` on an empty
    // channel whose sender is alive, then `waited("waited again", ...)` after dropping the
    // sender; then `waited("waited up to 2 s", ...)` on `probe::later(7)`, a channel the
    // kit sends 7 on 20 ms from now: the wait must end as soon as the value comes.
    let _ = (waited, probe::later);

    // [rendezvous]
    // TODO: `mpsc::sync_channel(0)`, a thread that sends 42, and a `try_recv` loop that
    // yields while `Empty`; print `rendezvous: got {v}`.
}
