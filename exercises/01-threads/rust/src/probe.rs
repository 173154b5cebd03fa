//! The kit's probe (a kit file: not yours to change, and not graded as yours).
//!
//! `takes` prints a worker's line, then attends a roll call that the four workers pass
//! only when they run at the same time (see `probe/roll_call.rs`): the `together` check.
mod roll_call;

static ROLL_CALL: roll_call::RollCall = roll_call::RollCall::new(4);

/// Prints `worker {id} takes {first}..={last}` and waits at the roll call for the other workers.
pub fn takes(id: u64, first: u64, last: u64) {
    println!("worker {id} takes {first}..={last}");
    ROLL_CALL.attend(&format!("worker {id}"));
}
