//! The kit's probe (a kit file: not yours to change, and not graded as yours).
//!
//! It prints the producer's and the consumer's lines, is the slow consumer's clock, and
//! measures how many values are in flight (sent, not yet received) before each receive.
//! The verdict line is its own, and so is what it tells the kit (the `at_most` check):
//! the bound is measured by the kit, not by the program it grades.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

mod roll_call;

/// The consumer's time per value: long enough for the producer to run ahead.
const SLOW: Duration = Duration::from_millis(3);

/// Per run: (sends that returned, values received, the most in flight).
static RUNS: Mutex<Option<HashMap<String, (usize, usize, usize)>>> = Mutex::new(None);

fn with_run<T>(name: &str, f: impl FnOnce(&mut (usize, usize, usize)) -> T) -> T {
    let mut runs = RUNS.lock().unwrap_or_else(|e| e.into_inner());
    f(runs.get_or_insert_with(HashMap::new).entry(name.to_string()).or_default())
}

/// After each send has returned: counts it, and prints `{name} sent {i}`.
pub fn sent(name: &str, i: usize) {
    with_run(name, |r| r.0 += 1);
    println!("{name} sent {i}");
}

/// Before each receive: waits `SLOW`, then notes how many values are in flight (and tells
/// the kit each time that grows: it hears it even from a program that ends early).
pub fn before_receive(name: &str) {
    std::thread::sleep(SLOW);
    let now = with_run(name, |r| r.0.saturating_sub(r.1));
    let grew = with_run(name, |r| {
        let grew = now > r.2 || r.0 + r.1 == 0;
        r.2 = r.2.max(now);
        grew
    });
    if grew {
        roll_call::tell(&format!("most {name} {now}"));
    }
}

/// After each receive: counts it, and prints `{name} got {i}`.
pub fn got(name: &str, i: usize) {
    with_run(name, |r| r.1 += 1);
    println!("{name} got {i}");
}

/// Prints whether the bound held, from the probe's own measurement.
pub fn verdict(name: &str, capacity: usize) {
    let most = with_run(name, |r| r.2);
    if most <= capacity {
        println!("{name}: never more than {capacity} in flight");
    } else {
        println!("{name}: {most} in flight, more than {capacity}");
    }
}
