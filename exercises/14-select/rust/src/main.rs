//! Select.
//!
//! `serve` is one consumer that waits on two inputs, a quit signal and a deadline at once.
//! It prints every message as `{name} got {message}`, until the quit signal comes or the
//! deadline passes, and then says which: `{name}: quit after {n} messages` or
//! `{name}: deadline after {n} messages`. `main` runs it twice: two inputs of three
//! messages each and then the quit signal; then one input with a message every 200 ms and
//! a deadline of 500 ms. While nothing is ready, `serve` must wait without using the CPU.
//!
//! Run `fearless check select --lang rust` to grade it, `fearless hint select` when stuck.
use std::thread;
use std::time::{Duration, Instant};

#[allow(unused_imports)]
use crossbeam_channel::{after, never, select, unbounded, Receiver};

/// The first run's deadline: far, since its quit signal comes first.
const FAR: Duration = Duration::from_secs(2);
/// The second run's deadline: between its third and fourth message.
const DEADLINE: Duration = Duration::from_millis(500);
/// The second run's messages come this far apart (and the first ones as fast as they can).
const TICK: Duration = Duration::from_millis(200);

/// Prints every message of `a` and `b` as `{name} got {message}`, until `quit` says to
/// stop (a message, or its senders gone) or `deadline` has passed since the start; then
/// `{name}: quit after {n} messages` or `{name}: deadline after {n} messages`.
fn serve(name: &str, a: Receiver<String>, b: Receiver<String>, quit: Receiver<()>, deadline: Duration) {
    // [deadline]
    // TODO: one timer for the whole wait (crossbeam's `after`), made before the loop.

    // [select]
    // TODO: loop, waiting on `a`, `b`, `quit` and the timer at once with `select!`: print
    // each message and count it; on `quit` or the timer, print the last line and return.
    // A closed input is always ready (with `Err`): swap it for `never()`.
    let _ = (name, a, b, quit, deadline);
    todo!("wait on the two inputs, the quit signal and the deadline at once");
}

fn main() {
    // [spawn]
    // The first run: two inputs of three messages each, then the quit signal.
    let (a_tx, a) = unbounded();
    let (b_tx, b) = unbounded();
    let (quit_tx, quit) = unbounded();
    let producers: Vec<_> = [("a", a_tx), ("b", b_tx)]
        .into_iter()
        .map(|(input, tx)| {
            thread::spawn(move || {
                for i in 1..=3 {
                    tx.send(format!("{input}{i}")).unwrap();
                    thread::sleep(Duration::from_millis(10));
                }
            })
        })
        .collect();
    let quitter = thread::spawn(move || {
        for p in producers {
            p.join().unwrap();
        }
        quit_tx.send(()).unwrap();
    });
    serve("both", a, b, quit, FAR);
    quitter.join().unwrap();

    // The second run: one input, a message every TICK, six in all, and no quit signal.
    let (tick_tx, ticks) = unbounded();
    let start = Instant::now();
    let ticker = thread::spawn(move || {
        for i in 1..=6u32 {
            // On a schedule from the start, not after each sleep: late sleeps do not add up.
            thread::sleep((start + TICK * (i - 1)).saturating_duration_since(Instant::now()));
            if tick_tx.send(format!("t{i}")).is_err() {
                return; // served no more
            }
        }
    });
    let (_keep_quiet, no_quit) = unbounded::<()>();
    serve("ticks", ticks, never(), no_quit, DEADLINE);
    ticker.join().unwrap();
}
