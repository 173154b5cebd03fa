//! The report as JSON, in the schema of docs/DESIGN.md ("The report"). JSON escaping alone would let a
//! reader who prints the file see a student's terminal escapes act: the student's
//! text is made inert first ([`Report::make_inert`]), escapes shown as `\u{1b}`.
use super::Reporter;
use crate::report::Report;

pub struct Json;

impl Reporter for Json {
    fn render(&self, report: &Report) -> String {
        let mut report = report.clone();
        report.make_inert();
        serde_json::to_string_pretty(&report).expect("a report always serialises") + "\n"
    }
}
