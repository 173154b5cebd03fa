//! A pipeline: three stages, each a thread, joined by channels. Closing the first
//! stage's output shuts the whole pipeline down, stage after stage.
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

mod probe;

const COUNT: u64 = 8;

// [numbers]
/// The source: sends 1..=COUNT, then ends, and its Sender goes with it.
fn numbers(out: Sender<u64>) {
    for n in 1..=COUNT {
        out.send(n).unwrap();
        probe::sent(n);
    }
    println!("numbers: closed after {COUNT}");
} // `out` is dropped here: the next stage's loop ends once it has taken everything

// [square]
/// The middle stage: squares what comes in, in the order it comes.
fn square(input: Receiver<u64>, out: Sender<u64>) {
    let mut seen = 0;
    for n in input {
        seen += 1;
        probe::squared(n, n * n);
        out.send(n * n).unwrap();
    }
    println!("square: closed after {seen}");
} // the input ended because the stage before closed; now this stage closes its own output

// [total]
/// The sink: adds everything up and hands the sum back through its JoinHandle.
fn total(input: Receiver<u64>) -> u64 {
    let (mut sum, mut seen) = (0, 0);
    for sq in input {
        seen += 1;
        sum += sq;
        probe::added(sq);
    }
    println!("total: closed after {seen}");
    sum
}

fn main() {
    // [channels]
    let (numbers_tx, numbers_rx) = mpsc::channel::<u64>();
    let (squares_tx, squares_rx) = mpsc::channel::<u64>();

    // [spawn]
    // Each Sender and Receiver moves into its stage: main keeps none of them.
    let first = thread::spawn(move || numbers(numbers_tx));
    let second = thread::spawn(move || square(numbers_rx, squares_tx));
    let third = thread::spawn(move || total(squares_rx));

    // [join]
    first.join().unwrap();
    second.join().unwrap();
    let result = third.join().unwrap();
    println!("result: {result}");
}
