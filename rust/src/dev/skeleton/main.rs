//! {title}.
//!
//! TODO: what the program does, for the student: what it starts, what it prints.
//!
//! Run `fearless check {id} --lang rust` to grade it, `fearless hint {id}` when stuck.
use std::thread;

fn main() {
    // [work]
    // TODO: start the threads the lesson is about.
    let worker: thread::JoinHandle<()> = todo!("start the worker");

    // [join]
    #[allow(unreachable_code)]
    worker.join().unwrap();
    println!("done");
}
