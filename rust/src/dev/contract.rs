//! The parts of a lesson's contract that are read, not run: its id, its TODOs, its
//! links, its key-differences table, its mutants (how many, whether their patches
//! apply, their snapshots) and the explain rules they prove. Each breach is a line.
use std::path::Path;

use crate::layout::Kit;
use crate::lesson::Lesson;

use super::{coverage, mutant, snapshot};

/// Every static breach of one lesson, a line each (without the lesson's name). Missing
/// snapshots are said only with `snapshots` (a run that follows says them itself).
pub fn lesson(kit: &Kit, lesson: &Lesson, snapshots: bool) -> Vec<String> {
    let mut out = id(lesson);
    out.extend(todos(kit, lesson));
    out.extend(solution_files(kit, lesson));
    out.extend(readme_links(kit, lesson));
    out.extend(differences(kit, lesson));
    out.extend(mutants(kit, lesson));
    if snapshots {
        out.extend(missing_snapshots(kit, lesson));
    }
    out
}

/// The solutions' and mutants' snapshots that are not there yet.
fn missing_snapshots(kit: &Kit, lesson: &Lesson) -> Vec<String> {
    let solutions = lesson.langs().map(|l| ("solution", format!("{}-{l}", lesson.slug), format!("solution {l}")));
    let mutants = mutant::of_lesson(kit, &lesson.slug).into_iter().map(|f| ("mutant", format!("{}-{}", f.slug, f.name), format!("mutant {}", f.name)));
    let missing = solutions.chain(mutants).filter(|(kind, suffix, _)| !snapshot::path(kit, kind, suffix).is_file());
    missing.map(|(_, _, who)| format!("{who}: no snapshot yet (`fearless dev check ID --accept` writes it)")).collect()
}

/// The folder is `NN-slug` and the lesson's `id` is its slug.
pub fn id(lesson: &Lesson) -> Vec<String> {
    match super::new::split_name(&lesson.slug) {
        Err(e) => vec![e],
        Ok((_, slug)) if slug != lesson.id() => vec![format!("id {:?} is not the folder's slug {slug:?}: make them the same", lesson.id())],
        Ok(_) => Vec::new(),
    }
}

/// Every student file of the starting point holds a `TODO`.
fn todos(kit: &Kit, lesson: &Lesson) -> Vec<String> {
    let mut out = Vec::new();
    for lang in lesson.langs() {
        for (f, path) in lesson.student_files(lang).iter().zip(kit.exercises().files(lesson, lang)) {
            match std::fs::read_to_string(&path) {
                Ok(text) if text.contains("TODO") => {}
                Ok(_) => out.push(format!("{lang}/{f}: the starting point has no TODO")),
                Err(_) => out.push(format!("{lang}/{f}: no such file in exercises/ (listed in [files])")),
            }
        }
    }
    out
}

/// Every student file has its solution.
fn solution_files(kit: &Kit, lesson: &Lesson) -> Vec<String> {
    let mut out = Vec::new();
    for lang in lesson.langs() {
        for (f, path) in lesson.student_files(lang).iter().zip(kit.solutions().files(lesson, lang)) {
            if !path.is_file() {
                out.push(format!("{lang}/{f}: no such file in solutions/"));
            }
        }
    }
    out
}

/// The relative links of a Markdown file (`[text](target)`), without anchors.
pub fn links(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    re.captures_iter(text).map(|c| c[1].split('#').next().unwrap_or_default().to_string()).filter(|t| !t.is_empty() && !t.contains("://") && !t.starts_with("mailto:")).collect()
}

/// The lesson's README links ("Next:", the files it names) lead to what exists.
fn readme_links(kit: &Kit, lesson: &Lesson) -> Vec<String> {
    let path = kit.exercises().readme(lesson);
    let Ok(text) = std::fs::read_to_string(&path) else { return vec!["README.md: missing".into()] };
    let dir = path.parent().unwrap_or(Path::new("."));
    links(&text).into_iter().filter(|t| !dir.join(t).exists()).map(|t| format!("README.md links {t}, which does not exist")).collect()
}

/// The README's "Key differences" table is `differences` of `exercise.toml`, row by row.
fn differences(kit: &Kit, lesson: &Lesson) -> Vec<String> {
    let text = std::fs::read_to_string(kit.exercises().readme(lesson)).unwrap_or_default();
    let toml = &lesson.exercise.differences;
    let table = differences_table(&text);
    if toml.is_empty() && table.is_empty() {
        return Vec::new();
    }
    for i in 0..toml.len().max(table.len()) {
        let (a, b) = (toml.get(i).map(|r| r.to_vec()), table.get(i));
        if a.as_ref() != b {
            let show = |r: Option<&Vec<String>>| r.map(|r| format!("{:?}", r.join(" | "))).unwrap_or_else(|| "nothing".into());
            return vec![format!("key differences row {}: exercise.toml has {}, README.md has {}", i + 1, show(a.as_ref()), show(b))];
        }
    }
    Vec::new()
}

/// The rows of the table under `## Key differences` (header and rule left out), cells trimmed.
pub fn differences_table(readme: &str) -> Vec<Vec<String>> {
    let mut lines = readme.lines().skip_while(|l| l.trim() != "## Key differences").skip(1);
    let rows = lines.by_ref().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|'));
    rows.skip(2).map(cells).collect()
}

fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => cells.last_mut().unwrap().push(chars.next().unwrap()),
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The lesson's mutants: each readable, named for its language, its patch applying
/// and its snapshot there; three or more per language; every explain rule proven.
fn mutants(kit: &Kit, lesson: &Lesson) -> Vec<String> {
    let found = mutant::of_lesson(kit, &lesson.slug);
    let mut out = Vec::new();
    for f in &found {
        out.extend(one_mutant(kit, f).into_iter().map(|e| format!("mutant {}: {e}", f.name)));
    }
    for lang in lesson.langs() {
        let n = found.iter().filter(|f| f.name.starts_with(&format!("{lang}-"))).count();
        if n < 3 {
            out.push(format!("{n} {lang} mutants in tests/mutants/{}/, at least 3 wanted", lesson.slug));
        }
    }
    let good: Vec<_> = found.iter().filter_map(|f| f.mutant.clone().ok()).collect();
    out.extend(coverage::unproven(lesson, &good).into_iter().map(|r| format!("explain rule proven by no mutant: {r}")));
    out
}

fn one_mutant(kit: &Kit, f: &mutant::Found) -> Vec<String> {
    let m = match &f.mutant {
        Ok(m) => m,
        Err(e) => return vec![e.clone()],
    };
    let mut out = Vec::new();
    if !f.name.starts_with(&format!("{}-", m.lang)) {
        out.push(format!("its folder's name starts with no \"{}-\", its lang", m.lang));
    }
    if let Err(e) = mutant::materialise_mutant(kit, &f.dir, m.lang) {
        out.push(e);
    }
    out
}

/// The top README's lesson table: every lesson has a row, every link into
/// `exercises/` leads to a lesson that exists. Lines name the README.
pub fn top_readme(kit: &Kit, lessons: &[Lesson]) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(kit.root.join("README.md")) else { return vec!["README.md: missing".into()] };
    let mut out: Vec<String> =
        links(&text).into_iter().filter(|t| t.starts_with("exercises/") && !kit.root.join(t).exists()).map(|t| format!("README.md links {t}, which does not exist")).collect();
    for l in lessons {
        if !text.contains(&format!("| [{0}](exercises/{0}/README.md) | `{1}` |", l.slug, l.id())) {
            out.push(format!("README.md: the lessons table has no row `| [{0}](exercises/{0}/README.md) | `{1}` | ... |`", l.slug, l.id()));
        }
    }
    out
}

/// Folders of `tests/mutants/` that are no lesson's (left by a lesson dropped or renamed).
pub fn stray_mutants(kit: &Kit, lessons: &[String]) -> Vec<String> {
    let dirs = std::fs::read_dir(kit.root.join("tests/mutants")).into_iter().flatten().flatten();
    let mut stray: Vec<String> = dirs.filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|s| !lessons.contains(s)).collect();
    stray.sort();
    stray.into_iter().map(|s| format!("tests/mutants/{s}: no lesson exercises/{s} (move or remove the folder)")).collect()
}
