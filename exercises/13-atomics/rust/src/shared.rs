//! Atomics.
//!
//! A `Counter` that four threads add to at once, and a `Mailbox` through which one thread
//! hands a value to another. The kit's program (`main.rs`) and its model check
//! (`tests/model.rs`) call exactly these items: `Counter::{new, add_one, get}` and
//! `Mailbox::{new, publish, read}`. Build them from `crate::sync`'s atomics, never from
//! `std::sync::atomic` directly: the model check swaps them for loom's.
//!
//! Run `fearless check atomics --lang rust` to grade it, `fearless hint atomics` when stuck.
#[allow(unused_imports)]
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
    /// Adds one. No update may be lost, however many threads add at once.
    pub fn add_one(&self) {
        // TODO: add 1 to `count` in one step that no other thread can come between.
        // Which `Ordering` does a counter need, when nothing else is read through it?
        todo!("add one to the count")
    }

    // [get]
    /// The count. The kit calls it once every thread that added was joined.
    pub fn get(&self) -> u64 {
        // TODO: load the count.
        todo!("read the count")
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
    /// Puts `value` in the mailbox, for `read` to find.
    pub fn publish(&self, value: u64) {
        // TODO: store the value, then raise the flag `ready`, with the orderings that make
        // a reader who sees the flag see the value too.
        let _ = value;
        todo!("publish the value")
    }

    // [read]
    /// `Some(value)` once it is published, `None` before.
    pub fn read(&self) -> Option<u64> {
        // TODO: look at the flag; only once it is up, load the value.
        todo!("read the value once it is published")
    }
}
