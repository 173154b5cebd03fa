//! What the kit's tests share: the kit, a lesson checked from a folder, a report
//! reduced to what must not change between runs.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

use fearless::check::Context;
use fearless::dev::mutant;
use fearless::layout::Kit;
use fearless::lesson::{Lang, Lesson};
use fearless::report::LessonResult;

/// The kit itself: its lessons are what `tests/lessons.rs` and the tests of every
/// lesson hold to their contract; its `target/` holds the tests' builds.
pub fn kit() -> Kit {
    Kit { root: Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf() }
}

/// The test kit (`tests/fixtures/kit`): three small lessons of the tests' own
/// (`01-spawn`, `02-greet`, a library lesson, and `03-relay`), their solutions and the
/// mutants the tests use (`mutants/`). The tests of the kit's commands grade these, so
/// that any lesson of the kit can be removed or changed without breaking them.
pub fn fixture() -> Kit {
    Kit { root: kit().root.join("tests/fixtures/kit") }
}

/// A mutant of the test kit: `tests/fixtures/kit/mutants/<slug>/<name>`.
pub fn fixture_mutant(slug: &str, name: &str) -> PathBuf {
    fixture().root.join("mutants").join(slug).join(name)
}

/// The files of the kit but its lessons, solutions, tests and build products (what a
/// course and the Gradescope bundle take from it), with the test kit's lessons and
/// solutions in their place, copied to `dest`.
pub fn kit_with_fixture_lessons(dest: &Path) {
    let root = kit().root;
    for e in std::fs::read_dir(&root).unwrap().flatten() {
        let name = e.file_name();
        if [".git", "target", "exercises", "solutions", "tests", ".fearless"].contains(&name.to_string_lossy().as_ref()) {
            continue;
        }
        copy_kit_file(&e.path(), &dest.join(&name));
    }
    for part in ["exercises", "solutions"] {
        copy_tree(&fixture().root.join(part), &dest.join(part));
    }
}

/// A file or folder of the kit, links kept as links, build products left out.
fn copy_kit_file(from: &Path, to: &Path) {
    let meta = std::fs::symlink_metadata(from).unwrap();
    if meta.is_symlink() {
        std::os::unix::fs::symlink(std::fs::read_link(from).unwrap(), to).unwrap();
    } else if meta.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            if !["target", "_build"].contains(&e.file_name().to_string_lossy().as_ref()) {
                copy_kit_file(&e.path(), &to.join(e.file_name()));
            }
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// One target folder for all of the tests' lesson builds.
pub fn context() -> Context {
    Context::new(kit().root.join("target").join("lessons-tests"))
}

pub fn lesson(slug: &str) -> Lesson {
    kit().load(slug).unwrap_or_else(|e| panic!("{e}"))
}

/// Checks a lesson whose student files for `lang` are in `lang_dir` (a folder like
/// `exercises/03-mpsc/rust`), laid out in a temporary copy like `exercises/`.
pub fn check_dir(slug: &str, lang: Lang, lang_dir: &Path) -> LessonResult {
    check_dir_in(&context(), slug, lang, lang_dir)
}

/// [`check_dir`] in a context of the caller's (one that takes no thread stacks).
pub fn check_dir_in(ctx: &Context, slug: &str, lang: Lang, lang_dir: &Path) -> LessonResult {
    check_dir_of(ctx, &kit(), slug, lang, lang_dir)
}

/// [`check_dir_in`] for a lesson of the kit `of` (the kit's, or [`fixture`]).
pub fn check_dir_of(ctx: &Context, of: &Kit, slug: &str, lang: Lang, lang_dir: &Path) -> LessonResult {
    mutant::check_dir(ctx, &of.load(slug).unwrap_or_else(|e| panic!("{e}")), lang, lang_dir)
}

/// The kit a mutant or variant folder belongs to: the test kit's are below it.
fn kit_of(dir: &Path) -> Kit {
    if dir.starts_with(fixture().root) {
        fixture()
    } else {
        kit()
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    mutant::copy_tree(from, to).unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", from.display(), to.display()));
}

/// The parts of a result that must be the same in every run ([`mutant::stable`]).
pub fn stable(r: &LessonResult) -> Vec<String> {
    mutant::stable(r)
}

/// [`stable`], with the checks in `racy` left out ([`mutant::stable_except`]).
pub fn stable_except(r: &LessonResult, racy: &[String]) -> Vec<String> {
    mutant::stable_except(r, racy)
}

/// A mutant's student files for `lang` ([`mutant::materialise_mutant`]), from the
/// solution of the kit it belongs to (the kit's, or the test kit's for one of
/// [`fixture_mutant`]); a patch that does not apply stops the test with the mutant's
/// name and the file.
pub fn materialise_mutant(dir: &Path, lang: Lang) -> tempfile::TempDir {
    mutant::materialise_mutant(&kit_of(dir), dir, lang).unwrap_or_else(|e| panic!("{e}"))
}

/// A legal variant's student files for `lang`, as for a mutant.
pub fn materialise_variant(dir: &Path, lang: Lang) -> tempfile::TempDir {
    mutant::materialise_variant(&kit_of(dir), dir, lang).unwrap_or_else(|e| panic!("{e}"))
}

pub fn mutant_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = glob_dirs(&kit().root.join("tests/mutants"), "mutant.toml");
    v.sort();
    v
}

/// The legal variants' folders (`tests/variants/<slug>/<name>`), sorted.
pub fn variant_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = glob_dirs(&kit().root.join("tests/variants"), "variant.toml");
    v.sort();
    v
}

fn glob_dirs(root: &Path, marker: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for lesson in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for m in std::fs::read_dir(lesson.path()).into_iter().flatten().flatten() {
            if m.path().join(marker).is_file() {
                out.push(m.path());
            }
        }
    }
    out
}
