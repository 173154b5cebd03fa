//! A worker pool: four workers share one job queue, and send their reports back
//! over a second channel.
//!
//! Twelve jobs (ids 1..=12) each square a number given as text. For each job the
//! main thread prints, in whatever order the reports arrive,
//! `job {id}: {input:?} -> {square} (worker {w})`, or
//! `job {id}: {input:?} -> error: not a number (worker {w})` when the input is no
//! number, and at the end `done: 11 squares, 1 failed, sum 4198`.
//! Every job must be done exactly once, by any worker, and the program must stop
//! by itself when the jobs run out.
//!
//! Grade it with `fearless check worker-pool --lang rust`; `fearless hint worker-pool`.
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

mod probe;

const WORKERS: usize = 4;
const INPUTS: [&str; 12] = ["2", "3", "5", "7", "11", "13", "17", "19", "twenty-three", "29", "31", "37"];

// [job]
struct Job {
    id: usize,
    input: &'static str,
}

/// What a worker sends back: which job, who did it, and how it went.
struct Report {
    job: Job,
    worker: usize,
    outcome: Result<u64, String>,
}

/// The work itself, the square of the input, done by the kit's probe: jobs 1 to 4 first
/// wait at its roll call until four jobs run at once (a pool that cannot run its workers
/// side by side never gets past it), and it tells the kit which thread did each job.
fn run(job: &Job) -> Result<u64, String> {
    probe::run(job.id, job.input)
}

// [worker]
fn worker(id: usize, jobs: Arc<Mutex<Receiver<Job>>>, results: Sender<Report>) {
    // TODO: until the job queue is closed and empty: take the next job (lock the
    // queue, `recv`, and let the lock go *before* the job runs), `run` it, and send a
    // `Report` for it, whatever its outcome.
    let _ = (id, jobs, results);
    todo!("the worker's loop");
}

fn main() {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let jobs = Arc::new(Mutex::new(job_rx));
    let (result_tx, result_rx) = mpsc::channel::<Report>();

    // [spawn]
    // TODO: start WORKERS threads running `worker`, each with its own handles
    // (`Arc::clone` for what is shared, `clone` for the results Sender).
    let _ = (&jobs, &result_tx, worker, run);
    let workers: Vec<thread::JoinHandle<()>> = todo!("start the workers");

    // [close]
    // TODO: who else holds a results Sender? The results channel closes when the last one goes.

    // [submit]
    #[allow(unreachable_code)]
    for (i, input) in INPUTS.into_iter().enumerate() {
        job_tx.send(Job { id: i + 1, input }).unwrap();
    }
    // TODO: tell the workers that no more jobs will come.

    // [collect]
    // TODO: print a line for every report until the results channel closes, and count
    // the squares, the failures and the sum of the squares.
    let _ = result_rx;

    // [join]
    for w in workers {
        w.join().unwrap();
    }
    // [summary]
    // TODO: println!("done: {squares} squares, {errors} failed, sum {sum}");
}
