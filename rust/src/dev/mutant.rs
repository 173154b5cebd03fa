//! Mutants and legal variants (`tests/mutants/<slug>/<lang>-<name>/`): what a faulty
//! version must fail on (`mutant.toml`), its files made from the solution and its
//! patch, one run of it judged against what it promises, and the lines of its result
//! that must not change between runs (what its snapshot holds).
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::{self, Context};
use crate::layout::Kit;
use crate::lesson::{Lang, Lesson};
use crate::report::{LessonResult, Status};

/// `mutant.toml`: what a faulty version must fail on.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    pub lang: Lang,
    /// The check that must fail.
    pub check: String,
    /// Text that the failing check's message must contain.
    pub message: String,
    /// The hint shown under this mistake (its number in the lesson's `hints`), when the
    /// lesson has one for it; without it, the mistake gets the next hint of the ladder.
    #[serde(default)]
    pub hint: Option<usize>,
    /// Other checks whose result, for this mistake, depends on how the real scheduler
    /// interleaves the threads (a lost wake-up hangs one run in a thousand): left out of
    /// the snapshot. The intended check never goes here.
    #[serde(default)]
    pub racy: Vec<String>,
    /// A hang checked a second time as on a machine that cannot take a hung program's
    /// thread stacks (no eu-stack, gdb or lldb): explained by a rule that reads the output.
    #[serde(default)]
    pub without_stacks: Option<Stackless>,
    /// Other checks this mistake fails, with what they say (a hang explained, behind a
    /// first failure of the output).
    #[serde(default)]
    pub also: Vec<Also>,
}

/// Another check a mutant fails, and text its message must contain.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Also {
    pub check: String,
    pub message: String,
}

/// What the termination check says of a mutant's hang from its output alone.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stackless {
    pub message: String,
    pub hint: Option<usize>,
}

/// `variant.toml`: a legal way to write the lesson, other than the solution's, that must pass.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub lang: Lang,
}

/// A mutant's folder, `tests/mutants/<slug>/<name>`, and what its `mutant.toml` says.
#[derive(Clone, Debug)]
pub struct Found {
    pub dir: PathBuf,
    pub slug: String,
    pub name: String,
    pub mutant: Result<Mutant, String>,
}

impl Found {
    /// `03-mpsc/rust-no-drop`, as messages name it.
    pub fn who(&self) -> String {
        format!("{}/{}", self.slug, self.name)
    }
}

/// The folder of a lesson's mutants: `tests/mutants/<slug>`.
pub fn lesson_dir(kit: &Kit, slug: &str) -> PathBuf {
    kit.root.join("tests/mutants").join(slug)
}

/// Reads a mutant's `mutant.toml`; a broken one is the error, in words.
pub fn load(dir: &Path) -> Result<Mutant, String> {
    let path = dir.join("mutant.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("mutant.toml: {}", e.message()))
}

/// A lesson's mutants (folders holding a `mutant.toml`), sorted by name.
pub fn of_lesson(kit: &Kit, slug: &str) -> Vec<Found> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(lesson_dir(kit, slug)).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.join("mutant.toml").is_file()).collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
            Found { mutant: load(&dir), dir, slug: slug.to_string(), name }
        })
        .collect()
}

/// A mutant's student files for `lang`: a temporary copy of
/// `solutions/<slug>/<lang>/` with the mutant's `mutant.patch` applied (the folder
/// goes when the returned value drops). `mutant` is `tests/mutants/<slug>/<name>`.
pub fn materialise_mutant(kit: &Kit, mutant: &Path, lang: Lang) -> Result<tempfile::TempDir, String> {
    materialise(kit, mutant, lang, "mutant")
}

/// A legal variant's student files for `lang` (`tests/variants/<slug>/<name>/variant.patch`
/// applied to the solution), as for a mutant.
pub fn materialise_variant(kit: &Kit, variant: &Path, lang: Lang) -> Result<tempfile::TempDir, String> {
    materialise(kit, variant, lang, "variant")
}

fn materialise(kit: &Kit, mutant: &Path, lang: Lang, kind: &str) -> Result<tempfile::TempDir, String> {
    let name = |p: &Path| p.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let slug = mutant.parent().map(name).unwrap_or_default();
    let who = format!("{kind} {slug}/{}", name(mutant));
    let solution = kit.root.join("solutions").join(&slug).join(lang.as_str());
    let tmp = tempfile::tempdir().map_err(|e| format!("{who}: no temporary folder: {e}"))?;
    copy_tree(&solution, tmp.path()).map_err(|e| format!("{who}: cannot copy {}: {e}", solution.display()))?;
    let file = mutant.join(format!("{kind}.patch"));
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{who}: cannot read {}: {e}", file.display()))?;
    apply_patch(&who, &text, &solution, tmp.path())?;
    Ok(tmp)
}

/// Copies a folder, links followed (lessons 06 and 11 share kit files by links).
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let dest = to.join(e.file_name());
        if std::fs::metadata(e.path())?.is_dir() {
            copy_tree(&e.path(), &dest)?;
        } else {
            std::fs::copy(e.path(), dest)?;
        }
    }
    Ok(())
}

/// Applies a unified diff whose paths are `a/<path>` and `b/<path>` relative to
/// `dest`, a copy of `base` (named in the messages).
pub fn apply_patch(who: &str, text: &str, base: &Path, dest: &Path) -> Result<(), String> {
    use diffy::patch_set::{FileOperation, ParseOptions, PatchSet};
    let mut files = 0;
    for p in PatchSet::parse(text, ParseOptions::unidiff()) {
        let p = p.map_err(|e| format!("{who}: mutant.patch is not a unified diff: {e}"))?;
        let Some(patch) = p.patch().as_text() else { return Err(format!("{who}: mutant.patch has a binary part")) };
        let (before, path) = match p.operation().strip_prefix(1) {
            FileOperation::Modify { original, modified } if original == modified => (std::fs::read_to_string(dest.join(&*modified)).ok(), modified.into_owned()),
            FileOperation::Create(path) => (Some(String::new()), path.into_owned()),
            op => return Err(format!("{who}: mutant.patch may only change or add files, not {op:?}")),
        };
        let shown = base.join(&path);
        let before = before.ok_or_else(|| format!("{who}: mutant.patch changes {}, which does not exist", shown.display()))?;
        let after = diffy::apply(&before, patch).map_err(|e| format!("{who}: mutant.patch does not apply to {}: {e}", shown.display()))?;
        let target = dest.join(&path);
        target
            .parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| std::fs::write(&target, after))
            .map_err(|e| format!("{who}: cannot write {}: {e}", target.display()))?;
        files += 1;
    }
    if files == 0 {
        return Err(format!("{who}: mutant.patch changes no file"));
    }
    Ok(())
}

/// Checks a lesson whose student files for `lang` are in `lang_dir` (a folder like
/// `exercises/03-mpsc/rust`), laid out in a temporary copy like `exercises/`.
pub fn check_dir(ctx: &Context, lesson: &Lesson, lang: Lang, lang_dir: &Path) -> LessonResult {
    let copied = tempfile::tempdir().and_then(|tmp| copy_tree(lang_dir, &tmp.path().join(&lesson.slug).join(lang.as_str())).map(|_| tmp));
    match copied {
        Ok(tmp) => check::check(ctx, lesson, lang, tmp.path()),
        Err(e) => LessonResult::error(lesson.id(), lang, format!("cannot copy {}: {e}", lang_dir.display())),
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

/// One run of a mutant: its result's stable lines, and what it broke of its promises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stable: Vec<String>,
    pub complaints: Vec<String>,
}

/// Makes a mutant's files, checks them (a second time without thread stacks when it
/// says `without_stacks`) and judges the result.
pub fn run(ctx: &Context, kit: &Kit, lesson: &Lesson, dir: &Path, m: &Mutant) -> Outcome {
    let files = match materialise_mutant(kit, dir, m.lang) {
        Ok(files) => files,
        Err(e) => return Outcome { stable: Vec::new(), complaints: vec![e] },
    };
    let r = check_dir(ctx, lesson, m.lang, files.path());
    let mut complaints = judge(lesson, m, &r);
    if let Some(s) = &m.without_stacks {
        let stackless = Context { stacks: false, on_step: None, ..ctx.clone() };
        complaints.extend(judge_stackless(lesson, s, &check_dir(&stackless, lesson, m.lang, files.path())));
    }
    Outcome { stable: stable_except(&r, &m.racy), complaints }
}

/// What a mutant's result breaks of what its `mutant.toml` promises, a line each.
pub fn judge(lesson: &Lesson, m: &Mutant, r: &LessonResult) -> Vec<String> {
    let mut out = Vec::new();
    match r.checks.iter().find(|c| c.name == m.check) {
        None => out.push(format!("no check {} in the result", m.check)),
        Some(c) if c.status != Status::Fail => out.push(format!("{} should fail, and is {:?}: {}", m.check, c.status, c.message)),
        Some(c) if !c.message.contains(&m.message) => out.push(format!("{} says {:?}, not {:?}", m.check, c.message, m.message)),
        Some(_) => {}
    }
    if r.status != Status::Fail {
        out.push(format!("the lesson's result is {:?}, not Fail", r.status));
    }
    if m.racy.contains(&m.check) {
        out.push(format!("the intended check {} cannot be racy", m.check));
    }
    let fitting = crate::hint::fitting(lesson, r).map(|i| i + 1);
    if (m.hint.is_some() || m.racy.is_empty()) && fitting != m.hint {
        out.push(format!("the hint shown is {}, not {}", shown_hint(fitting), shown_hint(m.hint)));
    }
    for also in &m.also {
        match r.checks.iter().find(|c| c.name == also.check) {
            Some(c) if c.status == Status::Fail && c.message.contains(&also.message) => {}
            Some(c) => out.push(format!("also: {} is {:?} {:?}, not a fail with {:?}", also.check, c.status, c.message, also.message)),
            None => out.push(format!("also: no check {} in the result", also.check)),
        }
    }
    out
}

fn judge_stackless(lesson: &Lesson, s: &Stackless, r: &LessonResult) -> Vec<String> {
    let mut out = Vec::new();
    match r.checks.iter().find(|c| c.name == "termination") {
        Some(c) if c.status == Status::Fail && c.message.contains(&s.message) => {}
        Some(c) => out.push(format!("without stacks: termination is {:?} {:?}, not a fail with {:?}", c.status, c.message, s.message)),
        None => out.push("without stacks: no termination check in the result".to_string()),
    }
    let fitting = crate::hint::fitting(lesson, r).map(|i| i + 1);
    if fitting != s.hint {
        out.push(format!("without stacks: the hint shown is {}, not {}", shown_hint(fitting), shown_hint(s.hint)));
    }
    out
}

fn shown_hint(h: Option<usize>) -> String {
    h.map(|n| format!("hint {n}")).unwrap_or_else(|| "the next of the ladder".into())
}
