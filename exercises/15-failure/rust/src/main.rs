//! A worker pool in which one worker fails.
//!
//! Four workers (ids 0..=3) each run three jobs, in order: worker `w` runs jobs 3w+1,
//! 3w+2 and 3w+3. A job squares its input; job 8's input is no number, and `run` panics
//! on it, so worker 2 dies on its second job and never runs its third. For each job that
//! worked, the main thread prints `job {id}: {input} -> {square} (worker {w})`, in
//! whatever order the reports arrive; then, for the worker that failed,
//! `worker 2 failed: bad job 8`; then the totals of the work that succeeded,
//! `done: 10 jobs, sum 3837`. And the program ends by itself, with status 0.
//!
//! Grade it with `fearless check failure --lang rust`; `fearless hint failure`.
use std::any::Any;
use std::panic;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;

const WORKERS: usize = 4;
const JOBS_EACH: usize = 3;
const INPUTS: [&str; 12] = ["2", "3", "5", "7", "11", "13", "17", "nineteen", "23", "29", "31", "37"];

// [job]
struct Job {
    id: usize,
    input: &'static str,
}

/// What a worker sends back for a job that worked.
struct Report {
    job: Job,
    square: u64,
    worker: usize,
}

/// The work that succeeded, added up by the workers as they go.
#[derive(Default)]
struct Totals {
    jobs: usize,
    sum: u64,
}

/// Worker `w`'s jobs, in order: jobs 3w+1, 3w+2 and 3w+3.
fn jobs_of(worker: usize) -> Vec<Job> {
    (worker * JOBS_EACH..(worker + 1) * JOBS_EACH).map(|i| Job { id: i + 1, input: INPUTS[i] }).collect()
}

/// The work: the square of the input. Job 8's input is no number, and `run` panics on it,
/// as a bug would: worker 2 dies on its second job, and never runs its third.
fn run(job: &Job) -> u64 {
    match job.input.parse::<u64>() {
        Ok(n) => n * n,
        Err(_) => panic!("bad job {}", job.id),
    }
}

// [worker]
fn worker(id: usize, totals: Arc<Mutex<Totals>>, reports: Sender<Report>) {
    // TODO: for each job of `jobs_of(id)`: lock the totals, `run` the job and add it in
    // while they are locked, let the lock go, then send a `Report` for it. Worker 2 panics
    // in `run` with the lock held: from then on the Mutex is poisoned, and `lock()` returns
    // `Err` in every thread. The failed job added nothing: take the guard anyway.
    let _ = (id, totals, reports, jobs_of, run, PoisonError::<()>::into_inner);
    todo!("the worker's loop");
}

// [payload]
/// What a panic said, from the payload `join` gives back for it.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    // TODO: the payload holds what `panic!` was given: a `String` when it formats
    // (`panic!("bad job {}", id)`), a `&'static str` for a plain literal. Try each type.
    let _ = payload;
    todo!("what the panic said")
}

fn main() {
    // [quiet]
    // Main reports a worker's panic itself, from `join`: the default hook would print it on
    // stderr too. The main thread's own panics are still printed.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if thread::current().name() == Some("main") {
            default_hook(info);
        }
    }));

    let totals = Arc::new(Mutex::new(Totals::default()));
    let (report_tx, report_rx) = mpsc::channel::<Report>();

    // [spawn]
    let handles: Vec<_> = (0..WORKERS)
        .map(|id| {
            let totals = Arc::clone(&totals);
            let reports = report_tx.clone();
            thread::spawn(move || worker(id, totals, reports))
        })
        .collect();
    drop(report_tx); // only the workers send: the channel closes when the last one is gone

    // [collect]
    // Ends when every worker's Sender is gone, the one of a worker that panicked too.
    for Report { job, square, worker } in report_rx {
        println!("job {}: {} -> {square} (worker {worker})", job.id, job.input);
    }

    // [join]
    // TODO: join every worker, in order. `join` returns `Err(payload)` for a worker that
    // panicked: print `worker {id} failed: {message}` for it (`panic_message`).
    let _ = (handles, panic_message);
    todo!("report each worker's outcome");

    // [totals]
    // TODO: the totals' guard, to print the work that succeeded. Worker 2 panicked while it
    // held it: the Mutex is poisoned.
    #[allow(unreachable_code)]
    let t: MutexGuard<'_, Totals> = todo!("the totals");
    println!("done: {} jobs, sum {}", t.jobs, t.sum);
}
