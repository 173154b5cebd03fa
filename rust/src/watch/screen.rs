//! The watch screen, drawn from the state alone and fitted to the terminal: at most
//! 80 columns, and never more rows than it has (the details of a failure give way first).
use std::time::{Duration, Instant};

use super::state::{Running, View, WatchState};
use crate::check::Step;
use crate::columns::{self, MAX_WIDTH};
use crate::layout::Tree;
use crate::lesson::Lang;
use crate::report::{LessonResult, Status};

/// How a line is coloured, when colour is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Bad,
    Dim,
    Strong,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub tone: Tone,
}

/// The room the screen has. `live`: a terminal redrawn in place (a countdown ticks);
/// otherwise each screen is printed after the last, so nothing time-dependent is shown.
#[derive(Clone, Copy, Debug)]
pub struct Room {
    pub cols: usize,
    pub rows: usize,
    pub live: bool,
}

pub const KEYS: &str = "h hint · l list · n next lesson · Enter re-check · q quit";
pub const LIST_KEYS: &str = "↑↓ choose · Enter check it · l or Esc back · q quit";

pub fn render(s: &WatchState, now: Instant, room: Room) -> Vec<Line> {
    let cols = room.cols.clamp(20, MAX_WIDTH);
    let mut page = Page { cols, top: Vec::new(), details: Vec::new(), also: Vec::new(), after: Vec::new() };
    let footer = match s.view {
        View::List => {
            list_page(s, &mut page);
            vec![LIST_KEYS.to_string()]
        }
        View::Lesson => {
            lesson_page(s, now, room.live, &mut page);
            vec![KEYS.to_string(), s.watching.clone()]
        }
    };
    // A blank row always parts the keys from what is above them.
    let footer: Vec<Line> = std::iter::once(String::new()).chain(footer).map(|f| Line { text: columns::fit(&f, cols), tone: Tone::Dim }).collect();
    page.layout(footer, room)
}

/// A screen in parts that give way in order when rows are short: the details of a
/// failure first, then the other failures, then the bottom of the lesson's part; the
/// hint asked for and the keys stay.
struct Page {
    cols: usize,
    top: Vec<Line>,
    details: Vec<Line>,
    also: Vec<Line>,
    after: Vec<Line>,
}

impl Page {
    fn push(&mut self, tone: Tone, text: String) {
        self.top.push(Line { text: columns::fit(&text, self.cols), tone });
    }
    fn wrap(&mut self, tone: Tone, text: &str, first: &str, rest: &str) {
        for l in columns::wrap(text, self.cols, first, rest) {
            self.top.push(Line { text: l, tone });
        }
    }
    fn blank(&mut self) {
        self.top.push(Line { text: String::new(), tone: Tone::Plain });
    }

    fn layout(mut self, footer: Vec<Line>, room: Room) -> Vec<Line> {
        let rows = room.rows.max(footer.len() + 1);
        self.after.truncate(rows - footer.len());
        let mut body_room = rows - footer.len() - self.after.len();
        self.top.truncate(body_room);
        body_room -= self.top.len();
        self.also.truncate(body_room);
        body_room -= self.also.len();
        if self.details.len() > body_room {
            self.details.truncate(body_room.saturating_sub(1));
            if body_room > 0 {
                self.details.push(Line { text: columns::fit("    … (more with `fearless check`)", self.cols), tone: Tone::Dim });
            }
        }
        let mut lines = self.top;
        lines.append(&mut self.details);
        lines.append(&mut self.also);
        lines.append(&mut self.after);
        // Live screens keep the keys on the bottom rows.
        let pad = if room.live { rows - footer.len() - lines.len() } else { 0 };
        lines.extend(std::iter::repeat_n(Line { text: String::new(), tone: Tone::Plain }, pad));
        lines.extend(footer);
        lines
    }
}

/// The lessons, the one the arrows point at marked (`▶`, with its language) and bold.
fn list_page(s: &WatchState, page: &mut Page) {
    page.push(Tone::Strong, "fearless watch · the lessons".into());
    let pointed = &s.entries[s.cursor];
    let row = s.lessons.iter().position(|l| l.as_ref().is_ok_and(|l| l.id() == pointed.lesson.id()));
    let lines = crate::list::lines(&s.lessons, &s.progress, s.lang, Some((pointed.lesson.id(), pointed.lang)), page.cols);
    for (i, text) in lines.into_iter().enumerate() {
        page.top.push(Line { text, tone: if Some(i) == row { Tone::Strong } else { Tone::Plain } });
    }
}

fn lesson_page(s: &WatchState, now: Instant, live: bool, page: &mut Page) {
    heading(s, page);
    if let Some(p) = &s.just_passed {
        let compare = if p.solution.is_empty() { "" } else { " Compare yours with the reference solution:" };
        page.wrap(Tone::Good, &format!("✓ {} passes!{compare}", p.name), "", "  ");
        for f in &p.solution {
            page.push(Tone::Good, format!("  {f}"));
        }
        page.blank();
    }
    let entry = s.entry();
    if let Some(r) = &s.running {
        page.wrap(Tone::Strong, &format!("⧗ checking {}: {}", entry.name(), doing(r, entry.lang, now, live)), "", "  ");
        if let Some(next) = s.queued {
            page.wrap(Tone::Plain, &format!("then {}: saved meanwhile, checked next", s.entries[next].name()), "", "  ");
        }
    } else if let Some(r) = &s.result {
        result_lines(r, page);
        if r.status == Status::Pass && s.just_passed.is_none() {
            for p in crate::solution::shown(&s.kit, &entry.lesson, entry.lang) {
                page.push(Tone::Plain, format!("  the reference solution: {p}"));
            }
        }
    }
    below(s, page);
}

/// The lesson's title, the progress, and which files to edit.
fn heading(s: &WatchState, page: &mut Page) {
    let entry = s.entry();
    let lesson = &entry.lesson;
    let (done, total) = s.tally();
    let title = format!("fearless watch · {} ({})", lesson.slug, entry.lang);
    let progress = crate::progress::done_line(done, total);
    let gap = page.cols.saturating_sub(columns::width(&title) + columns::width(&progress));
    if gap >= 2 {
        page.push(Tone::Strong, format!("{title}{}{progress}", " ".repeat(gap)));
    } else {
        page.push(Tone::Strong, title);
        page.push(Tone::Plain, progress);
    }
    page.wrap(Tone::Plain, &lesson.exercise.title, "", "");
    let mut edit = format!("Edit {} and save.", entry.student_files().join(", "));
    if s.kit.exercises().readme(lesson).is_file() {
        edit.push_str(&format!(" The lesson: {}", Tree::as_shown().readme(lesson).display()));
    }
    page.wrap(Tone::Plain, &edit, "", "  ");
    page.blank();
}

/// What the running check is doing; on a live screen, with the time left. A build
/// counts up (it has no countdown: only a run is stopped for taking too long).
fn doing(r: &Running, lang: Lang, now: Instant, live: bool) -> String {
    let gone = now.saturating_duration_since(r.since).as_secs();
    match (&r.step, live) {
        (None, _) => "starting...".to_string(),
        (Some(Step::Building { .. }), false) => "building...".to_string(),
        (Some(Step::Building { .. }), true) => format!("building... ({gone} s)"),
        (Some(Step::BuildingSuite { .. }), false) => format!("building the lesson's tests (first time, about {} s)...", suite_build_secs(lang)),
        (Some(Step::BuildingSuite { .. }), true) => format!("building the lesson's tests (first time, about {} s)... ({gone} s)", suite_build_secs(lang)),
        (Some(Step::Running { limit }), false) => format!("your program runs (stopped after {} s)", limit.as_secs_f64()),
        (Some(Step::Running { limit }), true) => match left(*limit, r.since, now) {
            Some(secs) => format!("your program runs, {secs} s left before it is stopped"),
            None => "time is up: taking the threads' stacks to explain the hang...".to_string(),
        },
        (Some(Step::Testing { suite, limit }), false) => format!("the kit's `{suite}` suite runs (stopped after {} s)", limit.as_secs_f64().ceil()),
        (Some(Step::Testing { suite, limit }), true) => match left(*limit, r.since, now) {
            Some(secs) => format!("the kit's `{suite}` suite runs, {secs} s left"),
            None => format!("time is up: stopping the `{suite}` suite..."),
        },
    }
}

/// About how long a lesson's test suite takes to build the first time, in seconds (on
/// a laptop of two cores): Rust's suites bring their test dependencies (shuttle).
fn suite_build_secs(lang: Lang) -> u64 {
    match lang {
        Lang::Rust => 40,
        Lang::Ocaml => 10,
    }
}

/// The bottom of the lesson's part: all done, the hint asked for, a notice.
fn below(s: &WatchState, page: &mut Page) {
    if s.running.is_none() && s.all_passed() {
        page.after.push(Line { text: String::new(), tone: Tone::Plain });
        page.after.push(Line { text: columns::fit("Every lesson passes. Well done! (q quits)", page.cols), tone: Tone::Good });
    }
    if let Some(i) = s.hint {
        let hints = &s.entry().lesson.exercise.hints;
        page.after.push(Line { text: String::new(), tone: Tone::Plain });
        let last = if i + 1 == hints.len() { " (the last one)" } else { "" };
        for l in columns::wrap(&hints[i], page.cols, &format!("hint {} of {}{last}: ", i + 1, hints.len()), "  ") {
            page.after.push(Line { text: l, tone: Tone::Plain });
        }
    }
    if let Some(n) = &s.notice {
        page.after.push(Line { text: String::new(), tone: Tone::Plain });
        for l in columns::wrap(n, page.cols, "note: ", "  ") {
            page.after.push(Line { text: l, tone: Tone::Bad });
        }
    }
}

/// Whole seconds left before `limit` is reached, rounded up; `None` once it is.
fn left(limit: Duration, since: Instant, now: Instant) -> Option<u64> {
    let gone = now.saturating_duration_since(since);
    (gone < limit).then(|| (limit - gone).as_secs_f64().ceil() as u64)
}

fn result_lines(r: &LessonResult, page: &mut Page) {
    let verdict = format!("{} {} ({}): {} of {} points", r.status.mark(), r.exercise, r.lang, r.score, r.max_score);
    page.push(if r.status == Status::Pass { Tone::Good } else { Tone::Bad }, verdict);
    // The checks side by side, two spaces apart, as many to a line as fit.
    let mut row = String::new();
    for c in &r.checks {
        let item = format!("{} {}", c.status.mark(), c.name);
        if !row.is_empty() && columns::width(&row) + 2 + columns::width(&item) > page.cols {
            page.push(Tone::Plain, std::mem::take(&mut row));
        }
        row.push_str("  ");
        row.push_str(&item);
    }
    page.push(Tone::Plain, row);
    let Some(first) = r.first_failure().filter(|_| r.status != Status::Pass) else {
        return;
    };
    page.wrap(Tone::Bad, &format!("{} {}: {}", first.status.mark(), first.name, first.message), "  ", "    ");
    for d in first.details.trim_matches('\n').lines() {
        page.details.push(Line { text: columns::fit(&format!("    {d}"), page.cols), tone: Tone::Dim });
    }
    let mut seen = vec![first.message.as_str()];
    for c in r.checks.iter().filter(|c| matches!(c.status, Status::Fail | Status::Error)) {
        if !seen.contains(&c.message.as_str()) {
            seen.push(&c.message);
            for l in columns::wrap(&format!("{}: {}", c.name, c.message), page.cols, "  also ", "    ") {
                page.also.push(Line { text: l, tone: Tone::Bad });
            }
        }
    }
}
