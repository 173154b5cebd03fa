//! Every lesson held to its contract: each solution passes, each starting point
//! fails, and each mutant fails on the check it was written for, with its message.
mod common;

use std::path::PathBuf;

use fearless::dev::{coverage, mutant, runs};
use fearless::lesson::Lang;
use fearless::report::Status;
use rstest::rstest;

#[rstest]
fn mutant_fails_on_its_check(#[files("../tests/mutants/*/*/mutant.toml")] path: PathBuf) {
    let dir = path.parent().unwrap();
    let slug = dir.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap();
    let m = mutant::load(dir).unwrap_or_else(|e| panic!("{slug}/{name}: {e}"));
    let outcome = mutant::run(&common::context(), &common::kit(), &common::lesson(slug), dir, &m);
    assert!(outcome.complaints.is_empty(), "{slug}/{name}:\n{}", outcome.complaints.join("\n"));
    let stable = outcome.stable;
    insta::with_settings!({snapshot_suffix => format!("{slug}-{name}"), prepend_module_to_snapshot => false}, {
        insta::assert_yaml_snapshot!("mutant", stable);
    });
}

#[rstest]
fn legal_variant_passes(#[files("../tests/variants/*/*/variant.toml")] path: PathBuf) {
    let dir = path.parent().unwrap();
    let slug = dir.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap();
    let v: mutant::Variant = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let files = common::materialise_variant(dir, v.lang);
    let r = common::check_dir(slug, v.lang, files.path());
    assert_eq!(r.status, Status::Pass, "{slug}/{name}: a legal variant must pass: {:#?}", r.checks);
}

#[rstest]
fn solution_passes(#[files("../exercises/*/exercise.toml")] path: PathBuf, #[values(Lang::Rust, Lang::Ocaml)] lang: Lang) {
    let slug = path.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let kit = common::kit();
    let r = common::check_dir(slug, lang, &kit.root.join("solutions").join(slug).join(lang.as_str()));
    let complaints = runs::solution(&r);
    assert!(complaints.is_empty(), "{slug}/{lang}: {complaints:?}: {:#?}", r.checks);
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
    let complaints = runs::starting_point(&lesson, &r);
    assert!(complaints.is_empty(), "{slug}/{lang}: {complaints:?}: {:#?}", r.checks);
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
    // A mutant of the test kit's relay lesson: whatever lessons the kit has.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("03-relay/rust-stale");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mutant.patch"), "--- a/src/main.rs\n+++ b/src/main.rs\n@@ -1,2 +1,2 @@\n-no such line\n+a mistake\n no such context\n").unwrap();
    let msg = fearless::dev::mutant::materialise_mutant(&common::fixture(), &dir, Lang::Rust).unwrap_err();
    assert!(msg.starts_with("mutant 03-relay/rust-stale: mutant.patch does not apply to "), "{msg}");
    assert!(msg.contains("solutions/03-relay/rust/src/main.rs"), "{msg}");
}

/// Lesson 11's `lesson06-channel` mutants are lesson 06's solution as it stands.
#[test]
fn lesson06_channel_mutants_are_lesson_06s_solution() {
    let root = common::kit().root;
    for (lang, file) in [(Lang::Rust, "src/channel.rs"), (Lang::Ocaml, "chan.ml")] {
        let dir = root.join("tests/mutants/11-fast-channel").join(format!("{lang}-lesson06-channel"));
        if !dir.is_dir() {
            // Lesson 11 removed from the kit (with 06, whose files it links): nothing to hold.
            continue;
        }
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

/// Every explain rule is proven by a mutant ([`coverage::unproven`]): one of that
/// language whose termination message is a part of this rule's sentence and of no other
/// rule's of the lesson, so that `mutant_fails_on_its_check` seeing it means this rule
/// explained that hang.
#[test]
fn every_explain_rule_has_a_mutant() {
    let kit = common::kit();
    let mut missing = Vec::new();
    for lesson in kit.lessons().unwrap().into_iter().map(Result::unwrap) {
        let mutants: Vec<_> = mutant::of_lesson(&kit, &lesson.slug).into_iter().map(|f| f.mutant.unwrap()).collect();
        missing.extend(coverage::unproven(&lesson, &mutants).into_iter().map(|r| format!("{} {r}", lesson.slug)));
    }
    assert!(missing.is_empty(), "explain rules no mutant proves:\n{}", missing.join("\n"));
}
