//! What the watch loop knows and how each event changes it. No terminal, no
//! threads: the loop in `mod.rs` feeds events in and carries out the actions.
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Event, Key};
use crate::check::Step;
use crate::layout::{Kit, Tree};
use crate::lesson::{Lang, Lesson, LessonError};
use crate::progress::State;
use crate::report::{LessonResult, Status};

/// One lesson in one language: what the loop steps through, in order.
#[derive(Clone, Debug)]
pub struct Entry {
    pub lesson: Lesson,
    pub lang: Lang,
}

impl Entry {
    pub fn name(&self) -> String {
        format!("{} ({})", self.lesson.id(), self.lang)
    }
    /// The student files, relative to the kit's root (`exercises/03-mpsc/rust/src/main.rs`).
    pub fn student_files(&self) -> Vec<String> {
        Tree::as_shown().files(&self.lesson, self.lang).iter().map(|f| f.display().to_string()).collect()
    }
}

/// A check the loop wants run; `generation` tells its result from a stale one.
#[derive(Clone, Debug)]
pub struct CheckRequest {
    pub generation: u64,
    pub entry: Entry,
}

/// What the loop must do after an event.
#[derive(Debug)]
pub enum Action {
    Nothing,
    Check(Box<CheckRequest>),
    Quit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Lesson,
    List,
}

/// The check in progress: its current step and when that step started.
#[derive(Clone, Debug)]
pub struct Running {
    pub generation: u64,
    pub step: Option<Step>,
    pub since: Instant,
}

/// The lesson that just passed, said above the next one.
#[derive(Clone, Debug)]
pub struct JustPassed {
    pub name: String,
    pub solution: Vec<String>,
}

pub struct WatchState {
    pub kit: Kit,
    /// Every lesson, broken ones too, for the list.
    pub lessons: Vec<Result<Lesson, LessonError>>,
    pub entries: Vec<Entry>,
    /// The language the loop is narrowed to.
    pub lang: Option<Lang>,
    pub current: usize,
    /// The entry the list points at (`l`, then the arrow keys; Enter picks it).
    pub cursor: usize,
    /// An entry whose file was saved while another one's check ran: checked next.
    pub queued: Option<usize>,
    pub progress: State,
    /// The last finished check of the current entry.
    pub result: Option<LessonResult>,
    pub running: Option<Running>,
    generation: u64,
    pub just_passed: Option<JustPassed>,
    /// The hint on screen (an index into the lesson's hints).
    pub hint: Option<usize>,
    pub view: View,
    /// How saves are noticed, for the footer.
    pub watching: String,
    /// Something the student should know about the loop itself.
    pub notice: Option<String>,
    /// The kit's exercises folder, canonical, to recognise saved files.
    exercises: Tree,
}

impl WatchState {
    /// The current entry is the first one not yet passing, in order.
    pub fn new(kit: Kit, lessons: Vec<Result<Lesson, LessonError>>, lang: Option<Lang>) -> Result<WatchState, String> {
        let entries: Vec<Entry> =
            lessons.iter().flatten().flat_map(|l| l.langs().filter(|lg| lang.is_none_or(|a| a == *lg)).map(|lg| Entry { lesson: l.clone(), lang: lg })).collect();
        if entries.is_empty() {
            return Err(format!("no lessons to watch in {}", kit.exercises().dir().display()));
        }
        let progress = State::load(&kit.root);
        let current = entries.iter().position(|e| !progress.is_passed(e.lesson.id(), e.lang)).unwrap_or(0);
        let exercises = kit.exercises().dir().canonicalize().map(Tree::new).unwrap_or_else(|_| kit.exercises());
        let notice = lessons.iter().filter_map(|l| l.as_ref().err()).map(|e| format!("skipped a broken lesson: {e}")).next();
        Ok(WatchState {
            kit,
            lessons,
            entries,
            lang,
            current,
            cursor: current,
            queued: None,
            progress,
            result: None,
            running: None,
            generation: 0,
            just_passed: None,
            hint: None,
            view: View::Lesson,
            watching: String::new(),
            notice,
            exercises,
        })
    }

    pub fn entry(&self) -> &Entry {
        &self.entries[self.current]
    }

    /// The folders holding student files: the only ones watched.
    pub fn watched_folders(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self.entries.iter().flat_map(|e| self.paths(e)).filter_map(|p| p.parent().map(Path::to_path_buf)).collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    fn paths(&self, e: &Entry) -> Vec<PathBuf> {
        self.exercises.files(&e.lesson, e.lang)
    }

    pub fn all_passed(&self) -> bool {
        self.entries.iter().all(|e| self.progress.is_passed(e.lesson.id(), e.lang))
    }

    /// (passed, all) over the entries the loop steps through.
    pub fn tally(&self) -> (usize, usize) {
        self.progress.tally(self.lessons.iter().flatten(), self.lang)
    }

    /// Starts a check of the current entry; any running check becomes stale.
    pub fn check_current(&mut self) -> Action {
        self.generation += 1;
        self.running = Some(Running { generation: self.generation, step: None, since: Instant::now() });
        Action::Check(Box::new(CheckRequest { generation: self.generation, entry: self.entry().clone() }))
    }

    fn switch_to(&mut self, index: usize) {
        if self.queued == Some(index) {
            self.queued = None;
        }
        self.current = index;
        self.result = None;
        self.hint = None;
    }

    pub fn handle(&mut self, event: Event) -> Action {
        match event {
            Event::Key(key) => self.key(key),
            Event::Saved(paths) => self.saved(&paths),
            Event::WatchError(why) => {
                self.notice = Some(format!("the file watcher failed ({why}); press Enter after saving"));
                Action::Nothing
            }
            Event::Step(generation, step) => {
                if let Some(r) = self.running.as_mut().filter(|r| r.generation == generation) {
                    r.step = Some(step);
                    r.since = Instant::now();
                }
                Action::Nothing
            }
            Event::Checked(generation, result) => self.checked(generation, result),
            Event::Resized => Action::Nothing,
            Event::InputClosed | Event::Stopped => Action::Quit,
        }
    }

    fn key(&mut self, key: Key) -> Action {
        if self.view == View::List {
            return self.list_key(key);
        }
        match key {
            Key::Quit => Action::Quit,
            Key::List => {
                self.view = View::List;
                self.cursor = self.current;
                Action::Nothing
            }
            Key::Back | Key::Up | Key::Down | Key::Other => Action::Nothing,
            Key::Hint => {
                self.next_hint();
                Action::Nothing
            }
            Key::Next => self.pick((self.current + 1) % self.entries.len()),
            Key::Enter => self.pick(self.current),
        }
    }

    /// The lesson list: the arrows move its pointer, Enter checks the lesson pointed at,
    /// `l` and Esc close it; the other keys do what they do on the lesson's page.
    fn list_key(&mut self, key: Key) -> Action {
        let n = self.entries.len();
        match key {
            Key::Up => self.cursor = (self.cursor + n - 1) % n,
            Key::Down => self.cursor = (self.cursor + 1) % n,
            Key::Other => {}
            Key::Enter => {
                self.view = View::Lesson;
                return self.pick(self.cursor);
            }
            Key::List | Key::Back => self.view = View::Lesson,
            Key::Quit | Key::Hint | Key::Next => {
                self.view = View::Lesson;
                return self.key(key);
            }
        }
        Action::Nothing
    }

    /// Makes `index` the current entry, chosen by the student, and checks it.
    fn pick(&mut self, index: usize) -> Action {
        self.just_passed = None;
        if index != self.current {
            self.switch_to(index);
        }
        self.check_current()
    }

    /// The first `h` shows the last hint seen before (if any); each next one shows one more.
    fn next_hint(&mut self) {
        let lesson = &self.entries[self.current].lesson;
        let count = lesson.exercise.hints.len();
        let seen = self.progress.hints_seen.get(lesson.id()).copied().unwrap_or(0).min(count);
        let show = match self.hint {
            None if seen > 0 => seen - 1,
            _ => seen.min(count - 1),
        };
        self.hint = Some(show);
        let id = lesson.id().to_string();
        self.update_progress(|p| {
            let seen = p.hints_seen.entry(id).or_default();
            *seen = (*seen).max(show + 1);
        });
    }

    fn saved(&mut self, paths: &[PathBuf]) -> Action {
        let touches = |e: &Entry| self.paths(e).iter().any(|p| paths.contains(p));
        let index = if touches(self.entry()) { Some(self.current) } else { self.entries.iter().position(touches) };
        let Some(index) = index else {
            return Action::Nothing;
        };
        if index != self.current && self.running.is_some() {
            // The other language's (or lesson's) check must not cancel this one: it comes next.
            self.queued = Some(index);
            return Action::Nothing;
        }
        self.just_passed = None;
        if index != self.current {
            self.switch_to(index);
        }
        self.check_current()
    }

    fn checked(&mut self, generation: u64, result: LessonResult) -> Action {
        if self.running.as_ref().is_none_or(|r| r.generation != generation) {
            return Action::Nothing;
        }
        self.running = None;
        let entry = self.entry().clone();
        // Passed as the loop last knew: a lesson visited again stays when it passes.
        let newly_passed = result.status == Status::Pass && !self.progress.is_passed(entry.lesson.id(), entry.lang);
        self.update_progress(|p| p.record(&result));
        if newly_passed {
            self.passed(&entry);
        }
        if let Some(next) = self.queued.take() {
            self.switch_to(next);
            return self.check_current();
        }
        if let Some(action) = if newly_passed { self.move_on() } else { None } {
            return action;
        }
        // The hint for this mistake, where the lesson has one, is shown under it (and seen).
        if let Some(i) = crate::hint::fitting(&entry.lesson, &result) {
            self.hint = Some(i);
            let id = entry.lesson.id().to_string();
            self.update_progress(|p| p.saw(&id, i));
        }
        self.result = Some(result);
        Action::Nothing
    }

    /// Takes in the progress file as another command (a `fearless check` in another
    /// terminal) may have written it: a pass of the current entry there moves the loop on,
    /// as one here does.
    pub fn refresh(&mut self) -> Action {
        let entry = self.entry().clone();
        let was_passed = self.progress.is_passed(entry.lesson.id(), entry.lang);
        self.progress = State::load(&self.kit.root);
        if was_passed || !self.progress.is_passed(entry.lesson.id(), entry.lang) {
            return Action::Nothing;
        }
        self.passed(&entry);
        self.move_on().unwrap_or(Action::Nothing)
    }

    /// Says that `entry` has just come to pass, with where its solution is.
    fn passed(&mut self, entry: &Entry) {
        let solution = crate::solution::shown(&self.kit, &entry.lesson, entry.lang);
        self.just_passed = Some(JustPassed { name: entry.name(), solution });
        self.hint = None;
    }

    /// Moves on to the next entry not yet passed and checks it; `None` when none is left.
    fn move_on(&mut self) -> Option<Action> {
        let n = self.entries.len();
        let next = (1..n).map(|k| (self.current + k) % n).find(|&i| !self.progress.is_passed(self.entries[i].lesson.id(), self.entries[i].lang))?;
        self.switch_to(next);
        Some(self.check_current())
    }

    /// Changes the state file as it is now on disk (another command may have written
    /// it meanwhile), and keeps the result.
    fn update_progress(&mut self, change: impl FnOnce(&mut State)) {
        self.progress = State::load(&self.kit.root);
        change(&mut self.progress);
        if let Err(e) = self.progress.save(&self.kit.root) {
            self.notice = Some(format!("cannot save progress: {e}"));
        }
    }
}
