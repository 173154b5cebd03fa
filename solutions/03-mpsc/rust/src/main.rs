//! Multi-producer, single-consumer: three producers, one consumer, and a
//! channel that closes itself when the last `Sender` is dropped.
use std::sync::mpsc;
use std::thread;

// The drain's channel is the kit's (see probe.rs).
mod probe;

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
    for msg in rx {
        println!("got: {msg}");
    }

    // [join]
    for producer in producers {
        producer.join().unwrap();
    }

    // [drain]
    // The kit keeps a Sender of this channel too, until `probe::drained`.
    let (tx2, rx2) = probe::channel();
    for i in 0..5 {
        tx2.send(i).unwrap();
    }
    drop(tx2);
    let drained: Vec<u32> = rx2.try_iter().collect();
    println!("drained: {drained:?}");
    probe::drained(&rx2);
}
