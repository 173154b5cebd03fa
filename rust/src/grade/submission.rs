//! Finding submissions on the command line and opening each one: a folder (a copy of
//! the kit, or of its `exercises/` folder) or an archive of one, unpacked safely.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::archive;

/// One student's submission.
#[derive(Clone, Debug)]
pub struct Submission {
    /// The student's id: the file name less its archive extension.
    pub id: String,
    pub path: PathBuf,
    pub form: Form,
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
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
    #[error("two submissions are both named '{id}': {} and {}", .first.display(), .second.display())]
    Duplicate { id: String, first: PathBuf, second: PathBuf },
    #[error("{}: a submission cannot be named '{id}' (the gradebook's own file has that name)", .path.display())]
    Reserved { id: String, path: PathBuf },
}

/// Names the gradebook takes in the out folder.
pub const RESERVED: &[&str] = &["grades.csv", "junit.xml"];

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
        if RESERVED.contains(&id.as_str()) || id.is_empty() || id == "." || id == ".." {
            return Err(CollectError::Reserved { id, path: path.clone() });
        }
        if let Some(first) = by_id.get(&id) {
            return Err(CollectError::Duplicate { id, first: first.path.clone(), second: path.clone() });
        }
        by_id.insert(id.clone(), Submission { id, path: path.clone(), form });
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
            let scratch = tempfile::Builder::new().prefix("fearless-submission-").tempdir().map_err(|e| format!("cannot make a scratch folder: {e}"))?;
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
        if dir.join("exercises").is_dir() {
            return (dir.join("exercises"), Vec::new());
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
