//! What an instructor reads on the terminal at the end of `grade`: how many were
//! graded, the mean and median score, and the lessons most often failed with the
//! check they most often failed on.
use std::collections::BTreeMap;

use super::ClassReporter;
use crate::report::{Class, Status};

pub struct ClassSummary {
    /// Lessons listed under "most often failed".
    pub top: usize,
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn points(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x}")
    } else {
        format!("{x:.1}")
    }
}

impl ClassReporter for ClassSummary {
    fn render(&self, class: &Class) -> String {
        let n = class.reports.len();
        let mut out = format!("graded {n} submission{}\n", if n == 1 { "" } else { "s" });
        if n == 0 {
            return out;
        }
        let mut scores: Vec<f64> = class.reports.iter().map(|r| r.summary.score as f64).collect();
        scores.sort_by(|a, b| a.total_cmp(b));
        let max = class.reports.iter().map(|r| r.summary.max_score).max().unwrap_or(0);
        let mean = scores.iter().sum::<f64>() / n as f64;
        out.push_str(&format!("score: mean {} / {max}, median {} / {max}\n", points(mean), points(median(&scores))));
        let errors = class.reports.iter().filter(|r| r.results.iter().any(|l| l.status == Status::Error)).count();
        if errors > 0 {
            out.push_str(&format!("{errors} submission{} could not be checked in full (see their report.md)\n", if errors == 1 { "" } else { "s" }));
        }
        // Per lesson and language: how many failed, and on which check.
        let mut failed: Vec<(usize, &String, BTreeMap<&str, usize>)> = Vec::new();
        for col in &class.columns {
            let mut by_check: BTreeMap<&str, usize> = BTreeMap::new();
            let mut count = 0;
            for r in &class.reports {
                if let Some(l) = r.results.iter().find(|l| l.key() == *col).filter(|l| l.status != Status::Pass) {
                    count += 1;
                    if let Some(c) = l.first_failure() {
                        *by_check.entry(c.name.as_str()).or_default() += 1;
                    }
                }
            }
            if count > 0 {
                failed.push((count, col, by_check));
            }
        }
        // Most failures first; ties keep the kit's lesson order (the sort is stable).
        failed.sort_by_key(|f| std::cmp::Reverse(f.0));
        if failed.is_empty() {
            out.push_str("every lesson passed in every submission\n");
            return out;
        }
        out.push_str("most often failed:\n");
        let width = failed.iter().map(|f| f.1.len()).max().unwrap_or(0);
        for (count, col, by_check) in failed.iter().take(self.top) {
            let (check, times) = by_check.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(c, t)| (*c, *t)).unwrap_or(("?", 0));
            out.push_str(&format!("  {col:<width$}  {count} of {n}, most often on {check} ({times})\n"));
        }
        out
    }
}
