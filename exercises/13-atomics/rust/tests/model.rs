//! The `model` check: your `shared.rs` under loom, a model checker that runs the threads
//! one step at a time and tries their interleavings, and, at every load of an atomic, each
//! value the C++/Rust memory model lets it see. A `Relaxed` flag lets a reader see the flag
//! and still the old value: no x86 machine ever shows it (its stores are seen in order),
//! an ARM one does now and then, and loom finds it every time.
//! Run with `cargo test --test model` (its dependencies are optimized even there: see
//! `Cargo.toml`).
#![allow(dead_code)]

// Your file, compiled again against loom's atomics below. Without `unsafe`, as in the
// library (see src/lib.rs).
#[forbid(unsafe_code)]
#[path = "../src/shared.rs"]
mod shared;

// Each test reports its own end to the grader (see verdict/mod.rs).
mod verdict;

/// `crate::sync` for the model: loom's atomics, counting their uses so that a `shared.rs`
/// built from other atomics (loom cannot see those) is told so.
mod sync {
    use std::cell::Cell;

    pub use loom::sync::atomic::Ordering;

    thread_local! {
        /// Operations on these atomics, on this thread (loom runs a test's model threads
        /// on the test's own thread, one step at a time).
        static USES: Cell<usize> = const { Cell::new(0) };
    }

    fn used() {
        USES.with(|n| n.set(n.get() + 1));
    }

    /// Operations on these atomics so far, on this thread.
    pub fn uses() -> usize {
        USES.with(|n| n.get())
    }

    macro_rules! atomic {
        ($name:ident, $t:ty) => {
            pub struct $name(loom::sync::atomic::$name);

            impl $name {
                pub fn new(value: $t) -> $name {
                    $name(loom::sync::atomic::$name::new(value))
                }
                pub fn load(&self, order: Ordering) -> $t {
                    used();
                    self.0.load(order)
                }
                pub fn store(&self, value: $t, order: Ordering) {
                    used();
                    self.0.store(value, order)
                }
                pub fn swap(&self, value: $t, order: Ordering) -> $t {
                    used();
                    self.0.swap(value, order)
                }
                pub fn compare_exchange(&self, current: $t, new: $t, success: Ordering, failure: Ordering) -> Result<$t, $t> {
                    used();
                    self.0.compare_exchange(current, new, success, failure)
                }
                pub fn compare_exchange_weak(&self, current: $t, new: $t, success: Ordering, failure: Ordering) -> Result<$t, $t> {
                    used();
                    self.0.compare_exchange_weak(current, new, success, failure)
                }
            }
        };
    }

    atomic!(AtomicU64, u64);
    atomic!(AtomicBool, bool);

    impl AtomicU64 {
        pub fn fetch_add(&self, value: u64, order: Ordering) -> u64 {
            used();
            self.0.fetch_add(value, order)
        }
        pub fn fetch_sub(&self, value: u64, order: Ordering) -> u64 {
            used();
            self.0.fetch_sub(value, order)
        }
    }
}

use loom::sync::Arc;
use loom::thread;
use shared::{Counter, Mailbox};

/// How many executions to try at most: `budget` in the lesson's `exercise.toml` (given as
/// `FEARLESS_BUDGET`), else every one there is.
fn budget() -> Option<usize> {
    std::env::var("FEARLESS_BUDGET").ok().and_then(|b| b.parse().ok())
}

/// Runs `scenario` in every execution loom can tell apart (up to the budget), and turns
/// what it found into a sentence.
fn explore(scenario: impl Fn() + Send + Sync + 'static) {
    let mut model = loom::model::Builder::new();
    model.max_permutations = budget();
    // The budget is checked every `checkpoint_interval` executions.
    model.checkpoint_interval = 1;
    let before = sync::uses();
    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || model.check(scenario)));
    if let Err(panic) = found {
        let what = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
        panic!("{what}");
    }
    let used = sync::uses() - before;
    assert!(used > 0, "shared.rs used none of `crate::sync`'s atomics, and the model check can see no others: build `Counter` and `Mailbox` from `crate::sync::{{AtomicU64, AtomicBool, Ordering}}`");
}

#[test]
fn no_update_is_lost() {
    let _v = verdict::begin("no_update_is_lost");
    explore(|| {
        let counter = Arc::new(Counter::new());
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.add_one())
        };
        counter.add_one();
        other.join().unwrap();
        let count = counter.get();
        assert!(
            count == 2,
            "two threads called add_one once each, and get() said {count}: an update was lost. A load and then a store are two steps, and the other thread's update can come between them and be overwritten; `fetch_add` is one step"
        );
    });
}

#[test]
fn a_reader_that_sees_the_flag_sees_the_value() {
    let _v = verdict::begin("a_reader_that_sees_the_flag_sees_the_value");
    explore(|| {
        let mailbox = Arc::new(Mailbox::new());
        let publisher = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || mailbox.publish(42))
        };
        if let Some(value) = mailbox.read() {
            assert!(
                value == 42,
                "read() returned Some({value}) while publish(42) was under way: it saw the flag, and not the value written before it. Store the value, then the flag with `Release`; load the flag with `Acquire`, then the value (with `Relaxed` on either side of the flag, a reader may see the flag and still the old value)"
            );
        }
        publisher.join().unwrap();
        let seen = mailbox.read();
        assert!(seen == Some(42), "read() returned {seen:?} once publish(42) had returned and its thread was joined: publish must store the value and raise the flag");
    });
}
