//! The command line: arguments and dispatch only; each command's work lives in its own
//! module and ends in an [`Exit`] status or [`BadInput`], which `main` prints.
use clap::{Parser, Subcommand};

use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::Lang;

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
    Check(crate::check_command::CheckArgs),
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
    /// Merge the --out folders of several `grade` runs (the shards of a class) into one.
    Gradebook(crate::grade::merge::GradebookArgs),
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
    /// For instructors writing lessons: `dev new NN-slug`, `dev check [ID...]`.
    Dev {
        #[command(subcommand)]
        command: crate::dev::Dev,
    },
    /// Measure channel throughput: std, crossbeam, the lessons' channels, OCaml's.
    Bench(crate::bench::BenchArgs),
}

impl Cli {
    /// Runs the command in the kit found from here ([`Kit::locate`]).
    pub fn run(self) -> Result<Exit, BadInput> {
        let kit = Kit::locate();
        // What a killed run of the kit left in the temporary folder goes now.
        crate::contain::sweep_leftovers();
        match self.command {
            Command::List => crate::list::run(&kit),
            Command::Check(args) => crate::check_command::run(&kit, args),
            Command::Hint { id, all } => crate::hint::run(&kit, &id, all),
            Command::Grade(args) => crate::grade::run(&kit, args),
            Command::Gradebook(args) => crate::grade::merge::run(&args),
            Command::Compare(args) => crate::compare::run(&kit, &args),
            Command::Classroom(args) => crate::classroom::run(&kit, &args),
            Command::Autograder { platform } => crate::autograder::run(&kit, platform),
            Command::Watch(args) => crate::watch::run(&kit, args),
            Command::Reset { id, lang } => crate::reset::run(&kit, &id, lang),
            Command::Solution { id, lang } => crate::solution::run(&kit, &id, lang),
            Command::Dev { command } => crate::dev::run(&kit, command),
            Command::Bench(args) => crate::bench::command(&kit, &args),
        }
    }
}
