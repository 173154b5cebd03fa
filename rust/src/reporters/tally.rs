//! One gradebook column (a lesson in a language) counted over a class: how many
//! passed, and on which check the others failed. The terminal's summary and the class
//! page read the same counts.
use std::collections::BTreeMap;

use crate::report::{Class, Status};

pub struct Tally<'a> {
    /// `mpsc/rust`
    pub column: &'a str,
    /// Submissions with a result in this column.
    pub graded: usize,
    pub passed: usize,
    /// Failed or not checked, by the check that failed first (the one a report shows first).
    by_check: BTreeMap<&'a str, usize>,
}

impl<'a> Tally<'a> {
    pub fn of(class: &'a Class, column: &'a str) -> Tally<'a> {
        let mut t = Tally { column, graded: 0, passed: 0, by_check: BTreeMap::new() };
        for l in class.reports.iter().flat_map(|r| r.results.iter().find(|l| l.key() == column)) {
            t.graded += 1;
            if l.status == Status::Pass {
                t.passed += 1;
            } else if let Some(c) = l.first_failure() {
                *t.by_check.entry(c.name.as_str()).or_default() += 1;
            }
        }
        t
    }

    /// Every column of the class, in its order.
    pub fn all(class: &'a Class) -> Vec<Tally<'a>> {
        class.columns.iter().map(|c| Tally::of(class, c)).collect()
    }

    pub fn not_passed(&self) -> usize {
        self.graded - self.passed
    }

    /// The check failed most often, and how often; a tie goes to the first by name.
    pub fn most_often(&self) -> Option<(&'a str, usize)> {
        self.by_check.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(c, t)| (*c, *t))
    }
}

/// The class's scores: mean and median of the submissions' points, and the most points there were.
pub struct Scores {
    pub mean: f64,
    pub median: f64,
    pub max: u32,
}

impl Scores {
    pub fn of(class: &Class) -> Scores {
        let mut scores: Vec<f64> = class.reports.iter().map(|r| r.summary.score as f64).collect();
        scores.sort_by(|a, b| a.total_cmp(b));
        let n = scores.len();
        let median = match n {
            0 => 0.0,
            n if n % 2 == 1 => scores[n / 2],
            n => (scores[n / 2 - 1] + scores[n / 2]) / 2.0,
        };
        let mean = if n == 0 { 0.0 } else { scores.iter().sum::<f64>() / n as f64 };
        Scores { mean, median, max: class.reports.iter().map(|r| r.summary.max_score).max().unwrap_or(0) }
    }
}

/// Points as people write them: `7`, `7.5`.
pub fn points(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x}")
    } else {
        format!("{x:.1}")
    }
}
