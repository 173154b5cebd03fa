//! What a student reads in the terminal: a report card, one line per lesson and
//! language (passed checks folded, a failing check's message cut to the width),
//! the details of the lessons asked about (the failing check's message whole, its
//! details made quiet, the other failures, the hint for this mistake), a summary,
//! and the one command to run next.
//! Student text (notices, messages, details) is made inert ([`safe_text::text`]):
//! no escape a program printed reaches the terminal.
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;

use crossterm::style::Stylize;

use super::quiet;
use super::Reporter;
use crate::columns;
use crate::report::{CheckResult, LessonResult, Report, Status};
use crate::safe_text;

pub struct Terminal {
    pub colour: bool,
    /// The hint to show under a failure: by `id/lang` (the hint for this mistake),
    /// else by lesson id.
    pub hints: BTreeMap<String, String>,
    /// Lines of details shown under a failing check.
    pub detail_lines: usize,
    /// Columns to lay out for ([`columns::terminal_width`]).
    pub width: usize,
    /// The lessons (ids) whose failures are shown in detail; `None`: every lesson's.
    pub detailed: Option<BTreeSet<String>>,
    /// What to run next, the report's last line.
    pub next: Option<String>,
    /// A starting point's "not done yet" shows no details: its message has the place.
    pub todo_details: bool,
}

impl Terminal {
    /// Every failure in detail, laid out for `width` columns, no closing line: the
    /// full report (`check --verbose`, the autograder's log).
    pub fn full(colour: bool, hints: BTreeMap<String, String>, width: usize) -> Terminal {
        Terminal { colour, hints, detail_lines: 12, width, detailed: None, next: None, todo_details: true }
    }
    /// Colour only on a terminal, and never when `NO_COLOR` is set.
    pub fn colour_wanted() -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
    }
    fn paint(&self, s: &str, status: Status) -> String {
        if !self.colour {
            return s.to_string();
        }
        match status {
            Status::Pass => s.green().to_string(),
            Status::Fail => s.red().to_string(),
            Status::Error => s.magenta().to_string(),
            Status::Skipped => s.dark_grey().to_string(),
        }
    }
    fn is_detailed(&self, r: &LessonResult) -> bool {
        r.status != Status::Pass && self.detailed.as_ref().is_none_or(|d| d.contains(&r.exercise))
    }

    /// The result's line on the card; a detailed failure's message wraps whole below it.
    fn card_line(&self, r: &LessonResult, out: &mut Vec<String>) {
        let score = format!("{:>2}/{:<2}", r.score, r.max_score);
        let head = format!("{} {:<16} {:<5} {}", r.status.mark(), r.exercise, r.lang.as_str(), score);
        let what = match r.status {
            Status::Pass => r.checks.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
            _ => r.first_failure().map(|c| format!("{}: {}", c.name, safe_text::text(&c.message))).unwrap_or_default(),
        };
        let room = self.width.saturating_sub(columns::width(&head) + 2);
        if !self.is_detailed(r) || columns::width(&what) <= room {
            out.push(format!("{}  {}", self.paint(&head, r.status), columns::fit(&what, room)));
            return;
        }
        let mut lines = columns::wrap(&what, self.width, &format!("{head}  "), "    ");
        lines[0] = format!("{}{}", self.paint(&head, r.status), &lines[0][head.len()..]);
        out.extend(lines);
    }

    /// Under a detailed failure: its details made quiet, the other failures, the hint
    /// (unless the lesson's other language showed the same one just before).
    fn details(&self, r: &LessonResult, hints_shown: &mut BTreeSet<(String, String)>, out: &mut Vec<String>) {
        let first = r.first_failure();
        let todo = first.is_some_and(|f| f.message.starts_with("not done yet"));
        if let Some(f) = first.filter(|_| self.todo_details || !todo) {
            let quiet = quiet::quiet(&f.details);
            // A compiler's first diagnostic is shown whole: its `help:` and its suggestion come last.
            let room = if f.name == "build" { self.detail_lines.max(first_paragraph(&quiet).min(MOST_DETAIL_LINES)) } else { self.detail_lines };
            for d in quiet.lines().take(room) {
                out.push(format!("    {}", safe_text::text(d)));
            }
            if quiet.lines().count() > room {
                out.push("    ...".to_string());
            }
        }
        for o in others(r, first).filter(|_| self.todo_details || !todo) {
            let also = format!("{}: {}", o.name, safe_text::text(&o.message));
            let lines = columns::wrap(&also, self.width, &format!("  {} ", self.paint("also", Status::Fail)), "    ");
            out.extend(lines);
        }
        let hint = self.hints.get(&r.key()).or_else(|| self.hints.get(&r.exercise));
        if let Some(h) = hint.filter(|h| hints_shown.insert((r.exercise.clone(), h.to_string()))) {
            out.extend(columns::wrap(h, self.width, "  hint: ", "    "));
        }
    }
}

/// The most lines of details a failure shows, however long its first diagnostic.
const MOST_DETAIL_LINES: usize = 40;

/// Lines up to the first blank one: a compiler's first diagnostic.
fn first_paragraph(text: &str) -> usize {
    text.lines().position(|l| l.trim().is_empty()).unwrap_or_else(|| text.lines().count())
}

/// The failures after the first, each message once.
fn others<'a>(r: &'a LessonResult, first: Option<&'a CheckResult>) -> impl Iterator<Item = &'a CheckResult> {
    let mut seen: BTreeSet<&str> = first.map(|f| f.message.as_str()).into_iter().collect();
    r.checks.iter().skip_while(move |c| Some(*c) != first).skip(1).filter(|c| matches!(c.status, Status::Fail | Status::Error)).filter(move |c| seen.insert(c.message.as_str()))
}

impl Reporter for Terminal {
    fn render(&self, report: &Report) -> String {
        let mut out = Vec::new();
        let mut hints_shown = BTreeSet::new();
        for n in &report.notices {
            out.extend(columns::wrap(&safe_text::text(n), self.width, "note: ", "  "));
        }
        for r in &report.results {
            self.card_line(r, &mut out);
            if self.is_detailed(r) {
                self.details(r, &mut hints_shown, &mut out);
            }
        }
        let done = report.results.iter().filter(|r| r.status == Status::Pass).count();
        out.push(format!("{} ({}/{} points)", crate::progress::done_line(done, report.results.len()), report.summary.score, report.summary.max_score));
        if let Some(next) = &self.next {
            out.extend(columns::wrap(next, self.width, "", "  "));
        }
        out.into_iter().map(|l| format!("{}\n", l.trim_end())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Lang;

    fn todo(id: &str, lang: Lang) -> LessonResult {
        let failed = CheckResult::fail("termination", 2, "not done yet: spawn the four workers (src/main.rs:22, `todo!()`)")
            .with_details("\nthread 'main' panicked at src/main.rs:22:49:\nnot yet implemented");
        LessonResult::from_checks(id, lang, vec![CheckResult::pass("build", 2, "built"), failed, CheckResult::fail("output", 4, "no output")], 10)
    }

    /// Eleven lessons at their starting points, the first in detail: a card, not a wall.
    fn fresh_clone() -> String {
        let ids = ["threads", "shared-state", "mpsc", "shutdown", "bounded", "build-a-channel", "send-sync", "worker-pool", "pipeline", "non-blocking", "fast-channel"];
        let results = ids.iter().flat_map(|id| Lang::ALL.map(|l| todo(id, l))).collect();
        let hints = ids
            .iter()
            .map(|id| {
                (
                    id.to_string(),
                    "Each worker needs its own data for as long as it runs: build the chunk before spawning, and let the thread own it. (`fearless hint threads` for more)"
                        .to_string(),
                )
            })
            .collect();
        let mut t = Terminal::full(false, hints, 80);
        t.detailed = Some(["threads".to_string()].into());
        t.next = Some("next: edit exercises/01-threads/rust/src/main.rs, then `make check EX=threads`".into());
        t.todo_details = false;
        t.render(&Report::new(results))
    }

    #[test]
    fn a_fresh_clone_reads_as_a_report_card() {
        let out = fresh_clone();
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() <= 30, "{} lines:\n{out}", lines.len());
        assert!(lines.iter().all(|l| columns::width(l) <= 80), "{out}");
        assert_eq!(lines.iter().filter(|l| l.contains("hint:")).count(), 1, "one hint, under the first lesson:\n{out}");
        assert!(!out.contains("panicked"), "a TODO's backtrace is noise on the card:\n{out}");
        assert!(lines.last().unwrap().contains("01-threads") && lines.last().unwrap().contains("make check EX=threads"), "{out}");
        assert!(lines.iter().any(|l| l.starts_with("✗ fast-channel     ocaml")), "{out}");
    }

    #[test]
    fn a_compiler_diagnostic_is_shown_whole_with_its_help_and_suggestion() {
        let mut diagnostic: Vec<String> = vec!["error[E0373]: closure may outlive the current function, but it borrows `chunk`".into()];
        diagnostic.extend((0..12).map(|i| format!("{i:>2} |     frame line {i}")));
        diagnostic.push("help: to force the closure to take ownership of `chunk` (and any other referenced variables), use the `move` keyword".into());
        diagnostic.extend(["   |".into(), "16 |             thread::spawn(move || {".into(), "   |                           ++++".into()]);
        let details = format!("{}\n\nerror[E0373]: a second one\n", diagnostic.join("\n"));
        let r = LessonResult::from_checks("threads", Lang::Rust, vec![CheckResult::fail("build", 2, "error[E0373]: closure may outlive").with_details(details)], 1);
        let out = Terminal::full(false, Default::default(), 80).render(&Report::new(vec![r]));
        assert!(out.contains("use the `move` keyword\n") && out.contains("thread::spawn(move || {"), "{out}");
        assert!(!out.contains("a second one"), "{out}");
    }

    #[test]
    fn the_full_report_details_every_failure_at_the_width_it_is_given() {
        let long = "x ".repeat(55);
        let r = LessonResult::from_checks("mpsc", Lang::Rust, vec![CheckResult::fail("termination", 2, long.clone())], 1);
        let wide = Terminal::full(false, Default::default(), 160).render(&Report::new(vec![r.clone(), todo("threads", Lang::Ocaml)]));
        assert!(wide.lines().next().unwrap().ends_with(long.trim_end()), "one line at 160 columns:\n{wide}");
        assert!(wide.contains("panicked"), "{wide}");
        let narrow = Terminal::full(false, Default::default(), 80).render(&Report::new(vec![r]));
        assert!(narrow.lines().all(|l| columns::width(l) <= 80) && narrow.lines().count() > 2, "wrapped whole at 80:\n{narrow}");
    }
}
