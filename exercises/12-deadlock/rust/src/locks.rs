//! The kit's locks (a kit file: not yours to change, and not graded as yours).
//!
//! A `Lock<T>` is a `Mutex<T>` with a name that tells the kit who takes it: before a
//! thread waits for it, once it holds it, and when it lets go, with the line of your code
//! that took it. That is how the kit names a deadlock's cycle: which thread holds which
//! lock, taken where, and waits for which.
//!
//! It is also a meeting point, so that a wrong order deadlocks in every run instead of
//! now and then. The threads named in `ORDER` take their first lock in that order, and
//! each one that got its first lock waits (at most two seconds) until every other one
//! holds its first lock or is blocked on one. Then they all go on at once. Locks taken in
//! one order pass the meeting at once; locks taken in opposite orders are then held by
//! threads that all want the other's.
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::{Condvar, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

mod roll_call;
use roll_call::tell;

/// The threads that meet, in the order they take their first lock.
const ORDER: [&str; 3] = ["alice pays bob", "auditor", "bob pays alice"];
/// How long one waits at the meeting point for the others.
const PATIENCE: Duration = Duration::from_secs(2);

/// A `Mutex<T>` with a name, whose takers the kit hears of.
pub struct Lock<T> {
    name: &'static str,
    inner: Mutex<T>,
}

/// Holds the lock until it is dropped, like a `MutexGuard`.
pub struct Guard<'a, T> {
    name: &'static str,
    guard: MutexGuard<'a, T>,
}

impl<T> Lock<T> {
    pub const fn new(name: &'static str, value: T) -> Lock<T> {
        Lock { name, inner: Mutex::new(value) }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Waits until the lock is free and takes it, as `Mutex::lock` (a lock poisoned by a
    /// panic is taken all the same).
    #[track_caller]
    pub fn lock(&self) -> Guard<'_, T> {
        let (me, at) = (thread_name(), Location::caller());
        let first = meeting::turn(&me);
        tell(&format!("lock\twants\t{me}\t{}\t{at}", self.name));
        let guard = match self.inner.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            Err(TryLockError::WouldBlock) => {
                if first {
                    meeting::arrive(&me);
                }
                self.inner.lock().unwrap_or_else(|e| e.into_inner())
            }
        };
        self.held(guard, &me, at, first)
    }

    /// Takes the lock if it is free, as `Mutex::try_lock`; `None` if another thread holds it.
    #[track_caller]
    #[allow(dead_code)]
    pub fn try_lock(&self) -> Option<Guard<'_, T>> {
        let (me, at) = (thread_name(), Location::caller());
        let first = meeting::turn(&me);
        match self.inner.try_lock() {
            Ok(g) => Some(self.held(g, &me, at, first)),
            Err(TryLockError::Poisoned(e)) => Some(self.held(e.into_inner(), &me, at, first)),
            Err(TryLockError::WouldBlock) => {
                if first {
                    meeting::arrive(&me);
                }
                None
            }
        }
    }

    fn held<'a>(&self, guard: MutexGuard<'a, T>, me: &str, at: &Location, first: bool) -> Guard<'a, T> {
        tell(&format!("lock\tholds\t{me}\t{}\t{at}", self.name));
        if first {
            meeting::arrive(me);
            meeting::wait_for_all();
        }
        Guard { name: self.name, guard }
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        tell(&format!("lock\treleases\t{}\t{}", thread_name(), self.name));
    }
}

fn thread_name() -> String {
    let t = std::thread::current();
    t.name().map_or_else(|| format!("{:?}", t.id()), String::from)
}

/// Where the threads of `ORDER` meet, holding their first lock.
mod meeting {
    use super::*;

    #[derive(Default)]
    struct State {
        /// Came for their first lock.
        started: Vec<String>,
        /// Hold their first lock, or are blocked on it.
        arrived: Vec<String>,
        /// Everyone arrived, or someone waited in vain: nobody waits any more.
        over: bool,
    }

    static STATE: Mutex<Option<State>> = Mutex::new(None);
    static CHANGED: Condvar = Condvar::new();

    fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
        let mut s = STATE.lock().unwrap_or_else(|e| e.into_inner());
        f(s.get_or_insert_with(State::default))
    }

    /// For a thread of `ORDER` that comes for its first lock: waits until those before it
    /// have arrived. Whether this is its first lock.
    pub fn turn(me: &str) -> bool {
        let Some(mine) = ORDER.iter().position(|t| *t == me) else { return false };
        if with(|s| s.started.iter().any(|t| t == me) || s.over) {
            return false;
        }
        with(|s| s.started.push(me.to_string()));
        wait_until(|s| ORDER[..mine].iter().all(|t| s.arrived.iter().any(|a| a == t)));
        true
    }

    pub fn arrive(me: &str) {
        with(|s| {
            if !s.arrived.iter().any(|a| a == me) {
                s.arrived.push(me.to_string());
            }
            if ORDER.iter().all(|t| s.arrived.iter().any(|a| a == t)) {
                s.over = true;
            }
        });
        CHANGED.notify_all();
    }

    pub fn wait_for_all() {
        wait_until(|s| s.over);
    }

    /// Waits until `done` holds or the meeting is over; at most `PATIENCE`, after which
    /// the meeting is over for everyone.
    fn wait_until(done: impl Fn(&State) -> bool) {
        let s = STATE.lock().unwrap_or_else(|e| e.into_inner());
        let (mut s, timeout) = CHANGED
            .wait_timeout_while(s, PATIENCE, |s| {
                let s = s.get_or_insert_with(State::default);
                !s.over && !done(s)
            })
            .unwrap_or_else(|e| e.into_inner());
        if timeout.timed_out() {
            s.get_or_insert_with(State::default).over = true;
            drop(s);
            CHANGED.notify_all();
        }
    }
}
