//! Threads and their results.
//!
//! Four workers each sum a quarter of 1..=1000: worker `id` takes the numbers
//! `id*250+1 ..= (id+1)*250`, calls `probe::takes(id, first, last)` (the kit's probe:
//! it prints `worker {id} takes {first}..={last}` and holds a roll call that the four
//! pass only when they run at the same time), and returns its sum. `main` then joins the workers in order, printing
//! `joined worker {id}: {sum}` for each, and finally `total: {total}` (500500).
//!
//! Run `fearless check threads --lang rust` to grade it, `fearless hint threads` when stuck.
use std::thread;

mod probe;

const WORKERS: u64 = 4;
const PER_WORKER: u64 = 250;

fn main() {
    // [spawn]
    // TODO: for each id in 0..WORKERS, build the worker's chunk (a Vec<u64>) and
    // `thread::spawn` a closure that owns it (and `id`), calls
    // `probe::takes(id, first, last)` and returns the chunk's sum.
    let workers: Vec<thread::JoinHandle<u64>> = todo!("spawn the four workers");

    // [join]
    // TODO: join the workers in order; `join()` hands back what the closure returned.
    // Print `joined worker {id}: {sum}` for each and add the sums up.
    #[allow(unreachable_code)]
    let total: u64 = workers.len() as u64 * 0;

    // [total]
    println!("total: {total}");
}
