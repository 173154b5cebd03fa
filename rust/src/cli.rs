//! The command line: arguments only; each command's work lives in its own module.
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::check::{self, Context};
use crate::lesson::{Kit, Lang, Lesson, LessonError};
use crate::progress::State;
use crate::report::{LessonResult, Report, Status};
use crate::reporters::{self, Reporter};

#[derive(Parser, Debug)]
#[command(name = "fearless", version, about = "Concurrency lessons in Rust and OCaml, graded by what the program does.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The lessons in order, with your progress.
    List,
    /// Check lessons: build, run and grade them by what they do.
    Check(CheckArgs),
    /// The next hint for a lesson (each call shows one more).
    Hint {
        /// The lesson id, e.g. `mpsc`.
        id: String,
        /// Every hint at once.
        #[arg(long)]
        all: bool,
    },
    /// Grade a whole class: reports per student, a gradebook, Gradescope and JUnit files.
    Grade(crate::grade::GradeArgs),
    /// A lesson's Rust and OCaml side by side, both built, run and measured.
    Compare(crate::compare::CompareArgs),
    /// A course's repository for students: the kit without its solutions and tests, some lessons or all.
    Classroom(crate::classroom::Args),
    /// Grading on other platforms: `autograder gradescope --out autograder.zip`.
    Autograder {
        #[command(subcommand)]
        platform: crate::autograder::Platform,
    },
    /// The student's loop: re-checks the current lesson on every save.
    Watch(crate::watch::Args),
    /// Puts a lesson back to its starting point, keeping your version as a .bak file.
    Reset {
        /// The lesson id, e.g. `mpsc`.
        id: String,
        /// Only this language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// The reference solution, once your version passes.
    Solution {
        /// The lesson id, e.g. `mpsc`.
        id: String,
        /// Only this language.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Measure channel throughput: std, crossbeam, the lessons' channels, OCaml's.
    Bench(crate::bench::BenchArgs),
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Lesson ids (default: all).
    pub ids: Vec<String>,
    /// Only this language.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// A folder laid out like `exercises/` (e.g. `solutions`).
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Exit statuses: 0 all passed, 1 some failed, 2 bad usage or bad input.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let kit = Kit::locate();
    // What a killed run of the kit left in the temporary folder goes now.
    crate::contain::sweep_leftovers();
    match cli.command {
        Command::List => crate::list::run(&kit),
        Command::Check(args) => run_check(&kit, args),
        Command::Hint { id, all } => hint(&kit, &id, all),
        Command::Grade(args) => crate::grade::run(&kit, args),
        Command::Compare(args) => crate::compare::command(&kit, &args),
        Command::Classroom(args) => crate::classroom::run(&kit, &args),
        Command::Autograder { platform } => crate::autograder::run(&kit, platform),
        Command::Watch(args) => crate::watch::run(&kit, args),
        Command::Reset { id, lang } => crate::reset::run(&kit, &id, lang),
        Command::Solution { id, lang } => crate::solution::run(&kit, &id, lang),
        Command::Bench(args) => crate::bench::command(&kit, &args),
    }
}

fn bad_input(e: impl std::fmt::Display) -> i32 {
    eprintln!("fearless: {e}");
    2
}

/// The lessons named on the command line (all when none), or the first bad id.
pub fn select(kit: &Kit, ids: &[String]) -> Result<Vec<Result<Lesson, LessonError>>, LessonError> {
    if ids.is_empty() {
        return kit.lessons();
    }
    ids.iter().map(|id| kit.slug_of(id).ok_or_else(|| LessonError::UnknownId(id.clone())).map(|slug| kit.load(&slug))).collect()
}

/// The cargo target folder shared by checks in this kit.
pub fn default_target(kit: &Kit) -> PathBuf {
    std::env::var_os("FEARLESS_TARGET").map(PathBuf::from).unwrap_or_else(|| kit.root.join("target").join("lessons"))
}

fn run_check(kit: &Kit, args: CheckArgs) -> i32 {
    let from = args.from.clone().unwrap_or_else(|| kit.exercises_dir());
    if !from.is_dir() {
        return bad_input(LessonError::MissingFolder(from));
    }
    let lessons = match select(kit, &args.ids) {
        Ok(l) => l,
        Err(e) => return bad_input(e),
    };
    let ctx = Context::new(default_target(kit));
    let mut results: Vec<LessonResult> = Vec::new();
    let mut broken = false;
    for lesson in &lessons {
        match lesson {
            Ok(lesson) => {
                for lang in lesson.langs().filter(|l| args.lang.is_none_or(|a| a == *l)) {
                    results.push(check::check(&ctx, lesson, lang, &from));
                }
            }
            Err(e) => {
                broken = true;
                eprintln!("fearless: {e}");
            }
        }
    }
    // A student checking their own code is told nothing about containment: that is for
    // whoever grades others' code (`grade`, `autograder`), where it stays in the report.
    let report = Report { notices: Vec::new(), ..Report::new(results) };
    let own_exercises = from.canonicalize().ok() == kit.exercises_dir().canonicalize().ok();
    let mut state = State::load(&kit.root);
    if own_exercises {
        for r in &report.results {
            state.passed.insert(r.key(), r.status == Status::Pass);
        }
        let _ = state.save(&kit.root);
    }
    if args.json {
        // The terminal reporter shows notices itself; with JSON on stdout they go to the terminal here.
        for n in &report.notices {
            eprintln!("fearless: note: {n}");
        }
        print!("{}", reporters::Json.render(&report));
    } else {
        let hints = lessons
            .iter()
            .flatten()
            .map(|l| {
                let seen = state.hints_seen.get(l.id()).copied().unwrap_or(0);
                let i = seen.min(l.exercise.hints.len().saturating_sub(1));
                (l.id().to_string(), format!("{} (`fearless hint {}` for more)", l.exercise.hints[i], l.id()))
            })
            .collect();
        let term = reporters::Terminal { colour: reporters::Terminal::colour_wanted(), hints, detail_lines: 12 };
        print!("{}", term.render(&report));
        if own_exercises && (!args.ids.is_empty() || args.lang.is_some()) {
            println!("all lessons: {}", crate::list::overall(kit, &state));
        }
    }
    if broken {
        2
    } else if report.all_passed() {
        0
    } else {
        1
    }
}

fn hint(kit: &Kit, id: &str, all: bool) -> i32 {
    let lesson = match kit.lesson(id) {
        Ok(l) => l,
        Err(e) => return bad_input(e),
    };
    let hints = &lesson.exercise.hints;
    if all {
        for (i, h) in hints.iter().enumerate() {
            println!("hint {} of {}: {h}", i + 1, hints.len());
        }
        return 0;
    }
    let mut state = State::load(&kit.root);
    let seen = state.hints_seen.get(lesson.id()).copied().unwrap_or(0);
    let i = seen.min(hints.len() - 1);
    println!("hint {} of {}: {}", i + 1, hints.len(), hints[i]);
    if i + 1 == hints.len() {
        println!("(that was the last one; `fearless hint {} --all` lists them all)", lesson.id());
    }
    state.hints_seen.insert(lesson.id().to_string(), (seen + 1).min(hints.len()));
    let _ = state.save(&kit.root);
    0
}
