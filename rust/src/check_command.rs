//! `fearless check [ID...] [--lang] [--from DIR] [--json] [--verbose]`: checks lessons
//! and prints their report card; a check of the student's own exercises also records
//! what passes.
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::check::{self, Context};
use crate::exit::{BadInput, Exit};
use crate::layout::{Kit, Tree};
use crate::lesson::{Lang, Lesson, LessonError};
use crate::progress::State;
use crate::report::{LessonResult, Report, Status};
use crate::reporters::{self, Reporter};

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
    /// Every failure in detail (by default only the first lesson not passing, or the
    /// lessons named, is).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Exit status 0 when every lesson passed, 1 when one did not, 2 when one is broken
/// (the others are checked).
pub fn run(kit: &Kit, args: CheckArgs) -> Result<Exit, BadInput> {
    let from = args.from.clone().map(Tree::new).unwrap_or_else(|| kit.exercises());
    if !from.dir().is_dir() {
        return Err(LessonError::MissingFolder(from.dir().to_path_buf()).into());
    }
    let lessons = kit.select(&args.ids)?;
    // The student's own target folder: what one check built, the next one reuses.
    let ctx = Context::new(kit.default_target()).own();
    let mut results: Vec<LessonResult> = Vec::new();
    let mut broken = false;
    for lesson in &lessons {
        match lesson {
            Ok(lesson) => {
                for lang in lesson.langs().filter(|l| args.lang.is_none_or(|a| a == *l)) {
                    results.push(check::check(&ctx, lesson, lang, from.dir()));
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
    let own_exercises = from.dir().canonicalize().ok() == kit.exercises().dir().canonicalize().ok();
    let mut state = record(kit, &report, own_exercises);
    if args.json {
        print_json(&report);
    } else {
        print_terminal(kit, &report, &lessons, &mut state, &args, own_exercises);
        if own_exercises && (!args.ids.is_empty() || args.lang.is_some()) {
            println!("all lessons: {}", crate::list::overall(kit, &state));
        }
    }
    Ok(if broken {
        Exit::BadInput
    } else if report.all_passed() {
        Exit::Done
    } else {
        Exit::Failed
    })
}

/// The student's progress, with what passes now when their own exercises were checked.
fn record(kit: &Kit, report: &Report, own_exercises: bool) -> State {
    let mut state = State::load(&kit.root);
    if own_exercises {
        for r in &report.results {
            state.record(r);
        }
        let _ = state.save(&kit.root);
    }
    state
}

fn print_json(report: &Report) {
    // The terminal reporter shows notices itself; with JSON on stdout they go to the terminal here.
    for n in &report.notices {
        eprintln!("fearless: note: {n}");
    }
    print!("{}", reporters::Json.render(report));
}

/// The report card for the terminal: the lessons named (or the first one not
/// passing) in detail, each failure with the hint that fits it (which then counts as
/// seen) or the next one, and what to run next.
fn print_terminal(kit: &Kit, report: &Report, lessons: &[Result<Lesson, LessonError>], state: &mut State, args: &CheckArgs, own_exercises: bool) {
    let mut term = reporters::Terminal::full(reporters::Terminal::colour_wanted(), BTreeMap::new(), crate::columns::terminal_width());
    if !args.verbose {
        let first = report.results.iter().find(|r| r.status != Status::Pass);
        term.detailed = Some(if args.ids.is_empty() {
            first.map(|r| r.exercise.clone()).into_iter().collect()
        } else {
            lessons.iter().flatten().map(|l| l.id().to_string()).collect::<BTreeSet<_>>()
        });
        term.todo_details = false;
        term.next = first.and_then(|r| own_exercises.then(|| next_command(r, lessons, args.lang)));
    }
    let mut seen = Vec::new();
    for r in report.results.iter().filter(|r| r.status != Status::Pass && term.detailed.as_ref().is_none_or(|d| d.contains(&r.exercise))) {
        let Some(lesson) = lessons.iter().flatten().find(|l| l.id() == r.exercise) else { continue };
        let (i, fits) = crate::hint::for_result(state, lesson, r);
        let hints = &lesson.exercise.hints;
        term.hints.insert(r.key(), format!("{} (hint {} of {}; `fearless hint {}` for more)", hints[i], i + 1, hints.len(), lesson.id()));
        if fits {
            seen.push((lesson.id().to_string(), i));
        }
    }
    if own_exercises && !seen.is_empty() {
        seen.iter().for_each(|(id, i)| state.saw(id, *i));
        let _ = state.save(&kit.root);
    }
    print!("{}", term.render(report));
}

/// The one command to run next, for the first result not passing: the file of the
/// lesson to start with, and how to check that lesson alone (in the language asked for).
fn next_command(first: &LessonResult, lessons: &[Result<Lesson, LessonError>], lang: Option<Lang>) -> String {
    let lesson = lessons.iter().flatten().find(|l| l.id() == first.exercise);
    let file = lesson.and_then(|l| Tree::as_shown().files(l, first.lang).into_iter().next());
    let edit = file.map(|f| format!("edit {}, then ", f.display())).unwrap_or_default();
    let lang = lang.map(|l| format!(" LANG={l}")).unwrap_or_default();
    format!("next: {edit}`make check EX={}{lang}`", first.exercise)
}
