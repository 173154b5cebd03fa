//! OCaml: each lesson is a dune project (`(lang dune 2.9)`, `threads.posix`), built
//! in the release profile so that warnings stay warnings.
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;

use super::reused::Made;
use super::{tail, Backend, Build, Staged, SuiteRun, TestRun};
use crate::lesson::{Lang, Lesson};
use crate::runner::{self, Job, Limits, Outcome, RunError};
use crate::stacks::{BlockingCall, FrameReader};

pub struct Ocaml;

impl Ocaml {
    /// `dune build` of `targets` (`main.exe`, `tests/test_chan.exe`), which are then in the
    /// staged tree's `_build/default/`. For a student's own checks ([`Staged::reuse`]) dune
    /// builds in a folder of the lesson's own beside the cargo target folder (not inside:
    /// a cargo job is given that folder whole, and a dune job its own), kept between
    /// checks so that only what changed is compiled again, and the programs are copied
    /// into the staged tree; otherwise it builds in the staged tree itself.
    fn build_targets(&self, staged: &Staged, lesson: &Lesson, limits: Limits, targets: &[String]) -> Result<Outcome, RunError> {
        let paths = targets.iter().map(|t| format!("./{t}"));
        if !staged.reuse {
            return runner::run(&Self::dune(&staged.dir, limits).args(paths));
        }
        let kept = super::beside(&staged.target_dir, "ocaml").join(super::plain_name(&lesson.slug)?);
        let _lock = super::lock_build(&kept.with_extension("lock"))?;
        super::sync_tree_keeping(&staged.dir, &kept, &["_build"])?;
        let out = runner::run(&Self::dune(&kept, limits).args(paths))?;
        if out.success() {
            for t in targets {
                let to = staged.dir.join("_build/default").join(t);
                std::fs::create_dir_all(to.parent().unwrap_or(&staged.dir))?;
                runner::copy_program(&kept.join("_build/default").join(t), &to)?;
            }
        }
        Ok(out)
    }

    fn dune(root: &std::path::Path, limits: Limits) -> Job {
        Job::new("dune", root, limits).compiler().env("DUNE_CACHE", "disabled").args(["build", "--root", ".", "--profile", "release", "--display", "quiet", "--no-print-directory"])
    }
}

/// The suite's test program, as `exercise.toml` names it: `tests/test_chan.exe`.
fn suite_program(args: &[String]) -> Result<&str, RunError> {
    let exe = args.first().map(String::as_str).unwrap_or("");
    let plain = exe.ends_with(".exe") && !exe.starts_with('/') && exe.split('/').all(|c| super::plain_name(c.trim_end_matches(".exe")).is_ok());
    if plain {
        Ok(exe)
    } else {
        Err(RunError::Io(std::io::Error::other(format!("the lesson's OCaml suite must name its test program (like `tests/test_chan.exe`), not {exe:?}"))))
    }
}

/// The test programs of every OCaml suite of the lesson, in the order of their names.
fn suite_programs(lesson: &Lesson) -> Vec<String> {
    let mut exes: Vec<String> = crate::lesson::CheckKind::ALL
        .iter()
        .filter_map(|k| lesson.exercise.checks.suite(*k))
        .filter(|s| s.langs.as_ref().is_none_or(|l| l.contains(&Lang::Ocaml)))
        .filter_map(|s| suite_program(s.args.get(&Lang::Ocaml)?).ok().map(String::from))
        .collect();
    exes.sort();
    exes.dedup();
    exes
}

/// The tests of a suite, from the kit's own sources: every `Verdict.test_case "<name>"`
/// in the `.ml` files of the test program's folder.
pub fn suite_tests(lesson: &Lesson, exe: &str) -> Vec<String> {
    let dir = lesson.dir.join("ocaml").join(std::path::Path::new(exe).parent().unwrap_or(std::path::Path::new("")));
    static TEST_CASE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"Verdict\.test_case\s+"([^"]*)""#).expect("a valid pattern"));
    let mut files: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "ml")).collect();
    files.sort();
    files.iter().flat_map(|f| std::fs::read_to_string(f).map(|t| TEST_CASE.captures_iter(&t).map(|c| c[1].to_string()).collect::<Vec<_>>()).unwrap_or_default()).collect()
}

/// dune's diagnostics, split into error blocks and warning blocks, each once.
pub fn diagnostics(stderr: &str) -> (Vec<String>, Vec<String>) {
    // With `CI` set, dune echoes each failed command before its diagnostics; that is not the student's error.
    static CI_ECHO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\s+\S+ .*\(exit \d+\)|\(cd _build/.*\))$").expect("a valid pattern"));
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in stderr.lines().filter(|l| !CI_ECHO.is_match(l)) {
        if line.starts_with("File \"") || blocks.is_empty() {
            blocks.push(vec![line]);
        } else if let Some(b) = blocks.last_mut() {
            b.push(line);
        }
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for b in blocks {
        let text = b.join("\n").trim_end().to_string();
        // dune compiles a module for bytecode and for native code: the same warning twice.
        if text.is_empty() || text.starts_with("Done:") || errors.contains(&text) || warnings.contains(&text) {
            continue;
        }
        if b.iter().any(|l| l.starts_with("Error")) {
            errors.push(text);
        } else if b.iter().any(|l| l.starts_with("Warning") || l.starts_with("Alert")) {
            warnings.push(text);
        } else if !text.starts_with("File \"") {
            errors.push(text);
        }
    }
    (errors, warnings)
}

/// "test name: why" for alcotest's first failing test, or the `FAIL why` line a kit test
/// program prints when it stops a run itself (a watchdog).
pub fn first_failure(text: &str) -> Option<String> {
    static FAILED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[FAIL\]\s+\S+\s+\d+\s+(.*?)\.?\s*(?:│.*)?$").expect("a valid pattern"));
    let name = text.lines().find_map(|l| FAILED.captures(l).map(|c| c[1].trim().to_string()));
    // alcotest logs every check as `ASSERT`; only a failed one also says `FAIL`. A test
    // that raised is shown as `[failure] message` or `[exception] Name(...)`.
    static RAISED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\[(?:failure|exception)\] (.*)$").expect("a valid pattern"));
    let why =
        text.lines().find_map(|l| l.strip_prefix("FAIL ")).or_else(|| text.lines().find_map(|l| RAISED.captures(l.trim()).map(|c| c.get(1).unwrap().as_str())))?.trim().to_string();
    Some(match name {
        Some(name) => format!("{name}: {why}"),
        None => why,
    })
}

/// "Error: Unbound value chan (main.ml, line 12)"
fn headline(block: &str) -> String {
    static LOCATION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"^File "([^"]+)", line (\d+)"#).expect("a valid pattern"));
    let at = block.lines().next().and_then(|l| LOCATION.captures(l)).map(|c| format!(" ({}, line {})", &c[1], &c[2])).unwrap_or_default();
    let msg: Vec<&str> = block.lines().skip_while(|l| !l.starts_with("Error")).take_while(|l| !l.trim().is_empty()).map(|l| l.trim()).take(2).collect();
    let msg = if msg.is_empty() { block.lines().next().unwrap_or("").to_string() } else { msg.join(" ") };
    format!("{msg}{at}")
}

fn build_report(stderr: &str, ok: bool) -> Build {
    let (errors, warnings) = diagnostics(stderr);
    let mut parts = errors.clone();
    parts.extend(warnings.iter().cloned());
    let headline = Build::headline(ok, errors.first().map(|e| headline(e)), warnings.len(), stderr);
    Build { ok, headline, details: parts.join("\n\n") }
}

/// The blocking calls of OCaml's threads library and runtime that a hung thread waits in.
static BLOCKING: LazyLock<[BlockingCall; 5]> = LazyLock::new(|| {
    [
        BlockingCall::new("Event.sync", r"^camlEvent__", None, "no other thread will ever take part in this rendezvous"),
        BlockingCall::new("Condition.wait", r"^caml_condition_wait", None, "nobody will ever signal the condition it waits for"),
        BlockingCall::new("Mutex.lock", r"^caml_mutex_lock", Some(r"pthread_mutex_lock|lll_lock_wait"), "the lock is held by a thread that never releases it (a deadlock)"),
        BlockingCall::new("Thread.join", r"^caml_thread_join", None, "the thread it waits for never finishes"),
        BlockingCall::new("Thread.delay", r"^(caml_thread_delay|unix_sleep|caml_unix_sleep|camlThread__delay)", None, "it sleeps for longer than the time limit"),
    ]
});

/// An OCaml function's symbol: `camlDune__exe__Main__recv_123` is `recv` of module `Main`.
static SYMBOL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^caml(?:Dune__exe__)?([A-Z][A-Za-z0-9]*)__(.+?)(?:_\d+)?$").expect("a valid pattern"));
/// The student's function in a symbol (module names may hold `_`; anonymous functions are `fun_...`).
static STUDENT_SYMBOL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^caml(?:Dune__exe__)?[A-Z][A-Za-z0-9_]*?__(.+?)_\d+$").expect("a valid pattern"));

impl FrameReader for Ocaml {
    fn lang(&self) -> Lang {
        Lang::Ocaml
    }

    fn blocking_calls(&self) -> &[BlockingCall] {
        &*BLOCKING
    }

    /// `camlDune__exe__Main__recv_123` -> `recv`; an anonymous function is none.
    fn student_function(&self, frame: &str) -> Option<String> {
        let name = STUDENT_SYMBOL.captures(frame)?.get(1)?.as_str().to_string();
        (!name.starts_with("fun")).then_some(name)
    }

    /// `camlDune__exe__Main__recv_123` -> `Main.recv`; `camlDune__exe__Main__entry` -> `Main (top level)`.
    fn readable(&self, frame: &str) -> String {
        match SYMBOL.captures(frame) {
            Some(c) if &c[2] == "entry" => format!("{} (top level)", &c[1]),
            Some(c) => format!("{}.{}", &c[1], &c[2]),
            None => frame.to_string(),
        }
    }

    /// OCaml's stages often share one `recv`: the function tells which.
    fn place_names_function(&self) -> bool {
        true
    }
}

impl Backend for Ocaml {
    fn build_command(&self) -> &'static str {
        "dune build --profile release"
    }

    fn build(&self, staged: &Staged, lesson: &Lesson) -> Result<Build, RunError> {
        let limits = Limits::build(Duration::from_secs_f64(lesson.exercise.build_limit_secs));
        // The program only: the kit's test suites build theirs when they run, and a warning
        // in a file they compile again would otherwise be told once per copy.
        let exe = staged.dir.join("_build/default/main.exe");
        staged.once("dune build ./main.exe", || {
            let out = self.build_targets(staged, lesson, limits, &["main.exe".to_string()])?;
            let timed_out = out.ending == runner::Ending::TimedOut;
            let build = if timed_out { Build::timed_out(lesson.exercise.build_limit_secs, &out.stderr_text()) } else { build_report(&out.stderr_text(), out.success()) };
            Ok(Made { files: if build.ok { vec![staged.relative(&exe)] } else { Vec::new() }, keep: !timed_out, value: build })
        })
    }

    fn program(&self, staged: &Staged, _lesson: &Lesson, work: &std::path::Path) -> Result<Job, RunError> {
        Ok(Job::new(staged.dir.join("_build/default/main.exe"), work, Limits::build(Duration::from_secs(10))).scratch(work).readable(&staged.dir).env("OCAMLRUNPARAM", "b"))
    }

    fn test(&self, staged: &Staged, lesson: &Lesson, suite: &SuiteRun) -> Result<TestRun, RunError> {
        let (exe, wall) = (suite_program(&suite.args)?, suite.wall);
        // The suite's program is built by dune (which runs no student code), then run by the
        // kit: with every other suite's of the lesson in one dune build, the first time; alone
        // when that fails, so that what a suite reports is its own.
        let all = suite_programs(lesson);
        let mut memo = staged.suites.lock().unwrap_or_else(|e| e.into_inner());
        let built_together = all.iter().any(|e| e == exe) && {
            match memo.get(&all) {
                Some(built) => built.is_some(),
                None => {
                    // When grading, the programs of the same bytes built earlier in the run are copied instead.
                    let built = staged.once(&format!("dune build {}", all.join(" ")), || {
                        let build = self.build_targets(staged, lesson, Limits::build(wall), &all)?;
                        let files = all.iter().map(|e| staged.relative(&staged.dir.join("_build/default").join(e))).collect();
                        Ok(Made { value: build.success(), files: if build.success() { files } else { Vec::new() }, keep: build.success() })
                    })?;
                    memo.insert(all.clone(), built.then(Vec::new));
                    built
                }
            }
        };
        // A suite built alone holds the memo too: one dune at a time in the staged tree.
        let build =
            if built_together { Outcome::empty(crate::contain::Containment::Trusted) } else { self.build_targets(staged, lesson, Limits::build(wall), &[exe.to_string()])? };
        drop(memo);
        if !build.success() {
            let told = build.stderr_text();
            return Ok(TestRun::not_built(build, &told, |stderr| build_report(stderr, false).headline));
        }
        // A folder of this suite's own: the suites of a lesson run at once.
        let work = staged.work(&format!("tests-{}", exe.replace(['/', '.'], "-")))?;
        let channel = super::verdict::Channel::open()?;
        let limits = Limits::suite(wall.saturating_sub(build.duration).max(Duration::from_secs(1)), &lesson.exercise.limits);
        let job = channel.give(
            suite.budgeted(Job::new(staged.dir.join("_build/default").join(exe), &work, limits).scratch(&work).readable(&staged.dir).env("OCAMLRUNPARAM", "b")),
            suite.per_test,
        );
        let outcome = runner::run(&job);
        drop(job);
        let reports = channel.finish();
        let outcome = outcome?;
        let text = format!("{}\n{}", outcome.stdout_text(), outcome.stderr_text());
        let fail_lines: Vec<&str> = text.lines().filter(|l| l.contains("[FAIL]") || l.contains("ASSERT") || l.contains("Expected") || l.contains("Received")).collect();
        let log = if fail_lines.is_empty() { tail(&text, 30) } else { fail_lines.join("\n") };
        Ok(super::test_run(&suite_tests(lesson, exe), reports, outcome, first_failure(&text), log))
    }

    /// "not done yet: work is not written yet (main.ml:30, `failwith`)": the starting points'
    /// `failwith "TODO: ..."`, placed by the first frame of the backtrace in the lesson's own code.
    fn unfinished(&self, stderr: &str) -> Option<String> {
        static TODO_FAILURE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"exception Failure\("TODO:?\s*([^"]*)"\)"#).expect("a valid pattern"));
        let c = TODO_FAILURE.captures(stderr)?;
        // The program's own modules are `Dune__exe__*`; the backtrace starts in the standard library.
        static TODO_FRAME: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"(?m)^Called from Dune__exe__\S* in file "([^"]+)"(?: \(inlined\))?, line (\d+)"#).expect("a valid pattern"));
        let at = TODO_FRAME.captures(stderr).map(|f| format!(" ({}:{}, `failwith`)", &f[1], &f[2])).unwrap_or_default();
        Some(format!("not done yet: {}{at}", &c[1]))
    }

    fn failure(&self, stderr: &str) -> Option<String> {
        static FATAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^(Fatal error: .*|Thread \d+ killed on uncaught exception .*)$").expect("a valid pattern"));
        FATAL.captures(stderr).map(|c| c[1].to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_dune_echoes_under_ci_is_not_the_error() {
        let stderr = "      ocamlc .main.eobjs/byte/dune__exe__Main.{cmi,cmo,cmt} (exit 2)\n(cd _build/default && /usr/bin/ocamlc.opt -w -40 -g -c -impl main.ml)\nFile \"main.ml\", line 30, characters 36-42:\n30 |       say \"%d\" result;\n                  ^^^^^^\nError: This expression has type unit but an expression was expected of type\n         int\n";
        let (errors, warnings) = diagnostics(stderr);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(warnings.is_empty());
        assert_eq!(headline(&errors[0]), "Error: This expression has type unit but an expression was expected of type int (main.ml, line 30)");
    }

    #[test]
    fn a_warning_dune_prints_for_bytecode_and_for_native_code_counts_once() {
        let warning = "File \"main.ml\", line 3, characters 6-7:\n3 |   let x = 1 in\n          ^\nWarning 26 [unused-var]: unused variable x.";
        let other = warning.replace("line 3", "line 9");
        let (errors, warnings) = diagnostics(&format!("{warning}\n{warning}\n{other}\n"));
        assert!(errors.is_empty());
        assert_eq!(warnings, vec![warning.to_string(), other]);
        assert!(build_report(&format!("{warning}\n{warning}\n"), true).headline.contains("1 warning"), "{}", build_report(&format!("{warning}\n{warning}\n"), true).headline);
    }

    #[test]
    fn places_an_unfinished_part_in_the_lesson_s_own_code() {
        let stderr = "Thread 3 killed on uncaught exception Failure(\"TODO: add_one is not written yet\")\nRaised at Stdlib.failwith in file \"stdlib.ml\", line 29, characters 17-33\nCalled from Dune__exe__Main.add_one in file \"main.ml\" (inlined), line 37, characters 2-45\nCalled from Dune__exe__Main.worker in file \"main.ml\", line 47, characters 4-14\n";
        assert_eq!(Ocaml.unfinished(stderr).as_deref(), Some("not done yet: add_one is not written yet (main.ml:37, `failwith`)"));
        // Without a backtrace, the text alone.
        assert_eq!(Ocaml.unfinished("Fatal error: exception Failure(\"TODO: recv\")\n").as_deref(), Some("not done yet: recv"));
        assert_eq!(Ocaml.unfinished("Fatal error: exception Failure(\"bad\")\n"), None);
    }

    #[test]
    fn names_alcotest_s_first_failure() {
        let out = "> [FAIL]        chan         10   the last close wakes a receiver.\n│ [FAIL]        chan         10   the last close wakes a receiver.     │\nASSERT a check that passed\nASSERT the last close must broadcast\nFAIL the last close must broadcast\n1 failure! in 5.0s. 12 tests run.";
        assert_eq!(first_failure(out).as_deref(), Some("the last close wakes a receiver: the last close must broadcast"));
        assert_eq!(first_failure("Testing.\nFAIL no progress for 5 s\n").as_deref(), Some("no progress for 5 s"));
        assert_eq!(first_failure("Test Successful in 0.1s. 3 tests run."), None);
        let raised =
            "> [FAIL]        chan          0   a sent message is received.\n[failure] TODO: make a channel\n          Raised at Stdlib.failwith\n12 failures! in 0.001s. 12 tests run.";
        assert_eq!(first_failure(raised).as_deref(), Some("a sent message is received: TODO: make a channel"));
    }
}
