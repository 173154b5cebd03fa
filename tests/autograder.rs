//! Grading on other platforms: the Gradescope bundle run against a fake
//! `/autograder` in a temporary folder, and the students' GitHub Actions workflow. The
//! bundles are made from the kit with the test kit's lessons (`tests/fixtures/kit`).
mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

/// The kit's files with the test kit's lessons and solutions, made afresh once for the
/// tests below (in `target/`, kept after the run for a look).
fn bundled_kit() -> &'static Path {
    static KIT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    KIT.get_or_init(|| {
        let dir = common::kit().root.join("target/autograder-kit");
        let _ = std::fs::remove_dir_all(&dir);
        common::kit_with_fixture_lessons(&dir);
        dir
    })
}

fn fearless() -> Command {
    let mut c = Command::cargo_bin("fearless").unwrap();
    c.env("FEARLESS_ROOT", bundled_kit()).env("NO_COLOR", "1");
    c.timeout(std::time::Duration::from_secs(600));
    c
}

fn fresh(name: &str) -> PathBuf {
    let dir = common::kit().root.join("target/autograder-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Lays the bundle out as Gradescope does: unpacked into `source/`, `run_autograder` beside it.
fn fake_autograder(zip: &Path, root: &Path) -> PathBuf {
    let ag = root.join("autograder");
    std::fs::create_dir_all(&ag).unwrap();
    fearless::archive::unpack(zip, &ag.join("source"), &fearless::archive::Limits::default()).unwrap();
    std::fs::copy(ag.join("source/run_autograder"), ag.join("run_autograder")).unwrap();
    std::fs::create_dir_all(ag.join("submission")).unwrap();
    ag
}

/// Runs the bundle's run_autograder with the fearless just built, and reads results.json.
fn run_autograder(ag: &Path) -> serde_json::Value {
    let out = std::process::Command::new("bash")
        .arg(ag.join("run_autograder"))
        .env("FEARLESS_AUTOGRADER", ag)
        .env("FEARLESS_BIN", assert_cmd::cargo::cargo_bin("fearless"))
        .env_remove("FEARLESS_ROOT")
        .env_remove("FEARLESS_TARGET")
        .output()
        .unwrap();
    let results = ag.join("results/results.json");
    assert!(results.is_file(), "no results.json; stderr:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&std::fs::read_to_string(results).unwrap()).unwrap()
}

/// The fields Gradescope reads, with their types and allowed values.
fn validate(v: &serde_json::Value) {
    assert!(v["score"].is_number(), "score: {v}");
    assert!(v["execution_time"].is_number(), "execution_time: {v}");
    assert!(v["output"].is_string(), "output: {v}");
    let tests = v["tests"].as_array().expect("tests[]");
    assert!(!tests.is_empty());
    for t in tests {
        assert!(t["name"].is_string() && t["output"].is_string(), "{t}");
        assert!(t["score"].is_number() && t["max_score"].is_number(), "{t}");
        assert!(t["score"].as_f64() <= t["max_score"].as_f64(), "{t}");
        assert!(["passed", "failed"].contains(&t["status"].as_str().unwrap()), "{t}");
        assert!(["hidden", "after_due_date", "after_published", "visible"].contains(&t["visibility"].as_str().unwrap()), "{t}");
    }
    let sum: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
    assert_eq!(sum, v["score"].as_f64().unwrap(), "the score is the sum of the tests' scores");
}

#[test]
fn the_gradescope_bundle_grades_a_fake_autograder_folder() {
    let root = fresh("gradescope");
    let zip = root.join("autograder.zip");
    fearless().args(["autograder", "gradescope", "--out"]).arg(&zip).args(["--only", "relay"]).assert().code(0).stdout(predicate::str::contains("autograder.zip"));

    let ag = fake_autograder(&zip, &root);
    for f in ["setup.sh", "run_autograder", "Cargo.toml", "rust/src/main.rs", ".ci/install-deps", "exercises/03-relay/exercise.toml"] {
        assert!(ag.join("source").join(f).is_file(), "the bundle has no {f}");
    }
    assert!(!ag.join("source/solutions").exists(), "the bundle must not carry the solutions");
    assert!(!ag.join("source/target").exists(), "the bundle must not carry build products");
    for script in ["setup.sh", "run_autograder"] {
        let text = std::fs::read_to_string(ag.join("source").join(script)).unwrap();
        assert!(text.contains("--only relay") && !text.contains("@SELECTION@"), "{script}: {text}");
        let syntax = std::process::Command::new("bash").arg("-n").arg(ag.join("source").join(script)).status().unwrap();
        assert!(syntax.success(), "{script} is not valid bash");
    }

    // A student's repository, solved: full marks.
    common::copy_tree(&bundled_kit().join("exercises"), &ag.join("submission/exercises"));
    common::copy_tree(&bundled_kit().join("solutions"), &ag.join("submission/exercises"));
    let v = run_autograder(&ag);
    validate(&v);
    assert_eq!(v["score"], 22, "{v:#}");
    let names: Vec<&str> = v["tests"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"relay (rust): output") && names.contains(&"relay (ocaml): termination"), "{names:?}");

    // An empty submission: zero, and each test says why.
    std::fs::remove_dir_all(ag.join("submission")).unwrap();
    std::fs::create_dir_all(ag.join("submission")).unwrap();
    std::fs::remove_dir_all(ag.join("results")).unwrap();
    let v = run_autograder(&ag);
    validate(&v);
    assert_eq!(v["score"], 0);
    assert!(v["tests"][0]["output"].as_str().unwrap().contains("file not submitted"), "{v:#}");
}

/// OCaml library lessons (06 and 11 in the kit, 02-greet in the test kit) link alcotest in
/// their checks: the bundle's set-up installs it (`.ci/install-deps grade`: the students'
/// install and the grader's tools; the kit's script, tested by tests/install_deps.rs), and
/// a solved submission gets full marks through the bundle.
#[test]
fn the_gradescope_bundle_grades_a_solved_ocaml_library_lesson_as_passing() {
    let root = fresh("ocaml-library");
    let zip = root.join("autograder.zip");
    fearless().args(["autograder", "gradescope", "--out"]).arg(&zip).args(["--only", "greet", "--lang", "ocaml"]).assert().code(0);
    let ag = fake_autograder(&zip, &root);
    let setup = std::fs::read_to_string(ag.join("source/setup.sh")).unwrap();
    assert!(setup.lines().any(|l| l.trim() == "bash .ci/install-deps grade"), "setup.sh runs the grader's install:\n{setup}");
    let bundled = std::fs::read_to_string(ag.join("source/.ci/install-deps")).unwrap();
    assert_eq!(bundled, std::fs::read_to_string(common::kit().root.join(".ci/install-deps")).unwrap(), "the bundle carries the kit's install script");

    common::copy_tree(&bundled_kit().join("exercises"), &ag.join("submission/exercises"));
    common::copy_tree(&bundled_kit().join("solutions"), &ag.join("submission/exercises"));
    let v = run_autograder(&ag);
    validate(&v);
    let tests = v["tests"].as_array().unwrap();
    assert!(tests.iter().any(|t| t["name"].as_str().unwrap().starts_with("greet (ocaml)")), "no test of greet (ocaml): {v:#}");
    for t in tests {
        assert_eq!(t["status"], "passed", "{t:#}");
        assert_eq!(t["score"], t["max_score"], "{t:#}");
        assert!(!t["output"].as_str().unwrap().contains("not found"), "a kit error, not the student's: {t:#}");
    }
    assert!(v["score"].as_f64().unwrap() > 0.0, "{v:#}");
}

#[test]
fn run_autograder_without_setup_still_writes_results() {
    let root = fresh("not-set-up");
    let zip = root.join("autograder.zip");
    fearless().args(["autograder", "gradescope", "--out"]).arg(&zip).assert().code(0);
    let ag = fake_autograder(&zip, &root);
    let out = std::process::Command::new("bash").arg(ag.join("run_autograder")).env("FEARLESS_AUTOGRADER", &ag).env_remove("FEARLESS_BIN").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(ag.join("results/results.json")).unwrap()).unwrap();
    assert_eq!(v["score"], 0);
    assert!(v["output"].as_str().unwrap().contains("not set up"), "{v}");
}

#[test]
fn a_bundle_for_an_unknown_lesson_is_refused() {
    let root = fresh("unknown");
    fearless()
        .args(["autograder", "gradescope", "--out"])
        .arg(root.join("a.zip"))
        .args(["--only", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown lesson 'nope'"));
    assert!(!root.join("a.zip").exists());
}

/// The workflow a student's copy carries: on every push it runs `make check` and
/// uploads the report, even when the check fails.
#[test]
fn the_students_workflow_runs_make_check_and_uploads_the_report() {
    let path = common::kit().root.join(".github/workflows/check.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("push"), "runs on push");
    let check = text.lines().position(|l| l.trim() == "run: make check").expect("a step runs `make check`");
    let upload = text.lines().position(|l| l.contains("actions/upload-artifact@")).expect("a step uploads the report");
    assert!(upload > check);
    let upload_step: Vec<&str> = text.lines().skip(upload).take_while(|l| !l.trim_start().starts_with("- ")).collect();
    assert!(text.lines().skip(upload.saturating_sub(3)).take(4).any(|l| l.contains("if: always()")), "the report is uploaded when the check fails too");
    assert!(upload_step.iter().any(|l| l.contains("fearless-report")), "{upload_step:?}");
}
