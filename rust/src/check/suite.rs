//! The checks that run one of the kit's test suites against the student's code:
//! `tests`, `efficiency`, `model` and `stress`. Points in proportion to the tests passed.
use std::time::Duration;

use super::{CheckKind, Context, Step};
use crate::lang::{Backend, Staged, SuiteRun};
use crate::lesson::{Lesson, Mistake};
use crate::report::CheckResult;
use crate::runner::{self, Job};

pub(super) fn judge(ctx: &Context, backend: &dyn Backend, staged: &Staged, lesson: &Lesson, kind: CheckKind, points: u32) -> CheckResult {
    let Some(suite) = lesson.exercise.checks.suite(kind) else { return CheckResult::error(kind, points, format!("no {kind} suite in exercise.toml")) };
    let args = suite.args.get(&backend.lang()).cloned().unwrap_or_default();
    let wall = Duration::from_secs_f64(suite.time_limit_secs.unwrap_or(lesson.exercise.build_limit_secs));
    ctx.step(Step::BuildingSuite { suite: kind.to_string(), limit: wall });
    // The backend builds the suite, then runs it: its first program (no toolchain, not
    // the kit's own step) starts the run, and the countdown.
    let (started, on_step) = (std::cell::Cell::new(false), ctx.clone());
    let starting = move |job: &Job| {
        if !job.compiler && !job.trusted && !started.replace(true) {
            on_step.step(Step::Testing { suite: kind.to_string(), limit: job.limits.wall });
        }
    };
    let spec = SuiteRun { args, wall, per_test: suite.test_limit_secs.map(Duration::from_secs_f64), budget: suite.budget };
    let run = match runner::telling(starting, || backend.test(staged, lesson, &spec)) {
        Ok(r) => r,
        Err(e) => return CheckResult::error(kind, suite.points, format!("the tests could not start: {e}")),
    };
    if let Some(why) = run.broken {
        return CheckResult::fail(kind, suite.points, why).with_details(run.log);
    }
    let total = run.passed + run.failed;
    if run.failed == 0 {
        return CheckResult::pass(kind, suite.points, format!("{} of {} tests passed", run.passed, total));
    }
    // Partial credit: points in proportion to the tests that passed.
    let first = run.first_failure.map(|f| format!(": {}", worded(&lesson.exercise.mistakes, &f))).unwrap_or_default();
    let mut r = CheckResult::fail(kind, suite.points, format!("{} of {} tests failed{first}", run.failed, total)).with_details(run.log);
    r.score = suite.points * run.passed / total.max(1);
    r
}

/// A failure in the lesson's one wording of its mistake ([`Mistake`]): the failure up to
/// what it says (the test's name), then the lesson's words; otherwise as it is.
fn worded(mistakes: &[Mistake], failure: &str) -> String {
    let at = |m: &Mistake| m.says.iter().find_map(|s| failure.find(s.as_str())).map(|i| format!("{}{}", &failure[..i], m.because));
    mistakes.iter().find_map(at).unwrap_or_else(|| failure.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_mistake_is_told_in_the_lessons_words_after_the_tests_name() {
        let m = [Mistake { says: vec!["recv returned without".into(), "recv returned None".into()], because: "wait in a `while` loop".into() }];
        assert_eq!(worded(&m, "a_message_arrives: recv returned without it\n  left: Err(RecvError)"), "a_message_arrives: wait in a `while` loop");
        assert_eq!(worded(&m, "one producer: recv returned None (while)"), "one producer: wait in a `while` loop");
        assert_eq!(worded(&m, "other: something else"), "other: something else");
    }
}
