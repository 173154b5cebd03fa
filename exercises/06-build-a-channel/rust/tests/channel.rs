//! The kit's tests of your channel (the `tests` check). Run alone with
//! `cargo test --test channel -- --test-threads=1`: some read the kit's global counts.
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use chan::{channel, sync, Receiver, RecvError, SendError, Sender, TryRecvError};

// Each test reports its own end to the grader (see verdict/mod.rs).
mod verdict;

/// How long a correct channel could possibly need to wake a thread, with room to spare.
const PATIENCE: Duration = Duration::from_secs(5);

/// Returns once one more thread sleeps in `Condvar::wait` than `before`.
fn until_one_more_waits(before: usize, who: &str) {
    let start = Instant::now();
    while sync::waiting() <= before {
        assert!(start.elapsed() < PATIENCE, "{who} never waited on the Condvar: build recv from crate::sync's Mutex and Condvar, and wait while the queue is empty");
        thread::sleep(Duration::from_millis(1));
    }
}

fn finished<T>(handle: JoinHandle<T>, what: &str) -> T {
    let start = Instant::now();
    while !handle.is_finished() {
        assert!(start.elapsed() < PATIENCE, "{what}");
        thread::sleep(Duration::from_millis(1));
    }
    handle.join().unwrap()
}

// The seed's three tests.
#[test]
fn a_sent_message_is_received() {
    let _v = verdict::begin("a_sent_message_is_received");
    let (tx, rx) = channel();
    tx.send(42u32).unwrap();
    assert_eq!(rx.recv(), Ok(42));
}

#[test]
fn recv_on_a_closed_channel_is_an_error() {
    let _v = verdict::begin("recv_on_a_closed_channel_is_an_error");
    let (tx, rx) = channel::<i32>();
    drop(tx);
    assert_eq!(rx.recv(), Err(RecvError));
}

#[test]
fn four_producers_one_message_each() {
    let _v = verdict::begin("four_producers_one_message_each");
    let (tx, rx) = channel::<u32>();
    let producers: Vec<_> = (0..4)
        .map(|i| {
            let tx = tx.clone();
            thread::spawn(move || tx.send(i).unwrap())
        })
        .collect();
    let (rx, mut got) = receive(rx, 4);
    got.sort();
    assert_eq!(got, vec![0, 1, 2, 3]);
    closed_after(producers, tx, &rx);
}

// The tests with many threads keep the first Sender until every message is in, so that
// the receiver never sleeps through the last drop: that has a test of its own below.

/// `count` messages, received on another thread that must keep making progress.
fn receive<T: Send + 'static>(rx: Receiver<T>, count: usize) -> (Receiver<T>, Vec<T>) {
    let progress = Arc::new(AtomicUsize::new(0));
    let made = progress.clone();
    let receiver = thread::spawn(move || {
        let mut got = Vec::with_capacity(count);
        while got.len() < count {
            match rx.recv() {
                Ok(msg) => got.push(msg),
                Err(_) => break,
            }
            made.fetch_add(1, Relaxed);
        }
        (rx, got)
    });
    let (mut seen, mut since) = (0, Instant::now());
    while !receiver.is_finished() {
        thread::sleep(Duration::from_millis(1));
        let now = progress.load(Relaxed);
        if now != seen {
            (seen, since) = (now, Instant::now());
        }
        assert!(since.elapsed() < PATIENCE, "the receiver slept with messages on their way and nobody woke it: a send must wake a sleeping receiver");
    }
    let (rx, got) = receiver.join().unwrap();
    assert_eq!(got.len(), count, "recv said the channel was closed while its first Sender is alive");
    (rx, got)
}

/// Joins the producers, drops the last Sender, and checks that nothing more arrives.
fn closed_after<T>(producers: Vec<JoinHandle<()>>, last: Sender<T>, rx: &Receiver<T>) {
    let joined: Vec<_> = producers.into_iter().map(|p| p.join()).collect();
    // Dropped before anything can fail, so that a failure never unwinds through a drop.
    drop(last);
    assert!(joined.iter().all(|j| j.is_ok()), "a producer panicked");
    assert!(rx.recv().is_err(), "recv returned a message after every message was received and every Sender dropped");
}

#[test]
fn each_producer_s_messages_arrive_in_the_order_sent() {
    let _v = verdict::begin("each_producer_s_messages_arrive_in_the_order_sent");
    let (tx, rx) = channel::<(usize, u32)>();
    let producers: Vec<_> = (0..4)
        .map(|id| {
            let tx = tx.clone();
            thread::spawn(move || (0..2000).for_each(|i| tx.send((id, i)).unwrap()))
        })
        .collect();
    let (rx, got) = receive(rx, 4 * 2000);
    let mut next = [0u32; 4];
    for (id, i) in got {
        assert_eq!(i, next[id], "producer {id}'s message {i} arrived when {} was due", next[id]);
        next[id] += 1;
    }
    closed_after(producers, tx, &rx);
}

#[test]
fn many_producers_every_message_exactly_once() {
    let _v = verdict::begin("many_producers_every_message_exactly_once");
    let (tx, rx) = channel::<(usize, u32)>();
    let (count, each) = (16, 5000);
    let producers: Vec<_> = (0..count)
        .map(|id| {
            let tx = tx.clone();
            thread::spawn(move || (0..each).for_each(|i| tx.send((id, i)).unwrap()))
        })
        .collect();
    let (rx, got) = receive(rx, count * each as usize);
    let mut seen: HashMap<(usize, u32), u32> = HashMap::new();
    for msg in got {
        *seen.entry(msg).or_default() += 1;
    }
    let twice = seen.iter().find(|(_, n)| **n > 1);
    assert!(twice.is_none(), "message {:?} arrived more than once", twice.unwrap().0);
    assert_eq!(seen.len(), count * each as usize, "messages were lost");
    closed_after(producers, tx, &rx);
}

#[test]
fn try_recv_tells_empty_from_disconnected() {
    let _v = verdict::begin("try_recv_tells_empty_from_disconnected");
    let (tx, rx) = channel::<u8>();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty), "nothing sent yet, the sender alive");
    tx.send(7).unwrap();
    assert_eq!(rx.try_recv(), Ok(7));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty), "everything taken, the sender alive");
    tx.send(8).unwrap();
    drop(tx);
    assert_eq!(rx.try_recv(), Ok(8), "a closed channel still hands out what it holds");
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected), "empty, and no sender left");
}

#[test]
fn a_send_after_the_receiver_is_gone_fails() {
    let _v = verdict::begin("a_send_after_the_receiver_is_gone_fails");
    let (tx, rx) = channel::<String>();
    tx.send("taken".to_string()).unwrap();
    assert_eq!(rx.recv(), Ok("taken".to_string()));
    let tx2 = tx.clone();
    drop(rx);
    assert_eq!(tx.send("lost".to_string()), Err(SendError("lost".to_string())), "send succeeded after the Receiver was dropped: nobody will ever take the value, so send must give it back in Err(SendError(value))");
    assert!(tx2.send("also lost".to_string()).is_err(), "a clone's send succeeded after the Receiver was dropped");
}

#[test]
fn a_clone_keeps_the_channel_open() {
    let _v = verdict::begin("a_clone_keeps_the_channel_open");
    let (tx, rx) = channel::<u8>();
    let tx2 = tx.clone();
    drop(tx);
    let open = rx.try_recv();
    if open != Err(TryRecvError::Empty) {
        // Dropping the uncounted clone would count below zero while this test unwinds.
        std::mem::forget(tx2);
        panic!("try_recv said {open:?} while a clone of the Sender is alive: count clones, the channel is still open");
    }
    tx2.send(1).unwrap();
    drop(tx2);
    assert_eq!(rx.recv(), Ok(1));
    assert_eq!(rx.recv(), Err(RecvError));
}

#[test]
fn iterators_end_when_the_channel_closes() {
    let _v = verdict::begin("iterators_end_when_the_channel_closes");
    let (tx, rx) = channel::<u8>();
    (1..=3).for_each(|i| tx.send(i).unwrap());
    drop(tx);
    assert_eq!((&rx).into_iter().collect::<Vec<_>>(), vec![1, 2, 3]);
    let (tx, rx) = channel::<u8>();
    tx.send(9).unwrap();
    drop(tx);
    assert_eq!(rx.into_iter().collect::<Vec<_>>(), vec![9]);
}

#[test]
fn a_send_wakes_a_waiting_receiver() {
    let _v = verdict::begin("a_send_wakes_a_waiting_receiver");
    let (tx, rx) = channel::<u8>();
    let before = sync::waiting();
    let receiver = thread::spawn(move || rx.recv());
    until_one_more_waits(before, "the receiver of an empty channel");
    tx.send(5).unwrap();
    let got = finished(receiver, "the receiver still sleeps after a send: notify the Condvar when a message arrives");
    assert_eq!(got, Ok(5));
}

#[test]
fn the_last_drop_wakes_a_waiting_receiver() {
    let _v = verdict::begin("the_last_drop_wakes_a_waiting_receiver");
    let (tx, rx) = channel::<u8>();
    let tx2 = tx.clone();
    let before = sync::waiting();
    let receiver = thread::spawn(move || rx.recv());
    until_one_more_waits(before, "the receiver of an empty channel");
    drop(tx);
    drop(tx2);
    let got = finished(receiver, "the receiver still sleeps after the last Sender was dropped: the last drop must notify the Condvar");
    assert_eq!(got, Err(RecvError));
}

#[test]
fn the_channel_is_built_from_the_kit_s_sync_types() {
    let _v = verdict::begin("the_channel_is_built_from_the_kit_s_sync_types");
    let before = sync::counts();
    let (tx, rx) = channel::<u8>();
    tx.send(1).unwrap();
    assert_eq!(rx.recv(), Ok(1));
    let after = sync::counts();
    assert!(after.locks > before.locks, "no lock taken: use crate::sync::{{Mutex, Condvar}}, not std::sync's, so that the model check can swap them");
}
