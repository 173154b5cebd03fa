//! `fearless hint ID [--all]`: a lesson's next hint, one more on each call, or all of
//! them. `fearless check` shows the next one under a failure.
use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::Lesson;
use crate::progress::State;

/// Exit status 0, or bad input for an unknown lesson.
pub fn run(kit: &Kit, id: &str, all: bool) -> Result<Exit, BadInput> {
    let lesson = kit.lesson(id)?;
    let hints = &lesson.exercise.hints;
    if all {
        for (i, h) in hints.iter().enumerate() {
            println!("hint {} of {}: {h}", i + 1, hints.len());
        }
        return Ok(Exit::Done);
    }
    let mut state = State::load(&kit.root);
    let i = next(&state, &lesson);
    println!("hint {} of {}: {}", i + 1, hints.len(), hints[i]);
    if i + 1 == hints.len() {
        println!("(that was the last one; `fearless hint {} --all` lists them all)", lesson.id());
    }
    state.hints_seen.insert(lesson.id().to_string(), (i + 1).min(hints.len()));
    let _ = state.save(&kit.root);
    Ok(Exit::Done)
}

/// The index of the hint the student sees next: the first not yet seen, or the last.
pub fn next(state: &State, lesson: &Lesson) -> usize {
    let seen = state.hints_seen.get(lesson.id()).copied().unwrap_or(0);
    seen.min(lesson.exercise.hints.len().saturating_sub(1))
}
