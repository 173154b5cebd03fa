//! The report as JSON, in the schema of DESIGN.md.
use super::Reporter;
use crate::report::Report;

pub struct Json;

impl Reporter for Json {
    fn render(&self, report: &Report) -> String {
        serde_json::to_string_pretty(report).expect("a report always serialises") + "\n"
    }
}
