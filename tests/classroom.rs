//! `fearless classroom`: a course's repository, committed and cloned fresh as a student
//! gets it. In the clone `make check` builds the kit and fails every lesson at its
//! starting point with no error of the kit's, no file of `solutions/` is there (by path
//! or by bytes), every relative link of its Markdown leads somewhere, `fearless
//! solution` opens the packed solutions only for a lesson that passes, and the
//! instructor's kit grades the clone. Bad input writes nothing. The instructor's kit
//! is the kit with the test kit's lessons (`tests/fixtures/kit`) in place of its own.
mod common;

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use assert_cmd::Command;
use fearless::report::{Report, Status};
use predicates::prelude::*;

/// The lessons handed out, as `--only` names them, and their folders.
const ONLY: &str = "relay,spawn";
const SLUGS: [&str; 2] = ["01-spawn", "03-relay"];

/// The instructor's kit: the kit's files, the test kit's lessons and solutions, made
/// afresh once for the tests below (in `target/`, kept after the run for a look).
fn instructors_kit() -> &'static Path {
    static KIT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    KIT.get_or_init(|| {
        let dir = common::kit().root.join("target/classroom-kit");
        let _ = std::fs::remove_dir_all(&dir);
        common::kit_with_fixture_lessons(&dir);
        dir
    })
}

/// The instructor's kit.
fn fearless() -> Command {
    let root = instructors_kit();
    let mut c = Command::cargo_bin("fearless").unwrap();
    c.current_dir(root).env("FEARLESS_ROOT", root).env("FEARLESS_TARGET", common::kit().root.join("target/lessons-tests")).env("NO_COLOR", "1");
    c.timeout(Duration::from_secs(900));
    c
}

/// The clone's own build of the kit goes to a target folder of its own, kept between
/// runs: in the instructor's, its `fearless` would replace the instructor's binary
/// and cargo would then take that one as up to date.
fn clone_target() -> PathBuf {
    common::kit().root.join("target/classroom-tests")
}

/// A command run in the clone as a student runs it: the kit found from the folder.
fn in_clone(program: impl AsRef<std::ffi::OsStr>, clone: &Path) -> Command {
    let root = common::kit().root;
    let mut c = Command::new(program);
    c.current_dir(clone).env_remove("FEARLESS_ROOT").env_remove("MAKEFLAGS").env_remove("MAKELEVEL").env_remove("MFLAGS");
    c.env("CARGO_TARGET_DIR", clone_target()).env("FEARLESS_TARGET", root.join("target/lessons-tests")).env("NO_COLOR", "1");
    c.timeout(Duration::from_secs(900));
    c
}

fn git(dir: &Path, args: &[&str]) {
    let out = Process::new("git").current_dir(dir).args(["-c", "user.name=instructor", "-c", "user.email=i@example.org"]).args(args).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Every file below `dir` (`.git` left out), by its path from `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != ".git" {
                out.extend(files(&path).into_iter().map(|p| Path::new(&e.file_name()).join(p)));
            }
        } else {
            out.push(PathBuf::from(e.file_name()));
        }
    }
    out.sort();
    out
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn an_unknown_id_or_a_folder_in_use_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("course");
    fearless().args(["classroom", "--only", "relay,nope", "--out"]).arg(&out).assert().code(2).stderr(predicate::str::contains("unknown lesson 'nope'"));
    assert!(entries(tmp.path()).is_empty(), "{:?}", entries(tmp.path()));

    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine\n").unwrap();
    fearless().args(["classroom", "--only", "relay", "--out"]).arg(&out).assert().code(2).stderr(predicate::str::contains("is not an empty folder"));
    assert_eq!(entries(tmp.path()), ["course"]);
    assert_eq!(entries(&out), ["notes.txt"]);
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine\n");
}

#[test]
fn a_kit_whose_starting_point_is_solved_hands_out_nothing() {
    // The instructor solved 03 in their own copy of the kit: a course from it would hand out the answer.
    let root = instructors_kit();
    let kit = tempfile::tempdir().unwrap();
    for dir in ["exercises", "solutions", "rust/src", ".github", ".ci"] {
        common::copy_tree(&root.join(dir), &kit.path().join(dir));
    }
    for file in ["Cargo.toml", "Cargo.lock", "rustfmt.toml", ".gitignore", "student.mk", "rust/Cargo.toml"] {
        std::fs::copy(root.join(file), kit.path().join(file)).unwrap();
    }
    let solved = "exercises/03-relay/rust/src/main.rs";
    std::fs::copy(root.join("solutions/03-relay/rust/src/main.rs"), kit.path().join(solved)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    fearless()
        .env("FEARLESS_ROOT", kit.path())
        .args(["classroom", "--only", ONLY, "--out"])
        .arg(tmp.path().join("course"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{solved} is the same as solutions/03-relay/rust/src/main.rs")));
    assert!(entries(tmp.path()).is_empty(), "{:?}", entries(tmp.path()));
}

#[test]
fn a_course_cloned_fresh_checks_and_is_graded_with_its_solutions_packed() {
    let tmp = tempfile::tempdir().unwrap();
    let course = tmp.path().join("course");
    fearless().args(["classroom", "--only", ONLY, "--with-solutions", "--out"]).arg(&course).assert().code(0).stdout(predicate::str::contains("--only spawn,relay"));
    git(&course, &["init", "-q"]);
    git(&course, &["add", "."]);
    git(&course, &["commit", "-q", "-m", "the course"]);
    let clone = tmp.path().join("alice");
    git(tmp.path(), &["clone", "-q", course.to_str().unwrap(), "alice"]);

    holds_the_kit_for_students(&clone);
    holds_no_solution(&clone);
    every_link_resolves(&clone);
    make_check_fails_every_lesson(&clone);
    the_instructors_kit_grades_it(&clone, &tmp.path().join("graded"));
    the_solution_opens_once_a_lesson_passes(&clone);
}

fn holds_the_kit_for_students(clone: &Path) {
    let root = instructors_kit();
    assert_eq!(entries(&clone.join("exercises")), SLUGS);
    for absent in ["solutions", "tests", "bench", "ocaml", ".github/workflows/kit.yml", ".ci/run", ".ci/bench-grade"] {
        assert!(!clone.join(absent).exists(), "{absent} is in the course");
    }
    for (kit, course) in [
        ("student.mk", "Makefile"),
        (".ci/install-deps", ".ci/install-deps"),
        (".github/workflows/check.yml", ".github/workflows/check.yml"),
        ("rust/src/main.rs", "rust/src/main.rs"),
    ] {
        assert_eq!(std::fs::read_to_string(root.join(kit)).unwrap(), std::fs::read_to_string(clone.join(course)).unwrap(), "{course}");
    }
    // Modes as in the kit: the install script stays executable through git.
    for rel in files(clone).iter().filter(|p| root.join(p).is_file() && p.as_path() != Path::new("README.md")) {
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o111;
        assert_eq!(mode(&clone.join(rel)), mode(&root.join(rel)), "{}: executable bits", rel.display());
    }
    assert!(std::fs::metadata(clone.join(".ci/install-deps")).unwrap().permissions().mode() & 0o100 != 0);
    let manifest = std::fs::read_to_string(clone.join("rust/Cargo.toml")).unwrap();
    assert!(!manifest.contains("[[test]]") && !manifest.contains("../tests/"), "{manifest}");
    let readme = std::fs::read_to_string(clone.join("README.md")).unwrap();
    for said in ["make check", "make watch", "fearless hint", "fearless solution", "solutions.tar.gz", "unpack", "(exercises/01-spawn/README.md)", "(exercises/03-relay/README.md)"]
    {
        assert!(readme.contains(said), "the students' README does not say {said:?}:\n{readme}");
    }
    for unsaid in ["make test", "For instructors", "fearless grade", "02-greet"] {
        assert!(!readme.contains(unsaid), "the students' README says {unsaid:?}:\n{readme}");
    }
    // `make test` is the kit's: the course offers the student's targets only.
    in_clone("make", clone).args(["-n", "deps", "build", "check", "watch"]).assert().code(0);
    in_clone("make", clone).args(["-n", "test"]).assert().failure().stderr(predicate::str::contains("No rule to make target 'test'"));
}

/// No file whose path is in `solutions/`, and none with the bytes of any solution file.
fn holds_no_solution(clone: &Path) {
    let solutions = instructors_kit().join("solutions");
    let answers: HashMap<Vec<u8>, PathBuf> = files(&solutions).into_iter().map(|p| (std::fs::read(solutions.join(&p)).unwrap(), p)).collect();
    assert!(answers.len() >= 6, "{} solution files", answers.len());
    for rel in files(clone) {
        assert!(!rel.starts_with("solutions"), "{}", rel.display());
        let bytes = std::fs::read(clone.join(&rel)).unwrap();
        assert!(!answers.contains_key(&bytes), "{} is solutions/{}", rel.display(), answers[&bytes].display());
    }
}

fn every_link_resolves(clone: &Path) {
    let link = regex::Regex::new(r"\[[^\]\n]*\]\(([^()\s]+)\)").unwrap();
    let mut checked = 0;
    for rel in files(clone).into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(clone.join(&rel)).unwrap();
        for c in link.captures_iter(&text) {
            let target = c[1].split('#').next().unwrap();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let dir = clone.join(&rel).parent().unwrap().to_path_buf();
            assert!(dir.join(target).exists(), "{}: the link to {target} leads nowhere", rel.display());
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked} links");
    // 01's "Next:" skips 02 (not handed out) for 03; 03's link back to 02 is left as its text.
    let readme = |slug: &str| std::fs::read_to_string(clone.join("exercises").join(slug).join("README.md")).unwrap();
    assert!(readme("01-spawn").contains("Next: [03 · "), "{}", readme("01-spawn"));
    assert!(readme("03-relay").contains("Previous: 02 · A greeting from a library. "), "{}", readme("03-relay"));
}

/// Every lesson and language fails at its starting point, and nothing else goes wrong.
fn make_check_fails_every_lesson(clone: &Path) {
    let out = in_clone("make", clone).arg("check").output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{text}");
    // `fearless check` itself said 1: some lessons failed (2 would be bad input).
    assert!(text.contains("check] Error 1"), "{text}");
    for lesson in ["spawn", "relay"] {
        for lang in ["rust", "ocaml"] {
            // As a starting point: built, run, and stopped at its first `todo!()` or `failwith`.
            let line = text.lines().find(|l| l.starts_with(&format!("✗ {lesson}")) && l.split_whitespace().nth(2) == Some(lang));
            assert!(line.is_some_and(|l| l.contains("not done yet")), "{lesson}/{lang} does not fail as its starting point:\n{text}");
        }
    }
    assert!(!text.contains('✓') && text.contains("0 of 4 done"), "{text}");
    let lower = text.to_lowercase();
    for kit_error in ["not found", "cannot", "error: could not find", "no such file"] {
        assert!(!lower.contains(kit_error), "{kit_error:?} in make check's output:\n{text}");
    }
    // A student's starting point panics (`todo!()`) in its own file; the kit never does.
    for line in text.lines().filter(|l| l.contains("panicked at")) {
        assert!(line.contains("panicked at src/"), "{line}\n{text}");
    }
}

fn the_instructors_kit_grades_it(clone: &Path, graded: &Path) {
    let out = fearless().args(["grade", "--jobs", "1", "--only", ONLY, "--out"]).arg(graded).arg(clone).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{said}");
    let report = std::fs::read_to_string(graded.join("alice/report.json")).unwrap_or_else(|e| panic!("alice/report.json: {e}\n{said}"));
    let report: Report = serde_json::from_str(&report).unwrap();
    let mut seen: Vec<String> = report.results.iter().map(|r| format!("{}/{}", r.exercise, r.lang)).collect();
    seen.sort();
    assert_eq!(seen, ["relay/ocaml", "relay/rust", "spawn/ocaml", "spawn/rust"]);
    for r in &report.results {
        assert_eq!(r.status, Status::Fail, "{}/{}: {:#?}", r.exercise, r.lang, r.checks);
        // Built from the clone's files, run, and stopped at the starting point's first `todo!()` or `failwith`.
        let check = |name: &str| r.checks.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no {name} check: {:#?}", r.checks));
        assert_eq!(check("build").status, Status::Pass, "{:#?}", r.checks);
        assert!(check("termination").message.starts_with("not done yet"), "{:#?}", r.checks);
    }
    let gradebook = std::fs::read_to_string(graded.join("grades.csv")).unwrap();
    assert_eq!(gradebook.lines().next(), Some("submission,score,max_score,spawn/rust,spawn/ocaml,relay/rust,relay/ocaml"), "{gradebook}");
}

fn the_solution_opens_once_a_lesson_passes(clone: &Path) {
    let fearless_in_clone = || {
        let mut c = in_clone(clone_target().join("debug/fearless"), clone);
        c.args(["solution", "relay", "--lang", "rust"]);
        c
    };
    let answer = std::fs::read_to_string(instructors_kit().join("solutions/03-relay/rust/src/main.rs")).unwrap();
    let out = fearless_in_clone().output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("does not pass yet, so its solution stays hidden"), "{stdout}");
    assert!(!stdout.contains("── solutions/") && !stdout.contains(answer.trim()), "{stdout}");

    std::fs::write(clone.join("exercises/03-relay/rust/src/main.rs"), &answer).unwrap();
    let out = fearless_in_clone().output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("── solutions/03-relay/rust/src/main.rs") && stdout.contains(&answer), "{stdout}");
}
