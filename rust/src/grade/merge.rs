//! `fearless gradebook --out MERGED FOLDER...`: several `grade` out folders (the shards
//! of a class graded on several machines, or sections graded apart) made into one.
//! Each student's files are copied as they are; the gradebook, `junit.xml`,
//! `summary.txt` and `index.html` are rebuilt from the copied `report.json` files, as
//! `grade` builds its own, so the same reports give the same files byte for byte.
//! Nothing is written unless every folder reads whole: a student found twice, a
//! report that is missing or unreadable, a shard missing or graded for other lessons
//! is bad input.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::gradebook;
use super::shard::{self, Manifest};
use super::submission::shown;
use crate::exit::{BadInput, Doing, Exit};
use crate::report::{Class, Report};
use crate::reporters::ClassReporter;
use crate::safe_text;

#[derive(clap::Args, Debug)]
pub struct GradebookArgs {
    /// `grade` out folders to merge (a shard's, or any class's).
    pub folders: Vec<PathBuf>,
    /// The merged folder: new, or empty.
    #[arg(long)]
    pub out: PathBuf,
}

/// One student's graded folder, found in one of the folders merged.
struct Graded {
    dir: PathBuf,
    report: Report,
}

/// Runs `gradebook`.
pub fn run(args: &GradebookArgs) -> Result<Exit, BadInput> {
    merge(args).map_err(|e| BadInput::Said(safe_text::text(&e.to_string())))
}

fn merge(args: &GradebookArgs) -> Result<Exit, BadInput> {
    if args.folders.is_empty() {
        return Err("no folders to merge (the --out folders of `fearless grade`)".into());
    }
    check_out(&args.out, &args.folders)?;
    let mut folders = Vec::new();
    let mut manifests = Vec::new();
    for folder in &args.folders {
        let found = read_folder(folder)?;
        if let Some(m) = shard::read(folder)? {
            check_shard(folder, &m, &found)?;
            manifests.push((folder.clone(), m));
        }
        folders.push(found);
    }
    check_shards(&args.folders, &manifests)?;
    let students = gather(folders)?;
    let columns = columns(&manifests, &students)?;
    write(&args.out, &students, columns)
}

/// The students of all the folders, by id; one found twice is bad input.
fn gather(folders: Vec<BTreeMap<String, Graded>>) -> Result<BTreeMap<String, Graded>, BadInput> {
    let mut students: BTreeMap<String, Graded> = BTreeMap::new();
    for (id, g) in folders.into_iter().flatten() {
        if let Some(first) = students.get(&id) {
            return Err(format!("student '{}' is in two folders: {} and {}; merge each student once", safe_text::line(&id), shown(&first.dir), shown(&g.dir)).into());
        }
        students.insert(id, g);
    }
    Ok(students)
}

/// `--out` must be new or empty, and none of the folders merged.
fn check_out(out: &Path, folders: &[PathBuf]) -> Result<(), BadInput> {
    if out.exists() && (!out.is_dir() || std::fs::read_dir(out).map_or(true, |mut d| d.next().is_some())) {
        return Err(format!("--out {}: must be a new or empty folder", shown(out)).into());
    }
    let real = out.canonicalize().ok();
    if real.is_some() && folders.iter().any(|f| f.canonicalize().ok() == real) {
        return Err(format!("--out {}: is one of the folders merged", shown(out)).into());
    }
    Ok(())
}

/// Every student's folder in a `grade` out folder, by id. A folder without a
/// finished `report.json`, or whose report names another student, is bad input.
fn read_folder(folder: &Path) -> Result<BTreeMap<String, Graded>, BadInput> {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{}: cannot read: {e}", shown(folder)))?;
    let mut found = BTreeMap::new();
    // No id starts with a dot: a hidden folder (`.git`, say) is no student's.
    let hidden = |p: &Path| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
    for dir in entries.flatten().map(|e| e.path()).filter(|p| p.is_dir() && !hidden(p)) {
        let id = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let path = dir.join(gradebook::REPORT);
        let text = std::fs::read_to_string(&path).map_err(|_| format!("{}: no {}: its grading did not finish (run the same `grade` again)", shown(&dir), gradebook::REPORT))?;
        let report: Report = serde_json::from_str(&text).map_err(|e| format!("{}: not a report: {e}", shown(&path)))?;
        if report.submission.as_deref() != Some(id.as_str()) {
            return Err(format!("{}: names another submission ({:?})", shown(&path), report.submission.as_deref().map(safe_text::line)).into());
        }
        found.insert(id, Graded { dir, report });
    }
    Ok(found)
}

/// A shard's folder holds a report for each id its note lists, and no other.
fn check_shard(folder: &Path, m: &Manifest, found: &BTreeMap<String, Graded>) -> Result<(), BadInput> {
    let name = format!("{} (shard {}/{})", shown(folder), m.shard, m.of);
    if let Some(id) = m.submissions.iter().find(|id| !found.contains_key(*id)) {
        return Err(format!("{name}: no report for '{}': that shard did not finish", safe_text::line(id)).into());
    }
    if let Some(id) = found.keys().find(|id| !m.submissions.contains(id)) {
        return Err(format!("{name}: holds '{}', which is not in this shard (a folder of another run?)", safe_text::line(id)).into());
    }
    Ok(())
}

/// Shards come whole: when any folder is a shard, every folder is one, of the same
/// number of shards, each shard exactly once.
fn check_shards(folders: &[PathBuf], manifests: &[(PathBuf, Manifest)]) -> Result<(), BadInput> {
    let Some((_, first)) = manifests.first() else { return Ok(()) };
    if manifests.len() != folders.len() {
        let plain = folders.iter().find(|f| !manifests.iter().any(|(m, _)| m == *f)).expect("a folder without a note");
        return Err(format!("{} is not a shard (no {}) but others are: merge the shards of one class", shown(plain), shard::MANIFEST).into());
    }
    for k in 1..=first.of {
        let with_k: Vec<&PathBuf> = manifests.iter().filter(|(_, m)| m.shard == k && m.of == first.of).map(|(f, _)| f).collect();
        match with_k.as_slice() {
            [_] => {}
            [] => return Err(format!("shard {k}/{} is missing", first.of).into()),
            [a, b, ..] => return Err(format!("shard {k}/{} is given twice: {} and {}", first.of, shown(a), shown(b)).into()),
        }
    }
    if let Some((f, m)) = manifests.iter().find(|(_, m)| m.of != first.of) {
        return Err(format!("{}: shard {}/{}, where the others are of {}", shown(f), m.shard, m.of, first.of).into());
    }
    Ok(())
}

/// The gradebook's columns: those every shard was graded for, else the first
/// report's; every report must have the same.
fn columns(manifests: &[(PathBuf, Manifest)], students: &BTreeMap<String, Graded>) -> Result<Vec<String>, BadInput> {
    let of_report = |r: &Report| r.results.iter().map(|l| l.key()).collect::<Vec<_>>();
    let columns = match manifests.first() {
        Some((_, m)) => m.columns.clone(),
        None => students.values().next().map(|g| of_report(&g.report)).unwrap_or_default(),
    };
    if let Some((f, _)) = manifests.iter().find(|(_, m)| m.columns != columns) {
        return Err(format!("{}: graded for other lessons or languages than the other shards", shown(f)).into());
    }
    if let Some(g) = students.values().find(|g| of_report(&g.report) != columns) {
        return Err(format!("{}: graded for other lessons or languages ({}) than the others ({})", shown(&g.dir), of_report(&g.report).join(", "), columns.join(", ")).into());
    }
    Ok(columns)
}

/// Copies every student's files, then writes the class's files from their reports.
fn write(out: &Path, students: &BTreeMap<String, Graded>, columns: Vec<String>) -> Result<Exit, BadInput> {
    std::fs::create_dir_all(out).doing(|| format!("--out {}: cannot create", shown(out)))?;
    for (id, g) in students {
        copy_student(&g.dir, &gradebook::submission_dir(out, id)).doing(|| format!("{}: cannot copy into {}", shown(&g.dir), shown(out)))?;
    }
    let class = Class { columns, reports: students.values().map(|g| g.report.clone()).collect() };
    gradebook::write_class(out, &class).doing(|| format!("{}: cannot write the gradebook", shown(out)))?;
    print!("{}", gradebook::SUMMARY_OF.render(&class));
    println!("merged into {}/ (grades.csv, junit.xml, summary.txt, index.html, and each student's reports)", shown(out));
    Ok(Exit::Done)
}

/// A student's files as they are, `report.json` last (it marks the student as done).
fn copy_student(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(from)?.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.retain(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".fearless-")));
    files.sort_by_key(|p| p.file_name().is_some_and(|n| n == gradebook::REPORT));
    for f in files {
        gradebook::write_bytes_atomic(&to.join(f.file_name().expect("a file name")), &std::fs::read(&f)?)?;
    }
    Ok(())
}
