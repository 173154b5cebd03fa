//! The channel of lesson 06, made fast without losing correctness: a sender notifies
//! only when the receiver sleeps, and the receiver takes every queued message under
//! one lock, then serves them from a buffer of its own without locking.
use std::cell::RefCell;
use std::collections::VecDeque;

use crate::errors::{RecvError, SendError, TryRecvError};
use crate::sync::{Arc, Condvar, Mutex};

// [state]
/// Everything the mutex guards.
struct State<T> {
    queue: VecDeque<T>,
    senders: usize,
    /// The receiver sleeps (or is about to): the next send must notify it.
    receiver_waits: bool,
    /// The `Receiver` is alive: once it is dropped, sends fail.
    receiver: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Notified when a message arrives for a sleeping receiver, and at the last drop.
    changed: Condvar,
}

pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving end. `taken` holds the messages of the last batch still to hand out;
/// only the receiver touches it, so it needs no lock (and makes `Receiver` `!Sync`).
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    taken: RefCell<VecDeque<T>>,
}

pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let state = State { queue: VecDeque::new(), senders: 1, receiver_waits: false, receiver: true };
    let shared = Arc::new(Shared { state: Mutex::new(state), changed: Condvar::new() });
    (Sender { shared: shared.clone() }, Receiver { shared, taken: RefCell::new(VecDeque::new()) })
}

// [send]
impl<T> Sender<T> {
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let mut state = self.shared.state.lock().unwrap();
        if !state.receiver {
            return Err(SendError(value));
        }
        state.queue.push_back(value);
        // Only the first send after the receiver fell asleep wakes it; the rest find
        // the flag down. A notify is a system call even when nobody waits.
        let wake = std::mem::replace(&mut state.receiver_waits, false);
        drop(state);
        // Outside the lock: the woken receiver must not wake only to wait for our lock.
        if wake {
            self.shared.changed.notify_one();
        }
        Ok(())
    }
}

// [count]
impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        self.shared.state.lock().unwrap().senders += 1;
        Sender { shared: self.shared.clone() }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut state = self.shared.state.lock().unwrap();
        state.senders -= 1;
        if state.senders == 0 {
            self.shared.changed.notify_all();
        }
    }
}

// [recv]
impl<T> Receiver<T> {
    pub fn recv(&self) -> Result<T, RecvError> {
        let mut taken = self.taken.borrow_mut();
        if let Some(value) = taken.pop_front() {
            return Ok(value);
        }
        let mut state = self.shared.state.lock().unwrap();
        while state.queue.is_empty() && state.senders > 0 {
            state.receiver_waits = true;
            state = self.shared.changed.wait(state).unwrap();
        }
        // The whole queue at once: one lock for the batch, not one per message. The
        // senders get our empty buffer, capacity and all.
        std::mem::swap(&mut *taken, &mut state.queue);
        drop(state);
        taken.pop_front().ok_or(RecvError)
    }

    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut taken = self.taken.borrow_mut();
        if let Some(value) = taken.pop_front() {
            return Ok(value);
        }
        let mut state = self.shared.state.lock().unwrap();
        std::mem::swap(&mut *taken, &mut state.queue);
        let closed = state.senders == 0;
        drop(state);
        match taken.pop_front() {
            Some(value) => Ok(value),
            None if closed => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }
}

impl<T> Drop for Receiver<T> {
    /// Nobody will receive: every later send fails, and what is queued goes now.
    fn drop(&mut self) {
        let mut state = self.shared.state.lock().unwrap();
        state.receiver = false;
        state.queue.clear();
    }
}

// [iter]
pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

pub struct IntoIter<T> {
    rx: Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { rx: self }
    }
}
