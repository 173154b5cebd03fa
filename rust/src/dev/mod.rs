//! For instructors writing lessons: `fearless dev new` writes a lesson's skeleton in
//! both languages, `fearless dev check` holds lessons to their contract, a line per
//! breach. The mutant machinery the kit's own tests use lives here too, so that they
//! and `dev check` judge a lesson by one implementation.
//!
//! This module may use `check`, `lesson`, `layout`, `report` and `hint`; nothing but
//! the command line uses it.
use clap::Subcommand;

use crate::check::Context;
use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::{Lang, Lesson};

pub mod contract;
pub mod coverage;
pub mod mutant;
pub mod new;
pub mod runs;
pub mod snapshot;

#[derive(Subcommand, Debug)]
pub enum Dev {
    /// Write a new lesson's skeleton: exercises/NN-slug, solutions/NN-slug, tests/mutants/NN-slug.
    New {
        /// The lesson's folder name: its number and id, `12-barrier`.
        name: String,
    },
    /// Hold lessons to their contract, a line for each thing wrong.
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The lessons (id, folder name or number); all when none, with the kit's README.
    pub ids: Vec<String>,
    /// Only what is read, not run: ids, TODOs, links, tables, mutants' count, patches,
    /// snapshots and explain rules (a second for the whole kit).
    #[arg(long = "static")]
    pub only_static: bool,
    /// Run only this language's solution, starting point and mutants.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Run each solution and mutant N times and say what changed between runs.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
    /// Write the snapshots that differ (or are missing) instead of showing the difference.
    #[arg(long)]
    pub accept: bool,
}

pub fn run(kit: &Kit, dev: Dev) -> Result<Exit, BadInput> {
    match dev {
        Dev::New { name } => new::run(kit, &name),
        Dev::Check(args) => Ok(check(kit, &args, &mut |line| println!("{line}"))),
    }
}

/// Checks the lessons `args` names, telling `say` each breach (a line, with its
/// lesson); an unknown or broken lesson is one such line, and the others go on.
pub fn check(kit: &Kit, args: &CheckArgs, say: &mut dyn FnMut(String)) -> Exit {
    let mut problems = 0;
    let mut tell = |line: String| {
        problems += 1;
        say(line)
    };
    let selected = select(kit, &args.ids);
    let good: Vec<Lesson> = selected.iter().filter_map(|(_, l)| l.as_ref().ok().cloned()).collect();
    contract::top_readme(kit, &good).into_iter().for_each(&mut tell);
    if args.ids.is_empty() {
        let slugs: Vec<String> = selected.iter().map(|(s, _)| s.clone()).collect();
        contract::stray_mutants(kit, &slugs).into_iter().for_each(&mut tell);
    }
    let plan = runs::Plan { repeat: args.repeat, accept: args.accept, langs: args.lang.map(|l| vec![l]).unwrap_or(Lang::ALL.to_vec()) };
    let ctx = Context::new(kit.default_target());
    for (name, lesson) in &selected {
        let lesson = match lesson {
            Ok(l) => l,
            Err(e) => {
                tell(format!("{name}: {e}"));
                continue;
            }
        };
        contract::lesson(kit, lesson, args.only_static).into_iter().for_each(|c| tell(format!("{name}: {c}")));
        if !args.only_static {
            eprintln!("{name}: running the solutions, starting points and mutants");
            runs::lesson(&ctx, kit, lesson, &plan, &mut |c| tell(format!("{name}: {c}")));
        }
    }
    eprintln!("fearless dev check: {} lesson(s), {problems} thing(s) to fix", selected.len());
    if problems == 0 {
        Exit::Done
    } else {
        Exit::Failed
    }
}

/// The lessons named (all when none), each with its name as given and the lesson or
/// why it cannot be had.
fn select(kit: &Kit, ids: &[String]) -> Vec<(String, Result<Lesson, String>)> {
    if ids.is_empty() {
        let all = kit.lessons().map_err(|e| e.to_string());
        return match all {
            Err(e) => vec![("exercises".into(), Err(e))],
            Ok(all) => all.into_iter().zip(slugs(kit)).map(|(l, s)| (s, l.map_err(|e| e.to_string()))).collect(),
        };
    }
    ids.iter().map(|id| (kit.slug_of(id).unwrap_or(id.clone()), kit.lesson(id).map_err(|e| e.to_string()))).collect()
}

/// The lesson folders (those with an `exercise.toml`), sorted as `Kit::lessons` sorts them.
fn slugs(kit: &Kit) -> Vec<String> {
    let entries = std::fs::read_dir(kit.exercises().dir()).into_iter().flatten().flatten();
    let mut slugs: Vec<String> = entries.filter(|e| e.path().join("exercise.toml").is_file()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    slugs.sort();
    slugs
}
