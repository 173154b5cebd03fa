//! Every lesson held to its contract: each solution passes, each starting point
//! fails, and each mutant fails on the check it was written for, with its message.
mod common;

use std::path::PathBuf;

use fearless::lesson::Lang;
use fearless::report::Status;
use rstest::rstest;
use serde::Deserialize;

/// `mutant.toml`: what a faulty version must fail on.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutant {
    lang: Lang,
    /// The check that must fail.
    check: String,
    /// Text that the failing check's message must contain.
    message: String,
    /// The hint shown under this mistake (its number in the lesson's `hints`), when the
    /// lesson has one for it; without it, the mistake gets the next hint of the ladder.
    #[serde(default)]
    hint: Option<usize>,
    /// Other checks whose result, for this mistake, depends on how the real scheduler
    /// interleaves the threads (a lost wake-up hangs one run in a thousand): left out of
    /// the snapshot. The intended check never goes here.
    #[serde(default)]
    racy: Vec<String>,
    /// A hang checked a second time as on a machine that cannot take a hung program's
    /// thread stacks (no eu-stack, gdb or lldb): explained by a rule that reads the output.
    #[serde(default)]
    without_stacks: Option<Stackless>,
    /// Other checks this mistake fails, with what they say (a hang explained, behind a
    /// first failure of the output).
    #[serde(default)]
    also: Vec<Also>,
}

/// Another check a mutant fails, and text its message must contain.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Also {
    check: String,
    message: String,
}

/// What the termination check says of a mutant's hang from its output alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stackless {
    message: String,
    hint: Option<usize>,
}

#[rstest]
fn mutant_fails_on_its_check(#[files("../tests/mutants/*/*/mutant.toml")] path: PathBuf) {
    let dir = path.parent().unwrap();
    let slug = dir.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap();
    let m: Mutant = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let files = common::materialise_mutant(dir, m.lang);
    let r = common::check_dir(slug, m.lang, files.path());
    let check = r.checks.iter().find(|c| c.name == m.check).unwrap_or_else(|| panic!("{slug}/{name}: no check {}", m.check));
    assert_eq!(check.status, Status::Fail, "{slug}/{name}: {} should fail: {:#?}", m.check, r.checks);
    assert!(check.message.contains(&m.message), "{slug}/{name}: message {:?} should contain {:?}", check.message, m.message);
    assert_eq!(r.status, Status::Fail);
    assert!(!m.racy.contains(&m.check), "{slug}/{name}: the intended check cannot be racy");
    let fitting = fearless::hint::fitting(&common::lesson(slug), &r).map(|i| i + 1);
    if m.hint.is_some() || m.racy.is_empty() {
        assert_eq!(fitting, m.hint, "{slug}/{name}: the hint shown under {:?}", r.first_failure().map(|c| &c.message));
    }
    for also in &m.also {
        let c = r.checks.iter().find(|c| c.name == also.check).unwrap_or_else(|| panic!("{slug}/{name}: no check {}", also.check));
        assert!(c.status == Status::Fail && c.message.contains(&also.message), "{slug}/{name}: {} {:?} should fail with {:?}", also.check, c.message, also.message);
    }
    if let Some(s) = &m.without_stacks {
        let ctx = fearless::check::Context { stacks: false, ..common::context() };
        let r = common::check_dir_in(&ctx, slug, m.lang, files.path());
        let check = r.checks.iter().find(|c| c.name == "termination").unwrap();
        assert!(check.status == Status::Fail && check.message.contains(&s.message), "{slug}/{name} without stacks: {:?} should contain {:?}", check.message, s.message);
        assert_eq!(fearless::hint::fitting(&common::lesson(slug), &r).map(|i| i + 1), s.hint, "{slug}/{name} without stacks: the hint");
    }
    let stable = common::stable_except(&r, &m.racy);
    insta::with_settings!({snapshot_suffix => format!("{slug}-{name}"), prepend_module_to_snapshot => false}, {
        insta::assert_yaml_snapshot!("mutant", stable);
    });
}

/// `variant.toml`: a legal way to write the lesson, other than the solution's, that must pass.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Variant {
    lang: Lang,
}

#[rstest]
fn legal_variant_passes(#[files("../tests/variants/*/*/variant.toml")] path: PathBuf) {
    let dir = path.parent().unwrap();
    let slug = dir.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap();
    let v: Variant = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let files = common::materialise_variant(dir, v.lang);
    let r = common::check_dir(slug, v.lang, files.path());
    assert_eq!(r.status, Status::Pass, "{slug}/{name}: a legal variant must pass: {:#?}", r.checks);
}

#[rstest]
fn solution_passes(#[files("../exercises/*/exercise.toml")] path: PathBuf, #[values(Lang::Rust, Lang::Ocaml)] lang: Lang) {
    let slug = path.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let kit = common::kit();
    let r = common::check_dir(slug, lang, &kit.root.join("solutions").join(slug).join(lang.as_str()));
    assert_eq!(r.status, Status::Pass, "{slug}/{lang}: {:#?}", r.checks);
    assert_eq!(r.score, r.max_score);
    insta::with_settings!({snapshot_suffix => format!("{slug}-{lang}"), prepend_module_to_snapshot => false}, {
        insta::assert_yaml_snapshot!("solution", common::stable(&r));
    });
}

#[rstest]
fn starting_point_fails_with_a_todo(#[files("../exercises/*/exercise.toml")] path: PathBuf, #[values(Lang::Rust, Lang::Ocaml)] lang: Lang) {
    let slug = path.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let kit = common::kit();
    let dir = kit.root.join("exercises").join(slug).join(lang.as_str());
    let lesson = common::lesson(slug);
    for f in lesson.student_files(lang) {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        assert!(text.contains("TODO"), "{slug}/{lang}/{f} has no TODO");
    }
    let r = common::check_dir(slug, lang, &dir);
    assert_ne!(r.status, Status::Pass, "{slug}/{lang}: the starting point passes as shipped");
    assert_ne!(r.status, Status::Error, "{slug}/{lang}: the starting point cannot be checked: {:#?}", r.checks);
    // What is left to do is told with where it is, in the student's own file.
    let files = lesson.student_files(lang);
    let place = regex::Regex::new(r"\((\S+):\d+, `").unwrap();
    for c in r.checks.iter().filter(|c| c.message.starts_with("not done yet")) {
        let at = place.captures(&c.message).map(|m| m[1].to_string());
        assert!(at.as_ref().is_some_and(|f| files.iter().any(|s| s == f)), "{slug}/{lang}: {} says no place in {files:?}: {:?}", c.name, c.message);
    }
}

#[test]
fn every_lesson_has_mutants_in_both_languages() {
    let kit = common::kit();
    for lesson in kit.lessons().unwrap() {
        let lesson = lesson.unwrap();
        for lang in lesson.langs() {
            let n = std::fs::read_dir(kit.root.join("tests/mutants").join(&lesson.slug))
                .map(|d| d.flatten().filter(|e| e.file_name().to_string_lossy().starts_with(&format!("{lang}-"))).count())
                .unwrap_or(0);
            assert!(n >= 3, "{}: {n} {lang} mutants, at least 3 wanted", lesson.slug);
        }
    }
}

/// A patch that no longer fits its solution stops the run, naming the mutant and the file.
#[test]
fn a_patch_that_does_not_apply_names_the_mutant_and_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("03-mpsc/rust-stale");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mutant.patch"), "--- a/src/main.rs\n+++ b/src/main.rs\n@@ -1,2 +1,2 @@\n-no such line\n+a mistake\n no such context\n").unwrap();
    let e = std::panic::catch_unwind(|| common::materialise_mutant(&dir, Lang::Rust)).unwrap_err();
    let msg = e.downcast_ref::<String>().unwrap();
    assert!(msg.starts_with("mutant 03-mpsc/rust-stale: mutant.patch does not apply to "), "{msg}");
    assert!(msg.contains("solutions/03-mpsc/rust/src/main.rs"), "{msg}");
}

/// Lesson 11's `lesson06-channel` mutants are lesson 06's solution as it stands.
#[test]
fn lesson06_channel_mutants_are_lesson_06s_solution() {
    let root = common::kit().root;
    for (lang, file) in [(Lang::Rust, "src/channel.rs"), (Lang::Ocaml, "chan.ml")] {
        let dir = root.join("tests/mutants/11-fast-channel").join(format!("{lang}-lesson06-channel"));
        let files = common::materialise_mutant(&dir, lang);
        let solution = root.join("solutions/06-build-a-channel").join(lang.as_str()).join(file);
        assert!(
            std::fs::read(files.path().join(file)).unwrap() == std::fs::read(&solution).unwrap(),
            "{}: not {}; make its mutant.patch again (see tests/mutants/README.md)",
            dir.display(),
            solution.display()
        );
    }
}

/// The languages an explain rule can fit: its `lang`, else those whose blocking calls it
/// names (`Receiver::recv` is Rust's, `Condition.wait` OCaml's), else both.
fn rule_langs(r: &fearless::lesson::Explanation) -> Vec<Lang> {
    match (r.lang, r.blocked_in.as_deref()) {
        (Some(l), _) => vec![l],
        (None, Some(call)) if call.contains("::") => vec![Lang::Rust],
        (None, Some(call)) if call.contains('.') => vec![Lang::Ocaml],
        _ => vec![Lang::Rust, Lang::Ocaml],
    }
}

/// Every explain rule is proven by a mutant: one of that language whose termination
/// message is a part of this rule's sentence and of no other rule's of the lesson, so
/// that `mutant_fails_on_its_check` seeing it means this rule explained that hang.
#[test]
fn every_explain_rule_has_a_mutant() {
    let kit = common::kit();
    let mut missing = Vec::new();
    for lesson in kit.lessons().unwrap().into_iter().map(Result::unwrap) {
        let slug = lesson.slug.clone();
        let rules = lesson.exercise.checks.termination.as_ref().map(|t| t.explain.clone()).unwrap_or_default();
        // (language, with stacks, message) of each hang a mutant proves.
        let proofs: Vec<(Lang, bool, String)> = std::fs::read_dir(kit.root.join("tests/mutants").join(&slug))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path().join("mutant.toml")).ok())
            .map(|t| toml::from_str(&t).unwrap())
            .flat_map(|m: Mutant| {
                let stackless = m.without_stacks.map(|s| (m.lang, false, s.message));
                let lang = m.lang;
                let also = m.also.into_iter().filter(|a| a.check == "termination").map(move |a| (lang, true, a.message));
                (m.check == "termination").then_some((m.lang, true, m.message)).into_iter().chain(also).chain(stackless)
            })
            .collect();
        for (i, rule) in rules.iter().enumerate() {
            for lang in rule_langs(rule) {
                let unique = |m: &str| rules.iter().enumerate().filter(|(_, r)| rule_langs(r).contains(&lang)).all(|(j, r)| j == i || !r.because.contains(m));
                if !proofs.iter().any(|(l, stacks, m)| *l == lang && *stacks == rule.blocked_in.is_some() && rule.because.contains(m.as_str()) && unique(m)) {
                    missing.push(format!("{slug} {lang} rule {} ({:?}): {}", i + 1, rule.blocked_in, rule.because));
                }
            }
        }
    }
    assert!(missing.is_empty(), "explain rules no mutant proves:\n{}", missing.join("\n"));
}
