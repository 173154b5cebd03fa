//! The kit's probe (a kit file: not yours to change, and not graded as yours).
//!
//! `probe::channel()` is the drain's channel: `mpsc::channel::<u32>()`, of which the kit
//! keeps one `Sender` until `probe::drained` says the drain is over. A drain that waits for
//! the channel to close (`rx2.iter()`, `recv`) therefore waits for ever, as it would with any
//! sender still alive; one that takes what is queued now (`try_iter`) does not.
//! `probe::drained` then lets the kit's `Sender` go and tells the kit whether yours was
//! gone too (the `at_most` check): the drain's channel must be closed by the time it is
//! drained.
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Mutex;

mod roll_call;

/// The kit's own `Sender` of the drain's channel, held until the drain is over.
static KIT_SENDER: Mutex<Option<Sender<u32>>> = Mutex::new(None);

/// The drain's channel; the kit holds a `Sender` of it too, until [`drained`].
pub fn channel() -> (Sender<u32>, Receiver<u32>) {
    let (tx, rx) = mpsc::channel::<u32>();
    *KIT_SENDER.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx.clone());
    (tx, rx)
}

/// The drain is over: the kit's `Sender` goes, and the kit hears whether another is left.
pub fn drained(rx: &Receiver<u32>) {
    KIT_SENDER.lock().unwrap_or_else(|e| e.into_inner()).take();
    let open = loop {
        match rx.try_recv() {
            // Left behind by the drain: the output check says so; the question here is the close.
            Ok(_) => continue,
            Err(TryRecvError::Empty) => break 1,
            Err(TryRecvError::Disconnected) => break 0,
        }
    };
    roll_call::tell(&format!("most drain_open {open}"));
}
