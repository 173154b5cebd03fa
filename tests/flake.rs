//! Flakiness: every solution, mutant and legal variant graded `FEARLESS_FLAKE_ROUNDS` times
//! (20 by default), `FEARLESS_FLAKE_JOBS` at a time (4); each must get the same report every time.
//! Slow, so ignored by `cargo test`: `make flake` runs it.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use fearless::lesson::Lang;

/// What the flake test reads of a `mutant.toml` or a `variant.toml` (a variant has no `racy`).
#[derive(serde::Deserialize)]
struct Patched {
    lang: Lang,
    #[serde(default)]
    racy: Vec<String>,
}

/// (name, lesson slug, language, folder with the student files, checks that depend on the scheduler).
type Subject = (String, String, Lang, PathBuf, Vec<String>);

/// Every subject, or those of the lessons `FEARLESS_FLAKE_ONLY` names (slugs, commas);
/// the mutants' folders are temporary, kept while the returned guards live.
fn subjects() -> (Vec<Subject>, Vec<tempfile::TempDir>) {
    let kit = common::kit();
    let only: Vec<String> = std::env::var("FEARLESS_FLAKE_ONLY").unwrap_or_default().split(',').filter(|s| !s.is_empty()).map(String::from).collect();
    let wanted = |slug: &str| only.is_empty() || only.iter().any(|o| o == slug);
    let mut v = Vec::new();
    for lesson in kit.lessons().unwrap().into_iter().flatten().filter(|l| wanted(&l.slug)) {
        for lang in lesson.langs() {
            let dir = kit.root.join("solutions").join(&lesson.slug).join(lang.as_str());
            v.push((format!("{}/{lang} solution", lesson.slug), lesson.slug.clone(), lang, dir, Vec::new()));
        }
    }
    let mut guards = Vec::new();
    let patched = common::mutant_dirs().into_iter().map(|d| (d, "mutant")).chain(common::variant_dirs().into_iter().map(|d| (d, "variant")));
    for (dir, kind) in patched {
        let p: Patched = toml::from_str(&std::fs::read_to_string(dir.join(format!("{kind}.toml"))).unwrap()).unwrap();
        let slug = dir.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        if !wanted(&slug) {
            continue;
        }
        let name = format!("{slug}/{} {kind}", dir.file_name().unwrap().to_string_lossy());
        let files = if kind == "mutant" { common::materialise_mutant(&dir, p.lang) } else { common::materialise_variant(&dir, p.lang) };
        v.push((name, slug, p.lang, files.path().to_path_buf(), p.racy));
        guards.push(files);
    }
    (v, guards)
}

#[test]
#[ignore = "slow: `make flake`"]
fn solutions_and_mutants_get_the_same_report_every_time() {
    let rounds: usize = std::env::var("FEARLESS_FLAKE_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    // Four at once by default, as `grade --jobs 2` checks: two workers, each with a Rust
    // and an OCaml lane.
    let jobs: usize = std::env::var("FEARLESS_FLAKE_JOBS").ok().and_then(|v| v.parse().ok()).filter(|&j| j > 0).unwrap_or(4);
    let (subjects, _mutant_files) = subjects();
    let seen: Mutex<BTreeMap<String, BTreeMap<Vec<String>, usize>>> = Mutex::new(BTreeMap::new());
    for round in 1..=rounds {
        let queue = Mutex::new(subjects.iter().collect::<Vec<_>>());
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(|| loop {
                    let Some((name, slug, lang, dir, racy)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let r = common::stable_except(&common::check_dir(slug, *lang, dir), racy);
                    *seen.lock().unwrap().entry(name.clone()).or_default().entry(r).or_default() += 1;
                });
            }
        });
        let unstable = seen.lock().unwrap().values().filter(|v| v.len() > 1).count();
        eprintln!("round {round}/{rounds}: {} subjects, {unstable} with more than one result so far", subjects.len());
    }
    let seen = seen.into_inner().unwrap();
    let unstable: BTreeSet<&String> = seen.iter().filter(|(_, v)| v.len() > 1).map(|(k, _)| k).collect();
    let mut text = String::new();
    for name in &unstable {
        text.push_str(&format!("{name}:\n"));
        for (result, n) in &seen[*name] {
            text.push_str(&format!("  {n} of {rounds}: {}\n", result.join(" | ")));
        }
    }
    eprintln!("{} subjects x {rounds} rounds: {} gave different results", seen.len(), unstable.len());
    assert!(unstable.is_empty(), "different results for the same code:\n{text}");
}
