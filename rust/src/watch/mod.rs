//! `fearless watch`: the student's loop. Shows the current lesson (the first one not
//! yet passing), re-checks it on every save, and answers keys while a check runs.
//!
//! Four parts, one file each: what the loop knows ([`state`]) and shows ([`screen`]);
//! where events come from: saves ([`notify_event`]), keys ([`terminal_event`]) and
//! checks running on their own thread ([`check_worker`]). They all send [`Event`]s
//! into one channel, read here.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;

use crate::check::Step;
use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::Lang;
use crate::report::LessonResult;

mod check_worker;
mod notify_event;
pub mod screen;
pub mod state;
mod terminal_event;

use state::{Action, WatchState};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only this language.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Do not watch files: re-check when Enter is pressed.
    #[arg(long)]
    pub manual: bool,
}

/// Everything the loop reacts to.
#[derive(Debug)]
pub enum Event {
    Key(Key),
    /// Files changed (absolute paths).
    Saved(Vec<PathBuf>),
    WatchError(String),
    /// A check of this generation started a step.
    Step(u64, Step),
    /// A check of this generation finished.
    Checked(u64, LessonResult),
    Resized,
    /// No more keys will come (stdin closed).
    InputClosed,
    /// The terminal closed, or the loop was told to stop (SIGHUP, SIGTERM, SIGINT).
    Stopped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Hint,
    List,
    Next,
    Quit,
    Enter,
    Back,
    Up,
    Down,
    Other,
}

/// How often the screen is redrawn while a check runs (the countdown).
const TICK: Duration = Duration::from_millis(200);
/// How often the progress file is read again when nothing else happens: a pass in
/// another terminal shows (and moves the loop on) within this.
const REFRESH: Duration = Duration::from_secs(1);

/// Exit status 0 after `q`, 2 when there is nothing to watch.
pub fn run(kit: &Kit, args: Args) -> Result<Exit, BadInput> {
    let lessons = kit.lessons()?;
    let mut state = WatchState::new(kit.clone(), lessons, args.lang)?;
    let (events, inbox) = crossbeam_channel::unbounded::<Event>();
    // A closed terminal must not leave a student's hanging program behind: stop through the loop.
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([libc::SIGHUP, libc::SIGTERM, libc::SIGINT]) {
        let events = events.clone();
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                let _ = events.send(Event::Stopped);
            }
        });
    }
    let mut term = terminal_event::Terminal::start(events.clone());
    let watching = if args.manual { notify_event::Watching::Manual { why: "--manual".into() } } else { notify_event::start(&state.watched_folders(), events.clone()) };
    state.watching = watching.describe();
    let worker = check_worker::CheckWorker::start(kit.default_target(), kit.exercises().dir().to_path_buf(), events);

    let mut action = state.check_current();
    loop {
        match action {
            Action::Check(req) => worker.check(*req),
            Action::Quit => break,
            Action::Nothing => {}
        }
        term.draw(screen::render(&state, Instant::now(), term.room()));
        let event = inbox.recv_timeout(if state.running.is_some() { TICK } else { REFRESH });
        action = match event {
            Ok(Event::Resized) => {
                term.invalidate();
                Action::Nothing
            }
            Ok(e) => state.handle(e),
            Err(RecvTimeoutError::Timeout) => state.refresh(),
            Err(RecvTimeoutError::Disconnected) => Action::Quit,
        };
    }
    worker.stop();
    drop(watching);
    let (done, total) = state.tally();
    term.finish(&format!("fearless watch: {}", crate::progress::done_line(done, total)));
    Ok(Exit::Done)
}
