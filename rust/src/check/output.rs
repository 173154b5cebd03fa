//! The `output` check: every stream complete and in order, every fixed line in its
//! place, whatever the interleaving of the streams (see [`crate::interleaving`]).
use super::program::Run;
use super::CheckKind;
use crate::interleaving;
use crate::lang;
use crate::report::CheckResult;

const KIND: CheckKind = CheckKind::Output;

/// Problems listed in the details, at most.
const LISTED: usize = 20;

pub(super) fn judge(run: &Run, points: u32) -> CheckResult {
    let (Some(spec), Some(streams)) = (run.lesson.exercise.checks.output.as_ref(), run.streams.as_ref()) else {
        return CheckResult::error(KIND, points, "no output check in exercise.toml");
    };
    let problems = interleaving::compare(streams, &spec.expected, &run.stdout);
    if problems.is_empty() {
        return CheckResult::pass(KIND, points, "every stream complete and in order");
    }
    let mut message = problems[0].to_string();
    if problems.len() > 1 {
        message.push_str(&format!(" (and {} more problem{})", problems.len() - 1, if problems.len() == 2 { "" } else { "s" }));
    }
    let listed: Vec<String> = problems.iter().take(LISTED).map(|p| format!("- {p}\n")).collect();
    let listed = if problems.len() > 1 { format!("{}\n", listed.concat()) } else { String::new() };
    let details = format!("{listed}output:\n{}{}", lang::tail(&run.stdout, 40), run.killed_note);
    CheckResult::fail(KIND, points, message).with_details(details)
}
