//! Send and Sync: the compiler as the race detector.
//!
//! Four sellers (0, 1, 2, 3) sell 250 tickets each from one shared count. Each sale
//! is a read-modify-write: read the count, pause (`yield_now`, where a real program
//! would do some work), write the count plus one. Each seller prints
//! `seller {id} sold 250` when done; at the end the main thread prints
//! `tickets sold: 1000`.
//!
//! As shipped, this does not compile, and that is the lesson: `Rc` and `RefCell`
//! are made for one thread, and the compiler refuses to send them to four.
//! Run `fearless check send-sync --lang rust`, read the build check's message, and
//! change the types (and only what the new types need) until it builds and sells 1000.
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Barrier};
use std::thread;

fn main() {
    // [shared]
    // TODO: `Rc` counts its owners without atomics and `RefCell` checks its borrows
    // without locks: neither may cross threads. Which types do the same for threads?
    let sold = Rc::new(RefCell::new(0u32));

    // [start]
    // A starting line: each seller waits here until all four are running, so that they
    // really do sell at the same time. A `Barrier` is `Sync`, so an `Arc` may share it.
    let start = Arc::new(Barrier::new(4));

    // [spawn]
    let sellers: Vec<_> = (0..4)
        .map(|seller| {
            // TODO: this clone must be one that four threads can share.
            let sold = Rc::clone(&sold);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                // [update]
                for _ in 0..250 {
                    // TODO: take the count for the whole read-modify-write.
                    let mut count = sold.borrow_mut();
                    let before = *count;
                    thread::yield_now();
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
    println!("tickets sold: {}", sold.borrow());
}
