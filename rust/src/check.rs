//! Checking one lesson in one language: lay out a scratch build, build, run
//! (through the runner), apply the lesson's checks, and make the result.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::interleaving::{self, Streams};
use crate::lang::{self, Backend, StageError, Staged};
use crate::lesson::{Arrived, Lang, Lesson, TestSuite};
use crate::report::{CheckResult, LessonResult, Status};
use crate::runner::{self, Ending, Limits, Outcome, RunError};
use crate::stacks;

/// Where checks put their build products, and who hears what a check is doing.
#[derive(Clone, Debug)]
pub struct Context {
    /// A cargo target folder shared by every lesson checked in this context.
    pub target_dir: PathBuf,
    /// Told at each step that takes time (the watch loop shows a countdown from it).
    pub on_step: Option<StepObserver>,
}

impl Context {
    pub fn new(target_dir: PathBuf) -> Context {
        Context { target_dir, on_step: None }
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
    let checks = run_checks(ctx, lesson, lang, student_root, &mut measured);
    (LessonResult::from_checks(lesson.id(), lang, checks, started.elapsed().as_millis() as u64), measured)
}

/// A lesson that could not be checked for this submission at all (its archive would
/// not unpack, say): every declared check keeps its points, so the maximum is right.
pub fn unchecked(lesson: &Lesson, lang: Lang, why: &str) -> LessonResult {
    let checks = declared(lesson, lang)
        .into_iter()
        .enumerate()
        .map(|(i, (name, points))| if i == 0 { CheckResult::error(name, points, why) } else { CheckResult::skipped(name, points, "not run: the lesson could not be checked") })
        .collect();
    let mut r = LessonResult::from_checks(lesson.id(), lang, checks, 0);
    r.status = Status::Error;
    r
}

/// Every check of the lesson, in order, with its points.
fn declared(lesson: &Lesson, lang: Lang) -> Vec<(&'static str, u32)> {
    let c = &lesson.exercise.checks;
    let suite = |s: &Option<TestSuite>| s.as_ref().filter(|s| s.langs.as_ref().is_none_or(|l| l.contains(&lang))).map(|s| s.points);
    [
        ("build", c.build.as_ref().map(|p| p.points)),
        ("tests", suite(&c.tests)),
        ("efficiency", suite(&c.efficiency)),
        ("output", c.output.as_ref().map(|o| o.points)),
        ("counts", c.counts.as_ref().map(|p| p.points)),
        ("termination", c.termination.as_ref().map(|t| t.points)),
        ("together", c.together.as_ref().map(|t| t.points)),
        ("at_most", c.at_most.as_ref().filter(|a| a.langs.as_ref().is_none_or(|l| l.contains(&lang))).map(|a| a.points)),
        ("apart", c.apart.as_ref().filter(|a| a.langs.as_ref().is_none_or(|l| l.contains(&lang))).map(|a| a.points)),
        ("model", suite(&c.model)),
        ("stress", suite(&c.stress)),
    ]
    .into_iter()
    .filter_map(|(n, p)| p.map(|p| (n, p)))
    .collect()
}

fn run_checks(ctx: &Context, lesson: &Lesson, lang: Lang, student_root: &Path, measured: &mut Measured) -> Vec<CheckResult> {
    let declared = declared(lesson, lang);
    let skip_all = |first: CheckResult, why: &str| -> Vec<CheckResult> {
        let mut v = vec![first.clone()];
        v.extend(declared.iter().filter(|(n, _)| *n != first.name).map(|(n, p)| CheckResult::skipped(n, *p, why)));
        v
    };
    let build_points = declared.iter().find(|c| c.0 == "build").map(|c| c.1).unwrap_or(0);

    // Closed to other users: without bubblewrap, other jobs' users must not read this submission.
    let scratch = match crate::scratch::dir("check") {
        Ok(d) => d,
        Err(e) => return skip_all(CheckResult::error("build", build_points, format!("cannot make a scratch folder: {e}")), "not run: no scratch folder"),
    };
    let staged = Staged { dir: scratch.path().join(lang.as_str()), root: scratch.path().to_path_buf(), target_dir: ctx.target_dir.clone() };
    let student_dir = student_root.join(&lesson.slug).join(lang.as_str());
    if let Err(e) = lang::stage(lesson, lang, &student_dir, &staged.dir) {
        let status = match e {
            StageError::Io(_) => CheckResult::error("build", build_points, e.to_string()),
            _ => CheckResult::fail("build", build_points, e.to_string()),
        };
        return skip_all(status, "not run: nothing to build");
    }

    let backend = lang::backend(lang);
    ctx.step(Step::Building { limit: Duration::from_secs_f64(lesson.exercise.build_limit_secs) });
    let build_started = Instant::now();
    let build = backend.build(&staged, lesson);
    measured.build_time = Some(build_started.elapsed());
    let build = match build {
        Ok(b) => b,
        Err(e) => return skip_all(CheckResult::error("build", build_points, e.to_string()), "not run: the build could not start"),
    };
    let build_result =
        if build.ok { CheckResult::pass("build", build_points, build.headline) } else { CheckResult::fail("build", build_points, build.headline) }.with_details(build.details);
    if !build.ok {
        return skip_all(build_result, "not run: the build failed");
    }

    // The program's checks judge one run; a lesson may ask for several (its threads in
    // another order each time), and the first run that fails any of them is the one judged.
    let program_checks: Vec<(&str, u32)> = declared.iter().copied().filter(|(n, _)| PROGRAM_CHECKS.contains(n)).collect();
    let probed = program_checks.iter().any(|(n, _)| matches!(*n, "together" | "apart" | "at_most"));
    let runs = lesson.exercise.program_runs.max(1);
    let mut judged: Vec<CheckResult> = Vec::new();
    for round in 0..runs {
        if program_checks.is_empty() {
            break;
        }
        judged = match run_program(ctx, backend, &staged, lesson, round, probed) {
            Ok((out, probe_lines)) => {
                let judged = program_checks.iter().map(|(n, p)| program_check(backend, lesson, lang, n, *p, &out, &probe_lines)).collect();
                measured.run = Some(out);
                judged
            }
            Err(e) => program_checks.iter().map(|(n, p)| CheckResult::error(n, *p, format!("the program could not start: {e}"))).collect(),
        };
        if judged.iter().any(|r| r.status != Status::Pass) {
            // Said only when an earlier run passed: then the student may have seen this program pass.
            if round > 0 {
                let note = format!("(run {} of {runs}: the kit runs the program up to {runs} times, its threads in another order each time, and every run must pass; the runs before this one passed)", round + 1);
                for r in judged.iter_mut().filter(|r| r.status != Status::Pass) {
                    r.details = if r.details.is_empty() { note.clone() } else { format!("{}\n{note}", r.details) };
                }
            }
            break;
        }
    }

    let mut results = Vec::new();
    for (name, points) in declared {
        let r = match name {
            "build" => build_result.clone(),
            "tests" | "efficiency" | "model" | "stress" => {
                let c = &lesson.exercise.checks;
                let suite = match name {
                    "tests" => c.tests.as_ref(),
                    "efficiency" => c.efficiency.as_ref(),
                    "model" => c.model.as_ref(),
                    _ => c.stress.as_ref(),
                };
                test_suite(ctx, backend, &staged, lesson, name, suite.expect("declared"))
            }
            _ => judged.iter().find(|r| r.name == name).cloned().unwrap_or_else(|| CheckResult::error(name, points, "the program did not run")),
        };
        results.push(r);
    }
    results
}

/// The checks that judge a run of the program (the others judge the build or a test suite).
const PROGRAM_CHECKS: [&str; 6] = ["output", "counts", "termination", "together", "apart", "at_most"];

/// Runs the program once, as round `round` (`FEARLESS_ROUND`), with the probe's pipe when
/// the lesson has a probe: its outcome and what the probe told the kit.
fn run_program(ctx: &Context, backend: &dyn Backend, staged: &Staged, lesson: &Lesson, round: u32, probed: bool) -> Result<(Outcome, Vec<String>), RunError> {
    let wall = Duration::from_secs_f64(lesson.exercise.time_limit_secs);
    let work = staged.work("program")?;
    let mut job = backend.program(staged, lesson, &work)?.with_stacks().env("FEARLESS_ROUND", round.to_string());
    job.limits = Limits::program(wall, &lesson.exercise.limits);
    let probe = if probed { Some(lang::verdict::Pipe::open()?) } else { None };
    if let Some(p) = &probe {
        job = p.give(job);
    }
    ctx.step(Step::Running { limit: wall });
    let out = runner::run(&job);
    drop(job);
    let probe_lines = probe.map(|p| p.finish()).unwrap_or_default();
    Ok((out?, probe_lines))
}

fn test_suite(ctx: &Context, backend: &dyn Backend, staged: &Staged, lesson: &Lesson, name: &str, suite: &TestSuite) -> CheckResult {
    let lang = backend.lang();
    let args = suite.args.get(&lang).cloned().unwrap_or_default();
    let wall = Duration::from_secs_f64(suite.time_limit_secs.unwrap_or(lesson.exercise.build_limit_secs));
    ctx.step(Step::Testing { suite: name.to_string(), limit: wall });
    let run = match backend.test(staged, lesson, &args, wall) {
        Ok(r) => r,
        Err(e) => return CheckResult::error(name, suite.points, format!("the tests could not start: {e}")),
    };
    if let Some(why) = run.broken {
        return CheckResult::fail(name, suite.points, why).with_details(run.log);
    }
    let total = run.passed + run.failed;
    if run.failed == 0 {
        return CheckResult::pass(name, suite.points, format!("{} of {} tests passed", run.passed, total));
    }
    // Partial credit: points in proportion to the tests that passed.
    let first = run.first_failure.map(|f| format!(": {f}")).unwrap_or_default();
    let mut r = CheckResult::fail(name, suite.points, format!("{} of {} tests failed{first}", run.failed, total)).with_details(run.log);
    r.score = suite.points * run.passed / total.max(1);
    r
}

fn program_check(backend: &dyn Backend, lesson: &Lesson, lang: Lang, name: &str, points: u32, out: &Outcome, probe_lines: &[String]) -> CheckResult {
    let stdout = out.stdout_text();
    let stderr = out.stderr_text();
    if let Some(todo) = backend.unfinished(&stderr) {
        return CheckResult::fail(name, points, todo).with_details(lang::tail(&stderr, 10));
    }
    let spec = lesson.exercise.checks.output.as_ref();
    let streams = spec.map(|s| Streams::new(&s.streams).expect("validated when the lesson was loaded"));
    let killed_note = match out.ending {
        Ending::TimedOut => format!("\n(the program was killed after {} s; this is its output until then)", lesson.exercise.time_limit_secs),
        Ending::OutputCapped => format!("\n(output cut at {})", human_bytes(lesson.exercise.limits.output_bytes)),
        Ending::DiskCapped => format!("\n(stopped: it wrote more than {} in its folder)", human_bytes(runner::JOB_WRITE_BYTES)),
        _ => String::new(),
    };
    match name {
        "output" => {
            let spec = spec.expect("declared");
            let problems = interleaving::compare(streams.as_ref().unwrap(), &spec.expected, &stdout);
            if problems.is_empty() {
                return CheckResult::pass(name, points, "every stream complete and in order");
            }
            let mut message = problems[0].to_string();
            if problems.len() > 1 {
                message.push_str(&format!(" (and {} more problem{})", problems.len() - 1, if problems.len() == 2 { "" } else { "s" }));
            }
            let listed: Vec<String> = problems.iter().take(20).map(|p| format!("- {p}\n")).collect();
            let listed = if problems.len() > 1 { format!("{}\n", listed.concat()) } else { String::new() };
            let details = format!("{listed}output:\n{}{}", lang::tail(&stdout, 40), killed_note);
            CheckResult::fail(name, points, message).with_details(details)
        }
        "counts" => {
            let spec = spec.expect("validated: counts needs output");
            let counts = interleaving::count(streams.as_ref().unwrap(), &spec.expected, &stdout);
            if counts.ok() {
                CheckResult::pass(name, points, counts.message())
            } else {
                CheckResult::fail(name, points, counts.message()).with_details(killed_note.trim().to_string())
            }
        }
        "termination" => termination(backend, lesson, lang, points, out, streams.as_ref()),
        "together" => together(lesson, lang, points, out, probe_lines),
        "apart" => apart(lesson, lang, points, out, probe_lines),
        "at_most" => at_most(lesson, points, out, probe_lines),
        _ => CheckResult::error(name, points, format!("unknown check '{name}'")),
    }
}

/// What the kit's probe saw of the workers (see [`crate::lesson::Together`]).
fn together(lesson: &Lesson, lang: Lang, points: u32, out: &Outcome, lines: &[String]) -> CheckResult {
    let name = "together";
    let Some(spec) = lesson.exercise.checks.together.as_ref() else { return CheckResult::error(name, points, "no together check in exercise.toml") };
    let n = spec.workers;
    let who = &spec.who;
    let call = spec.call.get(&lang).map(String::as_str).unwrap_or("the probe");
    let words = |l: &String| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    let said: Vec<Vec<String>> = lines.iter().map(words).collect();
    if let Some(a) = said.iter().find(|w| w.first().is_some_and(|k| k == "alone") && w.len() >= 5) {
        // alone <who...> <ms> <present> <n>: the name may hold spaces.
        let k = a.len();
        let (ms, present) = (&a[k - 3], &a[k - 2]);
        let one = a[1..k - 3].join(" ");
        // The wait's length stays in the details: it is the probe's patience, give or take the scheduler.
        return CheckResult::fail(
            name,
            points,
            format!("{one} waited at the roll call, but only {present} of the {n} {who} came: they ran one after the other, not at the same time; {}", spec.fix),
        )
        .with_details(format!("the probe (`{call}`) holds a roll call that the {n} {who} pass only when all of them run at once; {one} waited {ms} ms"));
    }
    let threads: std::collections::BTreeSet<&str> = said.iter().filter(|w| w.first().is_some_and(|k| k == "thread")).filter_map(|w| w.get(1).map(String::as_str)).collect();
    if let Some(t) = spec.threads.filter(|t| threads.len() > *t as usize) {
        let fix = spec.threads_fix.as_deref().unwrap_or("share the work between them");
        return CheckResult::fail(name, points, format!("more threads than the {t} {who} did the work: {fix}"))
            .with_details(format!("{} different threads called `{call}`", threads.len()));
    }
    if said.iter().any(|w| w.first().is_some_and(|k| k == "met") && w.get(1).and_then(|c| c.parse::<u32>().ok()) == Some(n)) {
        return CheckResult::pass(name, points, format!("the {n} {who} ran at the same time (all {n} met at the roll call)"));
    }
    let stopped = if out.success() { "" } else { " (the program stopped before they all came)" };
    CheckResult::fail(name, points, format!("the roll call never completed: each of the {n} {who} must call `{call}` (the starting point does) while the others run{stopped}"))
}

/// What the kit's probe saw of the read-modify-writes (see [`crate::lesson::Apart`]).
fn apart(lesson: &Lesson, lang: Lang, points: u32, out: &Outcome, lines: &[String]) -> CheckResult {
    let name = "apart";
    let Some(spec) = lesson.exercise.checks.apart.as_ref() else { return CheckResult::error(name, points, "no apart check in exercise.toml") };
    let call = spec.call.get(&lang).map(String::as_str).unwrap_or("the probe's pause");
    let said = lines.iter().rev().find_map(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        match w.as_slice() {
            ["pauses", n, "overlap", o] => Some((n.parse::<u32>().ok()?, *o == "1")),
            _ => None,
        }
    });
    match said {
        // A program that ended well without a word from the probe never called it (OCaml links only what is used).
        None if out.success() => CheckResult::fail(name, points, format!("`{call}` never ran: it stands for the work between the read and the write, and belongs in every update")),
        None => CheckResult::fail(name, points, format!("the kit's probe never reported: the program did not run to its end (its updates each call `{call}`)")),
        Some((_, true)) => CheckResult::fail(name, points, format!("two {} were between reading the shared value and writing it back at the same time: {}", spec.who, spec.fix)),
        Some((n, false)) if n != spec.pauses => CheckResult::fail(
            name,
            points,
            format!("`{call}` ran {n} times, not {}: it stands for the work between the read and the write, and belongs in every update", spec.pauses),
        ),
        Some((n, false)) => CheckResult::pass(name, points, format!("every update was whole: in {n} updates no two {} were ever between a read and its write at once", spec.who)),
    }
}

/// What the kit's probe measured against the kit's bounds (see [`crate::lesson::AtMost`]).
fn at_most(lesson: &Lesson, points: u32, out: &Outcome, lines: &[String]) -> CheckResult {
    let name = "at_most";
    let Some(spec) = lesson.exercise.checks.at_most.as_ref() else { return CheckResult::error(name, points, "no at_most check in exercise.toml") };
    // The probe tells each new most of a run: the largest counts.
    let mut measured: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for l in lines {
        if let ["most", run, v] = l.split_whitespace().collect::<Vec<_>>().as_slice() {
            if let Ok(v) = v.parse::<u64>() {
                let m = measured.entry(*run).or_insert(v);
                *m = (*m).max(v);
            }
        }
    }
    for (run, bound) in &spec.bounds {
        match measured.get(run.as_str()) {
            None if !out.success() => return CheckResult::fail(name, points, format!("not measured: the program stopped before the kit's probe measured the {run} run")),
            None => {
                return CheckResult::fail(
                    name,
                    points,
                    format!("the kit's probe measured nothing for the {run} run: the program must go through the probe's calls, as the starting point does"),
                )
            }
            // The measured most stays in the details: it depends on the scheduler, the verdict does not.
            Some(m) if m > bound => {
                return CheckResult::fail(name, points, format!("{run}: more {} than its bound of {bound}: {}", spec.what, spec.fix))
                    .with_details(format!("the kit's probe saw up to {m} {} in the {run} run", spec.what));
            }
            Some(_) => {}
        }
    }
    let each: Vec<String> = spec.bounds.iter().map(|(run, bound)| format!("{run} at most {bound}")).collect();
    CheckResult::pass(name, points, format!("{} within their bounds ({})", spec.what, each.join(", ")))
}

fn termination(backend: &dyn Backend, lesson: &Lesson, lang: Lang, points: u32, out: &Outcome, streams: Option<&Streams>) -> CheckResult {
    let name = "termination";
    let limit = lesson.exercise.time_limit_secs;
    let stderr = out.stderr_text();
    // A limit the program ran into comes first: it is what the student must change.
    let hit = limit_hit(out, &stderr, &lesson.exercise.limits);
    let with_hit = |rest: String| match &hit {
        Some(h) => format!("{h}; {rest}"),
        None => rest,
    };
    match &out.ending {
        // A process of the program was killed for the total memory (cgroups v1 kills one, not all): not a clean end.
        Ending::Exited(0) if out.memory_capped => CheckResult::fail(name, points, hit.clone().unwrap_or_default()).with_details(lang::tail(&stderr, 20)),
        Ending::Exited(0) => CheckResult::pass(name, points, format!("exited cleanly within the {limit} s limit")).with_details(format!("ran for {} ms", out.duration.as_millis())),
        Ending::Exited(code) => {
            let why = hit.clone().or_else(|| backend.failure(&stderr)).unwrap_or_else(|| format!("exited with status {code}"));
            CheckResult::fail(name, points, why).with_details(lang::tail(&stderr, 20))
        }
        Ending::Signalled(sig) => {
            let why = hit.clone().unwrap_or_else(|| format!("killed by {}", runner::signal_name(*sig)));
            CheckResult::fail(name, points, why).with_details(lang::tail(&stderr, 20))
        }
        Ending::OutputCapped => CheckResult::fail(
            name,
            points,
            with_hit(format!("output cut at {}: the program printed without end and was stopped", human_bytes(lesson.exercise.limits.output_bytes))),
        )
        .with_details(lang::tail(&stderr, 20)),
        Ending::DiskCapped => {
            CheckResult::fail(name, points, format!("wrote more than {} in its folder (the limit): the program was stopped", human_bytes(runner::JOB_WRITE_BYTES)))
                .with_details(lang::tail(&stderr, 20))
        }
        Ending::TimedOut => {
            let arrival = arrival(streams, lesson, &out.stdout_text());
            let arrived = &arrival.words;
            let rules = lesson.exercise.checks.termination.as_ref().map(|t| t.explain.as_slice()).unwrap_or(&[]);
            // Without stacks, a rule that reads the output may still say why.
            let from_output = || stacks::explain(&[], lang, rules, &arrival).unwrap_or_else(|| format!("{arrived}, then it kept running"));
            let (sentence, details) = match &out.stacks {
                Some(Ok(st)) => {
                    let pos = stacks::positions(st, lang, lesson.student_files(lang));
                    let s = stacks::explain(&pos, lang, rules, &arrival);
                    let summary = stacks::summary(st, &pos, lesson.student_files(lang));
                    (
                        s.unwrap_or_else(|| format!("{arrived}, then the program kept running outside its own code")),
                        format!("threads in your code when it was killed ({}):\n{summary}", st.tool),
                    )
                }
                Some(Err(why)) => (from_output(), why.clone()),
                None => (from_output(), String::new()),
            };
            CheckResult::fail(name, points, with_hit(format!("killed after {limit} s: {sentence}"))).with_details(details)
        }
    }
}

/// How much of the expected output a killed run had printed.
fn arrival(streams: Option<&Streams>, lesson: &Lesson, stdout: &str) -> stacks::Arrival {
    let (words, state) = match (streams, lesson.exercise.checks.output.as_ref()) {
        (Some(s), Some(spec)) => {
            let c = interleaving::count(s, &spec.expected, stdout);
            match (c.actual_total(), c.expected_total()) {
                (0, _) => ("no message arrived".to_string(), Arrived::None),
                (a, e) if a == e && c.ok() => (format!("all {e} messages arrived"), Arrived::All),
                (a, e) => (format!("{a} of {e} messages arrived"), Arrived::Some),
            }
        }
        _ => {
            let n = interleaving::lines(stdout).len();
            (format!("the program printed {n} lines"), if n == 0 { Arrived::None } else { Arrived::Some })
        }
    };
    stacks::Arrival { words, state }
}

/// The limit a program ran into, in words, from how it ended and what it printed
/// (the kernel's refusals reach the program as errors it usually prints).
fn limit_hit(out: &Outcome, stderr: &str, limits: &crate::lesson::Limits) -> Option<String> {
    let threads = regex::Regex::new(r"failed to spawn thread|Resource temporarily unavailable|os error 11\b|Cannot fork|fork: retry|EAGAIN").unwrap();
    let memory = regex::Regex::new(r"memory allocation of \d+ bytes failed|(?i:out of memory)|Cannot allocate memory|os error 12\b").unwrap();
    // The job's cgroup killed a process: what it printed before (a failed fork, say) is a consequence.
    if out.memory_capped {
        return Some(format!("memory limit ({} MiB for the program and all its processes together) exceeded", limits.memory_mib));
    }
    if threads.is_match(stderr) {
        return Some(format!("more than {} threads and processes at once (the limit)", limits.threads));
    }
    let disk = regex::Regex::new(r"No space left on device|os error 28\b|ENOSPC").unwrap();
    if disk.is_match(stderr) {
        return Some(format!("wrote more than {} in its folder and /tmp (the limit)", human_bytes(runner::JOB_WRITE_BYTES)));
    }
    if memory.is_match(stderr) {
        return Some(format!("memory limit ({}) exceeded", human_bytes(limits.memory_mib << 20)));
    }
    match out.ending {
        Ending::Signalled(libc::SIGXCPU) => Some(format!("CPU-time limit ({} s) used up", limits.cpu_secs)),
        Ending::Signalled(libc::SIGXFSZ) => Some(format!("wrote a file larger than the limit ({})", human_bytes(runner::PROGRAM_FILE_BYTES))),
        _ => None,
    }
}

pub fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}
