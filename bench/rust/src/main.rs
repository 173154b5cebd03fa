//! Throughput of Rust channels, one line per measurement:
//! `impl shape producers capacity messages seconds` (capacity `-` when unbounded).
//! A measurement starts from the message count on the command line and grows it until
//! one run lasts at least 100 ms (`lasting`); the line is that run's.
//! `fearless bench` runs this program several times and takes the medians.
use std::collections::VecDeque;
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

// The lessons' reference channels, compiled from the solutions themselves: `mod errors`,
// `mod lesson06` and `mod lesson11`, each only when its lesson is in the kit (build.rs).
include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
/// The solutions build on `crate::sync`: here plain std, uncounted.
#[allow(unused_imports, dead_code)]
mod sync {
    pub use std::sync::{atomic, Arc, Condvar, LockResult, Mutex, MutexGuard};
}

/// One way to make a channel: its sending half is cloned for every producer.
trait Channel {
    type Tx: Clone + Send + 'static;
    type Rx;
    fn make(capacity: Option<usize>) -> (Self::Tx, Self::Rx);
    fn send(tx: &Self::Tx, v: u64);
    fn recv(rx: &Self::Rx) -> Option<u64>;
}

struct StdMpsc;
impl Channel for StdMpsc {
    type Tx = mpsc::Sender<u64>;
    type Rx = mpsc::Receiver<u64>;
    fn make(_: Option<usize>) -> (Self::Tx, Self::Rx) {
        mpsc::channel()
    }
    fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).unwrap()
    }
    fn recv(rx: &Self::Rx) -> Option<u64> {
        rx.recv().ok()
    }
}

struct StdSync;
impl Channel for StdSync {
    type Tx = mpsc::SyncSender<u64>;
    type Rx = mpsc::Receiver<u64>;
    fn make(capacity: Option<usize>) -> (Self::Tx, Self::Rx) {
        mpsc::sync_channel(capacity.expect("sync_channel is bounded"))
    }
    fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).unwrap()
    }
    fn recv(rx: &Self::Rx) -> Option<u64> {
        rx.recv().ok()
    }
}

struct Crossbeam;
impl Channel for Crossbeam {
    type Tx = crossbeam_channel::Sender<u64>;
    type Rx = crossbeam_channel::Receiver<u64>;
    fn make(capacity: Option<usize>) -> (Self::Tx, Self::Rx) {
        match capacity {
            Some(k) => crossbeam_channel::bounded(k),
            None => crossbeam_channel::unbounded(),
        }
    }
    fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).unwrap()
    }
    fn recv(rx: &Self::Rx) -> Option<u64> {
        rx.recv().ok()
    }
}

/// The lessons' channels share one interface (the kit's tests call it), so one impl serves both.
#[allow(unused_macros)]
macro_rules! lesson_channel {
    ($name:ident, $lesson:ident) => {
        struct $name;
        impl Channel for $name {
            type Tx = $lesson::Sender<u64>;
            type Rx = $lesson::Receiver<u64>;
            fn make(_: Option<usize>) -> (Self::Tx, Self::Rx) {
                $lesson::channel()
            }
            fn send(tx: &Self::Tx, v: u64) {
                // Lesson 06's send answers whether the receiver is still there (it always is
                // here); lesson 11's answers nothing.
                #[allow(clippy::let_unit_value)]
                let _ = tx.send(v);
            }
            fn recv(rx: &Self::Rx) -> Option<u64> {
                rx.recv().ok()
            }
        }
    };
}
#[cfg(lesson06)]
lesson_channel!(Lesson06, lesson06);
#[cfg(lesson11)]
lesson_channel!(Lesson11, lesson11);

/// Seconds to send `messages` through one thread: all of them, then all back out.
fn seq<C: Channel>(messages: u64) -> f64 {
    let start = Instant::now();
    let (tx, rx) = C::make(None);
    for i in 0..messages {
        C::send(&tx, i);
    }
    for _ in 0..messages {
        C::recv(&rx).unwrap();
    }
    start.elapsed().as_secs_f64()
}

/// Seconds for `producers` threads to send `messages` in all to one receiver.
fn mpsc_shape<C: Channel>(producers: u64, capacity: Option<usize>, messages: u64) -> f64 {
    let start = Instant::now();
    let (tx, rx) = C::make(capacity);
    let each = messages / producers;
    let threads: Vec<_> = (0..producers)
        .map(|_| {
            let tx = tx.clone();
            thread::spawn(move || (0..each).for_each(|i| C::send(&tx, i)))
        })
        .collect();
    drop(tx);
    for _ in 0..each * producers {
        C::recv(&rx).unwrap();
    }
    for t in threads {
        t.join().unwrap();
    }
    start.elapsed().as_secs_f64()
}

/// The limit without synchronisation: a `VecDeque`, all in, all out.
fn queue_limit(messages: u64) -> f64 {
    let start = Instant::now();
    let mut q = VecDeque::new();
    for i in 0..messages {
        q.push_back(i);
    }
    let mut sum = 0u64;
    while let Some(v) = q.pop_front() {
        sum = sum.wrapping_add(v);
    }
    std::hint::black_box(sum);
    start.elapsed().as_secs_f64()
}

/// A measurement shorter than this is not reported: timer resolution, a page fault or
/// one descheduling would weigh too much in it.
const MIN_SECONDS: f64 = 0.1;
/// A short run is followed by one this much longer than `MIN_SECONDS` would need, so
/// that noise rarely costs yet another run.
const HEADROOM: f64 = 1.25;
/// At most this many times the messages from one run to the next.
const MAX_GROWTH: u64 = 64;

/// Runs `run` with `messages` (made a multiple of `producers`, which each send as many),
/// then with more and more until a run lasts `MIN_SECONDS`: that run's messages and seconds.
fn lasting(messages: u64, producers: u64, mut run: impl FnMut(u64) -> f64) -> (u64, f64) {
    let mut n = (messages / producers).max(1) * producers;
    loop {
        let secs = run(n);
        if secs >= MIN_SECONDS {
            return (n, secs);
        }
        // `secs` may be 0 on a coarse clock: the growth is then the largest.
        let growth = (MIN_SECONDS * HEADROOM / secs).ceil().min(MAX_GROWTH as f64) as u64;
        n = n.saturating_mul(growth.max(2));
    }
}

/// Measures with [`lasting`] and prints the line.
fn measure(name: &str, shape: &str, producers: u64, capacity: Option<usize>, messages: u64, run: impl FnMut(u64) -> f64) {
    let (messages, secs) = lasting(messages, producers, run);
    let cap = capacity.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
    println!("{name} {shape} {producers} {cap} {messages} {secs:.9}");
}

fn unbounded<C: Channel>(name: &str, messages: u64) {
    measure(name, "seq", 1, None, messages, seq::<C>);
    for p in [1, 2, 4] {
        let shape = if p == 1 { "spsc" } else { "mpsc" };
        measure(name, shape, p, None, messages, |n| mpsc_shape::<C>(p, None, n));
    }
}

fn bounded<C: Channel>(name: &str, messages: u64) {
    // A rendezvous starts from a hundredth: every message is a meeting of two threads.
    for (capacity, n) in [(1024, messages), (0, (messages / 100).max(4))] {
        for p in [1, 2, 4] {
            let shape = if p == 1 { "spsc" } else { "mpsc" };
            measure(name, shape, p, Some(capacity), n, |n| mpsc_shape::<C>(p, Some(capacity), n));
        }
    }
}

fn main() {
    let messages: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    unbounded::<StdMpsc>("std-mpsc", messages);
    bounded::<StdSync>("std-sync-channel", messages);
    #[cfg(lesson06)]
    unbounded::<Lesson06>("lesson06", messages);
    #[cfg(lesson11)]
    unbounded::<Lesson11>("lesson11", messages);
    unbounded::<Crossbeam>("crossbeam", messages);
    bounded::<Crossbeam>("crossbeam", messages);
    measure("queue-limit", "seq", 1, None, messages, queue_limit);
}
