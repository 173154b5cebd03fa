//! `fearless hint ID [--all]`: a lesson's next hint, one more on each call, or all of
//! them (which counts them all as seen). `fearless check` shows under a failure the
//! hint that fits its mistake ([`fitting`]), else the next one; the ladder goes on
//! after the one shown.
use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::{CheckKind, HintAt, HintFor, Lesson};
use crate::progress::State;
use crate::report::{LessonResult, Status};

/// Exit status 0, or bad input for an unknown lesson.
pub fn run(kit: &Kit, id: &str, all: bool) -> Result<Exit, BadInput> {
    let lesson = kit.lesson(id)?;
    let hints = &lesson.exercise.hints;
    let mut state = State::load(&kit.root);
    if all {
        for (i, h) in hints.iter().enumerate() {
            println!("hint {} of {}: {h}", i + 1, hints.len());
        }
        state.saw(lesson.id(), hints.len().saturating_sub(1));
        let _ = state.save(&kit.root);
        return Ok(Exit::Done);
    }
    let i = next(&state, &lesson);
    println!("hint {} of {}: {}", i + 1, hints.len(), hints[i]);
    if i + 1 == hints.len() {
        println!("(that was the last one; `fearless hint {} --all` lists them all)", lesson.id());
    }
    state.saw(lesson.id(), i);
    let _ = state.save(&kit.root);
    Ok(Exit::Done)
}

/// The index of the hint the student sees next: the first not yet seen, or the last.
pub fn next(state: &State, lesson: &Lesson) -> usize {
    let seen = state.hints_seen.get(lesson.id()).copied().unwrap_or(0);
    seen.min(lesson.exercise.hints.len().saturating_sub(1))
}

/// The hint to show under a result that did not pass, and whether it fits the mistake
/// (then it counts as seen, and the ladder goes on after it) or is only the next one.
pub fn for_result(state: &State, lesson: &Lesson, result: &LessonResult) -> (usize, bool) {
    match fitting(lesson, result) {
        Some(i) => (i, true),
        None => (next(state, lesson), false),
    }
}

/// The index of the hint that fits the failure shown first in `result`, when the lesson
/// says which ([`HintAt`]): the `hint` of the explain rule whose sentence the message
/// carries, else the first `hint_for` whose text it contains, else the check's own
/// `hint`. A starting point's "not done yet" has none: the ladder from the start fits it.
pub fn fitting(lesson: &Lesson, result: &LessonResult) -> Option<usize> {
    let failed = result.first_failure().filter(|c| c.status != Status::Pass && !c.message.starts_with("not done yet"))?;
    let checks = &lesson.exercise.checks;
    let lang = result.lang;
    let says = |fors: &[HintFor]| fors.iter().find(|f| failed.message.contains(&f.says)).and_then(|f| f.hint.index(lang));
    let own = |h: &Option<HintAt>| h.as_ref().and_then(|h| h.index(lang));
    match failed.kind()? {
        CheckKind::Termination => {
            let t = checks.termination.as_ref()?;
            let rule = t.explain.iter().filter(|r| r.lang.is_none_or(|l| l == lang)).find(|r| r.hint.is_some() && failed.message.contains(&r.because));
            rule.and_then(|r| own(&r.hint)).or_else(|| own(&t.hint))
        }
        CheckKind::Output => checks.output.as_ref().and_then(|o| says(&o.hint_for).or_else(|| own(&o.hint))),
        CheckKind::Build => checks.build.as_ref().and_then(|p| says(&p.hint_for).or_else(|| own(&p.hint))),
        CheckKind::Counts => checks.counts.as_ref().and_then(|p| says(&p.hint_for).or_else(|| own(&p.hint))),
        CheckKind::Together => checks.together.as_ref().and_then(|t| says(&t.hint_for).or_else(|| own(&t.hint))),
        CheckKind::Apart => checks.apart.as_ref().and_then(|a| own(&a.hint)),
        CheckKind::AtMost => checks.at_most.as_ref().and_then(|a| own(&a.hint)),
        CheckKind::Idle => checks.idle.as_ref().and_then(|i| own(&i.hint)),
        kind => checks.suite(kind).and_then(|s| says(&s.hint_for).or_else(|| own(&s.hint))),
    }
    .filter(|i| *i < lesson.exercise.hints.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{parse_exercise, Lang};
    use crate::report::CheckResult;

    /// The test kit's MPSC lesson (`tests/fixtures/kit`): the kit's own lessons may be removed.
    fn relay() -> Lesson {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kit/exercises/03-relay");
        let path = dir.join("exercise.toml");
        let exercise = parse_exercise(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
        Lesson { slug: "03-relay".into(), dir, exercise }
    }

    fn failed(lang: Lang, check: &str, message: &str) -> LessonResult {
        LessonResult::from_checks("relay", lang, vec![CheckResult::pass("build", 2, "built"), CheckResult::fail(check, 2, message)], 1)
    }

    #[test]
    fn a_failure_gets_the_hint_for_its_mistake_and_the_ladder_goes_on_after_it() {
        let lesson = relay();
        let rule = &lesson.exercise.checks.termination.as_ref().unwrap().explain[1];
        let hang = failed(Lang::Ocaml, "termination", &format!("timed out after 5 s: the consumer is blocked in Condition.wait (main.ml:52), then: {}", rule.because));
        let mut state = State::default();
        assert_eq!(for_result(&state, &lesson, &hang), (2, true), "the rule's own hint, not hint 1 (Rust's `tx.clone()`)");
        state.saw("relay", 2);
        assert_eq!(next(&state, &lesson), 3);
        state.saw("relay", 0);
        assert_eq!(next(&state, &lesson), 3, "never back down the ladder");
        let todo = failed(Lang::Ocaml, "termination", "not done yet: recv is not written yet (main.ml:42, `failwith`)");
        assert_eq!(for_result(&State::default(), &lesson, &todo), (0, false), "a starting point climbs the ladder from the start");
        assert_eq!(fitting(&lesson, &failed(Lang::Rust, "termination", "thread 'main' panicked at src/main.rs:32:29")), Some(1), "the check's own hint");
        assert_eq!(fitting(&lesson, &failed(Lang::Ocaml, "output", "last line should be \"drained: [0, 1, 2, 3, 4]\"")), Some(2), "hint_for");
        assert_eq!(fitting(&lesson, &failed(Lang::Rust, "output", "p0-msg3 arrived twice")), None);
    }

    #[test]
    fn a_hint_number_outside_the_ladder_is_malformed() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kit/exercises/03-relay/exercise.toml");
        let text = std::fs::read_to_string(&path).unwrap().replacen("hint = 2\n", "hint = { rust = 2, ocaml = 9 }\n", 1);
        let e = parse_exercise(&path, &text).unwrap_err().to_string();
        assert!(e.contains("hint 9 names no hint: the lesson has 4"), "{e}");
    }
}
