//! The parts of a lesson's contract that are run: the solution passes, the starting
//! point fails with "not done yet", every mutant fails as it says and as its snapshot
//! holds, and (`--repeat N`) each of them says the same thing every time.
use crate::check::Context;
use crate::layout::Kit;
use crate::lesson::{Lang, Lesson};
use crate::report::{LessonResult, Status};

use super::{mutant, snapshot};

/// What a run of the lesson's contract does beyond the checks: how often, whether to
/// write snapshots, in which languages.
#[derive(Clone, Debug)]
pub struct Plan {
    pub repeat: u32,
    pub accept: bool,
    pub langs: Vec<Lang>,
}

/// What the solution's result breaks: it must pass with every point.
pub fn solution(r: &LessonResult) -> Vec<String> {
    if r.status == Status::Pass && r.score == r.max_score {
        return Vec::new();
    }
    let why = r.first_failure().map(|c| format!("{}: {}", c.name, c.message)).unwrap_or_default();
    vec![format!("the solution does not pass ({:?} {}/{}): {why}", r.status, r.score, r.max_score)]
}

/// What the starting point's result breaks: it fails, can be checked, and says "not
/// done yet" with a place in one of the student's own files, or fails the check the
/// lesson names in `starting_point_fails`.
pub fn starting_point(lesson: &Lesson, r: &LessonResult) -> Vec<String> {
    if r.status == Status::Pass {
        return vec!["the starting point passes as shipped: leave a `todo!()` / `failwith \"TODO: ...\"` in it".into()];
    }
    if r.status == Status::Error {
        let why = r.checks.iter().find(|c| c.status == Status::Error).map(|c| c.message.clone()).unwrap_or_default();
        return vec![format!("the starting point cannot be checked: {why}")];
    }
    let todo: Vec<_> = r.checks.iter().filter(|c| c.message.starts_with("not done yet")).collect();
    let files = lesson.student_files(r.lang);
    let place = regex::Regex::new(r"\((\S+):\d+, `").unwrap();
    if let Some(c) = todo.iter().find(|c| !place.captures(&c.message).is_some_and(|m| files.iter().any(|s| *s == m[1]))) {
        return vec![format!("{} says \"not done yet\" with no place in {files:?}: {:?}", c.name, c.message)];
    }
    match lesson.exercise.starting_point_fails.get(&r.lang) {
        Some(check) => declared_failure(r, check),
        None if todo.is_empty() => {
            let why = r.first_failure().map(|c| format!("{}: {}", c.name, c.message)).unwrap_or_default();
            vec![format!(
                "the starting point fails, but never with \"not done yet\" (no `todo!()` / `failwith \"TODO: ...\"` reached; or name the check in `starting_point_fails`): {why}"
            )]
        }
        None => Vec::new(),
    }
}

/// The starting point fails `check`, as its lesson's `starting_point_fails` says.
fn declared_failure(r: &LessonResult, check: &str) -> Vec<String> {
    match r.checks.iter().find(|c| c.name == check) {
        Some(c) if c.status == Status::Fail => Vec::new(),
        Some(c) => vec![format!("the starting point should fail {check} (starting_point_fails), and it is {:?}: {}", c.status, c.message)],
        None => vec![format!("starting_point_fails names {check:?}, which is no check of this lesson in {}", r.lang)],
    }
}

/// One run of the lesson's solution in `lang`: the stable lines of its result and what
/// they break.
fn solution_run(ctx: &Context, kit: &Kit, lesson: &Lesson, lang: Lang) -> mutant::Outcome {
    let r = mutant::check_dir(ctx, lesson, lang, &kit.solutions().lang(lesson, lang));
    mutant::Outcome { stable: mutant::stable(&r), complaints: solution(&r) }
}

/// Every run breach of one lesson, a line each (diffs indented below their line).
pub fn lesson(ctx: &Context, kit: &Kit, lesson: &Lesson, plan: &Plan, say: &mut dyn FnMut(String)) {
    for lang in lesson.langs().filter(|l| plan.langs.contains(l)) {
        let runs = (0..plan.repeat.max(1)).map(|_| solution_run(ctx, kit, lesson, lang)).collect::<Vec<_>>();
        let subject = Subject { slug: &lesson.slug, who: format!("solution {lang}"), kind: "solution", suffix: format!("{}-{lang}", lesson.slug) };
        held(kit, plan, &subject, &runs, say);
        let start = mutant::check_dir(ctx, lesson, lang, &kit.exercises().lang(lesson, lang));
        starting_point(lesson, &start).into_iter().for_each(|c| say(format!("{lang}: {c}")));
    }
    for f in mutant::of_lesson(kit, &lesson.slug) {
        let Ok(m) = &f.mutant else { continue }; // said by the static part
        if !plan.langs.contains(&m.lang) {
            continue;
        }
        let runs = (0..plan.repeat.max(1)).map(|_| mutant::run(ctx, kit, lesson, &f.dir, m)).collect::<Vec<_>>();
        let subject = Subject { slug: &lesson.slug, who: format!("mutant {}", f.name), kind: "mutant", suffix: format!("{}-{}", f.slug, f.name) };
        held(kit, plan, &subject, &runs, say);
    }
}

/// A solution or a mutant, as lines name it and its snapshot is named.
struct Subject<'a> {
    slug: &'a str,
    /// `solution rust`, `mutant rust-no-drop`
    who: String,
    /// `solution` or `mutant`, the snapshot's name
    kind: &'static str,
    /// the snapshot's suffix: `03-mpsc-rust`, `03-mpsc-rust-no-drop`
    suffix: String,
}

/// Says what the runs of one solution or mutant broke: its promises (first run), any
/// change between runs, and its snapshot (written instead, with `accept`).
fn held(kit: &Kit, plan: &Plan, subject: &Subject, runs: &[mutant::Outcome], say: &mut dyn FnMut(String)) {
    let Subject { slug, who, kind, suffix } = subject;
    let first = &runs[0];
    first.complaints.iter().for_each(|c| say(format!("{who}: {c}")));
    for c in changes(runs) {
        say(format!("{who}: {c}"));
    }
    if first.stable.is_empty() {
        return;
    }
    let path = snapshot::path(kit, kind, suffix);
    let old = snapshot::read(&path);
    if old.as_ref() == Some(&first.stable) {
        return;
    }
    if plan.accept {
        match snapshot::write(&path, &first.stable) {
            Ok(()) => eprintln!("{slug}: {who}: snapshot written: {}", path.display()),
            Err(e) => say(format!("{who}: cannot write {}: {e}", path.display())),
        }
        return;
    }
    match old {
        None => say(format!("{who}: no snapshot {} yet (--accept writes it)", path.display())),
        Some(old) => say(format!("{who}: the result differs from its snapshot (--accept takes it):\n    {}", snapshot::diff(&old, &first.stable).join("\n    "))),
    }
}

/// What changed between repeated runs of one solution or mutant, against the first:
/// its verdict and messages (stable lines), or what it broke.
pub fn changes(runs: &[mutant::Outcome]) -> Vec<String> {
    let Some(first) = runs.first() else { return Vec::new() };
    let mut out = Vec::new();
    for (i, run) in runs.iter().enumerate().skip(1) {
        if run.stable != first.stable {
            let d = snapshot::diff(&first.stable, &run.stable);
            out.push(format!("run {} of {} differs from run 1: {}", i + 1, runs.len(), d.join(" / ")));
        } else if run.complaints != first.complaints {
            out.push(format!("run {} of {} judged otherwise than run 1: {:?}", i + 1, runs.len(), run.complaints));
        }
    }
    out
}
