//! `fearless list`: the lessons in order, each language passed or not, and the
//! progress bar. The watch loop shows the same list on `l`.
use crate::columns::{self, MAX_WIDTH};
use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::{Lang, Lesson, LessonError};
use crate::progress::{self, State};

/// Exit status 0, or 2 when a lesson's metadata is broken (the others are still listed).
pub fn run(kit: &Kit) -> Result<Exit, BadInput> {
    let lessons = kit.lessons()?;
    let state = State::load(&kit.root);
    for line in lines(&lessons, &state, None, None, MAX_WIDTH) {
        println!("{line}");
    }
    Ok(if lessons.iter().any(|l| l.is_err()) { Exit::BadInput } else { Exit::Done })
}

/// One line per lesson, then the progress line, each at most `cols` wide. `current`
/// (a lesson id and language) is marked with `▶`; `lang` narrows the tally.
pub fn lines(lessons: &[Result<Lesson, LessonError>], state: &State, lang: Option<Lang>, current: Option<(&str, Lang)>, cols: usize) -> Vec<String> {
    let slug_width = lessons.iter().flatten().map(|l| l.slug.len()).max().unwrap_or(0);
    let mut out = Vec::new();
    for lesson in lessons {
        let l = match lesson {
            Ok(l) => l,
            Err(e) => {
                out.push(columns::fit(&format!("! {e}"), cols));
                continue;
            }
        };
        let marks: Vec<String> = l.langs().map(|lg| format!("{} {:<5}", if state.is_passed(l.id(), lg) { "✓" } else { "·" }, lg.as_str())).collect();
        let pointer = match current {
            Some((id, lg)) if id == l.id() => format!("▶ {lg:<5} "),
            Some(_) => " ".repeat(8),
            None => String::new(),
        };
        let head = format!("{pointer}{:<slug_width$}  {}  ", l.slug, marks.join(" "));
        let room = cols.saturating_sub(columns::width(&head));
        out.push(format!("{head}{}", columns::fit(&l.exercise.summary, room)).trim_end().to_string());
    }
    let (done, total) = state.tally(lessons.iter().flatten(), lang);
    out.push(progress::done_line(done, total));
    out
}

/// "6 of 22 done [bar]" over every lesson of the kit.
pub fn overall(kit: &Kit, state: &State) -> String {
    let lessons = kit.lessons().unwrap_or_default();
    let (done, total) = state.tally(lessons.iter().flatten(), None);
    progress::done_line(done, total)
}
