//! `fearless solution ID [--lang]`: the reference solution, shown only once the
//! student's own version passes; before that, what still fails.
use std::path::PathBuf;

use crate::check::{self, Context};
use crate::columns::{self, MAX_WIDTH};
use crate::lesson::{Kit, Lang, Lesson};
use crate::progress::State;
use crate::report::Status;

/// Exit status 0 when every asked-for solution was shown, 1 when a version does
/// not pass yet, 2 on bad input.
pub fn run(kit: &Kit, id: &str, lang: Option<Lang>) -> i32 {
    let (lesson, langs) = match crate::reset::lesson_langs(kit, id, lang) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("fearless: {e}");
            return 2;
        }
    };
    let ctx = Context::new(crate::cli::default_target(kit));
    let mut state = State::load(&kit.root);
    let mut status = 0;
    for lg in langs {
        eprintln!("checking your {lg} version of {} first...", lesson.id());
        let result = check::check(&ctx, &lesson, lg, &kit.exercises_dir());
        state.record(&result);
        if result.status == Status::Pass {
            for path in paths(kit, &lesson, lg) {
                let shown = path.strip_prefix(&kit.root).unwrap_or(&path).display().to_string();
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        println!("── {shown} {}", "─".repeat(MAX_WIDTH.saturating_sub(columns::width(&shown) + 4)));
                        print!("{text}");
                    }
                    Err(e) => {
                        eprintln!("fearless: {shown}: cannot read: {e}");
                        status = 1;
                    }
                }
            }
        } else {
            status = 1;
            println!("{} ({lg}) does not pass yet, so its solution stays hidden. Still failing:", lesson.id());
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
            println!("`fearless hint {}` helps; `fearless check {} --lang {lg}` shows the details.", lesson.id(), lesson.id());
        }
    }
    if let Err(e) = state.save(&kit.root) {
        eprintln!("fearless: cannot save progress: {e}");
    }
    status
}

/// The reference solution's files of a lesson in one language.
pub fn paths(kit: &Kit, lesson: &Lesson, lang: Lang) -> Vec<PathBuf> {
    let dir = kit.root.join("solutions").join(&lesson.slug).join(lang.as_str());
    lesson.student_files(lang).iter().map(|f| dir.join(f)).collect()
}
