//! The kit's roll call (a kit file, shared by the lessons whose workers or stages must
//! run at the same time): each one that attends waits, at most two seconds, until all are
//! present. Those that run at the same time pass it at once; those run one after the
//! other cannot all be present, so the first waits in vain. What it saw goes
//! to the kit on the descriptor `FEARLESS_PROBE_FD` names (nothing happens without it):
//! `met <n>`, or `alone <who> <ms waited> <present> <n>`.
// Each lesson uses the part it needs.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long one waits there for the others.
const PATIENCE: Duration = Duration::from_secs(2);

pub struct RollCall {
    expected: usize,
    /// (how many came, whether it is over: everyone came, or someone waited in vain).
    state: Mutex<(usize, bool)>,
    all_here: Condvar,
}

impl RollCall {
    pub const fn new(expected: usize) -> RollCall {
        RollCall { expected, state: Mutex::new((0, false)), all_here: Condvar::new() }
    }

    /// `who` is present, without waiting for the others (one that others depend on, such as
    /// a pipeline's later stages, must not be held up).
    pub fn present(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.arrive(&mut state);
    }

    /// The roll call is over when the last one arrives.
    fn arrive(&self, state: &mut (usize, bool)) {
        state.0 += 1;
        if !state.1 && state.0 == self.expected {
            state.1 = true;
            self.all_here.notify_all();
            tell(&format!("met {}", self.expected));
        }
    }

    /// `who` is present, and waits for the others (not after the roll call is over).
    pub fn attend(&self, who: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.arrive(&mut state);
        if state.1 {
            return;
        }
        let start = Instant::now();
        let (mut state, _) = self.all_here.wait_timeout_while(state, PATIENCE, |s| !s.1).unwrap_or_else(|e| e.into_inner());
        if !state.1 {
            state.1 = true;
            tell(&format!("alone {who} {} {} {}", start.elapsed().as_millis(), state.0, self.expected));
        }
    }
}

/// One line to the kit, if it listens: in one write, so that threads' lines never mix.
pub fn tell(line: &str) {
    let Some(fd) = std::env::var_os("FEARLESS_PROBE_FD") else { return };
    let path = std::path::Path::new("/dev/fd").join(fd);
    if let Ok(mut to_kit) = std::fs::OpenOptions::new().write(true).open(path) {
        let _ = to_kit.write_all(format!("{line}\n").as_bytes());
    }
}
