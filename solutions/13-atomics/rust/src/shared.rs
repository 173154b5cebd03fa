//! Atomics: a counter that four threads add to with `fetch_add`, and a value published
//! with a flag, stored with `Release` and loaded with `Acquire`.
use crate::sync::{AtomicBool, AtomicU64, Ordering};

// [counter]
/// A count that many threads add to at once.
pub struct Counter {
    count: AtomicU64,
}

impl Counter {
    pub fn new() -> Counter {
        Counter { count: AtomicU64::new(0) }
    }

    // [add]
    /// Adds one, in one step no other thread can come between: no update is lost.
    /// `Relaxed` is enough: nothing else is read or written through this count.
    pub fn add_one(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    // [get]
    /// The count. The threads that added were joined before this is called, and joining a
    /// thread sees everything it did: `Relaxed` again.
    pub fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

// [mailbox]
/// One value, put in by a publisher and taken by a reader that looks until it is there.
pub struct Mailbox {
    value: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    pub fn new() -> Mailbox {
        Mailbox { value: AtomicU64::new(0), ready: AtomicBool::new(false) }
    }

    // [publish]
    /// The value first, then the flag. `Release`: whoever sees the flag with `Acquire`
    /// sees every write made before it, the value's included.
    pub fn publish(&self, value: u64) {
        self.value.store(value, Ordering::Relaxed);
        self.ready.store(true, Ordering::Release);
    }

    // [read]
    /// `Some(value)` once it is published, `None` before. The flag with `Acquire`, then the
    /// value: a reader that saw the flag sees the value written before it.
    pub fn read(&self) -> Option<u64> {
        if self.ready.load(Ordering::Acquire) {
            Some(self.value.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
