//! What a student reads in the terminal: one line per lesson and language, passed
//! checks folded, a failing check with its message and the next hint, a summary.
//! Student text (notices, messages, details) is made inert ([`safe_text::text`]):
//! no escape a program printed reaches the terminal.
use std::io::IsTerminal;

use crossterm::style::Stylize;

use super::Reporter;
use crate::report::{Report, Status};
use crate::safe_text;

pub struct Terminal {
    pub colour: bool,
    /// lesson id -> the hint to show under its failure.
    pub hints: std::collections::BTreeMap<String, String>,
    /// Lines of details shown under a failing check.
    pub detail_lines: usize,
}

impl Terminal {
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
}

impl Reporter for Terminal {
    fn render(&self, report: &Report) -> String {
        let mut out = String::new();
        for n in &report.notices {
            out.push_str(&format!("note: {}\n", safe_text::text(n)));
        }
        for r in &report.results {
            let score = format!("{:>2}/{:<2}", r.score, r.max_score);
            let head = format!("{} {:<16} {:<5} {}", r.status.mark(), r.exercise, r.lang.as_str(), score);
            let line = match r.status {
                Status::Pass => {
                    let names: Vec<&str> = r.checks.iter().map(|c| c.name.as_str()).collect();
                    format!("{}  {}", self.paint(&head, Status::Pass), names.join(", "))
                }
                _ => {
                    let f = r.first_failure();
                    let what = f.map(|c| format!("{}: {}", c.name, safe_text::text(&c.message))).unwrap_or_default();
                    format!("{}  {}", self.paint(&head, r.status), what)
                }
            };
            out.push_str(&line);
            out.push('\n');
            if r.status != Status::Pass {
                if let Some(f) = r.first_failure() {
                    for d in f.details.lines().take(self.detail_lines) {
                        out.push_str(&format!("    {}\n", safe_text::text(d)));
                    }
                    if f.details.lines().count() > self.detail_lines {
                        out.push_str("    ...\n");
                    }
                }
                let others: Vec<String> = r
                    .checks
                    .iter()
                    .skip_while(|c| Some(*c) != r.first_failure())
                    .skip(1)
                    .filter(|c| matches!(c.status, Status::Fail | Status::Error))
                    .filter(|c| Some(c.message.as_str()) != r.first_failure().map(|f| f.message.as_str()))
                    .map(|c| format!("{}: {}", c.name, safe_text::text(&c.message)))
                    .collect();
                for o in others {
                    out.push_str(&format!("  {} {o}\n", self.paint("also", Status::Fail)));
                }
                if let Some(h) = self.hints.get(&r.exercise) {
                    out.push_str(&format!("  hint: {h}\n"));
                }
            }
        }
        let done = report.results.iter().filter(|r| r.status == Status::Pass).count();
        out.push_str(&format!("{} ({}/{} points)\n", crate::progress::done_line(done, report.results.len()), report.summary.score, report.summary.max_score));
        out
    }
}
