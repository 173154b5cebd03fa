//! The `counts` check: messages per stream and in total, against the `expected` output
//! of the lesson's `output` check.
use super::program::Run;
use super::CheckKind;
use crate::interleaving;
use crate::report::CheckResult;

const KIND: CheckKind = CheckKind::Counts;

pub(super) fn judge(run: &Run, points: u32) -> CheckResult {
    // Loading the lesson made sure: counts needs output.
    let (Some(spec), Some(streams)) = (run.lesson.exercise.checks.output.as_ref(), run.streams.as_ref()) else {
        return CheckResult::error(KIND, points, "the counts check needs an output check to count against");
    };
    let counts = interleaving::count(streams, &spec.expected, &run.stdout);
    if counts.ok() {
        CheckResult::pass(KIND, points, counts.message())
    } else {
        CheckResult::fail(KIND, points, counts.message()).with_details(run.killed_note.trim().to_string())
    }
}
