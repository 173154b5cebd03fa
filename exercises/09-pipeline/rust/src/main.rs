//! A pipeline: three stages, each a thread, joined by channels.
//!
//! `numbers` sends 1..=8 and prints `numbers: sent {n}` for each; `square` prints
//! `square: {n} -> {n*n}` and passes the square on; `total` prints
//! `total: added {sq}` and adds them up. Those three lines are printed by the kit's
//! probe (`probe::sent`, `probe::squared`, `probe::added`), which also checks that the
//! stages run at the same time. When its input ends, each stage prints
//! `{stage}: closed after 8` and closes its own output, so that closing the first
//! stage shuts the whole pipeline down, stage after stage. At the end, main prints
//! `result: 204`.
//!
//! Grade it with `fearless check pipeline --lang rust`; `fearless hint pipeline`.
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
}

// [square]
/// The middle stage: squares what comes in, in the order it comes.
fn square(input: Receiver<u64>, out: Sender<u64>) {
    // TODO: for every value of `input` (until it closes): `probe::squared(n, sq)` (it
    // prints `square: {n} -> {sq}`) and send the square on; then print
    // `square: closed after {seen}`.
    let _ = (input, out);
    todo!("the square stage");
}

// [total]
/// The sink: adds everything up and hands the sum back through its JoinHandle.
fn total(input: Receiver<u64>) -> u64 {
    // TODO: for every value of `input`: `probe::added(sq)` (it prints `total: added {sq}`) and add it up;
    // then print `total: closed after {seen}` and return the sum.
    let _ = input;
    todo!("the total stage");
}

fn main() {
    // [channels]
    // TODO: two channels: numbers -> square, and square -> total.

    // [spawn]
    // TODO: one thread per stage. Move each Sender and Receiver into its stage and
    // keep none of them here: a Sender left in main keeps its channel open for ever.
    let _ = (numbers, square, total);
    todo!("start the three stages");

    // [join]
    // TODO: join the stages; the sum comes back from the last one's JoinHandle:
    // println!("result: {result}");
}
