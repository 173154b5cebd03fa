//! What the kit's tests share: the kit, a lesson checked from a folder, a report
//! reduced to what must not change between runs.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

use fearless::check::Context;
use fearless::dev::mutant;
use fearless::layout::Kit;
use fearless::lesson::{Lang, Lesson};
use fearless::report::LessonResult;

pub fn kit() -> Kit {
    Kit { root: Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf() }
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
    mutant::check_dir(ctx, &lesson(slug), lang, lang_dir)
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

/// A mutant's student files for `lang` ([`mutant::materialise_mutant`]); a patch that
/// does not apply stops the test with the mutant's name and the file.
pub fn materialise_mutant(dir: &Path, lang: Lang) -> tempfile::TempDir {
    mutant::materialise_mutant(&kit(), dir, lang).unwrap_or_else(|e| panic!("{e}"))
}

/// A legal variant's student files for `lang`, as for a mutant.
pub fn materialise_variant(dir: &Path, lang: Lang) -> tempfile::TempDir {
    mutant::materialise_variant(&kit(), dir, lang).unwrap_or_else(|e| panic!("{e}"))
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
