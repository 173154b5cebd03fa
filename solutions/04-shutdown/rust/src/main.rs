//! Clean shutdown: every thread ends because every channel it waits on closes,
//! and a channel closes when its last `Sender` is dropped.
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
            // Ends once every Sender is gone: the Logger's own and every clone handed out.
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
    /// Takes `self` by value, so that the Logger's own `Sender` can be dropped
    /// *before* waiting for the printer; the printer's loop ends only then.
    fn finish(self) -> usize {
        drop(self.tx);
        self.printer.join().unwrap()
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
            // `log` and `done` are dropped here: this worker holds no Sender any more.
        });
    }

    // [close]
    // The original `done_tx` is a Sender too: the done channel closes only when it is gone.
    drop(done_tx);

    // [wait]
    let finished = done_rx.iter().count();

    // [finish]
    let lines = logger.finish();
    println!("printer saw {lines} lines");
    println!("workers finished: {finished}");
}
