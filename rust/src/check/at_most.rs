//! The `at_most` check: what the kit's probe measured stayed within the kit's bounds
//! (see [`crate::lesson::AtMost`]).
use std::collections::BTreeMap;

use super::program::Run;
use super::CheckKind;
use crate::report::CheckResult;

const KIND: CheckKind = CheckKind::AtMost;

pub(super) fn judge(run: &Run, points: u32) -> CheckResult {
    let Some(spec) = run.lesson.exercise.checks.at_most.as_ref() else { return CheckResult::error(KIND, points, "no at_most check in exercise.toml") };
    let measured = most_per_run(run.probe);
    for (name, bound) in &spec.bounds {
        match measured.get(name.as_str()) {
            None if !run.out.success() => return CheckResult::fail(KIND, points, format!("not measured: the program stopped before the kit's probe measured the {name} run")),
            None => {
                return CheckResult::fail(
                    KIND,
                    points,
                    format!("the kit's probe measured nothing for the {name} run: the program must go through the probe's calls, as the starting point does"),
                )
            }
            // The measured most stays in the details: it depends on the scheduler, the verdict does not.
            Some(m) if m > bound => {
                return CheckResult::fail(KIND, points, format!("{name}: more {} than its bound of {bound}: {}", spec.what, spec.fix))
                    .with_details(format!("the kit's probe saw up to {m} {} in the {name} run", spec.what));
            }
            Some(_) => {}
        }
    }
    let each: Vec<String> = spec.bounds.iter().map(|(name, bound)| format!("{name} at most {bound}")).collect();
    CheckResult::pass(KIND, points, format!("{} within their bounds ({})", spec.what, each.join(", ")))
}

/// The largest value the probe told for each of the program's runs (`most <run> <value>`,
/// told at each new most).
fn most_per_run(lines: &[String]) -> BTreeMap<&str, u64> {
    let mut measured: BTreeMap<&str, u64> = BTreeMap::new();
    for l in lines {
        if let ["most", name, v] = l.split_whitespace().collect::<Vec<_>>().as_slice() {
            if let Ok(v) = v.parse::<u64>() {
                let m = measured.entry(*name).or_insert(v);
                *m = (*m).max(v);
            }
        }
    }
    measured
}
