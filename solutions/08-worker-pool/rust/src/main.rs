//! A worker pool: four workers share one job queue (`Arc<Mutex<Receiver<Job>>>`)
//! and send their reports back over a second channel. Every job is done exactly
//! once, and the pool shuts down by itself when the jobs run out.
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
    loop {
        // The guard lives only in this statement: the lock is free again before the job runs.
        let next = jobs.lock().unwrap().recv();
        let Ok(job) = next else { break }; // closed and empty: no more jobs
        let outcome = run(&job);
        // Every job is reported, failed ones too.
        results.send(Report { job, worker: id, outcome }).unwrap();
    }
}

fn main() {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let jobs = Arc::new(Mutex::new(job_rx));
    let (result_tx, result_rx) = mpsc::channel::<Report>();

    // [spawn]
    let workers: Vec<_> = (0..WORKERS)
        .map(|id| {
            let jobs = Arc::clone(&jobs);
            let results = result_tx.clone();
            thread::spawn(move || worker(id, jobs, results))
        })
        .collect();
    // [close]
    // Only the workers send reports: when the last one stops, the results channel closes.
    drop(result_tx);

    // [submit]
    for (i, input) in INPUTS.into_iter().enumerate() {
        job_tx.send(Job { id: i + 1, input }).unwrap();
    }
    drop(job_tx); // no more jobs: each worker's recv fails once the queue is empty

    // [collect]
    let (mut squares, mut errors, mut sum) = (0, 0, 0);
    for report in result_rx {
        let Report { job, worker, outcome } = report;
        match outcome {
            Ok(square) => {
                println!("job {}: {:?} -> {square} (worker {worker})", job.id, job.input);
                squares += 1;
                sum += square;
            }
            Err(why) => {
                println!("job {}: {:?} -> error: {why} (worker {worker})", job.id, job.input);
                errors += 1;
            }
        }
    }

    // [join]
    for w in workers {
        w.join().unwrap();
    }
    // [summary]
    println!("done: {squares} squares, {errors} failed, sum {sum}");
}
