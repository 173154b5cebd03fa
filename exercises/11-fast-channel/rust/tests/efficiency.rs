//! The `efficiency` check: how often the channel notifies and how often
//! the receiver takes the lock, per message, on a fixed workload. Counts, not times: the
//! same on a fast machine and a slow one. Run with
//! `cargo test --test efficiency -- --test-threads=1`.
use std::thread;

use chan::{channel, sync};

// Each test reports its own end to the grader (see verdict/mod.rs).
mod verdict;

const PRODUCERS: u64 = 4;

/// Messages sent: `budget` in the lesson's `exercise.toml` (given as `FEARLESS_BUDGET`),
/// else 1,000,000; a multiple of the producers. The counts are per message: a bigger
/// workload gives the same figures, only later.
fn messages() -> u64 {
    let asked: u64 = std::env::var("FEARLESS_BUDGET").ok().and_then(|b| b.parse().ok()).unwrap_or(1_000_000);
    asked.max(PRODUCERS) / PRODUCERS * PRODUCERS
}

/// Notifications per message, and the receiver's lock acquisitions per message.
fn per_message() -> (f64, f64) {
    let messages = messages();
    let (tx, rx) = channel::<u64>();
    let before = sync::counts();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|_| {
            let tx = tx.clone();
            thread::spawn(move || (0..messages / PRODUCERS).for_each(|i| tx.send(i).unwrap()))
        })
        .collect();
    drop(tx);
    let locks_before = sync::locks_here();
    let received = rx.iter().count() as u64;
    let receiver_locks = sync::locks_here() - locks_before;
    for p in producers {
        p.join().unwrap();
    }
    assert_eq!(received, messages, "messages were lost");
    let notifications = sync::counts().notifications - before.notifications;
    (notifications as f64 / messages as f64, receiver_locks as f64 / messages as f64)
}

#[test]
fn at_most_one_notification_per_ten_messages() {
    let _v = verdict::begin("at_most_one_notification_per_ten_messages");
    let (notifications, _) = per_message();
    assert!(
        notifications <= 0.1,
        "{notifications:.2} notifications per message (at most 0.1): notify only when the receiver sleeps; a notify costs a system call even when nobody waits"
    );
}

#[test]
fn the_receiver_locks_at_most_once_per_three_messages() {
    let _v = verdict::begin("the_receiver_locks_at_most_once_per_three_messages");
    let (_, locks) = per_message();
    assert!(locks <= 0.3, "the receiver took the lock {locks:.2} times per message (at most 0.3): take every queued message under one lock");
}
