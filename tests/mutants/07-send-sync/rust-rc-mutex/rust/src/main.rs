//! Send and Sync: four sellers share one count through `Arc<Mutex<u32>>`.
//! `Arc` may be sent to other threads (its count is atomic) and `Mutex` may be
//! shared between them (it lets one thread in at a time): the compiler checks both.
use std::rc::Rc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

fn main() {
    // [shared]
    let sold = Rc::new(Mutex::new(0u32));

    // [start]
    // A starting line: each seller waits here until all four are running, so that they
    // really do sell at the same time. A `Barrier` is `Sync`, so an `Arc` may share it.
    let start = Arc::new(Barrier::new(4));

    // [spawn]
    let sellers: Vec<_> = (0..4)
        .map(|seller| {
            let sold = Rc::clone(&sold);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                // [update]
                for _ in 0..250 {
                    // The guard holds the lock for the whole read-modify-write.
                    let mut count = sold.lock().unwrap();
                    let before = *count;
                    thread::yield_now(); // harmless now: the other sellers wait for the lock
                    *count = before + 1;
                }
                println!("seller {seller} sold 250");
            })
        })
        .collect();

    // [join]
    for seller in sellers {
        seller.join().unwrap();
    }

    // [print]
    println!("tickets sold: {}", sold.lock().unwrap());
}
