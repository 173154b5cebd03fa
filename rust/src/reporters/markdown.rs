//! `report.md`: what a student reads after grading: the score, per lesson and language
//! what passed and what failed and why, and a hint for each failure. Student text
//! (the id, notices, messages) is inert Markdown; details are fenced code blocks
//! that the text cannot close, made quiet ([`super::quiet`]: toolchain paths folded).
use std::collections::BTreeMap;

use super::{submission_name, Reporter};
use crate::report::{Report, Status};
use crate::safe_text;

pub struct Markdown {
    /// Result key (`mpsc/rust`), or lesson id, -> the hint shown under its failure.
    pub hints: BTreeMap<String, String>,
    /// Lines of details shown under a failing check.
    pub detail_lines: usize,
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓ passed",
        Status::Fail => "✗ failed",
        Status::Error => "! not checked",
        Status::Skipped => "- not run",
    }
}

impl Reporter for Markdown {
    fn render(&self, report: &Report) -> String {
        let mut out = format!("# {}: {} / {}\n\n", safe_text::markdown(submission_name(report)), report.summary.score, report.summary.max_score);
        for n in &report.notices {
            out.push_str(&format!("> **Note:** {}\n\n", safe_text::markdown(n)));
        }
        let passed = report.results.iter().filter(|r| r.status == Status::Pass).count();
        out.push_str(&format!("{passed} of {} lessons passed.\n\n", report.results.len()));
        out.push_str("| lesson | language | result | points |\n|---|---|---|---|\n");
        for r in &report.results {
            let why = r.first_failure().filter(|_| r.status != Status::Pass).map(|c| format!(" ({})", c.name)).unwrap_or_default();
            out.push_str(&format!("| {} | {} | {}{} | {} / {} |\n", r.exercise, r.lang, mark(r.status), why, r.score, r.max_score));
        }
        for r in &report.results {
            out.push_str(&format!("\n## {} in {}: {} / {}\n\n", r.exercise, r.lang, r.score, r.max_score));
            out.push_str("| check | result | points | message |\n|---|---|---|---|\n");
            for c in &r.checks {
                out.push_str(&format!("| {} | {} | {} / {} | {} |\n", c.name, mark(c.status), c.score, c.max_score, safe_text::markdown(&c.message)));
            }
            // Checks that failed for the same reason are explained once.
            let failing: Vec<_> = r.checks.iter().filter(|c| matches!(c.status, Status::Fail | Status::Error)).collect();
            let mut i = 0;
            while i < failing.len() {
                let c = failing[i];
                let same = failing[i..].iter().take_while(|o| o.message == c.message && o.details == c.details).count();
                let names: Vec<&str> = failing[i..i + same].iter().map(|o| o.name.as_str()).collect();
                out.push_str(&format!("\n### {}: {}\n", names.join(", "), safe_text::markdown(&c.message)));
                if !c.details.trim().is_empty() {
                    let quiet = super::quiet::quiet(&c.details);
                    let lines: Vec<&str> = quiet.trim_matches('\n').lines().collect();
                    let mut shown = lines[..lines.len().min(self.detail_lines)].join("\n");
                    if lines.len() > self.detail_lines {
                        shown.push_str(&format!("\n... ({} more lines)", lines.len() - self.detail_lines));
                    }
                    out.push('\n');
                    out.push_str(&safe_text::markdown_block(&shown));
                }
                i += same;
            }
            if r.status == Status::Fail {
                if let Some(h) = self.hints.get(&r.key()).or_else(|| self.hints.get(&r.exercise)) {
                    out.push_str(&format!("\n**Hint:** {h}\n"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Lang;
    use crate::report::{CheckResult, LessonResult};

    #[test]
    fn details_are_quiet() {
        let details = "thread 'main' panicked at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/result.rs:1:5:\nboom";
        let r = LessonResult::from_checks("mpsc", Lang::Rust, vec![CheckResult::fail("termination", 2, "panicked").with_details(details)], 1);
        let md = Markdown { hints: BTreeMap::new(), detail_lines: 12 }.render(&Report::new(vec![r]));
        assert!(md.contains("panicked at core/src/result.rs:1:5:") && !md.contains("/rustc/"), "{md}");
    }
}
