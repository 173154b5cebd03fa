//! The kit's probe (a kit file: not yours to change, and not graded as yours).
//!
//! Each stage's line is printed here. After its last value, `numbers` attends a roll call
//! (see `probe/roll_call.rs`) until `square` and `total` have each handled a value: stages
//! that run at the same time get through it at once, stages run one after the other
//! cannot (the `together` check). `square` and `total` never wait there.
use std::sync::atomic::{AtomicBool, Ordering};

mod roll_call;

static ROLL_CALL: roll_call::RollCall = roll_call::RollCall::new(3);
static SEEN: [AtomicBool; 3] = [AtomicBool::new(false), AtomicBool::new(false), AtomicBool::new(false)];

/// Whether this is the stage's first value.
fn first(stage: usize) -> bool {
    !SEEN[stage].swap(true, Ordering::SeqCst)
}

/// The values `numbers` sends.
const COUNT: u64 = 8;

/// Prints `numbers: sent {n}`; call it after each send.
pub fn sent(n: u64) {
    println!("numbers: sent {n}");
    if n == COUNT && first(0) {
        ROLL_CALL.attend("numbers");
    }
}

/// Prints `square: {n} -> {sq}`.
pub fn squared(n: u64, sq: u64) {
    println!("square: {n} -> {sq}");
    if first(1) {
        ROLL_CALL.present();
    }
}

/// Prints `total: added {sq}`.
pub fn added(sq: u64) {
    println!("total: added {sq}");
    if first(2) {
        ROLL_CALL.present();
    }
}
