//! The synchronisation types the channel is built from: std's, counted.
//!
//! Build your channel from these (`use crate::sync::{Arc, Condvar, Mutex};`), not from
//! `std::sync`: the kit's model check swaps them for a model checker's, and its tests
//! read the counts (locks taken, notifications sent, threads waiting).
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

pub use std::sync::{atomic, Arc, LockResult, MutexGuard};

static LOCKS: AtomicU64 = AtomicU64::new(0);
static NOTIFICATIONS: AtomicU64 = AtomicU64::new(0);
static WAITS: AtomicU64 = AtomicU64::new(0);
static WAITING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// `Mutex::lock` calls by this thread.
    static LOCKS_HERE: Cell<u64> = const { Cell::new(0) };
}

/// `std::sync::Mutex`, counting every `lock`.
#[derive(Debug, Default)]
pub struct Mutex<T>(std::sync::Mutex<T>);

impl<T> Mutex<T> {
    pub const fn new(value: T) -> Mutex<T> {
        Mutex(std::sync::Mutex::new(value))
    }
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        LOCKS.fetch_add(1, Relaxed);
        LOCKS_HERE.with(|n| n.set(n.get() + 1));
        self.0.lock()
    }
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.0.get_mut()
    }
    pub fn into_inner(self) -> LockResult<T> {
        self.0.into_inner()
    }
}

/// `std::sync::Condvar`, counting notifications and waits, and who is waiting now.
#[derive(Debug, Default)]
pub struct Condvar(std::sync::Condvar);

impl Condvar {
    pub const fn new() -> Condvar {
        Condvar(std::sync::Condvar::new())
    }
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        WAITS.fetch_add(1, Relaxed);
        // Counted while the lock is still held, so a thread that sees it can take the
        // lock only once this one is really asleep.
        WAITING.fetch_add(1, Relaxed);
        let woken = self.0.wait(guard);
        WAITING.fetch_sub(1, Relaxed);
        woken
    }
    pub fn wait_while<'a, T, F: FnMut(&mut T) -> bool>(&self, mut guard: MutexGuard<'a, T>, mut condition: F) -> LockResult<MutexGuard<'a, T>> {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }
    pub fn notify_one(&self) {
        NOTIFICATIONS.fetch_add(1, Relaxed);
        self.0.notify_one()
    }
    pub fn notify_all(&self) {
        NOTIFICATIONS.fetch_add(1, Relaxed);
        self.0.notify_all()
    }
}

/// What the channel did with the kit's types since the program started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// `Mutex::lock` calls.
    pub locks: u64,
    /// `Condvar::notify_one` and `notify_all` calls.
    pub notifications: u64,
    /// `Condvar::wait` calls.
    pub waits: u64,
}

pub fn counts() -> Counts {
    Counts { locks: LOCKS.load(Relaxed), notifications: NOTIFICATIONS.load(Relaxed), waits: WAITS.load(Relaxed) }
}

/// `Mutex::lock` calls made by the calling thread.
pub fn locks_here() -> u64 {
    LOCKS_HERE.with(|n| n.get())
}

/// Threads inside `Condvar::wait` right now.
pub fn waiting() -> usize {
    WAITING.load(Relaxed)
}
