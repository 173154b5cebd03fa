//! The `together` check: the lesson's workers ran at the same time, as the kit's probe
//! saw them (see [`crate::lesson::Together`]).
use std::collections::BTreeSet;

use super::program::Run;
use super::CheckKind;
use crate::report::CheckResult;

const KIND: CheckKind = CheckKind::Together;

pub(super) fn judge(run: &Run, points: u32) -> CheckResult {
    let Some(spec) = run.lesson.exercise.checks.together.as_ref() else { return CheckResult::error(KIND, points, "no together check in exercise.toml") };
    let n = spec.workers;
    let who = &spec.who;
    let call = spec.call.get(&run.lang).map(String::as_str).unwrap_or("the probe");
    let words = |l: &String| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    let said: Vec<Vec<String>> = run.probe.iter().map(words).collect();
    if let Some(a) = said.iter().find(|w| w.first().is_some_and(|k| k == "alone") && w.len() >= 5) {
        // alone <who...> <ms> <present> <n>: the name may hold spaces.
        let k = a.len();
        let (ms, present) = (&a[k - 3], &a[k - 2]);
        let one = a[1..k - 3].join(" ");
        // The wait's length stays in the details: it is the probe's patience, give or take the scheduler.
        return CheckResult::fail(
            KIND,
            points,
            format!("{one} waited at the roll call, but only {present} of the {n} {who} came: they ran one after the other, not at the same time; {}", spec.fix),
        )
        .with_details(format!("the probe (`{call}`) holds a roll call that the {n} {who} pass only when all of them run at once; {one} waited {ms} ms"));
    }
    let threads: BTreeSet<&str> = said.iter().filter(|w| w.first().is_some_and(|k| k == "thread")).filter_map(|w| w.get(1).map(String::as_str)).collect();
    if let Some(t) = spec.threads.filter(|t| threads.len() > *t as usize) {
        let fix = spec.threads_fix.as_deref().unwrap_or("share the work between them");
        return CheckResult::fail(KIND, points, format!("more threads than the {t} {who} did the work: {fix}"))
            .with_details(format!("{} different threads called `{call}`", threads.len()));
    }
    if said.iter().any(|w| w.first().is_some_and(|k| k == "met") && w.get(1).and_then(|c| c.parse::<u32>().ok()) == Some(n)) {
        return CheckResult::pass(KIND, points, format!("the {n} {who} ran at the same time (all {n} met at the roll call)"));
    }
    let stopped = if run.out.success() { "" } else { " (the program stopped before they all came)" };
    CheckResult::fail(KIND, points, format!("the roll call never completed: each of the {n} {who} must call `{call}` (the starting point does) while the others run{stopped}"))
}
