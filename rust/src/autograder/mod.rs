//! Grading on existing infrastructure: `fearless autograder gradescope` writes the
//! bundle Gradescope runs (`setup.sh`, `run_autograder` and the kit without its
//! solutions); inside it, `run_autograder` calls `fearless autograder gradescope-run`.
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::check::Context;
use crate::exit::{BadInput, Doing, Exit};
use crate::grade::{gradebook, submission, Plan};
use crate::layout::Kit;
use crate::lesson::Lang;
use crate::report::Report;
use crate::reporters::{self, Reporter};

#[derive(clap::Subcommand, Debug)]
pub enum Platform {
    /// Write the Gradescope autograder bundle (a zip to upload as the assignment's autograder).
    Gradescope(BundleArgs),
    /// Grade one submission into Gradescope's results.json (what the bundle's run_autograder runs).
    #[command(hide = true)]
    GradescopeRun(RunArgs),
}

#[derive(clap::Args, Debug)]
pub struct BundleArgs {
    /// The zip to write.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub selection: Selection,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The student's files (Gradescope: /autograder/submission).
    #[arg(long)]
    pub submission: PathBuf,
    /// Where results.json goes (Gradescope: /autograder/results/results.json).
    #[arg(long)]
    pub results: PathBuf,
    #[command(flatten)]
    pub selection: Selection,
}

/// Which lessons and languages the assignment grades.
#[derive(clap::Args, Debug, Clone)]
pub struct Selection {
    /// Only this language.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Only these lessons (repeat the option, or separate ids with commas).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
}

impl Selection {
    /// The same selection as command-line words (ids are checked against the kit first).
    fn words(&self) -> String {
        let mut w: Vec<String> = self.only.iter().map(|id| format!("--only {id}")).collect();
        if let Some(l) = self.lang {
            w.push(format!("--lang {l}"));
        }
        w.join(" ")
    }
}

pub fn run(kit: &Kit, platform: Platform) -> Result<Exit, BadInput> {
    match platform {
        Platform::Gradescope(args) => bundle(kit, &args),
        Platform::GradescopeRun(args) => gradescope_run(kit, &args),
    }
}

const SETUP: &str = include_str!("setup.sh");
const RUN: &str = include_str!("run_autograder");

/// The kit's files that grading needs: never its solutions, tests or build products.
const BUNDLED: &[&str] = &["Cargo.toml", "Cargo.lock", "Makefile", "student.mk", "README.md", ".ci", "rust", "exercises"];
const NEVER: &[&str] = &["target", "_build", ".git", ".fearless"];

fn bundle(kit: &Kit, args: &BundleArgs) -> Result<Exit, BadInput> {
    // Checked now, so that a typo fails here and not on every student's submission.
    Plan::new(kit, &args.selection.only, args.selection.lang)?;
    if args.out.is_dir() {
        return Err(format!("--out {}: is a folder; name the zip to write", args.out.display()).into());
    }
    let words = args.selection.words();
    let written = (|| -> zip::result::ZipResult<usize> {
        let file = tempfile::NamedTempFile::new_in(args.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))?;
        let mut z = zip::ZipWriter::new(file);
        let script = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
        z.start_file("setup.sh", script)?;
        z.write_all(SETUP.replace("@SELECTION@", &words).as_bytes())?;
        z.start_file("run_autograder", script)?;
        z.write_all(RUN.replace("@SELECTION@", &words).as_bytes())?;
        let mut n = 2;
        for top in BUNDLED {
            n += add_tree(&mut z, &kit.root, &kit.root.join(top))?;
        }
        let file = z.finish()?;
        file.persist(&args.out).map_err(|e| zip::result::ZipError::Io(e.error))?;
        Ok(n)
    })();
    let n = written.map_err(|e| format!("{}: cannot write the bundle: {e}", args.out.display()))?;
    println!("wrote {} ({n} files): upload it as the assignment's autograder on Gradescope", args.out.display());
    Ok(Exit::Done)
}

fn add_tree<W: Write + std::io::Seek>(z: &mut zip::ZipWriter<W>, root: &Path, path: &Path) -> zip::result::ZipResult<usize> {
    // Followed: lessons that share kit files (06 and 11) link them.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(_) => return Ok(0),
    };
    let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned();
    if meta.is_dir() {
        if path.file_name().is_some_and(|n| NEVER.iter().any(|x| n == *x)) {
            return Ok(0);
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.flatten().map(|e| e.path()).collect();
        entries.sort();
        let mut n = 0;
        for e in entries {
            n += add_tree(z, root, &e)?;
        }
        Ok(n)
    } else if meta.is_file() {
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o755;
        z.start_file(name, zip::write::SimpleFileOptions::default().unix_permissions(mode | 0o644))?;
        z.write_all(&std::fs::read(path)?)?;
        Ok(1)
    } else {
        Ok(0)
    }
}

/// Grades one submission into results.json; whatever goes wrong, results.json says so.
fn gradescope_run(kit: &Kit, args: &RunArgs) -> Result<Exit, BadInput> {
    let plan = Plan::new(kit, &args.selection.only, args.selection.lang).map_err(|e| failed(&args.results, format!("the autograder's kit is broken: {e}")))?;
    let report = match submission::collect(std::slice::from_ref(&args.submission), &args.results) {
        Ok(subs) => {
            let mut sub = subs.into_iter().next().expect("one path, one submission");
            sub.id = "submission".into();
            plan.grade(&Context::new(kit.default_target()), &sub)
        }
        Err(e) => {
            let mut r = Report::new(plan.unchecked(&e.to_string()));
            r.notices.push(e.to_string());
            r
        }
    };
    print!("{}", reporters::Terminal::full(false, plan.hints_for(&report), crate::columns::MAX_WIDTH).render(&report));
    gradebook::write_atomic(&args.results, &plan.gradescope(&report).render(&report)).doing(|| format!("{}: cannot write", args.results.display()))?;
    Ok(Exit::Done)
}

/// Writes results.json for a run that could not grade at all; the error says why.
fn failed(results: &Path, why: String) -> BadInput {
    let json = serde_json::json!({"score": 0, "output": why, "tests": []});
    let _ = gradebook::write_atomic(results, &format!("{json:#}\n"));
    BadInput::Said(why)
}
