//! Threads: each worker owns its share of the work (a `move` closure) and hands
//! its result back through its `JoinHandle<u64>`.
use std::thread;

mod probe;

const WORKERS: u64 = 4;
const PER_WORKER: u64 = 250;

fn main() {
    // [spawn]
    let workers: Vec<thread::JoinHandle<u64>> = (0..WORKERS)
        .map(|id| {
            let chunk: Vec<u64> = (id * PER_WORKER + 1..=(id + 1) * PER_WORKER).collect();
            // `move`: the thread owns `id` and `chunk`; nothing borrowed from `main` can dangle.
            thread::spawn(move || {
                // [work]
                probe::takes(id, chunk[0], chunk[chunk.len() - 1]);
                chunk.iter().sum()
            })
        })
        .collect();

    // [join]
    // Joined in spawn order, so the results come out in that order whatever the threads did.
    let mut total = 0;
    for (id, worker) in workers.into_iter().enumerate() {
        let sum = worker.join().unwrap();
        println!("joined worker {id}: {sum}");
        total += sum;
    }

    // [total]
    println!("total: {total}");
}
