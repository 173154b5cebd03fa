//! `fearless solution ID [--lang]`: the reference solution, shown only once the
//! student's own version passes; before that, what still fails. The solutions are the
//! kit's `solutions/` folder, or in a course's repository (`fearless classroom
//! --with-solutions`) the archive [`ARCHIVE`].
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::check::{self, Context};
use crate::columns::{self, MAX_WIDTH};
use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::{Lang, Lesson};
use crate::progress::State;
use crate::report::{LessonResult, Status};

/// Exit status 0 when every asked-for solution was shown, 1 when a version does
/// not pass yet (or the course holds no solutions), 2 on bad input.
pub fn run(kit: &Kit, id: &str, lang: Option<Lang>) -> Result<Exit, BadInput> {
    let (lesson, langs) = kit.lesson_langs(id, lang)?;
    let Some(source) = Source::of(kit) else {
        eprintln!("fearless: this course holds no reference solutions (your instructor did not hand them out)");
        return Ok(Exit::Failed);
    };
    let ctx = Context::new(kit.default_target());
    let mut state = State::load(&kit.root);
    let mut status = Exit::Done;
    for lg in langs {
        eprintln!("checking your {lg} version of {} first...", lesson.id());
        let result = check::check(&ctx, &lesson, lg, kit.exercises().dir());
        state.record(&result);
        let shown = if result.status == Status::Pass { show(&source, kit, &lesson, lg) } else { still_failing(&result, &lesson, lg) };
        if !shown {
            status = Exit::Failed;
        }
    }
    if let Err(e) = state.save(&kit.root) {
        eprintln!("fearless: cannot save progress: {e}");
    }
    Ok(status)
}

/// Prints the solution's files; false when one could not be read.
fn show(source: &Source, kit: &Kit, lesson: &Lesson, lang: Lang) -> bool {
    let mut all = true;
    for (shown, text) in source.read(kit, lesson, lang) {
        match text {
            Ok(text) => {
                println!("── {shown} {}", "─".repeat(MAX_WIDTH.saturating_sub(columns::width(&shown) + 4)));
                print!("{text}");
            }
            Err(e) => {
                eprintln!("fearless: {shown}: cannot read: {e}");
                all = false;
            }
        }
    }
    all
}

/// Says why the solution stays hidden: what still fails. Always false: nothing was shown.
fn still_failing(result: &LessonResult, lesson: &Lesson, lang: Lang) -> bool {
    println!("{} ({lang}) does not pass yet, so its solution stays hidden. Still failing:", lesson.id());
    // The first failure, then the others that say something else.
    let mut said: Vec<&str> = Vec::new();
    let failing = result.first_failure().into_iter().chain(result.checks.iter().filter(|c| matches!(c.status, Status::Fail | Status::Error)));
    for c in failing {
        if !said.contains(&c.message.as_str()) {
            said.push(&c.message);
            for line in columns::wrap(&format!("{}: {}", c.name, c.message), MAX_WIDTH, "  ✗ ", "    ") {
                println!("{line}");
            }
        }
    }
    println!("`fearless hint {}` helps; `fearless check {} --lang {lang}` shows the details.", lesson.id(), lesson.id());
    false
}

/// Where a course's reference solutions are packed, from its root: one `.tar.gz` whose
/// entries are named as in the kit (`solutions/03-mpsc/rust/src/main.rs`).
pub const ARCHIVE: &str = "solutions.tar.gz";

/// Where the reference solutions are.
enum Source {
    /// The kit's `solutions/` folder.
    Folder,
    /// A course's archive of them.
    Archive(PathBuf),
}

impl Source {
    fn of(kit: &Kit) -> Option<Source> {
        if kit.solutions().dir().is_dir() {
            Some(Source::Folder)
        } else {
            let archive = kit.root.join(ARCHIVE);
            archive.is_file().then_some(Source::Archive(archive))
        }
    }

    /// Each file of the solution as it is shown (its path in the kit), with its text.
    fn read(&self, kit: &Kit, lesson: &Lesson, lang: Lang) -> Vec<(String, std::io::Result<String>)> {
        let shown = |p: &PathBuf| p.strip_prefix(&kit.root).unwrap_or(p).display().to_string();
        let files = kit.solutions().files(lesson, lang);
        match self {
            Source::Folder => files.iter().map(|p| (shown(p), std::fs::read_to_string(p))).collect(),
            Source::Archive(archive) => {
                let names: Vec<String> = files.iter().map(shown).collect();
                match unpack(archive, &names) {
                    Ok(mut found) => names
                        .into_iter()
                        .map(|n| {
                            let text = found.remove(&n).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, format!("not in {ARCHIVE}")));
                            (n, text)
                        })
                        .collect(),
                    Err(e) => vec![(ARCHIVE.to_string(), Err(e))],
                }
            }
        }
    }
}

/// The texts of the entries named `names` in a `.tar.gz`.
fn unpack(archive: &Path, names: &[String]) -> std::io::Result<std::collections::HashMap<String, String>> {
    let mut found = std::collections::HashMap::new();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::fs::File::open(archive)?));
    for entry in tar.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if names.contains(&name) {
            let mut text = String::new();
            entry.read_to_string(&mut text)?;
            found.insert(name, text);
        }
    }
    Ok(found)
}

/// Where a student finds the reference solution of a lesson that passes, as the watch
/// loop says it: the solution's files, or the command that shows them from the archive.
pub fn shown(kit: &Kit, lesson: &Lesson, lang: Lang) -> Vec<String> {
    match Source::of(kit) {
        Some(Source::Folder) => kit.solutions().files(lesson, lang).iter().map(|p| p.strip_prefix(&kit.root).unwrap_or(p).display().to_string()).collect(),
        Some(Source::Archive(_)) => vec![format!("fearless solution {} --lang {lang}", lesson.id())],
        None => Vec::new(),
    }
}
