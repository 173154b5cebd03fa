//! What an instructor reads on the terminal at the end of `grade`: how many were
//! graded, the mean and median score, and the lessons most often failed with the
//! check they most often failed on.
use super::tally::{points, Scores, Tally};
use super::ClassReporter;
use crate::report::{Class, Status};

pub struct ClassSummary {
    /// Lessons listed under "most often failed".
    pub top: usize,
}

impl ClassReporter for ClassSummary {
    fn render(&self, class: &Class) -> String {
        let n = class.reports.len();
        let mut out = format!("graded {n} submission{}\n", if n == 1 { "" } else { "s" });
        if n == 0 {
            return out;
        }
        let Scores { mean, median, max } = Scores::of(class);
        out.push_str(&format!("score: mean {} / {max}, median {} / {max}\n", points(mean), points(median)));
        let errors = class.reports.iter().filter(|r| r.results.iter().any(|l| l.status == Status::Error)).count();
        if errors > 0 {
            out.push_str(&format!("{errors} submission{} could not be checked in full (see their report.md)\n", if errors == 1 { "" } else { "s" }));
        }
        // Most failures first; ties keep the kit's lesson order (the sort is stable).
        let mut failed: Vec<Tally> = Tally::all(class).into_iter().filter(|t| t.not_passed() > 0).collect();
        failed.sort_by_key(|t| std::cmp::Reverse(t.not_passed()));
        if failed.is_empty() {
            out.push_str("every lesson passed in every submission\n");
            return out;
        }
        out.push_str("most often failed:\n");
        let width = failed.iter().map(|t| t.column.len()).max().unwrap_or(0);
        for t in failed.iter().take(self.top) {
            let (check, times) = t.most_often().unwrap_or(("?", 0));
            out.push_str(&format!("  {:<width$}  {} of {n}, most often on {check} ({times})\n", t.column, t.not_passed()));
        }
        out
    }
}
