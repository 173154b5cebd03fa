//! Lesson 03's program, on your channel: three producers, one consumer, then a drain.
use std::thread;

use chan::{channel, TryRecvError};

fn main() {
    let (tx, rx) = channel::<String>();
    let producers: Vec<_> = (0..3)
        .map(|id| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 1..=5 {
                    tx.send(format!("p{id}-msg{i}")).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    for msg in &rx {
        println!("got: {msg}");
    }
    for producer in producers {
        producer.join().unwrap();
    }

    let (tx2, rx2) = channel::<u32>();
    for i in 0..5 {
        tx2.send(i).unwrap();
    }
    let mut drained = Vec::new();
    let why = loop {
        match rx2.try_recv() {
            Ok(v) => drained.push(v),
            Err(e) => break e,
        }
    };
    println!("drained: {drained:?}");
    println!("then: {why:?}");
    drop(tx2);
    println!("after the last drop: {:?}", rx2.try_recv().err().unwrap_or(TryRecvError::Empty));
}
