//! The out folder: each submission's reports, written atomically, and the gradebook
//! rebuilt from those reports (never from memory), so that a run killed half way
//! and started again neither loses a submission nor counts one twice.
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::report::{Class, Report};
use crate::reporters::{self, ClassReporter, Reporter};

/// The gradebook's own files in the out folder.
pub const GRADES: &str = "grades.csv";
pub const JUNIT: &str = "junit.xml";
/// What the terminal shows at the end, kept.
pub const SUMMARY: &str = "summary.txt";
/// The class at a glance, for a browser.
pub const INDEX: &str = "index.html";
/// The summary as `grade` and `gradebook` show and keep it.
pub const SUMMARY_OF: reporters::ClassSummary = reporters::ClassSummary { top: 5 };
/// Written last for each submission: its presence means the submission is done.
pub const REPORT: &str = "report.json";

/// Writes `text` to `path` whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    write_bytes_atomic(path, text.as_bytes())
}

/// [`write_atomic`] for bytes.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".fearless-").tempfile_in(dir)?;
    let mut perms = tmp.as_file().metadata()?.permissions();
    tmp.write_all(bytes)?;
    // Temporary files are private; reports are meant to be handed on.
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o644);
    tmp.as_file().set_permissions(perms)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the temporary files that a run killed while writing left behind.
pub fn sweep(out: &Path) {
    let dirs = std::fs::read_dir(out).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir());
    for dir in std::iter::once(out.to_path_buf()).chain(dirs) {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().starts_with(".fearless-") && e.path().is_file() {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// A submission's folder in the out folder. Ids are made safe names when they are
/// read from the command line ([`super::submission::student_id`]); escaped here
/// again (it changes nothing then), so that no id can name a path outside `out`.
pub fn submission_dir(out: &Path, id: &str) -> PathBuf {
    out.join(super::submission::student_id(id).0)
}

/// Writes a submission's reports: the student's `report.md`, Gradescope's
/// `results.json`, then `report.json`, which marks the submission as done.
pub fn write_submission(out: &Path, report: &Report, markdown: &reporters::Markdown, gradescope: &reporters::Gradescope) -> std::io::Result<()> {
    let dir = submission_dir(out, report.submission.as_deref().unwrap_or("report"));
    std::fs::create_dir_all(&dir)?;
    write_atomic(&dir.join("report.md"), &markdown.render(report))?;
    write_atomic(&dir.join("results.json"), &gradescope.render(report))?;
    write_atomic(&dir.join(REPORT), &reporters::Json.render(report))
}

/// A finished report of `id` in the out folder, if there is one for the same lessons
/// and languages (a run with other `--only` or `--lang` grades again).
pub fn finished(out: &Path, id: &str, columns: &[String]) -> Option<Report> {
    let text = std::fs::read_to_string(submission_dir(out, id).join(REPORT)).ok()?;
    let report: Report = serde_json::from_str(&text).ok()?;
    let keys: Vec<String> = report.results.iter().map(|r| r.key()).collect();
    (report.submission.as_deref() == Some(id) && keys == columns).then_some(report)
}

/// The class as the reports in the out folder have it; the ids without a finished report come second.
pub fn load(out: &Path, ids: &[String], columns: &[String]) -> (Class, Vec<String>) {
    let mut reports = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match finished(out, id, columns) {
            Some(r) => reports.push(r),
            None => missing.push(id.clone()),
        }
    }
    reports.sort_by(|a, b| a.submission.cmp(&b.submission));
    (Class { columns: columns.to_vec(), reports }, missing)
}

/// Writes `grades.csv`, `junit.xml`, `summary.txt` and `index.html`: from `class`
/// alone, so that the same reports give the same files, byte for byte.
pub fn write_class(out: &Path, class: &Class) -> std::io::Result<()> {
    write_atomic(&out.join(GRADES), &reporters::Csv.render(class))?;
    write_atomic(&out.join(JUNIT), &reporters::Junit.render(class))?;
    write_atomic(&out.join(SUMMARY), &SUMMARY_OF.render(class))?;
    write_atomic(&out.join(INDEX), &reporters::ClassPage.render(class))
}
