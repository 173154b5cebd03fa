//! Lessons are removable: an instructor may drop any of the kit's lessons, and the kit's
//! own tests, its benchmark and its OCaml tests must not mind. Held here, cheaply:
//!
//! - every relative link of the READMEs (the top README's lesson table, each lesson's
//!   "Next:") leads to a file that exists, and the table lists every lesson;
//! - the tests of the kit's commands grade the test kit's lessons (`tests/fixtures/kit`),
//!   never one of the kit's: they name no lesson folder of the kit and no mutant of
//!   `tests/mutants/` (only `lessons`, `flake`, `stacks` and `interleaving`, which go
//!   over whatever lessons there are, `bench`, which says which are missing, and
//!   `dev`, not yet moved, may);
//! - a copy of the kit without lesson 03, and one without lessons 06 and 11 (under
//!   `target/removable/`): no symbolic link in it leads nowhere (lessons sharing kit
//!   files), `fearless list` lists the lessons left, `dune build @runtest` of `ocaml/`
//!   passes, and the benchmark builds both its programs and measures the channels
//!   left, saying which lessons are missing.
//!
//! Not run here, for time: the whole `make test` in such a copy (the crate itself
//! includes no lesson's file; the command tests need only the test kit). It was run by
//! hand in both copies when lessons became removable (issue 17, item 4).
mod common;

use std::path::{Path, PathBuf};

use fearless::bench::{self, Options};
use fearless::layout::Kit;
use rstest::rstest;

/// Every `[text](target)` of `file` whose target is relative, with the path it names.
fn relative_links(file: &Path) -> Vec<(String, PathBuf)> {
    let link = regex::Regex::new(r"\[[^\]\n]*\]\(([^()\s]+)\)").unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    let dir = file.parent().unwrap();
    let relative = |t: &&str| !t.is_empty() && !t.contains("://") && !t.starts_with("mailto:");
    let targets = link.captures_iter(&text).map(|c| c[1].split('#').next().unwrap().to_string()).collect::<Vec<_>>();
    targets.iter().map(String::as_str).filter(relative).map(|t| (t.to_string(), dir.join(t))).collect()
}

#[test]
fn every_relative_link_of_the_readmes_leads_to_a_file() {
    let kit = common::kit();
    let mut files = vec![kit.root.join("README.md"), kit.root.join("docs/DESIGN.md")];
    let lessons: Vec<String> = kit.lessons().unwrap().into_iter().map(|l| l.unwrap().slug).collect();
    files.extend(lessons.iter().map(|slug| kit.exercises().dir().join(slug).join("README.md")));
    let mut checked = 0;
    for file in &files {
        for (target, path) in relative_links(file) {
            assert!(path.exists(), "{}: the link to {target} leads nowhere (a lesson removed or renamed?)", file.display());
            checked += 1;
        }
    }
    assert!(checked > lessons.len(), "only {checked} links");
    let readme = std::fs::read_to_string(kit.root.join("README.md")).unwrap();
    for slug in &lessons {
        assert!(readme.contains(&format!("(exercises/{slug}/README.md)")), "the README's lesson table does not list {slug}");
    }
}

/// Test files that go over the kit's own lessons, or name them without grading them.
/// `dev.rs` (`fearless dev check` on copies of the kit) breaks lesson 02 in its copies,
/// by name; its tests of removal and of `dev new` take whichever lessons the kit has.
const ABOUT_THE_KITS_LESSONS: [&str; 7] = ["lessons.rs", "flake.rs", "stacks.rs", "interleaving.rs", "bench.rs", "removable.rs", "dev.rs"];

#[test]
fn the_command_tests_and_unit_tests_name_no_lesson_of_the_kit() {
    let kit = common::kit();
    let slugs: Vec<String> = kit.lessons().unwrap().into_iter().map(|l| l.unwrap().slug).collect();
    let mut read = 0;
    for e in std::fs::read_dir(kit.root.join("tests")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || ABOUT_THE_KITS_LESSONS.contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        for slug in &slugs {
            assert!(!text.contains(slug.as_str()), "tests/{name} names the kit's lesson {slug}: use the test kit's (common::fixture())");
        }
        assert!(!text.contains("tests/mutants"), "tests/{name} takes a mutant of the kit's lessons: use the test kit's (common::fixture_mutant)");
        read += 1;
    }
    assert!(read >= 10, "{read} test files read");
    no_unit_test_reads_a_lesson(&kit.root.join("rust/src"));
}

/// No file of the crate reads a lesson of the kit from its sources (a unit test's
/// `CARGO_MANIFEST_DIR/../exercises/...`): the test kit's are there for that.
fn no_unit_test_reads_a_lesson(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            no_unit_test_reads_a_lesson(&e.path());
        } else if e.path().extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            for kit_folder in ["\"../exercises/", "\"../solutions/", "\"../tests/mutants/"] {
                assert!(!text.contains(kit_folder), "{} reads a lesson of the kit ({kit_folder}...): use the test kit's, ../tests/fixtures/kit", e.path().display());
            }
        }
    }
}

/// A copy of the kit's files at `to` (build products, history and progress left out,
/// links kept as links), without the lessons `removed`: their folders in `exercises/`,
/// `solutions/`, `tests/mutants/` and `tests/variants/`.
fn copy_without(to: &Path, removed: &[&str]) {
    let _ = std::fs::remove_dir_all(to);
    copy_kit(&common::kit().root, to);
    for slug in removed {
        for part in ["exercises", "solutions", "tests/mutants", "tests/variants"] {
            let dir = to.join(part).join(slug);
            if dir.exists() {
                std::fs::remove_dir_all(dir).unwrap();
            }
        }
    }
}

fn copy_kit(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (name, dest) = (e.file_name(), to.join(e.file_name()));
        if [".git", "target", "_build", ".fearless"].contains(&name.to_string_lossy().as_ref()) {
            continue;
        }
        let t = e.file_type().unwrap();
        if t.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(e.path()).unwrap(), dest).unwrap();
        } else if t.is_dir() {
            copy_kit(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Every symbolic link below `dir` whose target does not exist.
fn dangling_links(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let t = e.file_type().unwrap();
        if t.is_symlink() && std::fs::metadata(e.path()).is_err() {
            out.push(e.path());
        } else if t.is_dir() {
            out.extend(dangling_links(&e.path()));
        }
    }
    out
}

#[rstest]
#[case::without_03("without-03", &["03-mpsc"])]
#[case::without_06_and_11("without-06-11", &["06-build-a-channel", "11-fast-channel"])]
fn a_kit_without_some_lessons_lists_builds_and_benches_the_rest(#[case] name: &str, #[case] removed: &[&str]) {
    let root = common::kit().root.join("target/removable");
    let copy = root.join(name);
    // Run in a kit that already lacks some of them, the rest are removed.
    let removed: Vec<&str> = removed.iter().copied().filter(|s| common::kit().exercises().dir().join(s).is_dir()).collect();
    let removed = removed.as_slice();
    copy_without(&copy, removed);
    let links = dangling_links(&copy);
    assert!(links.is_empty(), "links that lead nowhere once {removed:?} is gone: {links:#?}");
    lists_the_lessons_left(&copy, removed);
    let dune = std::process::Command::new("dune").args(["build", "--root", ".", "@runtest"]).current_dir(copy.join("ocaml")).output().unwrap();
    assert!(dune.status.success(), "dune build @runtest in ocaml/: {}", String::from_utf8_lossy(&dune.stderr));
    benches_the_channels_left(&copy, &root.join(format!("{name}-bench")));
}

fn lists_the_lessons_left(copy: &Path, removed: &[&str]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fearless")).arg("list").env("FEARLESS_ROOT", copy).env("NO_COLOR", "1").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let left = Kit { root: copy.to_path_buf() }.lessons().unwrap();
    assert_eq!(left.len(), common::kit().lessons().unwrap().len() - removed.len());
    for lesson in left {
        let slug = lesson.unwrap().slug;
        assert!(text.lines().any(|l| l.starts_with(&slug)), "{slug} is not listed:\n{text}");
    }
    for slug in removed {
        assert!(!text.contains(slug), "{slug} is listed:\n{text}");
    }
}

/// The benchmark of the copy, both programs, with a tiny message count: the lessons
/// not in the copy (removed here or before) are said missing, the rest measured.
fn benches_the_channels_left(copy: &Path, build_dir: &Path) {
    let opts = Options { messages: 40, repetitions: 1, build_dir: build_dir.to_path_buf() };
    let r = bench::run(&Kit { root: copy.to_path_buf() }, &opts, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let absent = |slug: &str| !copy.join("exercises").join(slug).is_dir();
    for l in &bench::LESSONS {
        let gone = absent(l.slug);
        for name in l.impls {
            assert_eq!(r.results.iter().any(|row| row.implementation == name), !gone, "{name}: {:?}", r.skipped);
            let said = format!("{name}: lesson {} ({}) is missing from this kit", &l.slug[..2], l.slug);
            assert_eq!(r.skipped.iter().any(|s| s.starts_with(&said)), gone, "{said}: {:?}", r.skipped);
        }
    }
    assert_eq!(r.skipped.len(), 2 * bench::LESSONS.iter().filter(|l| absent(l.slug)).count(), "only missing lessons go unmeasured: {:?}", r.skipped);
    for name in ["std-mpsc", "crossbeam", "ocaml-event", "queue-limit"] {
        assert!(r.results.iter().any(|row| row.implementation == name), "{name} not measured: {:?}", r.skipped);
    }
}
