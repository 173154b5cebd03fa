//! Reporters: one trait per family, one file per format.
use crate::report::{Class, Report};

mod class_page;
mod class_plots;
mod csv;
mod gradescope;
mod json;
mod junit;
mod markdown;
pub mod quiet;
mod summary;
mod tally;
mod terminal;

pub use self::csv::Csv;
pub use class_page::ClassPage;
pub use gradescope::Gradescope;
pub use json::Json;
pub use junit::Junit;
pub use markdown::Markdown;
pub use summary::ClassSummary;
pub use terminal::Terminal;

pub trait Reporter {
    /// Renders one report.
    fn render(&self, report: &Report) -> String;
}

/// A format for a whole class at once: the gradebook, the CI test results, the summary, the class page.
pub trait ClassReporter {
    fn render(&self, class: &Class) -> String;
}

/// The name a report goes by: its submission's id, or "report".
fn submission_name(report: &Report) -> &str {
    report.submission.as_deref().unwrap_or("report")
}
