//! One worker of the pool fails, and the program says so and still ends cleanly.
//! Worker 2 panics on job 8: its thread unwinds, its `Sender` is dropped on the way (so
//! the reports channel still closes), the totals' `Mutex` it held is poisoned, and
//! `join` hands its panic back to `main` as `Err(payload)`.
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
    for job in jobs_of(id) {
        // The totals stay locked while the job runs and is added in. A panic in `run`
        // unwinds through the guard: the Mutex is unlocked and marked poisoned. The
        // failed job added nothing, so the totals are still right: take them anyway.
        let mut t = totals.lock().unwrap_or_else(PoisonError::into_inner);
        let square = run(&job);
        t.jobs += 1;
        t.sum += square;
        drop(t);
        reports.send(Report { job, square, worker: id }).unwrap();
    }
}

// [payload]
/// What a panic said. `panic!("bad job {}", id)` leaves a `String`, `panic!("literal")` a `&str`.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(s) => s.to_string(),
            Err(_) => "a panic with no message".to_string(),
        },
    }
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
    // Ends when every worker's Sender is gone: worker 2's went while its panic unwound.
    for Report { job, square, worker } in report_rx {
        println!("job {}: {} -> {square} (worker {worker})", job.id, job.input);
    }

    // [join]
    for (id, handle) in handles.into_iter().enumerate() {
        if let Err(payload) = handle.join() {
            println!("worker {id} failed: {}", panic_message(payload));
        }
    }

    // [totals]
    // Poisoned by worker 2's panic: `into_inner` takes the guard anyway.
    let t: MutexGuard<'_, Totals> = totals.lock().unwrap_or_else(PoisonError::into_inner);
    println!("done: {} jobs, sum {}", t.jobs, t.sum);
}
