//! The kit's probe (a kit file: not yours to change, and not graded as yours).
//!
//! `probe::channel()` is `mpsc::channel()` with one difference that a correct program never
//! notices: the last value sent is handed to the receiver only once the channel has closed.
//! Values arrive in order, each as soon as the next one is sent. A receiver that stops
//! after counting the messages it expects (`rx.iter().take(n)`, `for _ in 0..n`) then
//! waits for its last one until every `Sender` is gone; with a `Sender` left alive, it waits
//! for ever, and the kit says which one. A receiver that runs until the channel closes (`for
//! v in rx`, `rx.iter().count()`) gets every value, as it would from `mpsc::channel()`.
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

/// A channel like `mpsc::channel::<T>()`, its last value held back until it closes.
pub fn channel<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
    let (to_relay, relay) = mpsc::channel::<T>();
    let (forward, received) = mpsc::channel::<T>();
    thread::Builder::new()
        .name("kit probe: channel".to_string())
        .spawn(move || {
            let mut held = None;
            for value in relay {
                // The receiver is gone: stop, so that sends fail as they would on a plain channel.
                if let Some(previous) = held.replace(value) {
                    if forward.send(previous).is_err() {
                        return;
                    }
                }
            }
            // Every Sender is gone: the last value, then the close (`forward` dropped here).
            if let Some(last) = held {
                let _ = forward.send(last);
            }
        })
        .expect("the kit's probe could not start its thread");
    (to_relay, received)
}
