//! Multi-producer, single-consumer: three producers, one consumer, and a
//! channel that closes itself when the last `Sender` is dropped.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<String>();

    // [spawn]
    let producers: Vec<_> = (0..3)
        .map(|id| {
            let tx = tx.clone(); // each producer owns a Sender of its own
            thread::spawn(move || {
                // [send]
                for i in 1..=5 {
                    tx.send(format!("p{id}-msg{i}")).unwrap();
                }
                // this producer's Sender is dropped here
            })
        })
        .collect();

    // [close]
    // The original Sender must go too: the channel closes when the last one drops.
    drop(tx);

    // [recv]
    loop {
        let msg = rx.recv().unwrap();
        println!("got: {msg}");
    }

    // [join]
    for producer in producers {
        producer.join().unwrap();
    }

    // [drain]
    let (tx2, rx2) = mpsc::channel::<u32>();
    for i in 0..5 {
        tx2.send(i).unwrap();
    }
    drop(tx2);
    let drained: Vec<u32> = rx2.try_iter().collect();
    println!("drained: {drained:?}");
}
