//! The program's runs, and what the checks of a run read of one: its outcome, its
//! output, what the kit's probe told. A lesson may ask for several runs (its threads in
//! another order each time); the first run that fails any check is the one judged.
use std::time::Duration;

use super::{CheckKind, Context, Measured, Step};
use crate::interleaving::Streams;
use crate::lang::{self, Backend, Staged};
use crate::lesson::{Lang, Lesson};
use crate::report::{CheckResult, Status};
use crate::runner::{self, Ending, Limits, Outcome, RunError};
use crate::units::{human_bytes, secs};

/// An evaluator of one run: the check's result from the run, for its points.
pub(super) type Judge = fn(&Run, u32) -> CheckResult;

/// A check of the program's run that the lesson declares.
pub(super) struct Declared {
    pub kind: CheckKind,
    pub points: u32,
    pub judge: Judge,
    /// It reads the kit's probe: the program runs with the probe's pipe.
    pub probed: bool,
}

/// One run of the program, as the checks of a run read it.
pub(super) struct Run<'a> {
    pub lesson: &'a Lesson,
    pub lang: Lang,
    pub backend: &'a dyn Backend,
    pub out: &'a Outcome,
    pub stdout: String,
    pub stderr: String,
    /// The lines the kit's probe wrote (see [`crate::lesson::Together`]).
    pub probe: &'a [String],
    /// The lesson's stream patterns, when it has an output check.
    pub streams: Option<Streams>,
    /// Said after the output of a run that was stopped, with why; empty otherwise.
    pub killed_note: String,
}

impl<'a> Run<'a> {
    fn new(lesson: &'a Lesson, backend: &'a dyn Backend, out: &'a Outcome, probe: &'a [String]) -> Run<'a> {
        let streams = lesson.exercise.checks.output.as_ref().map(|s| Streams::new(&s.streams).expect("validated when the lesson was loaded"));
        let killed_note = match out.ending {
            Ending::TimedOut => format!("\n(the program was killed after {}; this is its output until then)", secs(lesson.exercise.time_limit_secs)),
            Ending::OutputCapped => format!("\n(output cut at {})", human_bytes(lesson.exercise.limits.output_bytes)),
            Ending::DiskCapped => format!("\n(stopped: it wrote more than {} in its folder)", human_bytes(runner::JOB_WRITE_BYTES)),
            _ => String::new(),
        };
        Run { lesson, lang: backend.lang(), backend, out, stdout: out.stdout_text(), stderr: out.stderr_text(), probe, streams, killed_note }
    }

    /// A check of this run: "not done yet" when the program stopped at a starting
    /// point's TODO, whatever the check; its evaluator's verdict otherwise.
    fn judge(&self, check: &Declared) -> CheckResult {
        if let Some(todo) = self.backend.unfinished(&self.stderr) {
            return CheckResult::fail(check.kind, check.points, todo).with_details(lang::tail(&self.stderr, 10));
        }
        (check.judge)(self, check.points)
    }
}

/// Runs the program as many times as the lesson asks, all at once (each run has its
/// working folder, and the kit's delays that order a run's threads are waits, not work),
/// then judges the runs in turn up to the first that fails a check: the results of the
/// checks of that run, or of the last, in the order of `checks`. The verdict is the one
/// of running them one after the other and stopping at the first failure.
pub(super) fn judge_runs(ctx: &Context, backend: &dyn Backend, staged: &Staged, lesson: &Lesson, checks: &[Declared], measured: &mut Measured) -> Vec<CheckResult> {
    if checks.is_empty() {
        return Vec::new();
    }
    let probed = checks.iter().any(|c| c.probed);
    let runs = lesson.exercise.program_runs.max(1);
    let wall = Duration::from_secs_f64(lesson.exercise.time_limit_secs);
    ctx.step(Step::Running { limit: wall });
    let outcomes: Vec<Result<(Outcome, Vec<String>), RunError>> = std::thread::scope(|scope| {
        let rounds: Vec<_> = (0..runs).map(|round| runner::spawn_recorded(scope, move || run_program(ctx, backend, staged, lesson, round, probed))).collect();
        rounds.into_iter().map(|r| r.join().unwrap_or_else(|| Err(RunError::Io(std::io::Error::other("the kit failed while running the program"))))).collect()
    });
    let mut judged: Vec<CheckResult> = Vec::new();
    for (round, outcome) in (0..runs).zip(outcomes) {
        judged = match outcome {
            Ok((out, probe)) => {
                let judged = {
                    let run = Run::new(lesson, backend, &out, &probe);
                    checks.iter().map(|c| run.judge(c)).collect()
                };
                measured.run = Some(out);
                judged
            }
            Err(e) => checks.iter().map(|c| CheckResult::error(c.kind, c.points, format!("the program could not start: {e}"))).collect(),
        };
        if judged.iter().any(|r| r.status != Status::Pass) {
            // Said only when an earlier run passed: then the student may have seen this program pass.
            if round > 0 {
                note_earlier_runs(&mut judged, round, runs);
            }
            break;
        }
    }
    judged
}

fn note_earlier_runs(judged: &mut [CheckResult], round: u32, runs: u32) {
    let note = format!(
        "(run {} of {runs}: the kit runs the program up to {runs} times, its threads in another order each time, and every run must pass; the runs before this one passed)",
        round + 1
    );
    for r in judged.iter_mut().filter(|r| r.status != Status::Pass) {
        r.details = if r.details.is_empty() { note.clone() } else { format!("{}\n{note}", r.details) };
    }
}

/// Runs the program once, as round `round` (`FEARLESS_ROUND`), with the probe's pipe when
/// the lesson has a probe: its outcome and what the probe told the kit.
fn run_program(ctx: &Context, backend: &dyn Backend, staged: &Staged, lesson: &Lesson, round: u32, probed: bool) -> Result<(Outcome, Vec<String>), RunError> {
    let wall = Duration::from_secs_f64(lesson.exercise.time_limit_secs);
    let work = staged.work(&format!("program-{round}"))?;
    let mut job = backend.program(staged, lesson, &work)?.with_stacks(ctx.stacks).env("FEARLESS_ROUND", round.to_string());
    job.limits = Limits::program(wall, &lesson.exercise.limits);
    let probe = if probed { Some(lang::verdict::Pipe::open()?) } else { None };
    if let Some(p) = &probe {
        job = p.give(job);
    }
    let out = runner::run(&job);
    drop(job);
    let probe_lines = probe.map(|p| p.finish()).unwrap_or_default();
    Ok((out?, probe_lines))
}
