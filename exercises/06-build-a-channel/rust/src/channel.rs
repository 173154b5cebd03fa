//! An unbounded multi-producer, single-consumer channel, built by hand.
//!
//! The kit's tests call exactly these items: `channel`, `Sender::{send, clone, drop}`,
//! `Receiver::{recv, try_recv, iter, drop}`, and `for msg in &rx` / `for msg in rx`.
//! Build it from `crate::sync` (a `Mutex`, a `Condvar`, an `Arc`), never from `std::sync`
//! directly: the model check swaps those types for a model checker's.
use std::collections::VecDeque;

use crate::errors::{RecvError, SendError, TryRecvError};
#[allow(unused_imports)]
use crate::sync::{Arc, Condvar, Mutex};

// [state]
/// What both ends share.
struct Shared<T> {
    // TODO: a `Mutex` around the queued messages (`VecDeque<T>`), the number of live
    // senders and whether the receiver is alive, and a `Condvar` for the receiver to
    // sleep on while the queue is empty.
    queue: VecDeque<T>,
}

/// The sending end; clone it for every producer.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving end: one consumer.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// A new channel with one `Sender`.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    todo!("make the shared state and hand out its two ends")
}

// [send]
impl<T> Sender<T> {
    /// Queues `value` and wakes the receiver if it sleeps; `Err(SendError(value))` when
    /// the `Receiver` is gone, since nobody would ever take it.
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let _ = (&self.shared.queue, value, SendError::<T>);
        todo!("push under the lock, then notify; or give the value back if the receiver is gone")
    }
}

// [count]
impl<T> Clone for Sender<T> {
    /// One more sender: the channel stays open until it is dropped too.
    fn clone(&self) -> Sender<T> {
        todo!("count the new sender")
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // TODO: one sender fewer; the last one closes the channel and must wake a
        // receiver that sleeps on the empty queue.
    }
}

// [recv]
impl<T> Receiver<T> {
    /// The next message, waiting for one while a sender is alive;
    /// `Err(RecvError)` once the channel is empty and closed.
    pub fn recv(&self) -> Result<T, RecvError> {
        let _ = &self.shared;
        todo!("wait while the queue is empty and a sender lives, then take the front")
    }

    /// The next message if one is queued now; never waits.
    /// `Err(TryRecvError::Empty)` while senders live, `Err(TryRecvError::Disconnected)` after.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        todo!("take the front without waiting, or say why not")
    }

    /// Every message until the channel is closed and empty.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        // TODO: the other way a channel ends: the receiver is gone, so every later send
        // must fail (and give its value back).
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
        let _ = self.rx;
        todo!("the next message, or None once the channel is closed and empty")
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        let _ = &self.rx;
        todo!("the same as Iter")
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
