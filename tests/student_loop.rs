//! The student's commands around the loop: `list` with its progress bar, `reset`
//! (starting points from git, the student's version kept), `solution` (only once
//! the lesson passes), and the overall progress under a narrowed `check`. On the test
//! kit (`tests/fixtures/kit`), not on the kit's lessons.
mod common;

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;

/// A copy of the test kit's lessons and solutions, to change freely.
fn kit_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::fixture().root;
    common::copy_tree(&root.join("exercises"), &tmp.path().join("exercises"));
    common::copy_tree(&root.join("solutions"), &tmp.path().join("solutions"));
    tmp
}

fn fearless(kit: &Path) -> Command {
    let mut c = Command::cargo_bin("fearless").unwrap();
    c.env("FEARLESS_ROOT", kit).env("FEARLESS_TARGET", common::kit().root.join("target/lessons-tests")).env("NO_COLOR", "1");
    c.timeout(std::time::Duration::from_secs(300));
    c
}

fn git(kit: &Path, args: &[&str]) {
    let out = Process::new("git").arg("-C").arg(kit).args(["-c", "user.name=student", "-c", "user.email=s@example.org"]).args(args).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn git_clone_of_the_kit() -> tempfile::TempDir {
    let kit = kit_copy();
    git(kit.path(), &["init", "-q"]);
    git(kit.path(), &["add", "."]);
    git(kit.path(), &["commit", "-q", "-m", "the kit"]);
    kit
}

const RUST_FILE: &str = "exercises/03-relay/rust/src/main.rs";

fn read(kit: &Path, rel: &str) -> String {
    std::fs::read_to_string(kit.join(rel)).unwrap()
}

#[test]
fn list_shows_progress_with_a_bar_within_80_columns() {
    let kit = kit_copy();
    std::fs::create_dir_all(kit.path().join(".fearless")).unwrap();
    // Every lesson's Rust side passed: half the bar, whatever the number of lessons.
    let slugs: Vec<String> = std::fs::read_dir(kit.path().join("exercises")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let passed: serde_json::Map<String, serde_json::Value> = slugs.iter().map(|s| (format!("{}/rust", s.split_once('-').unwrap().1), serde_json::Value::Bool(true))).collect();
    std::fs::write(kit.path().join(".fearless/state.json"), serde_json::json!({ "passed": passed }).to_string()).unwrap();
    let out = fearless(kit.path()).arg("list").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    let bar = format!("{} of {} done [", slugs.len(), 2 * slugs.len());
    assert!(text.lines().last().unwrap().starts_with(&bar), "{text}");
    assert!(text.contains("█") && text.contains("░"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("03-relay") && l.contains("✓ rust") && l.contains("· ocaml")), "{text}");
    for line in text.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "wider than 80 columns: {line}");
    }
}

#[test]
fn reset_restores_the_starting_point_and_keeps_each_version() {
    let kit = git_clone_of_the_kit();
    let start = read(kit.path(), RUST_FILE);
    std::fs::write(kit.path().join(RUST_FILE), "fn main() { /* my first try */ }\n").unwrap();
    fearless(kit.path())
        .args(["reset", "relay", "--lang", "rust"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("back to its starting point"))
        .stdout(predicate::str::contains("your version is kept in exercises/03-relay/rust/src/main.rs.bak"));
    assert_eq!(read(kit.path(), RUST_FILE), start);
    assert_eq!(read(kit.path(), &format!("{RUST_FILE}.bak")), "fn main() { /* my first try */ }\n");
    // A second reset keeps the first backup and makes another.
    std::fs::write(kit.path().join(RUST_FILE), "fn main() { /* my second try */ }\n").unwrap();
    fearless(kit.path()).args(["reset", "relay", "--lang", "rust"]).assert().code(0);
    assert_eq!(read(kit.path(), &format!("{RUST_FILE}.bak")), "fn main() { /* my first try */ }\n");
    assert_eq!(read(kit.path(), &format!("{RUST_FILE}.bak.1")), "fn main() { /* my second try */ }\n");
    fearless(kit.path()).args(["reset", "relay", "--lang", "rust"]).assert().code(0).stdout(predicate::str::contains("already at its starting point"));
    // The OCaml file was not asked for, and stays as it is.
    assert!(!kit.path().join("exercises/03-relay/ocaml/main.ml.bak").exists());
}

#[test]
fn reset_goes_back_past_the_students_own_commits() {
    let kit = git_clone_of_the_kit();
    let start = read(kit.path(), RUST_FILE);
    // The first command that saves progress remembers the commit the copy started from.
    fearless(kit.path()).args(["hint", "relay"]).assert().code(0);
    std::fs::write(kit.path().join(RUST_FILE), "fn main() { /* committed work */ }\n").unwrap();
    git(kit.path(), &["commit", "-q", "-am", "my work"]);
    fearless(kit.path()).args(["reset", "relay", "--lang", "rust"]).assert().code(0);
    assert_eq!(read(kit.path(), RUST_FILE), start);
}

#[test]
fn reset_outside_git_says_where_starting_points_come_from() {
    let kit = kit_copy();
    std::fs::write(kit.path().join(RUST_FILE), "mine\n").unwrap();
    fearless(kit.path()).args(["reset", "relay", "--lang", "rust"]).assert().code(1).stderr(predicate::str::contains("not a git clone, and starting points come from git"));
    assert_eq!(read(kit.path(), RUST_FILE), "mine\n", "nothing is lost");
    fearless(kit.path()).args(["reset", "nope"]).assert().code(2).stderr(predicate::str::contains("unknown lesson 'nope'"));
}

#[test]
fn the_solution_stays_hidden_until_the_lesson_passes() {
    let kit = kit_copy();
    let solution = std::fs::read_to_string(common::fixture().root.join("solutions/03-relay/rust/src/main.rs")).unwrap();
    let hidden = fearless(kit.path()).args(["solution", "relay", "--lang", "rust"]).output().unwrap();
    let text = String::from_utf8(hidden.stdout).unwrap();
    assert_eq!(hidden.status.code(), Some(1), "{text}");
    assert!(text.contains("relay (rust) does not pass yet"), "{text}");
    assert!(text.contains("✗ termination: not done yet"), "{text}");
    assert_eq!(text.matches("not done yet").count(), 1, "one failure said once:\n{text}");
    assert!(!text.contains("for msg in rx"), "the solution leaked:\n{text}");

    std::fs::copy(common::fixture().root.join("solutions/03-relay/rust/src/main.rs"), kit.path().join(RUST_FILE)).unwrap();
    fearless(kit.path())
        .args(["solution", "relay", "--lang", "rust"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("── solutions/03-relay/rust/src/main.rs ─"))
        .stdout(predicate::str::contains(solution));
    let state = read(kit.path(), ".fearless/state.json");
    assert!(state.contains(r#""relay/rust": true"#), "{state}");
}

#[test]
fn a_narrowed_check_shows_the_progress_of_all_lessons() {
    let kit = kit_copy();
    fearless(kit.path())
        .args(["check", "relay", "--lang", "rust"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 of 1 done [░"))
        .stdout(predicate::str::is_match(r"all lessons: 0 of \d+ done \[░+\]").unwrap());
}

/// `make build` (before `make check` and `make watch`) says when the kit is built: the
/// first time, and when a source is newer than the binary (after a `git pull`); never
/// when cargo has nothing to do. Cargo here is a stand-in that writes the binary.
#[test]
fn make_says_when_the_kit_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(common::kit().root.join("student.mk"), root.join("Makefile")).unwrap();
    for (file, text) in [("rust/src/lib.rs", ""), ("rust/Cargo.toml", ""), ("Cargo.lock", "")] {
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::write(root.join(file), text).unwrap();
    }
    let bin = root.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let cargo = "#!/bin/sh\nmkdir -p target/debug && touch target/debug/fearless && chmod +x target/debug/fearless\n";
    std::fs::write(bin.join("cargo"), cargo).unwrap();
    Process::new("chmod").arg("+x").arg(bin.join("cargo")).status().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let build = || {
        let out = Process::new("make").args(["-s", "build"]).current_dir(root).env("PATH", &path).env_remove("CARGO_TARGET_DIR").output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let past = |file: &str, secs: u64| {
        let f = std::fs::File::options().write(true).open(root.join(file)).unwrap();
        f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(secs)).unwrap();
    };
    assert_eq!(build(), "fearless: building the kit (first time; about 5 minutes)\n");
    for f in ["rust/src/lib.rs", "rust/Cargo.toml", "Cargo.lock"] {
        past(f, 60);
    }
    assert_eq!(build(), "", "nothing changed: nothing said");
    past("target/debug/fearless", 120);
    assert_eq!(build(), "fearless: building the kit (first time after an update; about 1 minute)\n");
    assert_eq!(build(), "", "said once");
}
