//! Lesson 06's channel, correct and slow: make it fast without losing correctness.
//! The `model` check still runs, and the `efficiency` check counts, per message, the
//! notifications sent and the locks the receiver takes (see the README's figures).
use std::collections::VecDeque;

use crate::errors::{RecvError, SendError, TryRecvError};
use crate::sync::{Arc, Condvar, Mutex};

// [state]
/// Everything the mutex guards: the messages, how many `Sender`s are alive, and whether
/// the `Receiver` is.
// TODO: remember whether the receiver sleeps, so that a send knows when to notify.
struct State<T> {
    queue: VecDeque<T>,
    senders: usize,
    receiver: bool,
}

/// What both ends share.
struct Shared<T> {
    state: Mutex<State<T>>,
    /// Notified when a message arrives and when the last sender leaves.
    changed: Condvar,
}

/// The sending end; clone it for every producer.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving end: one consumer.
// TODO: a buffer of the receiver's own, to hand out a whole batch without the lock.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// A new channel with one `Sender`.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared { state: Mutex::new(State { queue: VecDeque::new(), senders: 1, receiver: true }), changed: Condvar::new() });
    (Sender { shared: shared.clone() }, Receiver { shared })
}

// [send]
impl<T> Sender<T> {
    /// Queues `value` and wakes the receiver if it sleeps; `Err(SendError(value))` when
    /// the `Receiver` is gone, since nobody would ever take it.
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let mut state = self.shared.state.lock().unwrap();
        if !state.receiver {
            return Err(SendError(value));
        }
        state.queue.push_back(value);
        // TODO: a notify is a system call even when nobody waits: notify only when the
        // receiver sleeps (and outside the lock, so that it does not wake to wait for it).
        self.shared.changed.notify_one();
        Ok(())
    }
}

// [count]
impl<T> Clone for Sender<T> {
    /// One more sender: the channel stays open until it is dropped too.
    fn clone(&self) -> Sender<T> {
        self.shared.state.lock().unwrap().senders += 1;
        Sender { shared: self.shared.clone() }
    }
}

impl<T> Drop for Sender<T> {
    /// The last sender to leave closes the channel, and must wake a waiting receiver:
    /// nothing else ever will.
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
    /// The next message, waiting for one while a sender is alive;
    /// `Err(RecvError)` once the channel is empty and closed.
    pub fn recv(&self) -> Result<T, RecvError> {
        let mut state = self.shared.state.lock().unwrap();
        // `while`, not `if`: a wait may end with nothing to take (a spurious wake-up).
        while state.queue.is_empty() && state.senders > 0 {
            state = self.shared.changed.wait(state).unwrap();
        }
        // TODO: one lock per message: take every queued message at once instead.
        state.queue.pop_front().ok_or(RecvError)
    }

    /// The next message if one is queued now; never waits.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut state = self.shared.state.lock().unwrap();
        match state.queue.pop_front() {
            Some(value) => Ok(value),
            None if state.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    /// Every message until the channel is closed and empty.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }
}

impl<T> Drop for Receiver<T> {
    /// The other way a channel ends: nobody will receive, so every later send fails.
    fn drop(&mut self) {
        let mut state = self.shared.state.lock().unwrap();
        state.receiver = false;
        // What was queued will never be taken: it goes now, not with the last Sender.
        state.queue.clear();
    }
}

// [iter]
/// The messages of a borrowed receiver (`for msg in &rx`).
pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

/// The messages of an owned receiver (`for msg in rx`).
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
