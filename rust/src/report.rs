//! The report: what `check --json` prints and `grade` writes (schema in docs/DESIGN.md, "The report").
use serde::{Deserialize, Serialize};

use crate::lesson::{CheckKind, Lang};
use crate::safe_text;

pub const KIT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The name of the one check of a lesson that could not be checked at all ([`LessonResult::error`]).
pub const SETUP: &str = "setup";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Error,
    Skipped,
}

impl Status {
    /// The one-character mark a terminal shows for it.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Fail => "✗",
            Status::Error => "!",
            Status::Skipped => "-",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub name: String,
    pub status: Status,
    pub score: u32,
    pub max_score: u32,
    /// One line a student can act on.
    pub message: String,
    /// Longer text: a diff, the tail of stderr, thread stacks.
    #[serde(default)]
    pub details: String,
}

/// Messages and details come from the student (program output, panics, compiler
/// errors quoting their code): the constructors make them inert ([`safe_text::text`])
/// as they enter the report, so that no reporter can show them raw.
impl CheckResult {
    fn new(name: &str, status: Status, score: u32, max_score: u32, message: String) -> CheckResult {
        CheckResult { name: name.into(), status, score, max_score, message: safe_text::text(&message), details: String::new() }
    }
    /// `name` is a [`CheckKind`], or its name as a string.
    pub fn pass(name: impl AsRef<str>, points: u32, message: impl Into<String>) -> CheckResult {
        CheckResult::new(name.as_ref(), Status::Pass, points, points, message.into())
    }
    pub fn fail(name: impl AsRef<str>, points: u32, message: impl Into<String>) -> CheckResult {
        CheckResult::new(name.as_ref(), Status::Fail, 0, points, message.into())
    }
    pub fn skipped(name: impl AsRef<str>, points: u32, why: impl Into<String>) -> CheckResult {
        CheckResult::new(name.as_ref(), Status::Skipped, 0, points, why.into())
    }
    pub fn error(name: impl AsRef<str>, points: u32, why: impl Into<String>) -> CheckResult {
        CheckResult::new(name.as_ref(), Status::Error, 0, points, why.into())
    }
    /// The kind of check this is; `None` for [`SETUP`], which no lesson declares.
    pub fn kind(&self) -> Option<CheckKind> {
        CheckKind::from_name(&self.name)
    }
    pub fn with_details(mut self, details: impl Into<String>) -> CheckResult {
        self.details = safe_text::text(&details.into());
        self
    }
    /// Makes inert what was put in the fields by hand.
    pub fn make_inert(&mut self) {
        self.message = safe_text::text(&self.message);
        self.details = safe_text::text(&self.details);
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonResult {
    pub exercise: String,
    pub lang: Lang,
    pub status: Status,
    pub score: u32,
    pub max_score: u32,
    pub duration_ms: u64,
    pub checks: Vec<CheckResult>,
    /// How the check's jobs were contained: what the report's notices say (not in the JSON).
    #[serde(skip)]
    pub ran: crate::runner::Ran,
}

impl LessonResult {
    /// Status and score follow from the checks: `pass` when every check passed.
    pub fn from_checks(exercise: &str, lang: Lang, mut checks: Vec<CheckResult>, duration_ms: u64) -> LessonResult {
        checks.iter_mut().for_each(CheckResult::make_inert);
        let status = if checks.iter().all(|c| c.status == Status::Pass) { Status::Pass } else { Status::Fail };
        LessonResult {
            exercise: exercise.into(),
            lang,
            status,
            score: checks.iter().map(|c| c.score).sum(),
            max_score: checks.iter().map(|c| c.max_score).sum(),
            duration_ms,
            checks,
            ran: Default::default(),
        }
    }
    /// A lesson that could not be checked at all (a broken exercise.toml, a kit fault).
    pub fn error(exercise: &str, lang: Lang, message: impl Into<String>) -> LessonResult {
        LessonResult {
            exercise: exercise.into(),
            lang,
            status: Status::Error,
            score: 0,
            max_score: 0,
            duration_ms: 0,
            checks: vec![CheckResult::error(SETUP, 0, message)],
            ran: Default::default(),
        }
    }
    /// The failure to show first: the build, then the run itself (a hang, a panic), then the rest in order.
    pub fn first_failure(&self) -> Option<&CheckResult> {
        let failed = |c: &&CheckResult| matches!(c.status, Status::Fail | Status::Error);
        // A check of no kind (`setup`: the lesson could not be loaded) ranks with the build: nothing else ran.
        let rank = |c: &&CheckResult| c.kind().map_or(0, CheckKind::precedence);
        let mut failing: Vec<&CheckResult> = self.checks.iter().filter(failed).collect();
        failing.sort_by_key(rank);
        failing.first().copied().or_else(|| self.checks.iter().find(|c| c.status != Status::Pass))
    }
    pub fn key(&self) -> String {
        format!("{}/{}", self.exercise, self.lang)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub score: u32,
    pub max_score: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<String>,
    pub kit_version: String,
    pub results: Vec<LessonResult>,
    pub summary: Summary,
    /// Things the reader should know about how the run went (a tool missing, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

impl Report {
    pub fn new(results: Vec<LessonResult>) -> Report {
        let summary = Summary {
            passed: results.iter().filter(|r| r.status == Status::Pass).count(),
            failed: results.iter().filter(|r| r.status == Status::Fail).count(),
            errors: results.iter().filter(|r| r.status == Status::Error).count(),
            score: results.iter().map(|r| r.score).sum(),
            max_score: results.iter().map(|r| r.max_score).sum(),
        };
        // How the jobs behind these results were contained, when the reader must know.
        let mut report = Report { submission: None, kit_version: KIT_VERSION.into(), results, summary, notices: Vec::new() };
        let mut ran = crate::runner::Ran::default();
        report.results.iter().for_each(|r| ran.merge(&r.ran));
        report.notices = ran.notices();
        report.make_inert();
        report
    }
    /// Makes inert every field that may hold student text: the submission's id, the
    /// notices, each check's message and details. Done by [`Report::new`]; again by
    /// whoever sets those fields afterwards, and by the JSON reporters.
    pub fn make_inert(&mut self) {
        if let Some(id) = &mut self.submission {
            *id = safe_text::line(id);
        }
        for n in &mut self.notices {
            *n = safe_text::text(n);
        }
        self.results.iter_mut().flat_map(|r| &mut r.checks).for_each(CheckResult::make_inert);
    }
    pub fn all_passed(&self) -> bool {
        self.results.iter().all(|r| r.status == Status::Pass)
    }
}

/// Many submissions' reports side by side: what the gradebook formats read.
#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    /// `<id>/<lang>` of every lesson graded, in the kit's order.
    pub columns: Vec<String>,
    /// One report per submission (each with its `submission`), in the order of their ids.
    pub reports: Vec<Report>,
}
