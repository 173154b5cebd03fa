//! The `termination` check: the program exits with status 0 within the lesson's time
//! limit. A program that did not is told why: the limit it ran into, its panic, or for a
//! hang, where its threads were blocked (from their stacks, see [`crate::stacks`]).
use std::sync::LazyLock;

use regex::Regex;

use super::program::Run;
use super::CheckKind;
use crate::interleaving;
use crate::lang;
use crate::lesson::{Arrived, Limits};
use crate::report::CheckResult;
use crate::runner::{self, Ending, Outcome};
use crate::stacks;
use crate::units::{human_bytes, millis, secs};

const KIND: CheckKind = CheckKind::Termination;

/// Lines of stderr in the details.
const STDERR_LINES: usize = 20;

pub(super) fn judge(run: &Run, points: u32) -> CheckResult {
    let lesson = run.lesson;
    let limit = secs(lesson.exercise.time_limit_secs);
    let (out, stderr) = (run.out, &run.stderr);
    // A limit the program ran into comes first: it is what the student must change.
    let hit = limit_hit(out, stderr, &lesson.exercise.limits);
    let with_hit = |rest: String| match &hit {
        Some(h) => format!("{h}; {rest}"),
        None => rest,
    };
    let fail = |message: String| CheckResult::fail(KIND, points, message).with_details(lang::tail(stderr, STDERR_LINES));
    match &out.ending {
        // A process of the program was killed for the total memory (cgroups v1 kills one, not all): not a clean end.
        Ending::Exited(0) if out.memory_capped => fail(hit.clone().unwrap_or_default()),
        Ending::Exited(0) => CheckResult::pass(KIND, points, format!("exited cleanly within the {limit} limit")).with_details(format!("ran for {}", millis(out.duration))),
        Ending::Exited(code) => fail(hit.clone().or_else(|| run.backend.failure(stderr)).unwrap_or_else(|| format!("exited with status {code}"))),
        Ending::Signalled(sig) => fail(hit.clone().unwrap_or_else(|| format!("killed by {}", runner::signal_name(*sig)))),
        Ending::OutputCapped => fail(with_hit(format!("output cut at {}: the program printed without end and was stopped", human_bytes(lesson.exercise.limits.output_bytes)))),
        Ending::DiskCapped => fail(format!("wrote more than {} in its folder (the limit): the program was stopped", human_bytes(runner::JOB_WRITE_BYTES))),
        Ending::TimedOut => {
            let (sentence, details) = hang(run);
            CheckResult::fail(KIND, points, with_hit(format!("killed after {limit}: {sentence}"))).with_details(details)
        }
    }
}

/// Why a program that was killed at its time limit hung, and the picture of its
/// threads behind it: from their stacks, else from its output alone.
fn hang(run: &Run) -> (String, String) {
    let arrival = arrival(run);
    let arrived = &arrival.words;
    let termination = run.lesson.exercise.checks.termination.as_ref();
    let rules = termination.map(|t| t.explain.as_slice()).unwrap_or(&[]);
    let files = run.lesson.student_files(run.lang);
    let reader = stacks::WithCalls::new(run.backend, &lesson_calls(termination, run.lang));
    // Without stacks, a rule that reads the output may still say why.
    let from_output = || stacks::explain(&[], &reader, rules, &arrival).unwrap_or_else(|| format!("{arrived}, then it kept running"));
    match &run.out.stacks {
        Some(Ok(st)) => {
            let pos = stacks::positions(st, &reader, files);
            let sentence = stacks::explain(&pos, &reader, rules, &arrival).unwrap_or_else(|| format!("{arrived}, then the program kept running outside its own code"));
            let summary = stacks::summary(st, &pos, &reader, files);
            (sentence, format!("threads in your code when it was killed ({}):\n{summary}", st.tool))
        }
        Some(Err(why)) => (from_output(), why.clone()),
        None => (from_output(), String::new()),
    }
}

/// The lesson's own blocking calls in `lang` (their patterns were checked when it loaded).
fn lesson_calls(termination: Option<&crate::lesson::Termination>, lang: crate::lesson::Lang) -> Vec<stacks::BlockingCall> {
    let specs = termination.map(|t| t.blocking.as_slice()).unwrap_or(&[]);
    specs.iter().filter(|b| b.lang == lang).filter_map(|b| stacks::BlockingCall::parse(&b.name, &b.frame, b.deeper.as_deref(), &b.reason).ok()).collect()
}

/// How much of the expected output a killed run had printed.
fn arrival(run: &Run) -> stacks::Arrival {
    let (words, state) = match (run.streams.as_ref(), run.lesson.exercise.checks.output.as_ref()) {
        (Some(s), Some(spec)) => {
            let c = interleaving::count(s, &spec.expected, &run.stdout);
            match (c.actual_total(), c.expected_total()) {
                (0, _) => ("no message arrived".to_string(), Arrived::None),
                (a, e) if a == e && c.ok() => (format!("all {e} messages arrived"), Arrived::All),
                (a, e) => (format!("{a} of {e} messages arrived"), Arrived::Some),
            }
        }
        _ => {
            let n = interleaving::lines(&run.stdout).len();
            (format!("the program printed {n} lines"), if n == 0 { Arrived::None } else { Arrived::Some })
        }
    };
    stacks::Arrival { words, state, told: run.probe.to_vec() }
}

/// What a program prints when the kernel refused it more threads or processes.
static THREADS_REFUSED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"failed to spawn thread|Resource temporarily unavailable|os error 11\b|Cannot fork|fork: retry|EAGAIN").expect("a valid pattern"));
/// ... more memory.
static MEMORY_REFUSED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"memory allocation of \d+ bytes failed|(?i:out of memory)|Cannot allocate memory|os error 12\b").expect("a valid pattern"));
/// ... more room on disk.
static DISK_REFUSED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"No space left on device|os error 28\b|ENOSPC").expect("a valid pattern"));

/// The limit a program ran into, in words, from how it ended and what it printed
/// (the kernel's refusals reach the program as errors it usually prints).
fn limit_hit(out: &Outcome, stderr: &str, limits: &Limits) -> Option<String> {
    // The job's cgroup killed a process: what it printed before (a failed fork, say) is a consequence.
    if out.memory_capped {
        return Some(format!("memory limit ({} MiB for the program and all its processes together) exceeded", limits.memory_mib));
    }
    if THREADS_REFUSED.is_match(stderr) {
        return Some(format!("more than {} threads and processes at once (the limit)", limits.threads));
    }
    if DISK_REFUSED.is_match(stderr) {
        return Some(format!("wrote more than {} in its folder and /tmp (the limit)", human_bytes(runner::JOB_WRITE_BYTES)));
    }
    if MEMORY_REFUSED.is_match(stderr) {
        return Some(format!("memory limit ({}) exceeded", human_bytes(limits.memory_mib << 20)));
    }
    match out.ending {
        Ending::Signalled(libc::SIGXCPU) => Some(format!("CPU-time limit ({} s) used up", limits.cpu_secs)),
        Ending::Signalled(libc::SIGXFSZ) => Some(format!("wrote a file larger than the limit ({})", human_bytes(runner::PROGRAM_FILE_BYTES))),
        _ => None,
    }
}
