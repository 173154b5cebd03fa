//! `fearless classroom --out DIR [--only ID,...] [--with-solutions]`: the students'
//! starting repository for a course. It holds the kit's sources and build files, the
//! student Makefile (`student.mk`) and workflow (`check.yml`), the handed-out lessons'
//! starting points and a README for students; never `solutions/` in plain files, the
//! kit's tests, the benchmark or the instructor's README. With `--with-solutions`, the
//! lessons' reference solutions go into one archive that `fearless solution` opens once
//! a lesson passes.
mod links;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::exit::{BadInput, Doing, Exit};
use crate::layout::{Kit, Tree};
use crate::lesson::Lesson;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to write the course's repository into (created; if it exists, it must be empty).
    #[arg(long)]
    pub out: PathBuf,
    /// Only these lessons, in the kit's order (repeat the option, or separate ids with commas).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Pack the lessons' reference solutions into one archive that `fearless solution`
    /// opens once a lesson passes.
    #[arg(long)]
    pub with_solutions: bool,
}

/// The kit's files a course holds, as (in the kit, in the course, required).
const KIT_FILES: &[(&str, &str, bool)] = &[
    ("Cargo.toml", "Cargo.toml", true),
    ("Cargo.lock", "Cargo.lock", true),
    ("rustfmt.toml", "rustfmt.toml", true),
    (".gitignore", ".gitignore", true),
    ("student.mk", "Makefile", true),
    (".ci/install-deps", ".ci/install-deps", true),
    (".github/workflows/check.yml", ".github/workflows/check.yml", true),
    (".devcontainer", ".devcontainer", false),
    ("rust", "rust", true),
];

/// Folders never copied: build products, a repository's history, a student's progress.
const NEVER: &[&str] = &["target", "_build", ".git", ".fearless"];

const README: &str = include_str!("student_readme.md");

pub fn run(kit: &Kit, args: &Args) -> Result<Exit, BadInput> {
    let lessons = write(kit, args)?;
    let ids: Vec<&str> = lessons.iter().map(|l| l.id()).collect();
    println!("wrote {}: {} lesson(s), {}", args.out.display(), ids.len(), ids.join(", "));
    if args.with_solutions {
        println!("their reference solutions are packed in {}", crate::solution::ARCHIVE);
    }
    println!("make it a repository (git init, add, commit) and hand it out; grade the students' copies with");
    println!("  fearless grade SUBMISSION... --out graded --only {}", ids.join(","));
    Ok(Exit::Done)
}

/// Writes the course into a fresh folder next to `--out`, then moves it into place:
/// whatever goes wrong, `--out` is left as it was.
fn write(kit: &Kit, args: &Args) -> Result<Vec<Lesson>, BadInput> {
    let lessons = kit.select_in_order(&args.only)?;
    if std::fs::symlink_metadata(&args.out).is_ok() {
        let empty = std::fs::read_dir(&args.out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(format!("--out {}: exists and is not an empty folder; name a new one", args.out.display()).into());
        }
    }
    let parent = args.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).doing(|| format!("{}: cannot create", parent.display()))?;
    let tmp = tempfile::Builder::new().prefix(".fearless-classroom-").tempdir_in(parent).doing(|| format!("{}: cannot write", parent.display()))?;
    let answers = Answers::load(kit)?;
    let copier = Copier { kit_root: &kit.root, answers: &answers };
    fill(kit, &copier, &lessons, args.with_solutions, tmp.path())?;
    std::fs::set_permissions(tmp.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
    std::fs::rename(tmp.path(), &args.out).doing(|| format!("--out {}: cannot move the course there", args.out.display()))?;
    Ok(lessons)
}

fn fill(kit: &Kit, copier: &Copier, lessons: &[Lesson], with_solutions: bool, out: &Path) -> Result<(), BadInput> {
    for (from, to, required) in KIT_FILES {
        let path = kit.root.join(from);
        if !required && std::fs::metadata(&path).is_err() {
            continue;
        }
        copier.copy(&path, &out.join(to))?;
    }
    let manifest = kit.root.join("rust/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).doing(|| format!("{}: cannot read", manifest.display()))?;
    std::fs::write(out.join("rust/Cargo.toml"), student_manifest(&text)?)?;
    let course = Tree::exercises_of(out);
    for lesson in lessons {
        copier.copy(&lesson.dir, &course.lesson(lesson))?;
    }
    if with_solutions {
        pack_solutions(kit, lessons, &out.join(crate::solution::ARCHIVE))?;
    }
    let readme = student_readme(lessons, with_solutions, out.join(".devcontainer").is_dir());
    std::fs::write(out.join("README.md"), readme)?;
    links::fix_all(out, lessons)
}

/// Every file of the kit's `solutions/`, by its bytes: none of them may land in a course.
struct Answers(HashMap<Vec<u8>, PathBuf>);

impl Answers {
    fn load(kit: &Kit) -> Result<Answers, BadInput> {
        let mut found = HashMap::new();
        let solutions = kit.solutions();
        if solutions.dir().is_dir() {
            walk(solutions.dir(), &mut |path| {
                found.insert(std::fs::read(path)?, path.strip_prefix(&kit.root).unwrap_or(path).to_path_buf());
                Ok(())
            })?;
        }
        Ok(Answers(found))
    }
}

/// Calls `f` on every file below `dir` (links followed), build products left out.
fn walk(dir: &Path, f: &mut dyn FnMut(&Path) -> Result<(), BadInput>) -> Result<(), BadInput> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).doing(|| format!("{}: cannot read", dir.display()))?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::metadata(&path).doing(|| format!("{}: cannot read (a broken link?)", path.display()))?;
        if meta.is_dir() && !path.file_name().is_some_and(|n| NEVER.iter().any(|x| n == *x)) {
            walk(&path, f)?;
        } else if meta.is_file() {
            f(&path)?;
        }
    }
    Ok(())
}

/// Copies the kit's files into the course: links followed (lessons share kit files by
/// links, and a course may hold one lesson without the other), modes kept, build
/// products and a student's backups (`main.rs.bak`) left out.
struct Copier<'a> {
    kit_root: &'a Path,
    answers: &'a Answers,
}

impl Copier<'_> {
    fn copy(&self, from: &Path, to: &Path) -> Result<(), BadInput> {
        if std::fs::metadata(from).doing(|| format!("{}: not in the kit", from.display()))?.is_file() {
            return self.copy_file(from, to);
        }
        walk(from, &mut |path| {
            let rel = path.strip_prefix(from).expect("below the folder walked");
            if is_backup(path) {
                return Ok(());
            }
            self.copy_file(path, &to.join(rel))
        })
    }

    fn copy_file(&self, from: &Path, to: &Path) -> Result<(), BadInput> {
        let shown = from.strip_prefix(self.kit_root).unwrap_or(from);
        let bytes = std::fs::read(from).doing(|| format!("{}: cannot read", shown.display()))?;
        if let Some(answer) = self.answers.0.get(&bytes) {
            let said =
                format!("{} is the same as {}: a course never holds a reference solution (put the starting point back: git checkout {0})", shown.display(), answer.display());
            return Err(said.into());
        }
        std::fs::create_dir_all(to.parent().expect("a file in the course"))?;
        std::fs::write(to, &bytes).doing(|| format!("{}: cannot write", to.display()))?;
        std::fs::set_permissions(to, std::fs::metadata(from)?.permissions())?;
        Ok(())
    }
}

/// `main.rs.bak`, `main.rs.bak.2`: what `fearless reset` kept of a student's version.
fn is_backup(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.ends_with(".bak") || name.rsplit_once(".bak.").is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `rust/Cargo.toml` without its `[[test]]` tables: the kit's tests stay with the kit, and
/// cargo refuses a manifest that names a test file which is not there. The rest is kept as
/// written, comments included, and checked against a parse of the original.
pub fn student_manifest(text: &str) -> Result<String, BadInput> {
    let mut kept: Vec<&str> = Vec::new();
    // Blank and comment lines go with what follows them: before a `[[test]]`, they go too.
    let mut pending: Vec<&str> = Vec::new();
    let mut in_test = false;
    for line in text.lines() {
        let code = line.split('#').next().unwrap_or("").trim();
        if code.starts_with('[') {
            in_test = code == "[[test]]";
        }
        if code.is_empty() {
            pending.push(line);
        } else if in_test {
            pending.clear();
        } else {
            kept.append(&mut pending);
            kept.push(line);
        }
    }
    if !in_test {
        kept.append(&mut pending);
    }
    let out = kept.join("\n") + "\n";
    let mut want: toml::Table = toml::from_str(text).map_err(|e| format!("rust/Cargo.toml: {e}"))?;
    want.remove("test");
    let got: toml::Table = toml::from_str(&out).map_err(|e| format!("rust/Cargo.toml without its [[test]] tables does not parse: {e}"))?;
    if got != want {
        return Err("rust/Cargo.toml: dropping its [[test]] tables changed more than them".into());
    }
    Ok(out)
}

/// The lessons' reference solutions (their student files only) in one `.tar.gz`, each
/// under `solutions/<slug>/<lang>/`, as in the kit; the same bytes for the same solutions.
fn pack_solutions(kit: &Kit, lessons: &[Lesson], to: &Path) -> Result<(), BadInput> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    for lesson in lessons {
        for lang in lesson.langs() {
            for path in kit.solutions().files(lesson, lang) {
                let rel = path.strip_prefix(&kit.root).expect("in the kit");
                let bytes = std::fs::read(&path).doing(|| format!("{}: cannot read (--with-solutions packs the solutions)", rel.display()))?;
                let mut header = tar::Header::new_gnu();
                header.set_size(bytes.len() as u64);
                header.set_mode(0o644);
                header.set_mtime(0);
                tar.append_data(&mut header, rel, bytes.as_slice())?;
            }
        }
    }
    let bytes = tar.into_inner()?.finish()?;
    std::fs::File::create(to)?.write_all(&bytes).doing(|| format!("{}: cannot write", to.display()))
}

/// The students' README: what the course is, its lessons in order, the commands.
fn student_readme(lessons: &[Lesson], with_solutions: bool, devcontainer: bool) -> String {
    let rows: Vec<String> = lessons
        .iter()
        .map(|l| {
            let files: Vec<String> = l.langs().flat_map(|lang| l.student_files(lang).iter().map(move |f| format!("`{lang}/{f}`"))).collect();
            let readme = Tree::as_shown().readme(l);
            format!("| [{}]({}) | `{}` | {} | {} |", links::name(l), readme.display(), l.id(), l.exercise.summary.replace('|', "\\|"), files.join(", "))
        })
        .collect();
    let solution = if with_solutions {
        "the reference solution, shown only once your version passes; until then, what still fails. The solutions \
         are packed in `solutions.tar.gz`: a determined student can unpack it (as with rustlings), but you learn more \
         by passing first."
    } else {
        "the reference solution once your version passes; this course hands out none."
    };
    let devcontainer = if devcontainer { " Or open this folder in its dev container (`.devcontainer/`, in VS Code or Codespaces), which has them installed." } else { "" };
    let first = lessons.first().map(|l| l.id()).unwrap_or("mpsc");
    README
        .replace(
            "@COUNT@",
            &match lessons.len() {
                1 => "One lesson".to_string(),
                n => format!("{n} lessons"),
            },
        )
        .replace("@LESSONS@", &rows.join("\n"))
        .replace("@SOLUTION@", solution)
        .replace("@DEVCONTAINER@", devcontainer)
        .replace("@ID@", first)
}
