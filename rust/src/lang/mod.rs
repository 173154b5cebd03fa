//! Language back ends: one trait, one file per language.
use std::path::{Path, PathBuf};

use crate::lesson::{Lang, Lesson};
use crate::runner::{Job, Outcome, RunError};
use crate::stacks::FrameReader;
use crate::units::{human_bytes, mib_tenths, secs, whole_secs};

mod ocaml;
pub mod reused;
mod rust;
pub mod verdict;

pub use ocaml::Ocaml;
pub use rust::Rust;

/// A lesson laid out for one language in a fresh scratch folder.
pub struct Staged {
    /// The build tree: the kit's files of the lesson's language folder and the student's
    /// files. Only the compilers write here (they run no student code); every job that
    /// runs student code sees it read-only, so what later steps read is what was staged.
    pub dir: PathBuf,
    /// The check's scratch folder: `dir`, and each step's own working folder.
    pub root: PathBuf,
    /// Where build products go (a cargo target folder shared between lessons).
    pub target_dir: PathBuf,
    /// The target folder is one student's own (their `check` and `watch`): a lesson's
    /// build products are kept there for the next check, which then compiles only what
    /// changed. Otherwise (grading) they are removed after each build, since the next
    /// build there may be another submission's.
    pub reuse: bool,
    /// Test programs built for several suites at once, by the arguments that built them
    /// (`None`: that build failed): the backend's, for the suites after the first.
    pub suites: std::sync::Mutex<std::collections::HashMap<Vec<String>, Option<Programs>>>,
    /// Grading: the run's builds by content, and the digest of this staged tree (taken
    /// before anything was built in it).
    pub reused: Option<(std::sync::Arc<reused::Reused>, String)>,
}

impl Staged {
    pub fn new(dir: PathBuf, root: PathBuf, target_dir: PathBuf, reuse: bool) -> Staged {
        Staged { dir, root, target_dir, reuse, suites: Default::default(), reused: None }
    }

    /// Build step `what` (its name and whatever else decides what it makes) of this staged
    /// tree: made by `make`, or, when grading, taken from an earlier build of the same bytes
    /// in this run ([`reused`]).
    pub fn once<T>(&self, what: &str, make: impl FnOnce() -> Result<reused::Made<T>, RunError>) -> Result<T, RunError>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        match &self.reused {
            Some((reused, content)) => reused.step(content, what, &self.root, make),
            None => make().map(|m| m.value),
        }
    }

    /// A path under [`Staged::root`], relative to it (what [`reused`] keeps).
    pub fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }

    /// A fresh, empty working folder for one step that runs student code: nothing it
    /// writes there is read by any later step.
    pub fn work(&self, step: &str) -> std::io::Result<PathBuf> {
        let dir = self.root.join(format!("work-{step}"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(dir)
    }
}

/// Test programs copied out of a build, each with the name of its target.
pub type Programs = Vec<(String, PathBuf)>;

/// What a build left.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Build {
    pub ok: bool,
    /// The first error in one line, or "built" / "built with 2 warnings".
    pub headline: String,
    /// Errors trimmed to what matters, then warnings.
    pub details: String,
}

impl Build {
    /// The one line of a build: its first error, or how many warnings it left (`told`
    /// is what the build printed, as a terminal would show it).
    pub fn headline(ok: bool, first_error: Option<String>, warnings: usize, told: &str) -> String {
        match (ok, first_error) {
            (false, Some(e)) => e,
            (false, None) => format!("the build failed: {}", tail(told, 1)),
            (true, _) if warnings == 0 => "built".into(),
            (true, _) => format!("built with {warnings} warning{}", if warnings == 1 { "" } else { "s" }),
        }
    }

    /// A build still running at its limit.
    pub fn timed_out(limit_secs: f64, told: &str) -> Build {
        Build { ok: false, headline: format!("the build took longer than {}", secs(limit_secs)), details: tail(told, 30) }
    }
}

/// What a kit test suite left.
pub struct TestRun {
    pub passed: u32,
    pub failed: u32,
    /// The suite could not be built or run at all; the first line says why.
    pub broken: Option<String>,
    /// The first failing test and why, in one line: "name: message".
    pub first_failure: Option<String>,
    pub log: String,
    pub outcome: Outcome,
}

impl TestRun {
    /// A suite whose programs did not build: `told` is what the build printed, as a
    /// terminal would show it, and `first_error` reads it.
    pub fn not_built(build: Outcome, told: &str, first_error: impl FnOnce(&str) -> String) -> TestRun {
        let why = if build.ending == crate::runner::Ending::TimedOut { format!("the tests were still building after {}", whole_secs(build.duration)) } else { first_error(told) };
        let log = tail(told, 30);
        TestRun { passed: 0, failed: 0, broken: Some(why), first_failure: None, log, outcome: build }
    }
}

/// One of the kit's test suites as a backend runs it: the suite's arguments for the
/// language, the wall time for building and running it, the limit of one test, and the
/// budget its programs are given (`FEARLESS_BUDGET`).
pub struct SuiteRun {
    pub args: Vec<String>,
    pub wall: std::time::Duration,
    pub per_test: Option<std::time::Duration>,
    pub budget: Option<u64>,
}

impl SuiteRun {
    /// A test program of the suite, given its budget.
    pub fn budgeted(&self, job: Job) -> Job {
        match self.budget {
            Some(b) => job.env("FEARLESS_BUDGET", b.to_string()),
            None => job,
        }
    }
}

/// A language: how its lessons build, run and test, and (as a [`FrameReader`]) what the
/// frames of its hung programs mean.
pub trait Backend: FrameReader + Sync {
    /// How [`Backend::build`] builds, in the words of its command line (for readers of measurements).
    fn build_command(&self) -> &'static str;
    /// Compiles the staged lesson through the runner.
    fn build(&self, staged: &Staged, lesson: &Lesson) -> Result<Build, RunError>;
    /// The command that runs the built program in `work`, its own working folder (limits
    /// are the caller's).
    fn program(&self, staged: &Staged, lesson: &Lesson, work: &Path) -> Result<Job, RunError>;
    /// Runs one of the kit's test suites against the staged lesson: builds its programs
    /// (within `wall`), then runs them with the lesson's limits, each in a working folder
    /// of its own, counting only the tests whose completion the kit's harness reported; a
    /// test that runs `per_test` without passing stops the suite as hung.
    fn test(&self, staged: &Staged, lesson: &Lesson, suite: &SuiteRun) -> Result<TestRun, RunError>;
    /// "not done yet" when the program stopped at a starting point's TODO.
    fn unfinished(&self, stderr: &str) -> Option<String>;
    /// One line that says how the program failed, from its stderr.
    fn failure(&self, stderr: &str) -> Option<String>;
    /// Compiler warnings that can explain a hang: (what the warning says, what it means
    /// for a concurrent program), named in the termination sentence when the build had one.
    fn hang_warnings(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
}

pub fn backend(lang: Lang) -> &'static dyn Backend {
    match lang {
        Lang::Rust => &Rust,
        Lang::Ocaml => &Ocaml,
    }
}

/// Why staging failed.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("file not submitted: {0}")]
    NotSubmitted(String),
    #[error("{0}: not a regular file")]
    NotAFile(String),
    #[error("{0} is a symbolic link; submit the file itself")]
    Link(String),
    #[error("{file} is {size}; a submitted file may be at most {max}")]
    TooLarge { file: String, size: String, max: String },
    #[error("cannot lay out the build: {0}")]
    Io(#[from] std::io::Error),
}

/// Folders never copied from the kit: build products.
const SKIP: &[&str] = &["target", "_build", ".merlin"];

/// Copies the kit's files of the lesson (never the student's), then the student's
/// files from `student_lang_dir`, into `dest`.
pub fn stage(lesson: &Lesson, lang: Lang, student_lang_dir: &Path, dest: &Path) -> Result<(), StageError> {
    let kit_dir = lesson.dir.join(lang.as_str());
    let student_files = lesson.student_files(lang);
    copy_kit_tree(&kit_dir, &kit_dir, dest, student_files)?;
    let max = lesson.exercise.limits.source_bytes;
    for f in student_files {
        let from = student_lang_dir.join(f);
        // No link on the way is followed: a link could lead to another submission or the kit.
        let mut on_the_way = vec![(student_lang_dir.to_path_buf(), lang.to_string())];
        let mut sub = student_lang_dir.to_path_buf();
        let mut shown = lang.to_string();
        for part in Path::new(f).components() {
            sub.push(part);
            shown = format!("{shown}/{}", part.as_os_str().to_string_lossy());
            on_the_way.push((sub.clone(), shown.clone()));
        }
        for (p, shown) in &on_the_way {
            if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(StageError::Link(shown.clone()));
            }
        }
        let meta = std::fs::symlink_metadata(&from).map_err(|_| StageError::NotSubmitted(format!("{lang}/{f}")))?;
        if !meta.is_file() {
            return Err(StageError::NotAFile(format!("{lang}/{f}")));
        }
        if meta.len() > max {
            return Err(StageError::TooLarge { file: format!("{lang}/{f}"), size: mib_tenths(meta.len()), max: human_bytes(max) });
        }
        let to = dest.join(f);
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(&from, &to)?;
    }
    Ok(())
}

pub fn copy_kit_tree(root: &Path, dir: &Path, dest: &Path, student_files: &[String]) -> Result<(), StageError> {
    std::fs::create_dir_all(dest)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
        // Followed, not copied as links: lessons that share kit files (06 and 11) link them.
        let ty = std::fs::metadata(&path)?.file_type();
        if ty.is_dir() {
            if !SKIP.contains(&name.to_string_lossy().as_ref()) {
                copy_kit_tree(root, &path, &dest.join(&name), student_files)?;
            }
        } else if ty.is_file() && !student_files.contains(&rel) {
            std::fs::copy(&path, dest.join(&name))?;
        }
    }
    Ok(())
}

/// A suite's result from what its test programs reported: `expected` are the suite's
/// tests (read from the kit's own sources), `explained` the first failure the programs'
/// output explained (trusted for its words only, never for a count).
pub fn test_run(expected: &[String], reports: verdict::Reports, outcome: Outcome, explained: Option<String>, log: String) -> TestRun {
    let t = verdict::tally(expected, &reports);
    let broken = if reports.forged > 0 {
        Some(format!(
            "the tests' report channel carried {} line{} that the kit's tests did not write: student code wrote on a descriptor it was not given, and no test counts",
            reports.forged,
            if reports.forged == 1 { "" } else { "s" }
        ))
    } else if outcome.ending == crate::runner::Ending::TimedOut {
        let hung = reports.started.last().filter(|name| !reports.passed.contains(*name));
        Some(match hung {
            Some(name) => format!("{name}: it never ended (the tests were stopped after {}; {} of {} had passed)", whole_secs(outcome.duration), t.passed, expected.len()),
            None => format!("the tests were still running after {} ({} of {} had passed)", whole_secs(outcome.duration), t.passed, expected.len()),
        })
    } else if expected.is_empty() {
        Some("the kit's test suite has no test (a kit error: its tests are read from its sources)".into())
    } else {
        None
    };
    let first_failure = verdict::first_failure(&t, explained, expected);
    TestRun { passed: t.passed, failed: t.failed.len() as u32, broken, first_failure, log, outcome }
}

/// A package or program name that becomes a path: one plain component.
pub fn plain_name(name: &str) -> Result<&str, RunError> {
    let ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') && !name.starts_with('-');
    if ok {
        Ok(name)
    } else {
        Err(RunError::Io(std::io::Error::other(format!("the kit's package name {name:?} is not one plain name (letters, digits, - and _)"))))
    }
}

/// The last `n` lines of a text.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Makes `to` hold exactly the files of `from`, rewriting only those that changed
/// (so that a build tool's timestamps stay meaningful).
pub fn sync_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    sync_tree_keeping(from, to, &[])
}

/// [`sync_tree`], but the top-level entries named in `kept` (a build's products) are
/// left as they are in `to`, whatever `from` holds under those names.
pub fn sync_tree_keeping(from: &Path, to: &Path, kept: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut keep: std::collections::HashSet<std::ffi::OsString> = kept.iter().map(std::ffi::OsString::from).collect();
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if kept.iter().any(|k| name == *k) {
            continue;
        }
        keep.insert(name.clone());
        let dest = to.join(&name);
        if entry.file_type()?.is_dir() {
            sync_tree(&entry.path(), &dest)?;
        } else {
            let new = std::fs::read(entry.path())?;
            if std::fs::read(&dest).ok().as_deref() != Some(new.as_slice()) {
                std::fs::write(&dest, new)?;
            }
        }
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !keep.contains(&entry.file_name()) {
            if entry.file_type()?.is_dir() {
                std::fs::remove_dir_all(entry.path())?;
            } else {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(())
}

/// A folder beside the cargo target folder `target` (`lessons` gives `lessons.<what>`):
/// never inside it, which every cargo job is given whole while it runs.
pub fn beside(target: &Path, what: &str) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{what}"));
    target.with_file_name(name)
}

/// Takes the lock of a build folder kept between checks (`<dir>.lock` beside it): builds
/// there are made one at a time, and their products copied out before the next can
/// overwrite them.
pub fn lock_build(lock_file: &Path) -> std::io::Result<std::fs::File> {
    if let Some(parent) = lock_file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let f = std::fs::File::create(lock_file)?;
    rustix::fs::flock(&f, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synced_tree_keeps_the_build_products_it_is_told_to_and_nothing_else_stale() {
        let (from, to) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let write = |root: &Path, rel: &str, text: &str| {
            std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
            std::fs::write(root.join(rel), text).unwrap();
        };
        write(from.path(), "main.ml", "new");
        write(from.path(), "tests/dune", "kit");
        // The staged tree's own copy of a program: not what the kept build folder holds.
        write(from.path(), "_build/default/main.exe", "copied");
        write(to.path(), "main.ml", "old");
        write(to.path(), "stale.ml", "gone");
        write(to.path(), "tests/stale.ml", "gone");
        write(to.path(), "_build/default/main.exe", "built");
        write(to.path(), "_build/.db", "dune's");
        sync_tree_keeping(from.path(), to.path(), &["_build"]).unwrap();
        let read = |rel: &str| std::fs::read_to_string(to.path().join(rel)).ok();
        assert_eq!(read("main.ml").as_deref(), Some("new"));
        assert_eq!(read("tests/dune").as_deref(), Some("kit"));
        assert_eq!((read("stale.ml"), read("tests/stale.ml")), (None, None));
        assert_eq!(read("_build/default/main.exe").as_deref(), Some("built"));
        assert_eq!(read("_build/.db").as_deref(), Some("dune's"));
        // Without it, the tree is exactly the source's.
        sync_tree(from.path(), to.path()).unwrap();
        assert_eq!((read("_build/default/main.exe").as_deref(), read("_build/.db")), (Some("copied"), None));
    }
}
