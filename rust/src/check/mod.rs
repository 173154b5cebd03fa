//! Checking one lesson in one language: lay out a scratch build, build, run the program
//! (through the runner) and the kit's test suites, judge each check, and make the result.
//!
//! Each kind of check ([`CheckKind`]) has its evaluator in a file of its own here, and
//! [`evaluator`] says what each judges: the build, a test suite, or a run of the program.
//! A new kind of check is a variant of `CheckKind` with its settings in
//! [`crate::lesson::Checks`] (and its points in `Checks::points`), a file here, and its
//! line in [`evaluator`]; the compiler points at each place that must know it.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::lang::{self, Backend, StageError, Staged};
use crate::layout::Tree;
use crate::lesson::{Lang, Lesson};
use crate::report::{CheckResult, LessonResult, Status};
use crate::runner::Outcome;

mod apart;
mod at_most;
mod build;
mod counts;
mod idle;
mod output;
mod program;
mod suite;
mod termination;
mod together;

pub use crate::lesson::CheckKind;

/// Where checks put their build products, and who hears what a check is doing.
#[derive(Clone, Debug)]
pub struct Context {
    /// A cargo target folder shared by every lesson checked in this context.
    pub target_dir: PathBuf,
    /// Told at each step that takes time (the watch loop shows a countdown from it).
    pub on_step: Option<StepObserver>,
    /// Take a hung program's thread stacks (false: explain the hang from its output alone,
    /// as on a machine with no eu-stack, gdb or lldb).
    pub stacks: bool,
    /// The target folder is one student's own, so builds are kept between checks
    /// ([`Staged::reuse`]); never for grading, where it holds other submissions' builds.
    pub reuse: bool,
    /// Grading: builds of the same bytes made earlier in the run, taken instead of
    /// building again ([`lang::reused`]).
    pub reused: Option<Arc<lang::reused::Reused>>,
}

impl Context {
    pub fn new(target_dir: PathBuf) -> Context {
        Context { target_dir, on_step: None, stacks: true, reuse: false, reused: None }
    }
    /// The same context, taking builds of the same bytes from `reused`.
    pub fn sharing(mut self, reused: Arc<lang::reused::Reused>) -> Context {
        self.reused = Some(reused);
        self
    }
    /// The same context for one student's own checks: builds are kept between them.
    pub fn own(mut self) -> Context {
        self.reuse = true;
        self
    }
    /// The same context, telling `observer` each step as it starts.
    pub fn observed(mut self, observer: impl Fn(Step) + Send + Sync + 'static) -> Context {
        self.on_step = Some(StepObserver(Arc::new(observer)));
        self
    }
    fn step(&self, step: Step) {
        if let Some(o) = &self.on_step {
            (o.0)(step)
        }
    }
}

/// A step of a check that takes time, told as it starts, with the limit after which
/// the runner stops it.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Compiling the student's code.
    Building { limit: Duration },
    /// The student's program runs (it is killed at the limit, and a hang explained).
    Running { limit: Duration },
    /// One of the kit's test suites is compiled with the student's code (the first
    /// time, minutes for a suite with heavy dependencies).
    BuildingSuite { suite: String, limit: Duration },
    /// One of the kit's test suites runs: `tests`, `model` or `stress`.
    Testing { suite: String, limit: Duration },
}

#[derive(Clone)]
pub struct StepObserver(Arc<dyn Fn(Step) + Send + Sync>);

impl std::fmt::Debug for StepObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StepObserver")
    }
}

/// Checks `lesson` in `lang` with the student files found in `student_root`
/// (a folder laid out like `exercises/`).
pub fn check(ctx: &Context, lesson: &Lesson, lang: Lang, student_root: &Path) -> LessonResult {
    check_measured(ctx, lesson, lang, student_root).0
}

/// What checking measured on the way: the build's wall time and the program's run
/// (its output, run time and peak memory), for those who compare the languages.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    /// Wall time of the build, when one was attempted.
    pub build_time: Option<Duration>,
    /// The program's one graded run, when it ran.
    pub run: Option<Outcome>,
}

/// [`check`], and what was measured while checking.
pub fn check_measured(ctx: &Context, lesson: &Lesson, lang: Lang, student_root: &Path) -> (LessonResult, Measured) {
    let started = Instant::now();
    let mut measured = Measured::default();
    let declared = lesson.exercise.checks.declared(lang);
    // How this check's jobs were contained goes with its result (the report's notices).
    let (checks, ran) = crate::runner::recording(|| match run_checks(ctx, lesson, lang, student_root, &declared, &mut measured) {
        Ok(checks) => checks,
        Err(stop) => stop.with_the_rest(&declared),
    });
    let mut result = LessonResult::from_checks(lesson.id(), lang, checks, started.elapsed().as_millis() as u64);
    result.ran = ran;
    (result, measured)
}

/// A lesson that could not be checked for this submission at all (its archive would
/// not unpack, say): every declared check keeps its points, so the maximum is right.
pub fn unchecked(lesson: &Lesson, lang: Lang, why: &str) -> LessonResult {
    let checks = lesson
        .exercise
        .checks
        .declared(lang)
        .into_iter()
        .enumerate()
        .map(|(i, (kind, points))| if i == 0 { CheckResult::error(kind, points, why) } else { CheckResult::skipped(kind, points, "not run: the lesson could not be checked") })
        .collect();
    let mut r = LessonResult::from_checks(lesson.id(), lang, checks, 0);
    r.status = Status::Error;
    r
}

/// How a kind of check is judged.
enum Evaluator {
    /// From the build: its result is the build's.
    Build,
    /// By one of the kit's test suites ([`suite`]).
    Suite,
    /// From one run of the program ([`program::Run`]); `probed` when it reads what the
    /// kit's probe in the program told.
    Run { judge: program::Judge, probed: bool },
}

/// What judges each kind of check in `lesson`: termination reads the probe only when one
/// of the lesson's rules explaining a hang does (`told`, `cycle`).
fn evaluator(kind: CheckKind, lesson: &Lesson) -> Evaluator {
    let run = |judge: program::Judge| Evaluator::Run { judge, probed: false };
    let probe = |judge: program::Judge| Evaluator::Run { judge, probed: true };
    match kind {
        CheckKind::Build => Evaluator::Build,
        CheckKind::Tests | CheckKind::Efficiency | CheckKind::Model | CheckKind::Stress => Evaluator::Suite,
        CheckKind::Output => run(output::judge),
        CheckKind::Counts => run(counts::judge),
        CheckKind::Termination => Evaluator::Run { judge: termination::judge, probed: lesson.exercise.checks.termination.as_ref().is_some_and(|t| t.reads_probe()) },
        CheckKind::Together => probe(together::judge),
        CheckKind::AtMost => probe(at_most::judge),
        CheckKind::Apart => probe(apart::judge),
        CheckKind::Idle => run(idle::judge),
    }
}

/// A step that ended the check early: its result, and why the checks after it did not run.
struct Stop {
    first: CheckResult,
    why: &'static str,
}

impl Stop {
    /// The step's result first, then every other declared check, skipped.
    fn with_the_rest(self, declared: &[(CheckKind, u32)]) -> Vec<CheckResult> {
        let first = self.first;
        let rest = declared.iter().filter(|(k, _)| k.as_str() != first.name).map(|(k, p)| CheckResult::skipped(k, *p, self.why));
        std::iter::once(first.clone()).chain(rest).collect()
    }
}

/// The pipeline: stage, build, run the program (as many rounds as the lesson asks), run
/// the suites; each declared check judged by its evaluator, in the declared order.
fn run_checks(ctx: &Context, lesson: &Lesson, lang: Lang, student_root: &Path, declared: &[(CheckKind, u32)], measured: &mut Measured) -> Result<Vec<CheckResult>, Stop> {
    let build_points = declared.iter().find(|c| c.0 == CheckKind::Build).map(|c| c.1).unwrap_or(0);
    // Closed to other users: without bubblewrap, other jobs' users must not read this submission.
    let scratch = crate::scratch::dir("check")
        .map_err(|e| Stop { first: CheckResult::error(CheckKind::Build, build_points, format!("cannot make a scratch folder: {e}")), why: "not run: no scratch folder" })?;
    let mut staged = Staged::new(scratch.path().join(lang.as_str()), scratch.path().to_path_buf(), ctx.target_dir.clone(), ctx.reuse);
    stage(lesson, lang, student_root, &staged, build_points)?;
    if let Some(reused) = &ctx.reused {
        // Taken before anything is built in the tree; a tree that cannot be read is built as usual.
        staged.reused = lang::reused::digest(&staged.dir).ok().map(|d| (reused.clone(), format!("{}/{lang}/{d}", lesson.slug)));
    }
    let backend = lang::backend(lang);
    let build = build::judge(ctx, backend, &staged, lesson, build_points, measured)?;

    let on_run: Vec<program::Declared> = declared
        .iter()
        .filter_map(|&(kind, points)| match evaluator(kind, lesson) {
            Evaluator::Run { judge, probed } => Some(program::Declared { kind, points, judge, probed }),
            Evaluator::Build | Evaluator::Suite => None,
        })
        .collect();
    // The program's runs first, alone (`compare` shows their times); then the suites, all
    // at once: they build together once, and their programs are independent.
    let mut judged = program::judge_runs(ctx, backend, &staged, lesson, &on_run, measured).into_iter();
    let staged = &staged;
    let mut suites: Vec<CheckResult> = std::thread::scope(|scope| {
        let running: Vec<_> = declared
            .iter()
            .filter(|(kind, _)| matches!(evaluator(*kind, lesson), Evaluator::Suite))
            .map(|&(kind, points)| (kind, points, crate::runner::spawn_recorded(scope, move || suite::judge(ctx, backend, staged, lesson, kind, points))))
            .collect();
        running.into_iter().map(|(kind, points, r)| r.join().unwrap_or_else(|| CheckResult::error(kind, points, "the kit failed while running the tests"))).collect()
    });
    suites.reverse();
    let results = declared
        .iter()
        .map(|&(kind, points)| match evaluator(kind, lesson) {
            Evaluator::Build => build.clone(),
            Evaluator::Suite => suites.pop().unwrap_or_else(|| CheckResult::error(kind, points, "the tests did not run")),
            Evaluator::Run { .. } => judged.next().unwrap_or_else(|| CheckResult::error(kind, points, "the program did not run")),
        })
        .collect();
    Ok(beside_warnings(backend, &build, results))
}

/// The build's warnings, beside the first check that failed after a build that left
/// some; and in a hang's sentence, the warnings that can explain it (`drop(&tx)`).
fn beside_warnings(backend: &dyn Backend, build: &CheckResult, mut results: Vec<CheckResult>) -> Vec<CheckResult> {
    if build.status != Status::Pass || !build.message.starts_with("built with") {
        return results;
    }
    let warnings = build.details.trim();
    let named: Vec<&str> = backend.hang_warnings().iter().filter(|(says, _)| warnings.contains(says)).map(|(_, means)| *means).collect();
    for r in results.iter_mut().filter(|r| r.kind() == Some(CheckKind::Termination) && r.status == Status::Fail && r.message.starts_with("killed after")) {
        if !named.is_empty() {
            r.message = format!("{}; the compiler warned about it: {}", r.message, named.join("; "));
        }
    }
    if let Some(first) = results.iter_mut().find(|r| r.kind() != Some(CheckKind::Build) && matches!(r.status, Status::Fail | Status::Error)) {
        first.details = format!("{}\n\nthe compiler's warnings ({}):\n{warnings}", first.details.trim_end(), build.message).trim_start().to_string();
    }
    results
}

/// The kit's files of the lesson and the student's, laid out in the scratch folder.
fn stage(lesson: &Lesson, lang: Lang, student_root: &Path, staged: &Staged, build_points: u32) -> Result<(), Stop> {
    let student_dir = Tree::new(student_root).lang(lesson, lang);
    lang::stage(lesson, lang, &student_dir, &staged.dir).map_err(|e| {
        let first = match e {
            StageError::Io(_) => CheckResult::error(CheckKind::Build, build_points, e.to_string()),
            _ => CheckResult::fail(CheckKind::Build, build_points, e.to_string()),
        };
        Stop { first, why: "not run: nothing to build" }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_is_named_in_the_report_as_in_exercise_toml() {
        for &kind in CheckKind::ALL {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
            assert_eq!(CheckKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(CheckKind::AtMost.as_str(), "at_most");
        assert_eq!(CheckKind::from_name(crate::report::SETUP), None);
    }

    #[test]
    fn warnings_go_beside_the_first_failure_and_name_a_hang_they_explain() {
        let rust = lang::backend(Lang::Rust);
        let warned = "warning: calls to `std::mem::drop` with a reference instead of an owned value does nothing\n --> src/main.rs:28:5";
        let build = CheckResult::pass(CheckKind::Build, 2, "built with 1 warning").with_details(warned);
        let hang = CheckResult::fail(CheckKind::Termination, 2, "killed after 5 s: all 15 messages arrived, then it kept running");
        let out = beside_warnings(rust, &build, vec![build.clone(), CheckResult::fail(CheckKind::Output, 4, "last line missing"), hang]);
        assert!(out[1].details.contains("the compiler's warnings (built with 1 warning):") && out[1].details.contains("src/main.rs:28"), "{:?}", out[1]);
        assert!(out[2].message.ends_with("the compiler warned about it: `drop(&x)` drops a reference, not the value: a `Sender` dropped that way stays alive and its channel never closes (`drop(x)` gives it up)"), "{}", out[2].message);
        assert!(!out[2].details.contains("warnings"), "only the first failure carries them");
        // A build without warnings adds nothing.
        let clean = CheckResult::pass(CheckKind::Build, 2, "built");
        let out = beside_warnings(rust, &clean, vec![CheckResult::fail(CheckKind::Output, 4, "x")]);
        assert_eq!(out[0].details, "");
    }
}
