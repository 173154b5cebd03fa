//! Finding submissions on the command line and opening each one: a folder (a copy of
//! the kit, or of its `exercises/` folder) or an archive of one, unpacked safely.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::archive;
use crate::layout::EXERCISES;
use crate::safe_text;

/// One student's submission.
#[derive(Clone, Debug)]
pub struct Submission {
    /// The student's id: the file name less its archive extension, escaped when it
    /// cannot be used as it is (see [`student_id`]).
    pub id: String,
    pub path: PathBuf,
    pub form: Form,
    /// Why the id is not the name as it was, and that name shown inert; said in the report.
    pub renamed: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Folder,
    Archive(archive::Kind),
    /// A file that is neither: it still gets a report that says so.
    Unknown,
}

/// Why the command line's submissions cannot be graded at all.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("no submissions given (a folder or a .zip, .tar.gz or .tgz archive per student)")]
    None,
    #[error("{}: no such file or folder", shown(.0))]
    Missing(PathBuf),
    #[error("two submissions are both named '{}': {} and {}", safe_text::line(.id), shown(.first), shown(.second))]
    Duplicate { id: String, first: PathBuf, second: PathBuf },
}

/// A path named on the command line, inert: it is the student's file name.
pub fn shown(path: &Path) -> String {
    safe_text::line(&path.display().to_string())
}

/// Names the gradebook takes in the out folder.
pub const RESERVED: &[&str] = &["grades.csv", "junit.xml", "summary.txt", "index.html", "shard.json"];

/// The id a submission named `raw` is graded under, and when it is not `raw`, why.
/// A name is used as it is unless it is empty, holds a control character (a
/// terminal escape, a bidirectional control) or a path separator, starts with a dot
/// (`.`, `..`, a hidden folder), is one of the gradebook's own files, or is longer
/// than [`safe_text::MAX_NAME_BYTES`]: then it is escaped ([`safe_text::file_name`]:
/// `%1B` for ESC, ...) and the submission is graded under the escaped id, its report
/// and the terminal saying so. Refusing it instead would cost the student a grade
/// for a name that is often not theirs to choose (learning platforms name the
/// files), and a name such as `grades.csv.zip` would stop the whole class.
pub fn student_id(raw: &str) -> (String, Option<&'static str>) {
    let why = if raw.is_empty() {
        Some("is empty")
    } else if raw.chars().any(safe_text::needs_escape) {
        Some("holds control characters (terminal escapes or bidirectional text controls)")
    } else if raw.contains(['/', '\\']) {
        Some("holds a path separator")
    } else if raw.starts_with('.') {
        Some("starts with a dot (its folder would be hidden)")
    } else if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(raw)) {
        Some("is the name of one of the gradebook's own files")
    } else if raw.len() > safe_text::MAX_NAME_BYTES {
        Some("is too long")
    } else {
        None
    };
    let mut id = safe_text::file_name(raw);
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&id)) {
        id = id.replace('.', "%2E");
    }
    (id, why)
}

/// The submissions named by `paths`, ordered by id. The out folder itself is left
/// out, so that `DIR/*` works with `--out DIR/graded`.
pub fn collect(paths: &[PathBuf], out: &Path) -> Result<Vec<Submission>, CollectError> {
    let out = out.canonicalize().ok();
    let mut by_id: BTreeMap<String, Submission> = BTreeMap::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| CollectError::Missing(path.clone()))?;
        let (id, form) = if meta.is_dir() {
            if out.is_some() && path.canonicalize().ok() == out {
                continue;
            }
            // `.` and `..` are named by the folder they stand for; a link keeps its own name.
            let real = path.canonicalize().unwrap_or_else(|_| path.clone());
            let name = path.file_name().or(real.file_name()).map(|n| n.to_string_lossy().into_owned());
            (name.unwrap_or_else(|| "root".into()), Form::Folder)
        } else if let Some((id, kind)) = archive::split_name(path) {
            (id, Form::Archive(kind))
        } else {
            (path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), Form::Unknown)
        };
        let (raw, (id, why)) = (id.clone(), student_id(&id));
        let renamed = why.map(|why| {
            eprintln!("fearless: {}: its name {why}; graded as '{id}'", shown(path));
            format!("this submission's name, '{}', {why}: it is graded as '{id}'", safe_text::line(&raw))
        });
        if let Some(first) = by_id.get(&id) {
            return Err(CollectError::Duplicate { id, first: first.path.clone(), second: path.clone() });
        }
        by_id.insert(id.clone(), Submission { id, path: path.clone(), form, renamed });
    }
    if by_id.is_empty() {
        return Err(CollectError::None);
    }
    Ok(by_id.into_values().collect())
}

/// A submission ready to check: its lessons laid out like `exercises/`.
pub struct Opened {
    pub exercises: PathBuf,
    /// What the student and the instructor should know about how it was read.
    pub notices: Vec<String>,
    /// Holds an unpacked archive until grading is done.
    _scratch: Option<tempfile::TempDir>,
}

/// Opens a submission; `Err` says in one line why it cannot be graded.
pub fn open(sub: &Submission) -> Result<Opened, String> {
    let file = sub.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match sub.form {
        Form::Folder => {
            let (exercises, notices) = find_exercises(&sub.path);
            Ok(Opened { exercises, notices, _scratch: None })
        }
        Form::Unknown => Err(format!("{file}: neither a folder nor a .zip, .tar.gz or .tgz archive")),
        Form::Archive(_) => {
            let scratch = crate::scratch::dir("submission").map_err(|e| format!("cannot make a scratch folder: {e}"))?;
            let dest = scratch.path().join("unpacked");
            let unpacked = archive::unpack(&sub.path, &dest, &archive::Limits::default()).map_err(|e| format!("{file}: {e}"))?;
            let (exercises, mut notices) = find_exercises(&dest);
            if unpacked.ignored > 0 {
                let n = unpacked.ignored;
                notices.push(format!("{n} entr{} of {file} left out (links, special files, build products)", if n == 1 { "y" } else { "ies" }));
            }
            Ok(Opened { exercises, notices, _scratch: Some(scratch) })
        }
    }
}

/// A lesson folder: `03-mpsc`.
fn is_lesson_folder(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    p.is_dir() && name.split_once('-').is_some_and(|(n, rest)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && !rest.is_empty())
}

/// Where the lessons are: `exercises/` of a kit copy, the folder itself when it holds
/// lesson folders, or the same below a single wrapping folder (as archives often have).
pub fn find_exercises(root: &Path) -> (PathBuf, Vec<String>) {
    let mut dir = root.to_path_buf();
    for _ in 0..4 {
        if dir.join(EXERCISES).is_dir() {
            return (dir.join(EXERCISES), Vec::new());
        }
        let children: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.') || n == "__MACOSX"))
            .collect();
        if children.iter().any(|c| is_lesson_folder(c)) {
            return (dir, Vec::new());
        }
        match children.as_slice() {
            [only] => dir = only.clone(),
            _ => break,
        }
    }
    (root.to_path_buf(), vec!["found neither an exercises/ folder nor lesson folders (such as 03-mpsc/) in the submission".into()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::plain("alice", "alice", false)]
    #[case::formula("=2+5", "=2+5", false)]
    #[case::spaces("Ada Lovelace", "Ada Lovelace", false)]
    #[case::escapes("\x1b]0;pwned\x07x", "%1B]0;pwned%07x", true)]
    #[case::bidi("a\u{202e}b", "a%E2%80%AEb", true)]
    #[case::dot_dot_slash("../x", "%2E.%2Fx", true)]
    #[case::backslash("..\\x", "%2E.%5Cx", true)]
    #[case::dot(".", "%2E", true)]
    #[case::hidden(".git", "%2Egit", true)]
    #[case::empty("", "unnamed", true)]
    #[case::gradebook("grades.csv", "grades%2Ecsv", true)]
    #[case::gradebook_any_case("JUnit.xml", "JUnit%2Exml", true)]
    #[case::class_page("index.html", "index%2Ehtml", true)]
    #[case::shard_note("shard.json", "shard%2Ejson", true)]
    fn ids_are_safe_names(#[case] raw: &str, #[case] id: &str, #[case] renamed: bool) {
        let (got, why) = student_id(raw);
        assert_eq!((got.as_str(), why.is_some()), (id, renamed));
        // An id is its own id: reports read back and folders named from it agree.
        assert_eq!(student_id(&got), (got.clone(), None));
    }

    #[test]
    fn a_long_id_is_cut() {
        let (id, why) = student_id(&"x".repeat(400));
        assert!(id.len() <= safe_text::MAX_NAME_BYTES && why == Some("is too long"), "{id}");
    }
}
