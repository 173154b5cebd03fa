//! Clean shutdown.
//!
//! A `Logger` owns a printer thread that prints `log: {line}` for every line
//! sent to it. Three workers (ids 0, 1, 2) each log `w{id} step {s}` for
//! s = 1..=4, then report on a done channel. `main` counts the done messages,
//! finishes the logger, and prints `printer saw 12 lines` and
//! `workers finished: 3`. Every thread must end by itself: the program has to
//! exit without knowing in advance how many messages will come.
//!
//! Run `fearless check shutdown --lang rust` to grade it, `fearless hint shutdown` when stuck.
use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};

// The kit's done channel: `mpsc::channel` that holds its last value until it closes (see probe.rs).
mod probe;

const WORKERS: usize = 3;
const STEPS: usize = 4;

/// A printer thread and a `Sender` to it: lines sent are printed in arrival order.
struct Logger {
    tx: Sender<String>,
    printer: JoinHandle<usize>,
}

impl Logger {
    // [start]
    fn start() -> Logger {
        let (tx, rx) = mpsc::channel::<String>();
        let printer = thread::spawn(move || {
            let mut lines = 0;
            for line in rx {
                println!("log: {line}");
                lines += 1;
            }
            lines
        });
        Logger { tx, printer }
    }

    // [sender]
    fn sender(&self) -> Sender<String> {
        self.tx.clone()
    }

    // [finish]
    /// Waits for the printer to print everything, and returns how many lines it printed.
    fn finish(self) -> usize {
        // TODO: the printer's loop ends only when *every* Sender is gone. One of them
        // lives in `self`. Then wait for the printer and return what it returns.
        todo!("finish the logger")
    }
}

fn main() {
    let logger = Logger::start();

    // [spawn]
    let (done_tx, done_rx) = probe::channel::<usize>();
    for id in 0..WORKERS {
        let log = logger.sender();
        let done = done_tx.clone();
        thread::spawn(move || {
            for step in 1..=STEPS {
                log.send(format!("w{id} step {step}")).unwrap();
            }
            done.send(id).unwrap();
        });
    }

    // [close]
    // TODO: the done channel closes when its last Sender is gone. Which one is still alive here?

    // [wait]
    // TODO: count the done messages; the count must end by itself.
    let _ = &done_rx;
    let finished: usize = todo!("count the workers' done messages");

    // [finish]
    #[allow(unreachable_code)]
    let lines = logger.finish();
    println!("printer saw {lines} lines");
    println!("workers finished: {finished}");
}
