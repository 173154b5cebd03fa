//! The `apart` check: every read-modify-write of the shared value was whole, as the
//! kit's probe saw it (see [`crate::lesson::Apart`]).
use super::program::Run;
use super::CheckKind;
use crate::report::CheckResult;

const KIND: CheckKind = CheckKind::Apart;

pub(super) fn judge(run: &Run, points: u32) -> CheckResult {
    let Some(spec) = run.lesson.exercise.checks.apart.as_ref() else { return CheckResult::error(KIND, points, "no apart check in exercise.toml") };
    let call = spec.call.get(&run.lang).map(String::as_str).unwrap_or("the probe's pause");
    let said = run.probe.iter().rev().find_map(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        match w.as_slice() {
            ["pauses", n, "overlap", o] => Some((n.parse::<u32>().ok()?, *o == "1")),
            _ => None,
        }
    });
    match said {
        // A program that ended well without a word from the probe never called it (OCaml links only what is used).
        None if run.out.success() => {
            CheckResult::fail(KIND, points, format!("`{call}` never ran: it stands for the work between the read and the write, and belongs in every update"))
        }
        None => CheckResult::fail(KIND, points, format!("the kit's probe never reported: the program did not run to its end (its updates each call `{call}`)")),
        Some((_, true)) => CheckResult::fail(KIND, points, format!("two {} were between reading the shared value and writing it back at the same time: {}", spec.who, spec.fix)),
        Some((n, false)) if n != spec.pauses => CheckResult::fail(
            KIND,
            points,
            format!("`{call}` ran {n} times, not {}: it stands for the work between the read and the write, and belongs in every update", spec.pauses),
        ),
        Some((n, false)) => CheckResult::pass(KIND, points, format!("every update was whole: in {n} updates no two {} were ever between a read and its write at once", spec.who)),
    }
}
