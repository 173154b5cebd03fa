//! Reporters: one trait, one file per format.
use crate::report::Report;

mod json;
mod terminal;

pub use json::Json;
pub use terminal::Terminal;

pub trait Reporter {
    /// Renders one report.
    fn render(&self, report: &Report) -> String;
}
