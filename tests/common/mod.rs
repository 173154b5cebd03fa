//! What the kit's tests share: the kit, a lesson checked from a folder, a report
//! reduced to what must not change between runs.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

use fearless::check::{self, Context};
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
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join(slug).join(lang.as_str());
    copy_tree(lang_dir, &dest);
    check::check(ctx, &lesson(slug), lang, tmp.path())
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        // Links followed: lessons 06 and 11 share kit files by links.
        if std::fs::metadata(e.path()).unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The parts of a result that must be the same in every run: no durations, no
/// thread ids or addresses.
pub fn stable(r: &LessonResult) -> Vec<String> {
    let mut v = vec![format!("{}/{}: {:?} {}/{}", r.exercise, r.lang, r.status, r.score, r.max_score)];
    for c in &r.checks {
        v.push(format!("{} {:?} {}/{}: {}", c.name, c.status, c.score, c.max_score, c.message));
    }
    v
}

/// [`stable`], with the checks in `racy` (whose result depends on how the scheduler
/// interleaves the threads, for this mistake) and the score they move left out.
pub fn stable_except(r: &LessonResult, racy: &[String]) -> Vec<String> {
    let mut stable = stable(r);
    for (line, c) in stable.iter_mut().skip(1).zip(&r.checks) {
        if racy.contains(&c.name) {
            *line = format!("{}: depends on the scheduler", c.name);
        }
    }
    if !racy.is_empty() {
        stable[0] = format!("{}/{}: {:?}", r.exercise, r.lang, r.status);
    }
    stable
}

/// A mutant's student files for `lang`: a temporary copy of
/// `solutions/<slug>/<lang>/` with the mutant's `mutant.patch` applied (the folder
/// goes when the returned value drops). `mutant` is `tests/mutants/<slug>/<name>`.
pub fn materialise_mutant(mutant: &Path, lang: Lang) -> tempfile::TempDir {
    materialise(mutant, lang, "mutant")
}

/// A legal variant's student files for `lang` (`tests/variants/<slug>/<name>/variant.patch`
/// applied to the solution), as for a mutant.
pub fn materialise_variant(variant: &Path, lang: Lang) -> tempfile::TempDir {
    materialise(variant, lang, "variant")
}

fn materialise(mutant: &Path, lang: Lang, kind: &str) -> tempfile::TempDir {
    let slug = mutant.parent().unwrap().file_name().unwrap().to_string_lossy();
    let who = format!("{kind} {slug}/{}", mutant.file_name().unwrap().to_string_lossy());
    let solution = kit().root.join("solutions").join(&*slug).join(lang.as_str());
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&solution, tmp.path());
    let file = mutant.join(format!("{kind}.patch"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{who}: cannot read {}: {e}", file.display()));
    apply_patch(&who, &text, &solution, tmp.path());
    tmp
}

/// Applies a unified diff whose paths are `a/<path>` and `b/<path>` relative to
/// `dest`, a copy of `base` (named in the messages).
pub fn apply_patch(who: &str, text: &str, base: &Path, dest: &Path) {
    use diffy::patch_set::{FileOperation, ParseOptions, PatchSet};
    let mut files = 0;
    for p in PatchSet::parse(text, ParseOptions::unidiff()) {
        let p = p.unwrap_or_else(|e| panic!("{who}: mutant.patch is not a unified diff: {e}"));
        let Some(patch) = p.patch().as_text() else { panic!("{who}: mutant.patch has a binary part") };
        let (before, path) = match p.operation().strip_prefix(1) {
            FileOperation::Modify { original, modified } if original == modified => (std::fs::read_to_string(dest.join(&*modified)).ok(), modified.into_owned()),
            FileOperation::Create(path) => (Some(String::new()), path.into_owned()),
            op => panic!("{who}: mutant.patch may only change or add files, not {op:?}"),
        };
        let shown = base.join(&path);
        let before = before.unwrap_or_else(|| panic!("{who}: mutant.patch changes {}, which does not exist", shown.display()));
        let after = diffy::apply(&before, patch).unwrap_or_else(|e| panic!("{who}: mutant.patch does not apply to {}: {e}", shown.display()));
        std::fs::create_dir_all(dest.join(&path).parent().unwrap()).unwrap();
        std::fs::write(dest.join(&path), after).unwrap();
        files += 1;
    }
    assert!(files > 0, "{who}: mutant.patch changes no file");
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
