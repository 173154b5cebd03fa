//! A channel built by hand. `channel.rs` is yours; the rest belongs to the kit.
// No `unsafe` in the library, your `channel.rs` included: a channel needs none, and the
// kit's tests report their results to the grader from the same program.
#![forbid(unsafe_code)]
pub mod channel;
pub mod errors;
pub mod sync;

pub use channel::{channel, IntoIter, Iter, Receiver, Sender};
pub use errors::{RecvError, SendError, TryRecvError};
