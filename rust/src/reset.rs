//! `fearless reset ID [--lang]`: puts a lesson's student files back to their starting
//! point and keeps the student's version next to each file (`main.rs.bak`, then
//! `main.rs.bak.1`, ...), where the build never looks.
//!
//! Starting points come from git, so a clone of the kit always has them: the file as
//! it was in the commit the copy was at when the kit first saved progress
//! (`start_commit` in `.fearless/state.json`, so that the student's own commits do not
//! count), else as it is in `HEAD`.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::exit::{BadInput, Exit};
use crate::layout::{Kit, Tree};
use crate::lesson::Lang;
use crate::progress::State;

/// Exit status 0 when every file is at its starting point, 1 when one could not be
/// restored, 2 on bad input.
pub fn run(kit: &Kit, id: &str, lang: Option<Lang>) -> Result<Exit, BadInput> {
    let (lesson, langs) = kit.lesson_langs(id, lang)?;
    let mut state = State::load(&kit.root);
    let mut status = Exit::Done;
    for lg in langs {
        for rel in Tree::as_shown().files(&lesson, lg) {
            let rel = rel.display().to_string();
            match reset_file(&kit.root, &rel, state.start_commit.as_deref()) {
                Ok(Reset::AlreadyThere) => println!("{rel}: already at its starting point"),
                Ok(Reset::Restored(None)) => println!("{rel}: restored (there was no file)"),
                Ok(Reset::Restored(Some(backup))) => {
                    println!("{rel}: back to its starting point");
                    println!("  your version is kept in {}", backup.strip_prefix(&kit.root).unwrap_or(&backup).display());
                }
                Err(why) => {
                    eprintln!("fearless: {rel}: {why}");
                    status = Exit::Failed;
                }
            }
        }
        state.passed.insert(format!("{}/{lg}", lesson.id()), false);
    }
    if let Err(e) = state.save(&kit.root) {
        eprintln!("fearless: cannot save progress: {e}");
    }
    Ok(status)
}

enum Reset {
    AlreadyThere,
    /// With the backup of the student's version, when there was one.
    Restored(Option<PathBuf>),
}

fn reset_file(root: &Path, rel: &str, start_commit: Option<&str>) -> Result<Reset, String> {
    let start = starting_point(root, rel, start_commit)?;
    let path = root.join(rel);
    let current = std::fs::read(&path).ok();
    if current.as_deref() == Some(start.as_slice()) {
        return Ok(Reset::AlreadyThere);
    }
    let backup = match current {
        Some(_) => {
            let b = backup_path(&path);
            std::fs::rename(&path, &b).map_err(|e| format!("cannot keep your version as {}: {e}", b.display()))?;
            Some(b)
        }
        None => None,
    };
    std::fs::write(&path, &start).map_err(|e| format!("cannot write the starting point: {e}"))?;
    Ok(Reset::Restored(backup))
}

/// The file's starting point, from git (see the module's comment).
pub fn starting_point(root: &Path, rel: &str, start_commit: Option<&str>) -> Result<Vec<u8>, String> {
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output();
    match git(&["rev-parse", "--git-dir"]) {
        Ok(o) if o.status.success() => {}
        Ok(_) => return Err("this copy of the kit is not a git clone, and starting points come from git".into()),
        Err(e) => return Err(format!("cannot run git ({e}), and starting points come from git")),
    }
    for commit in start_commit.into_iter().chain(["HEAD"]) {
        // `./` makes the path relative to the kit's root, wherever the repository starts.
        if let Ok(o) = git(&["show", &format!("{commit}:./{rel}")]) {
            if o.status.success() {
                return Ok(o.stdout);
            }
        }
    }
    Err("git has no starting point for it (not in HEAD)".into())
}

/// `FILE.bak`, or `FILE.bak.N` with the first N not taken.
fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    let first = PathBuf::from(&name);
    if !first.exists() {
        return first;
    }
    (1..).map(|n| PathBuf::from(format!("{}.{n}", first.display()))).find(|p| !p.exists()).expect("some number is free")
}
