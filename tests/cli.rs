//! The command line as a student and a script use it: exit codes, JSON, bad input.
//! The commands run on the test kit (`tests/fixtures/kit`), not on the kit's lessons.
mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn fearless() -> Command {
    let mut c = Command::cargo_bin("fearless").unwrap();
    c.env("FEARLESS_ROOT", common::fixture().root).env("FEARLESS_TARGET", common::kit().root.join("target/lessons-tests")).env("NO_COLOR", "1");
    c.timeout(std::time::Duration::from_secs(300));
    c
}

/// A copy of the test kit with only its relay lesson (an MPSC channel), to break on purpose.
fn kit_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::fixture().root;
    common::copy_tree(&root.join("exercises/03-relay"), &tmp.path().join("exercises/03-relay"));
    tmp
}

#[test]
fn solutions_pass_with_status_0() {
    fearless().args(["check", "relay", "--from"]).arg(common::fixture().root.join("solutions")).assert().code(0).stdout(predicate::str::contains("2 of 2 done"));
}

#[test]
fn starting_points_fail_with_status_1_and_say_not_done() {
    fearless().args(["check", "relay"]).assert().code(1).stdout(predicate::str::contains("not done yet")).stdout(predicate::str::contains("hint:"));
}

#[test]
fn json_follows_the_report_schema() {
    let out = fearless().args(["check", "relay", "--lang", "ocaml", "--json", "--from"]).arg(common::fixture().root.join("solutions")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kit_version"], "0.1.0");
    let r = &v["results"][0];
    assert_eq!(r["exercise"], "relay");
    assert_eq!(r["lang"], "ocaml");
    assert_eq!(r["status"], "pass");
    assert!(r["duration_ms"].is_u64());
    let names: Vec<&str> = r["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["build", "output", "counts", "termination", "at_most"]);
    for c in r["checks"].as_array().unwrap() {
        for field in ["status", "score", "max_score", "message", "details"] {
            assert!(c.get(field).is_some(), "check without {field}");
        }
    }
    assert_eq!(v["summary"], serde_json::json!({"passed": 1, "failed": 0, "errors": 0, "score": 11, "max_score": 11}));
}

#[test]
fn unknown_id_is_bad_input() {
    fearless().args(["check", "nope"]).assert().code(2).stderr(predicate::str::contains("unknown lesson 'nope'"));
}

#[test]
fn a_lesson_is_named_by_id_folder_or_number_and_a_typo_gets_a_suggestion() {
    let kit = kit_copy();
    for id in ["relay", "03-relay", "3", "03"] {
        fearless().env("FEARLESS_ROOT", kit.path()).args(["hint", id, "--all"]).assert().code(0).stdout(predicate::str::contains("hint 4 of 4"));
    }
    let said = |args: &[&str]| {
        let out = fearless().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(said(&["check", "rleay"]).contains("unknown lesson 'rleay': did you mean 'relay'? (see `fearless list`)"));
    assert!(said(&["check", "03-rleay"]).contains("did you mean '03-relay'?"));
    assert!(said(&["hint", "spwan"]).contains("did you mean 'spawn'?"));
    assert!(said(&["check", "relay", "12"]).contains("unknown lesson '12' (see `fearless list`)"));
    assert!(said(&["check", "nope"]).contains("unknown lesson 'nope' (see `fearless list`)"));
}

#[test]
fn missing_folder_is_bad_input() {
    fearless().args(["check", "--from", "/no/such/folder"]).assert().code(2).stderr(predicate::str::contains("/no/such/folder: no such folder"));
}

#[test]
fn bad_usage_is_status_2() {
    fearless().args(["check", "--lang", "cobol"]).assert().code(2);
    fearless().args(["frobnicate"]).assert().code(2);
}

#[test]
fn malformed_metadata_names_the_file_and_line() {
    let kit = kit_copy();
    let toml = kit.path().join("exercises/03-relay/exercise.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace("time_limit_secs = 5", "time_limit_secs = \"five\"");
    std::fs::write(&toml, text).unwrap();
    fearless()
        .env("FEARLESS_ROOT", kit.path())
        .args(["check", "relay"])
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"exercises/03-relay/exercise.toml:\d+: invalid type").unwrap());
}

#[test]
fn a_broken_lesson_does_not_stop_the_others() {
    let kit = kit_copy();
    // A second lesson whose metadata is broken, and a build file broken in the first.
    common::copy_tree(&kit.path().join("exercises/03-relay"), &kit.path().join("exercises/99-broken"));
    std::fs::write(kit.path().join("exercises/99-broken/exercise.toml"), "id = \n").unwrap();
    std::fs::write(kit.path().join("exercises/03-relay/ocaml/dune"), "(executable (name main) (libraries threads.posix)").unwrap();
    fearless()
        .env("FEARLESS_ROOT", kit.path())
        .args(["check", "--from"])
        .arg(common::fixture().root.join("solutions"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("99-broken/exercise.toml:1"))
        .stdout(predicate::str::contains("✓ relay            rust"))
        .stdout(predicate::str::contains("✗ relay            ocaml"));
}

#[test]
fn hints_come_one_at_a_time() {
    let kit = kit_copy();
    let run = || fearless().env("FEARLESS_ROOT", kit.path()).args(["hint", "relay"]).output().unwrap();
    let first = String::from_utf8(run().stdout).unwrap();
    let second = String::from_utf8(run().stdout).unwrap();
    assert!(first.starts_with("hint 1 of 4:"), "{first}");
    assert!(second.starts_with("hint 2 of 4:"), "{second}");
    fearless().env("FEARLESS_ROOT", kit.path()).args(["hint", "relay", "--all"]).assert().code(0).stdout(predicate::str::contains("hint 4 of 4"));
}

/// A copy of the test kit with lessons 01 and 03 at their starting points.
fn two_lessons() -> tempfile::TempDir {
    let kit = kit_copy();
    common::copy_tree(&common::fixture().root.join("exercises/01-spawn"), &kit.path().join("exercises/01-spawn"));
    kit
}

#[test]
fn check_reads_like_a_report_card_and_names_the_lesson_to_start_with() {
    let kit = two_lessons();
    let out = fearless().env("FEARLESS_ROOT", kit.path()).env("COLUMNS", "80").arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 14, "a line per lesson and language, the first lesson's details:\n{text}");
    assert_eq!(lines.iter().filter(|l| l.contains("relay")).count(), 2, "lesson 03 is one line per language:\n{text}");
    assert!(text.contains("hint:") && !text.contains("Raised at"), "{text}");
    let last = lines.last().unwrap();
    assert_eq!(*last, "next: edit exercises/01-spawn/rust/src/main.rs, then `make check EX=spawn`", "ends by naming the lesson to start with:\n{text}");
    let full = fearless().env("FEARLESS_ROOT", kit.path()).args(["check", "--verbose"]).output().unwrap();
    let full = String::from_utf8(full.stdout).unwrap();
    assert!(full.contains("Raised at") && full.matches("hint:").count() == 2, "--verbose shows every failure:\n{full}");
    assert!(!full.contains("next:"), "{full}");
}

#[test]
fn the_report_is_laid_out_for_the_terminal_width_with_80_as_a_floor() {
    let kit = kit_copy();
    let run = |cols: &str| {
        let out = fearless().env("FEARLESS_ROOT", kit.path()).env("COLUMNS", cols).args(["check", "relay"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let wide = run("200");
    assert!(widest(&wide) > 80, "a wide terminal is used:\n{wide}");
    assert!(widest(&wide) <= 200, "{wide}");
    let narrow = run("40");
    assert!(widest(&narrow) <= 80 && widest(&narrow) > 40, "80 columns at least:\n{narrow}");
}

#[test]
fn backup_files_are_ignored_by_git() {
    let root = common::kit().root;
    let ignored = std::process::Command::new("git").arg("-C").arg(&root).args(["check-ignore", "-q", "exercises/99-any-lesson/rust/src/main.rs.bak"]).status().unwrap();
    assert!(ignored.success(), "`main.rs.bak` shows as untracked in `git status`");
}

#[test]
fn a_failure_shows_the_hint_for_its_mistake_and_the_ladder_goes_on_from_there() {
    let kit = kit_copy();
    // The drain forgets List.rev: the output check fails on the drained line, and lesson 03 says hint 3 fits.
    let mutant = common::materialise_mutant(&common::fixture_mutant("03-relay", "ocaml-drain-reversed"), fearless::lesson::Lang::Ocaml);
    std::fs::copy(mutant.path().join("main.ml"), kit.path().join("exercises/03-relay/ocaml/main.ml")).unwrap();
    let out = fearless().env("FEARLESS_ROOT", kit.path()).env("COLUMNS", "400").args(["check", "relay", "--lang", "ocaml"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("hint: Rust: the original `tx` in `main` is a sender too"), "{text}");
    assert!(text.contains("(hint 3 of 4;"), "{text}");
    let next = fearless().env("FEARLESS_ROOT", kit.path()).args(["hint", "relay"]).output().unwrap();
    assert!(String::from_utf8(next.stdout).unwrap().starts_with("hint 4 of 4:"), "the ladder goes on after the hint shown");
}

#[test]
fn hints_seen_with_all_count_as_seen() {
    let kit = kit_copy();
    fearless().env("FEARLESS_ROOT", kit.path()).args(["hint", "relay", "--all"]).assert().code(0);
    let next = fearless().env("FEARLESS_ROOT", kit.path()).args(["hint", "relay"]).output().unwrap();
    let text = String::from_utf8(next.stdout).unwrap();
    assert!(text.starts_with("hint 4 of 4:") && text.contains("that was the last one"), "{text}");
}
