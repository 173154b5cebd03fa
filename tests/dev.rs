//! `fearless dev new` and `fearless dev check`: each check proven by a copy of the kit
//! broken that way, and the one line that says so.
mod common;

use std::path::Path;

use assert_cmd::Command;
use fearless::dev::{self, mutant, runs, snapshot, CheckArgs};
use fearless::layout::Kit;
use fearless::lesson::Lang;
use fearless::report::{CheckResult, LessonResult};

/// A copy of the kit's lessons, solutions, mutants, snapshots and README.
fn kit_copy() -> (tempfile::TempDir, Kit) {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::kit().root;
    for dir in ["exercises", "solutions", "tests/mutants", "tests/snapshots"] {
        common::copy_tree(&root.join(dir), &tmp.path().join(dir));
    }
    std::fs::copy(root.join("README.md"), tmp.path().join("README.md")).unwrap();
    let kit = Kit { root: tmp.path().to_path_buf() };
    (tmp, kit)
}

fn args(ids: &[&str]) -> CheckArgs {
    CheckArgs { ids: ids.iter().map(|s| s.to_string()).collect(), only_static: true, lang: None, repeat: 1, accept: false }
}

/// What `dev check --static` says of the lessons `ids` (all when none).
fn said(kit: &Kit, ids: &[&str]) -> Vec<String> {
    let mut lines = Vec::new();
    dev::check(kit, &args(ids), &mut |l| lines.push(l));
    lines
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[track_caller]
fn says(lines: &[String], line: &str) {
    assert!(lines.iter().any(|l| l == line), "no line {line:?} in:\n{}", lines.join("\n"));
}

#[track_caller]
fn says_start(lines: &[String], start: &str) {
    assert!(lines.iter().any(|l| l.starts_with(start)), "no line starting {start:?} in:\n{}", lines.join("\n"));
}

#[test]
fn the_kit_keeps_its_lessons_contract() {
    let lines = said(&common::kit(), &[]);
    assert!(lines.is_empty(), "{}", lines.join("\n"));
}

#[test]
fn an_id_that_is_not_the_folders_slug() {
    let (_t, kit) = kit_copy();
    edit(&kit.root.join("exercises/02-shared-state/exercise.toml"), "id = \"shared-state\"", "id = \"shared\"");
    // The lesson is refused as it is loaded (`Kit::load`), naming both; dev check says so.
    let lines = said(&kit, &["02"]);
    let refused = "exercise.toml:1: id \"shared\" does not match the lesson's folder 02-shared-state: a lesson's id is its folder's name without the number, here \"shared-state\"";
    assert!(lines.iter().any(|l| l.starts_with("02-shared-state: ") && l.ends_with(refused)), "no line ending {refused:?} in:\n{}", lines.join("\n"));
}

#[test]
fn a_folder_that_is_no_lessons_name() {
    let (_t, kit) = kit_copy();
    std::fs::rename(kit.root.join("exercises/02-shared-state"), kit.root.join("exercises/2-shared-state")).unwrap();
    says_start(&said(&kit, &["2-shared-state"]), "2-shared-state: \"2-shared-state\" is no lesson folder's name");
}

#[test]
fn a_starting_point_without_a_todo() {
    let (_t, kit) = kit_copy();
    let f = kit.root.join("exercises/02-shared-state/rust/src/main.rs");
    std::fs::write(&f, std::fs::read_to_string(&f).unwrap().replace("TODO", "later")).unwrap();
    says(&said(&kit, &["shared-state"]), "02-shared-state: rust/src/main.rs: the starting point has no TODO");
}

#[test]
fn a_student_file_without_its_solution() {
    let (_t, kit) = kit_copy();
    std::fs::remove_file(kit.root.join("solutions/02-shared-state/ocaml/main.ml")).unwrap();
    says(&said(&kit, &["02"]), "02-shared-state: ocaml/main.ml: no such file in solutions/");
}

/// A lesson removed leaves the previous lesson's "Next:", the top README's row and the
/// lesson's mutants behind: each is said; the other lessons are still checked.
#[test]
fn a_lesson_removed_leaves_links_and_mutants_behind() {
    let (_t, kit) = kit_copy();
    // The kit's second lesson, whichever it is: the first one's "Next:" leads to it.
    let [first, second] = first_two(&kit);
    std::fs::remove_dir_all(kit.root.join("exercises").join(&second)).unwrap();
    let lines = said(&kit, &[]);
    says(&lines, &format!("{first}: README.md links ../{second}/README.md, which does not exist"));
    says(&lines, &format!("README.md links exercises/{second}/README.md, which does not exist"));
    says(&lines, &format!("tests/mutants/{second}: no lesson exercises/{second} (move or remove the folder)"));
}

/// The folder names of the kit's first two lessons (a kit may drop any lesson).
fn first_two(kit: &Kit) -> [String; 2] {
    let slugs: Vec<String> = kit.lessons().unwrap().into_iter().flatten().map(|l| l.slug).collect();
    [slugs[0].clone(), slugs[1].clone()]
}

#[test]
fn a_lesson_missing_from_the_top_readmes_table() {
    let (_t, kit) = kit_copy();
    let readme = kit.root.join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    std::fs::write(&readme, text.lines().filter(|l| !l.starts_with("| [05-bounded]")).collect::<Vec<_>>().join("\n")).unwrap();
    says_start(&said(&kit, &["05"]), "README.md: the lessons table has no row `| [05-bounded](exercises/05-bounded/README.md) | `bounded` |");
}

#[test]
fn a_key_differences_table_that_differs_from_exercise_toml() {
    let (_t, kit) = kit_copy();
    edit(
        &kit.root.join("exercises/02-shared-state/README.md"),
        "| Touching the data without the lock | compiles, and races |",
        "| Touching the data without the lock | compiles |",
    );
    says_start(&said(&kit, &["02"]), "02-shared-state: key differences row 2: exercise.toml has \"Touching the data without the lock | compiles, and races | ");
}

#[test]
fn too_few_mutants_and_an_explain_rule_no_mutant_proves() {
    let (_t, kit) = kit_copy();
    for m in ["rust-guard-still-alive", "rust-no-arc", "rust-split-lock"] {
        std::fs::remove_dir_all(kit.root.join("tests/mutants/02-shared-state").join(m)).unwrap();
    }
    let lines = said(&kit, &["02"]);
    says(&lines, "02-shared-state: 2 rust mutants in tests/mutants/02-shared-state/, at least 3 wanted");
    says_start(&lines, "02-shared-state: explain rule proven by no mutant: rust rule 1 (Some(\"Mutex::lock\")): it locks a `Mutex` whose guard");
}

#[test]
fn a_broken_mutant_is_named_with_what_is_wrong() {
    let (_t, kit) = kit_copy();
    let dir = kit.root.join("tests/mutants/02-shared-state");
    edit(&dir.join("rust-no-arc/mutant.toml"), "lang = ", "colour = \"red\"\nlang = ");
    std::fs::write(dir.join("rust-split-lock/mutant.patch"), "--- a/src/main.rs\n+++ b/src/main.rs\n@@ -1,2 +1,2 @@\n-no such line\n+a mistake\n no such context\n").unwrap();
    std::fs::rename(dir.join("rust-counter-per-thread"), dir.join("ocaml-counter-per-thread")).unwrap();
    std::fs::remove_file(kit.root.join("tests/snapshots/mutant@02-shared-state-rust-loop-never-ends.snap")).unwrap();
    let lines = said(&kit, &["02"]);
    says_start(&lines, "02-shared-state: mutant rust-no-arc: mutant.toml: unknown field `colour`");
    says_start(&lines, "02-shared-state: mutant rust-split-lock: mutant 02-shared-state/rust-split-lock: mutant.patch does not apply to ");
    says(&lines, "02-shared-state: mutant ocaml-counter-per-thread: its folder's name starts with no \"rust-\", its lang");
    says(&lines, "02-shared-state: mutant rust-loop-never-ends: no snapshot yet (`fearless dev check ID --accept` writes it)");
    std::fs::remove_file(kit.root.join("tests/snapshots/solution@02-shared-state-ocaml.snap")).unwrap();
    says(&said(&kit, &["02"]), "02-shared-state: solution ocaml: no snapshot yet (`fearless dev check ID --accept` writes it)");
}

/// A broken `exercise.toml` or an unknown id is a line; the other lessons are checked.
#[test]
fn a_broken_lesson_never_stops_the_others() {
    let (_t, kit) = kit_copy();
    edit(&kit.root.join("exercises/02-shared-state/exercise.toml"), "points = 2", "points = \"two\"");
    let f = kit.root.join("exercises/05-bounded/rust/src/main.rs");
    std::fs::write(&f, std::fs::read_to_string(&f).unwrap().replace("TODO", "later")).unwrap();
    let lines = said(&kit, &["nosuch", "02", "05"]);
    says(&lines, "nosuch: unknown lesson 'nosuch' (see `fearless list`)");
    says_start(&lines, "02-shared-state: ");
    assert!(lines.iter().any(|l| l.starts_with("02-shared-state: ") && l.contains("exercise.toml:")), "{lines:?}");
    says(&lines, "05-bounded: rust/src/main.rs: the starting point has no TODO");
}

fn result(lang: Lang, checks: Vec<CheckResult>) -> LessonResult {
    LessonResult::from_checks("shared-state", lang, checks, 0)
}

#[test]
fn a_solution_that_fails_is_said() {
    let r = result(Lang::Rust, vec![CheckResult::pass("build", 2, "built"), CheckResult::fail("output", 4, "missing: counter: 800")]);
    assert_eq!(runs::solution(&r), ["the solution does not pass (Fail 2/6): output: missing: counter: 800"]);
}

#[test]
fn a_starting_point_that_passes_or_fails_otherwise_is_said() {
    let lesson = common::lesson("02-shared-state");
    let passes = result(Lang::Rust, vec![CheckResult::pass("build", 2, "built")]);
    assert_eq!(runs::starting_point(&lesson, &passes), ["the starting point passes as shipped: leave a `todo!()` / `failwith \"TODO: ...\"` in it"]);
    let other = result(Lang::Rust, vec![CheckResult::fail("build", 2, "error[E0425]")]);
    assert!(runs::starting_point(&lesson, &other)[0].starts_with("the starting point fails, but never with \"not done yet\""));
    let nowhere = result(Lang::Ocaml, vec![CheckResult::fail("termination", 2, "not done yet: add_one (probe.ml:3, `failwith`)")]);
    assert!(runs::starting_point(&lesson, &nowhere)[0].starts_with("termination says \"not done yet\" with no place in [\"main.ml\"]"));
    let error = LessonResult::error("shared-state", Lang::Ocaml, "dune: not found");
    assert!(runs::starting_point(&lesson, &error)[0].starts_with("the starting point cannot be checked: "), "{:?}", runs::starting_point(&lesson, &error));
    let right = result(Lang::Ocaml, vec![CheckResult::fail("termination", 2, "not done yet: add_one (main.ml:3, `failwith`)")]);
    assert!(runs::starting_point(&lesson, &right).is_empty());
}

/// A lesson whose starting point is a whole program with the flaw (07, 11) names the
/// check it fails in `starting_point_fails`, and is held to it.
#[test]
fn a_starting_point_that_does_not_fail_its_declared_check_is_said() {
    let lesson = common::lesson("07-send-sync");
    assert_eq!(lesson.exercise.starting_point_fails.get(&Lang::Ocaml).map(String::as_str), Some("apart"));
    let apart_fails = result(Lang::Ocaml, vec![CheckResult::fail("output", 4, "wrong"), CheckResult::fail("apart", 2, "two sellers at once")]);
    assert!(runs::starting_point(&lesson, &apart_fails).is_empty());
    let apart_passes = result(Lang::Ocaml, vec![CheckResult::fail("output", 4, "wrong"), CheckResult::pass("apart", 2, "never two at once")]);
    assert_eq!(runs::starting_point(&lesson, &apart_passes), ["the starting point should fail apart (starting_point_fails), and it is Pass: never two at once"]);
    let (_t, kit) = kit_copy();
    edit(&kit.root.join("exercises/07-send-sync/exercise.toml"), "ocaml = \"apart\" }", "ocaml = \"apartness\" }");
    says_start(&said(&kit, &["07"]), "07-send-sync: ");
    assert!(said(&kit, &["07"])[0].ends_with("starting_point_fails names \"apartness\" for ocaml, which is no kind of check"), "{:?}", said(&kit, &["07"]));
}

#[test]
fn a_mutant_that_breaks_its_promises_is_said() {
    let lesson = common::lesson("02-shared-state");
    let m: mutant::Mutant = toml::from_str("lang = \"rust\"\ncheck = \"termination\"\nmessage = \"guard\"\nhint = 3\n[[also]]\ncheck = \"output\"\nmessage = \"missing\"").unwrap();
    let passes = result(Lang::Rust, vec![CheckResult::pass("build", 2, "built"), CheckResult::pass("termination", 2, "exited")]);
    let said = mutant::judge(&lesson, &m, &passes);
    assert_eq!(
        said,
        [
            "termination should fail, and is Pass: exited",
            "the lesson's result is Pass, not Fail",
            "the hint shown is the next of the ladder, not hint 3",
            "also: no check output in the result",
        ]
    );
    let other = result(Lang::Rust, vec![CheckResult::fail("termination", 2, "a worker hangs"), CheckResult::pass("output", 4, "all there")]);
    let said = mutant::judge(&lesson, &m, &other);
    assert_eq!(said[0], "termination says \"a worker hangs\", not \"guard\"");
    assert_eq!(said[2], "also: output is Pass \"all there\", not a fail with \"missing\"");
    let racy: mutant::Mutant = toml::from_str("lang = \"rust\"\ncheck = \"output\"\nmessage = \"m\"\nracy = [\"output\"]").unwrap();
    assert!(mutant::judge(&lesson, &racy, &other).contains(&"the intended check output cannot be racy".to_string()));
}

#[test]
fn repeated_runs_that_differ_are_said() {
    let run = |msg: &str| mutant::Outcome { stable: vec!["x/rust: Fail 0/2".into(), format!("termination Fail 0/2: {msg}")], complaints: vec![] };
    assert!(runs::changes(&[run("a"), run("a"), run("a")]).is_empty());
    assert_eq!(runs::changes(&[run("a"), run("a"), run("b")]), ["run 3 of 3 differs from run 1: -termination Fail 0/2: a / +termination Fail 0/2: b"]);
    let judged = mutant::Outcome { complaints: vec!["the hint shown is hint 2, not hint 3".into()], ..run("a") };
    assert_eq!(runs::changes(&[run("a"), judged]), ["run 2 of 2 judged otherwise than run 1: [\"the hint shown is hint 2, not hint 3\"]"]);
}

/// `dev check` reads and writes snapshots as insta does: every snapshot of a lesson's
/// solution or mutant read and written again is the same bytes.
#[test]
fn snapshots_are_read_and_written_as_insta_does() {
    let dir = common::kit().root.join("tests/snapshots");
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&dir).unwrap().flatten().filter(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        (name.starts_with("mutant@") || name.starts_with("solution@")) && name.ends_with(".snap")
    }) {
        let lines = snapshot::read(&e.path()).unwrap_or_else(|| panic!("{}: not read", e.path().display()));
        let text = std::fs::read_to_string(e.path()).unwrap();
        assert_eq!(snapshot::body(&lines), text.split_once("\n---\n").unwrap().1, "{}", e.path().display());
        snapshot::write(&tmp.path().join("s.snap"), &lines).unwrap();
        assert_eq!(snapshot::read(&tmp.path().join("s.snap")).unwrap(), lines);
    }
    let odd = vec!["a: \"quoted\" \\ tab\t nl\n bell\u{7} é".to_string()];
    snapshot::write(&tmp.path().join("odd.snap"), &odd).unwrap();
    assert_eq!(snapshot::read(&tmp.path().join("odd.snap")).unwrap(), odd);
}

fn fearless(kit: &Kit) -> Command {
    let mut cmd = Command::cargo_bin("fearless").unwrap();
    cmd.env("FEARLESS_ROOT", &kit.root).env("FEARLESS_TARGET", common::kit().root.join("target/lessons-tests")).current_dir(&kit.root);
    cmd
}

fn stdout(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The runs, by the command: a solution that fails, a snapshot that differs (shown as a
/// diff, then taken with `--accept`), a mutant that passes.
#[test]
fn dev_check_runs_solutions_and_mutants_and_accepts_snapshots() {
    let (_t, kit) = kit_copy();
    let muts = kit.root.join("tests/mutants/01-threads");
    for e in std::fs::read_dir(&muts).unwrap().flatten() {
        if !["rust-no-threads", "rust-chunk-off-by-one"].contains(&&*e.file_name().to_string_lossy()) {
            std::fs::remove_dir_all(e.path()).unwrap();
        }
    }
    std::fs::write(muts.join("rust-chunk-off-by-one/mutant.patch"), "--- /dev/null\n+++ b/src/harmless.rs\n@@ -0,0 +1 @@\n+// harmless\n").unwrap();
    let snap = kit.root.join("tests/snapshots/mutant@01-threads-rust-no-threads.snap");
    let kept = std::fs::read_to_string(&snap).unwrap();
    edit(&snap, "Fail", "Pass");
    let (code, out) = stdout(fearless(&kit).args(["dev", "check", "01", "--lang", "rust"]));
    assert_eq!(code, Some(1), "{out}");
    let lines: Vec<String> = out.lines().map(String::from).collect();
    says_start(&lines, "01-threads: mutant rust-chunk-off-by-one: ");
    says(&lines, "01-threads: mutant rust-no-threads: the result differs from its snapshot (--accept takes it):");
    says(&lines, "    -threads/rust: Pass 10/12");
    let (_, err) = stderr(fearless(&kit).args(["dev", "check", "01", "--lang", "rust", "--accept"]));
    assert!(err.contains("01-threads: mutant rust-no-threads: snapshot written: "), "{err}");
    assert_eq!(snapshot::read(&snap).unwrap(), snapshot::read_str(&kept).unwrap());
}

fn stderr(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A new lesson's skeleton: every file in place, registered in the top README's table,
/// and held by `dev check` to what is left to write: mutants, and solutions that pass.
#[test]
fn dev_new_writes_a_lesson_that_dev_check_holds() {
    let (_t, kit) = kit_copy();
    let (code, out) = stdout(fearless(&kit).args(["dev", "new", "99-barrier"]));
    assert_eq!(code, Some(0), "{out}");
    for f in [
        "exercises/99-barrier/README.md",
        "exercises/99-barrier/rust/Cargo.toml",
        "exercises/99-barrier/ocaml/dune",
        "solutions/99-barrier/rust/src/main.rs",
        "solutions/99-barrier/ocaml/main.ml",
        "tests/mutants/99-barrier/README.md",
    ] {
        assert!(kit.root.join(f).is_file(), "{f} not written: {out}");
    }
    let lesson = kit.lesson("barrier").unwrap();
    assert_eq!((lesson.id(), lesson.exercise.differences.len()), ("barrier", 1));
    assert_eq!(kit.lessons().unwrap().last().unwrap().as_ref().unwrap().slug, "99-barrier");
    let lines = said(&kit, &[]);
    assert_eq!(
        lines,
        [
            "99-barrier: 0 rust mutants in tests/mutants/99-barrier/, at least 3 wanted",
            "99-barrier: 0 ocaml mutants in tests/mutants/99-barrier/, at least 3 wanted",
            "99-barrier: solution rust: no snapshot yet (`fearless dev check ID --accept` writes it)",
            "99-barrier: solution ocaml: no snapshot yet (`fearless dev check ID --accept` writes it)",
        ]
    );
    let (code, out) = stdout(fearless(&kit).args(["dev", "check", "barrier"]));
    assert_eq!(code, Some(1), "{out}");
    says_start(&out.lines().map(String::from).collect::<Vec<_>>(), "99-barrier: solution rust: the solution does not pass (Fail ");
    says_start(&out.lines().map(String::from).collect::<Vec<_>>(), "99-barrier: solution ocaml: the solution does not pass (Fail ");
    assert!(!out.contains("starting point"), "the skeleton's starting points fail with \"not done yet\": {out}");
}

#[test]
fn dev_new_refuses_a_name_taken_or_malformed() {
    let (_t, kit) = kit_copy();
    // The kit's first lesson, whichever it is, has a folder, an id and a number taken.
    let [first, _] = first_two(&kit);
    let (number, id) = first.split_once('-').unwrap();
    for (name, why) in [
        (first.clone(), format!("exercises/{first} exists already: a new lesson needs a new name")),
        (format!("99-{id}"), format!("the id \"{id}\" is lesson {first}'s already")),
        (format!("{number}-barrier"), format!("the number {number} is lesson {first}'s already: lessons go in the order of their numbers")),
        ("12_barrier".into(), "\"12_barrier\" is no lesson folder's name: two digits, a dash and an id of lowercase letters".into()),
        ("12-Barrier".into(), "\"12-Barrier\" is no lesson folder's name".into()),
    ] {
        let (code, err) = stderr(fearless(&kit).args(["dev", "new", &name]));
        assert_eq!(code, Some(2), "{name}: {err}");
        assert!(err.starts_with("fearless: dev new: ") && err.contains(&why), "{name}: {err}");
    }
    assert!(!kit.root.join(format!("exercises/99-{id}")).exists() && !kit.root.join(format!("solutions/{number}-barrier")).exists());
}
