//! The `model` check: your channel under shuttle, a model checker that runs the
//! threads one step at a time and tries their interleavings, so that a lost wake-up or a
//! missing notification is found every time, not once in a million runs.
//! Run with `cargo test --test model` (its dependencies are optimized even there: see
//! `Cargo.toml`).
#![allow(dead_code)]

// Your channel and the kit's errors, compiled again against the model's sync types below.
// Without `unsafe`, as in the library (see src/lib.rs).
#[forbid(unsafe_code)]
#[path = "../src/channel.rs"]
mod channel;
#[forbid(unsafe_code)]
#[path = "../src/errors.rs"]
mod errors;

// Each test reports its own end to the grader (see verdict/mod.rs).
mod verdict;

/// `crate::sync` for the model: shuttle's mutex and condition variable, with one thing
/// std allows and shuttle never does: a `wait` that returns without a notification
/// (every other wait on a condition variable, the 1st, 3rd, ..., does), so that `if` around a wait is caught.
mod sync {
    use std::cell::UnsafeCell;
    use std::ops::{Deref, DerefMut};
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

    #[allow(unused_imports)]
    pub use shuttle::sync::atomic;
    pub use std::sync::{Arc, LockResult};

    pub struct Mutex<T> {
        lock: shuttle::sync::Mutex<()>,
        value: UnsafeCell<T>,
    }

    // SAFETY: `value` is only reached through a guard, which holds `lock`.
    unsafe impl<T: Send> Send for Mutex<T> {}
    unsafe impl<T: Send> Sync for Mutex<T> {}

    pub struct MutexGuard<'a, T> {
        mutex: &'a Mutex<T>,
        held: Option<shuttle::sync::MutexGuard<'a, ()>>,
    }

    impl<T> Mutex<T> {
        pub fn new(value: T) -> Mutex<T> {
            Mutex { lock: shuttle::sync::Mutex::new(()), value: UnsafeCell::new(value) }
        }
        pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
            Ok(MutexGuard { mutex: self, held: Some(self.lock.lock().unwrap()) })
        }
        pub fn get_mut(&mut self) -> LockResult<&mut T> {
            Ok(self.value.get_mut())
        }
        pub fn into_inner(self) -> LockResult<T> {
            Ok(self.value.into_inner())
        }
    }

    impl<T: Default> Default for Mutex<T> {
        fn default() -> Self {
            Mutex::new(T::default())
        }
    }

    impl<T> Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            // SAFETY: this guard holds the lock.
            unsafe { &*self.mutex.value.get() }
        }
    }

    impl<T> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            // SAFETY: this guard holds the lock.
            unsafe { &mut *self.mutex.value.get() }
        }
    }

    #[derive(Default)]
    pub struct Condvar {
        inner: shuttle::sync::Condvar,
        waits: AtomicU64,
    }

    impl Condvar {
        pub fn new() -> Condvar {
            Condvar { inner: shuttle::sync::Condvar::new(), waits: AtomicU64::new(0) }
        }
        pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
            let held = guard.held.take().expect("a guard holds its lock");
            if self.waits.fetch_add(1, Relaxed) % 2 == 0 {
                // A spurious wake-up: let go of the lock, let others run, take it back.
                drop(held);
                shuttle::thread::yield_now();
                guard.held = Some(guard.mutex.lock.lock().unwrap());
            } else {
                guard.held = Some(self.inner.wait(held).unwrap());
            }
            Ok(guard)
        }
        pub fn wait_while<'a, T, F: FnMut(&mut T) -> bool>(&self, mut guard: MutexGuard<'a, T>, mut condition: F) -> LockResult<MutexGuard<'a, T>> {
            while condition(&mut *guard) {
                guard = self.wait(guard)?;
            }
            Ok(guard)
        }
        pub fn notify_one(&self) {
            self.inner.notify_one()
        }
        pub fn notify_all(&self) {
            self.inner.notify_all()
        }
    }
}

use channel::channel;
use errors::RecvError;
use shuttle::scheduler::{DfsScheduler, PctScheduler};
use shuttle::thread;

/// How many interleavings to try: `budget` in the lesson's `exercise.toml` (given as
/// `FEARLESS_BUDGET`), else 20,000.
fn budget() -> usize {
    std::env::var("FEARLESS_BUDGET").ok().and_then(|b| b.parse().ok()).unwrap_or(20_000)
}

/// Runs `scenario` in every interleaving (up to the budget), then in random ones from
/// fixed seeds (a tenth of the budget each), and turns the model checker's findings into
/// a sentence.
fn explore(scenario: impl Fn() + Send + Sync + Clone + 'static) {
    let dfs = scenario.clone();
    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        shuttle::Runner::new(DfsScheduler::new(Some(budget()), false), Default::default()).run(dfs);
        for seed in 1..=4 {
            shuttle::Runner::new(PctScheduler::new_from_seed(seed, 3, budget() / 10), Default::default()).run(scenario.clone());
        }
    }));
    if let Err(panic) = found {
        let what = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
        if what.contains("deadlock") {
            panic!("deadlock: in some interleaving every thread sleeps for ever; a notification was lost (a wait that began after its notify, or a send or the last drop that notified nobody)");
        }
        panic!("{what}");
    }
}

#[test]
fn a_message_reaches_a_receiver_while_its_sender_lives() {
    let _v = verdict::begin("a_message_reaches_a_receiver_while_its_sender_lives");
    explore(|| {
        let (tx, rx) = channel::<u32>();
        let (ack_tx, ack_rx) = channel::<()>();
        let producer = thread::spawn(move || {
            tx.send(1).unwrap();
            // The sender stays alive until the message is in: no last drop to wake the receiver.
            ack_rx.recv().unwrap();
        });
        assert_eq!(rx.recv(), Ok(1), "recv returned without the message that was sent");
        ack_tx.send(()).unwrap();
        producer.join().unwrap();
        assert_eq!(rx.recv(), Err(RecvError), "recv returned a message when the channel was empty and closed");
    });
}

#[test]
fn the_last_drop_wakes_the_receiver() {
    let _v = verdict::begin("the_last_drop_wakes_the_receiver");
    explore(|| {
        let (tx, rx) = channel::<u32>();
        let tx2 = tx.clone();
        let a = thread::spawn(move || drop(tx));
        let b = thread::spawn(move || drop(tx2));
        assert_eq!(rx.recv(), Err(RecvError), "recv returned a message that nobody sent");
        a.join().unwrap();
        b.join().unwrap();
    });
}

#[test]
fn two_producers_every_message_once_and_in_order() {
    let _v = verdict::begin("two_producers_every_message_once_and_in_order");
    explore(|| {
        let (tx, rx) = channel::<(usize, u32)>();
        let producers: Vec<_> = (0..2)
            .map(|id| {
                let tx = tx.clone();
                thread::spawn(move || (0..2).for_each(|i| tx.send((id, i)).unwrap()))
            })
            .collect();
        drop(tx);
        let mut next = [0u32; 2];
        for (id, i) in rx.iter() {
            assert_eq!(i, next[id], "producer {id}'s message {i} arrived when {} was due", next[id]);
            next[id] += 1;
        }
        assert_eq!(next, [2, 2], "recv said the channel was closed while messages were still on their way");
        for p in producers {
            p.join().unwrap();
        }
    });
}
