//! `grades.csv`: one row per submission, `submission,score,max_score`, then the
//! points of each lesson and language. Scores are written as numbers, so a
//! spreadsheet reads them as is; the id is a text field that no spreadsheet takes
//! for a formula ([`safe_text::csv`]).
use super::{submission_name, ClassReporter};
use crate::report::Class;
use crate::safe_text;

pub struct Csv;

impl ClassReporter for Csv {
    fn render(&self, class: &Class) -> String {
        let mut out = String::new();
        let mut header = vec![safe_text::csv("submission"), "score".into(), "max_score".into()];
        header.extend(class.columns.iter().map(|c| safe_text::csv(c)));
        out.push_str(&header.join(","));
        out.push('\n');
        for r in &class.reports {
            let mut row = vec![safe_text::csv(submission_name(r)), r.summary.score.to_string(), r.summary.max_score.to_string()];
            for col in &class.columns {
                row.push(r.results.iter().find(|l| l.key() == *col).map(|l| l.score.to_string()).unwrap_or_default());
            }
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }
}
