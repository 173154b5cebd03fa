//! Checks run on a thread of their own, one at a time, so that the loop never waits
//! for a build or a hanging program. A check that became stale (the student saved
//! again, or moved on) is stopped by killing the process groups it started.
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::Sender;

use super::state::CheckRequest;
use super::Event;
use crate::check::{self, Context};
use crate::report::LessonResult;

pub struct CheckWorker {
    requests: Sender<CheckRequest>,
    /// The generation the loop wants; any other one running is stale.
    wanted: Arc<AtomicU64>,
}

/// How often a stale check is looked for; its processes die within this.
const REAP_EVERY: Duration = Duration::from_millis(50);

impl CheckWorker {
    pub fn start(target_dir: PathBuf, exercises: PathBuf, events: Sender<Event>) -> CheckWorker {
        let (requests, inbox) = crossbeam_channel::unbounded::<CheckRequest>();
        let wanted = Arc::new(AtomicU64::new(0));
        // Changed and read under its lock, so that a kill for a stale check never
        // reaches the processes of the next one.
        let running = Arc::new(Mutex::new(0u64));
        {
            let running = running.clone();
            std::thread::spawn(move || {
                while let Ok(mut req) = inbox.recv() {
                    // Only the newest request matters.
                    while let Ok(newer) = inbox.try_recv() {
                        req = newer;
                    }
                    let generation = req.generation;
                    *running.lock().unwrap() = generation;
                    let step_events = events.clone();
                    let ctx = Context::new(target_dir.clone()).own().observed(move |step| {
                        let _ = step_events.send(Event::Step(generation, step));
                    });
                    let (lesson, lang) = (&req.entry.lesson, req.entry.lang);
                    // A fault in the kit must not leave the loop waiting for ever.
                    let result = std::panic::catch_unwind(AssertUnwindSafe(|| check::check(&ctx, lesson, lang, &exercises)))
                        .unwrap_or_else(|_| LessonResult::error(lesson.id(), lang, "the kit itself failed while checking (a bug: please report it)"));
                    *running.lock().unwrap() = 0;
                    if events.send(Event::Checked(generation, result)).is_err() {
                        return;
                    }
                }
            });
        }
        {
            let wanted = wanted.clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(REAP_EVERY);
                let now = running.lock().unwrap();
                if *now != 0 && *now != wanted.load(Ordering::SeqCst) {
                    crate::runner::stop_running();
                }
            });
        }
        CheckWorker { requests, wanted }
    }

    /// Runs `req` as soon as the check running now (made stale by it) is stopped.
    pub fn check(&self, req: CheckRequest) {
        self.wanted.store(req.generation, Ordering::SeqCst);
        let _ = self.requests.send(req);
    }

    /// Stops whatever is running, for good (the loop is ending).
    pub fn stop(&self) {
        self.wanted.store(u64::MAX, Ordering::SeqCst);
        crate::runner::stop_running();
    }
}
