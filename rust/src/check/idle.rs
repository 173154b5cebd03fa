//! The `idle` check: a program that mostly waits used little CPU time while it waited
//! (see [`crate::lesson::Idle`]). The runner measures the job's user and system time; a
//! loop that polls (`try_recv` again and again) spends about all of its wall time on it.
use super::program::Run;
use super::CheckKind;
use crate::report::CheckResult;
use crate::units::millis;

const KIND: CheckKind = CheckKind::Idle;

pub(super) fn judge(run: &Run, points: u32) -> CheckResult {
    let Some(spec) = run.lesson.exercise.checks.idle.as_ref() else { return CheckResult::error(KIND, points, "no idle check in exercise.toml") };
    let (out, max) = (run.out, spec.max_cpu_percent);
    if !out.success() {
        return CheckResult::fail(KIND, points, "not measured: the program did not end cleanly");
    }
    let Some(cpu) = out.cpu else {
        return CheckResult::error(KIND, points, "not measured: on this machine the kit cannot see the CPU time of a program in the sandbox (it needs a cgroup v2 of its own)");
    };
    let wall = out.duration.as_secs_f64().max(1e-3);
    let percent = (100.0 * cpu.as_secs_f64() / wall).round() as u64;
    let used = format!("{} of CPU time in {} ({percent}%)", millis(cpu), millis(out.duration));
    // The figures stay in the details: they depend on the machine, the verdict does not.
    if percent > u64::from(max) {
        CheckResult::fail(KIND, points, format!("it used more than {max}% of its time on the CPU while it waited: it spins instead of blocking: {}", spec.fix)).with_details(used)
    } else {
        CheckResult::pass(KIND, points, format!("it waited without spinning (at most {max}% of its time on the CPU)")).with_details(used)
    }
}
