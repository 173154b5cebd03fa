//! Atomics. `shared.rs` is yours; the rest belongs to the kit.
// No `unsafe` in the library, your `shared.rs` included: atomics need none, and the
// kit's tests report their results to the grader from the same program.
#![forbid(unsafe_code)]
pub mod shared;
pub mod sync;

pub use shared::{Counter, Mailbox};
