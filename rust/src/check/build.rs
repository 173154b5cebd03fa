//! The `build` check: the student's code compiles (warnings are never fatal).
use std::time::{Duration, Instant};

use super::{CheckKind, Context, Measured, Step, Stop};
use crate::lang::{Backend, Staged};
use crate::lesson::Lesson;
use crate::report::CheckResult;

/// Builds the staged lesson: the build check's result, or the [`Stop`] of a build that
/// failed or could not start (nothing after it can run).
pub(super) fn judge(ctx: &Context, backend: &dyn Backend, staged: &Staged, lesson: &Lesson, points: u32, measured: &mut Measured) -> Result<CheckResult, Stop> {
    ctx.step(Step::Building { limit: Duration::from_secs_f64(lesson.exercise.build_limit_secs) });
    let started = Instant::now();
    let build = backend.build(staged, lesson);
    measured.build_time = Some(started.elapsed());
    let build = build.map_err(|e| Stop { first: CheckResult::error(CheckKind::Build, points, e.to_string()), why: "not run: the build could not start" })?;
    if !build.ok {
        let first = CheckResult::fail(CheckKind::Build, points, build.headline).with_details(build.details);
        return Err(Stop { first, why: "not run: the build failed" });
    }
    Ok(CheckResult::pass(CheckKind::Build, points, build.headline).with_details(build.details))
}
