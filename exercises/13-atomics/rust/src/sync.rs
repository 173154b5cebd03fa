//! The atomics `shared.rs` is built from: std's, with the kit's probe in them.
//!
//! Build your `Counter` and `Mailbox` from these (`use crate::sync::{AtomicBool,
//! AtomicU64, Ordering};`), not from `std::sync::atomic`: the kit's model check swaps them
//! for loom's, which try every interleaving and every value a weak memory lets a load see.
//! Their methods are std's and loom's both have: `new`, `load`, `store`, `swap`,
//! `fetch_add`, `fetch_sub`, `compare_exchange`, `compare_exchange_weak`.
//!
//! In the program, two things of the kit's make a mistake show in every run, not once
//! in a million:
//! - every `load` is followed by a short pause. It stands for the work a thread does
//!   between reading a value and writing it back (lesson 02's `work()`): a thread that
//!   writes back what it loaded has, every time, let other threads' updates in between,
//!   and overwrites them.
//! - the kit's publisher stops after the first write of `publish`, until the reader has
//!   looked once (called `read` from start to end). A value published in the wrong order
//!   (the flag set first) is seen missing every run, not only when a thread switch falls
//!   between the two writes.
use std::cell::Cell;
use std::sync::atomic as std_atomic;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub use std::sync::atomic::Ordering;

/// `std::sync::atomic::AtomicU64`, with the kit's pause after each `load`.
#[derive(Debug, Default)]
pub struct AtomicU64(std_atomic::AtomicU64);

impl AtomicU64 {
    /// Not a `const fn`: loom's is not either.
    pub fn new(value: u64) -> AtomicU64 {
        AtomicU64(std_atomic::AtomicU64::new(value))
    }
    pub fn load(&self, order: Ordering) -> u64 {
        let value = self.0.load(order);
        pause();
        value
    }
    pub fn store(&self, value: u64, order: Ordering) {
        self.0.store(value, order);
        wrote();
    }
    pub fn swap(&self, value: u64, order: Ordering) -> u64 {
        let old = self.0.swap(value, order);
        wrote();
        old
    }
    pub fn fetch_add(&self, value: u64, order: Ordering) -> u64 {
        let old = self.0.fetch_add(value, order);
        wrote();
        old
    }
    pub fn fetch_sub(&self, value: u64, order: Ordering) -> u64 {
        let old = self.0.fetch_sub(value, order);
        wrote();
        old
    }
    pub fn compare_exchange(&self, current: u64, new: u64, success: Ordering, failure: Ordering) -> Result<u64, u64> {
        let seen = self.0.compare_exchange(current, new, success, failure);
        if seen.is_ok() {
            wrote();
        }
        seen
    }
    pub fn compare_exchange_weak(&self, current: u64, new: u64, success: Ordering, failure: Ordering) -> Result<u64, u64> {
        let seen = self.0.compare_exchange_weak(current, new, success, failure);
        if seen.is_ok() {
            wrote();
        }
        seen
    }
}

/// `std::sync::atomic::AtomicBool`, with the kit's pause after each `load`.
#[derive(Debug, Default)]
pub struct AtomicBool(std_atomic::AtomicBool);

impl AtomicBool {
    /// Not a `const fn`: loom's is not either.
    pub fn new(value: bool) -> AtomicBool {
        AtomicBool(std_atomic::AtomicBool::new(value))
    }
    pub fn load(&self, order: Ordering) -> bool {
        let value = self.0.load(order);
        pause();
        value
    }
    pub fn store(&self, value: bool, order: Ordering) {
        self.0.store(value, order);
        wrote();
    }
    pub fn swap(&self, value: bool, order: Ordering) -> bool {
        let old = self.0.swap(value, order);
        wrote();
        old
    }
    pub fn compare_exchange(&self, current: bool, new: bool, success: Ordering, failure: Ordering) -> Result<bool, bool> {
        let seen = self.0.compare_exchange(current, new, success, failure);
        if seen.is_ok() {
            wrote();
        }
        seen
    }
    pub fn compare_exchange_weak(&self, current: bool, new: bool, success: Ordering, failure: Ordering) -> Result<bool, bool> {
        let seen = self.0.compare_exchange_weak(current, new, success, failure);
        if seen.is_ok() {
            wrote();
        }
        seen
    }
}

/// The work between a read and a write: the other threads run meanwhile.
fn pause() {
    thread::sleep(Duration::from_micros(100));
}

// The hand-over between the kit's publisher and its reader (the program's, in main.rs).

thread_local! {
    /// This thread is the kit's publisher, inside `publish`, and has not written yet.
    static PUBLISHING: Cell<bool> = const { Cell::new(false) };
}

/// How many of the reader's looks have begun and ended, and whether it has stopped looking.
struct Looks {
    begun: u64,
    ended: u64,
    over: bool,
}

static LOOKS: Mutex<Looks> = Mutex::new(Looks { begun: 0, ended: 0, over: false });
static LOOKED: Condvar = Condvar::new();

/// The longest the publisher waits for a look: a reader that stopped looking, or never
/// began, does not hang the program.
const PATIENCE: Duration = Duration::from_secs(2);

fn looks() -> std::sync::MutexGuard<'static, Looks> {
    LOOKS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Waits (at most [`PATIENCE`]) until `done` says so of the looks.
fn wait_for(done: impl Fn(&Looks) -> bool) {
    let until = Instant::now() + PATIENCE;
    let mut looks = looks();
    while !done(&looks) && !looks.over {
        let Some(left) = until.checked_duration_since(Instant::now()) else { return };
        looks = LOOKED.wait_timeout(looks, left).unwrap_or_else(|e| e.into_inner()).0;
    }
}

/// The first write of the publisher's `publish`: the publisher waits until a look that
/// began after it has ended.
fn wrote() {
    if !PUBLISHING.with(|p| p.replace(false)) {
        return;
    }
    let begun = looks().begun;
    wait_for(|looks| looks.ended > begun);
}

/// Runs `publish` as the kit's publisher: once the reader has looked, and stopping after
/// its first write until the reader has looked again.
pub fn publishing<R>(publish: impl FnOnce() -> R) -> R {
    wait_for(|looks| looks.ended > 0);
    PUBLISHING.with(|p| p.set(true));
    let result = publish();
    PUBLISHING.with(|p| p.set(false));
    result
}

/// Runs `read` as one look of the kit's reader.
pub fn looking<R>(read: impl FnOnce() -> R) -> R {
    /// A reader that panics (a `todo!()`) looks no more.
    struct Panicking;
    impl Drop for Panicking {
        fn drop(&mut self) {
            if thread::panicking() {
                done_looking();
            }
        }
    }
    looks().begun += 1;
    let panicking = Panicking;
    let result = read();
    std::mem::forget(panicking);
    looks().ended += 1;
    LOOKED.notify_all();
    result
}

/// The reader looks no more: the publisher waits for it no longer.
pub fn done_looking() {
    looks().over = true;
    LOOKED.notify_all();
}
