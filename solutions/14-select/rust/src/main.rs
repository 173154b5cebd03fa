//! Select: one consumer waits on two inputs, a quit signal and a deadline at once, with
//! crossbeam's `select!`, and blocks while nothing is ready.
use std::thread;
use std::time::{Duration, Instant};

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
    // One timer for the whole wait, made before the loop: it fires once, `deadline` from now.
    let timeout = after(deadline);
    let (mut a, mut b) = (a, b);
    let mut got = 0;
    loop {
        // [select]
        // Blocks until one of the four is ready. A closed input is always ready (with
        // `Err`): it is swapped for `never()`, which never is.
        select! {
            recv(a) -> m => match m {
                Ok(m) => { got += 1; println!("{name} got {m}"); }
                Err(_) => a = never(),
            },
            recv(b) -> m => match m {
                Ok(m) => { got += 1; println!("{name} got {m}"); }
                Err(_) => b = never(),
            },
            // [quit]
            recv(quit) -> _ => {
                println!("{name}: quit after {got} messages");
                return;
            }
            recv(timeout) -> _ => {
                println!("{name}: deadline after {got} messages");
                return;
            }
        }
    }
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
