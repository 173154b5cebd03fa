//! `fearless grade` on generated classes: every output for every student, the
//! gradebook against the reports, tampering, a kill half way, bad input. The classes
//! take the test kit's lessons (`tests/fixtures/kit`), not the kit's.
#[path = "common/browser.rs"]
mod browser;
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use fearless::lesson::Lang;
use fearless::report::{Report, Status};
use predicates::prelude::*;

const SLUG: &str = "03-relay";

fn fearless() -> Command {
    let mut c = Command::cargo_bin("fearless").unwrap();
    c.env("FEARLESS_ROOT", common::fixture().root).env("FEARLESS_TARGET", common::kit().root.join("target/lessons-tests")).env("NO_COLOR", "1");
    c.timeout(std::time::Duration::from_secs(900));
    c
}

/// An empty folder of this test file's own under target/, kept after the run for a look.
fn fresh(name: &str) -> PathBuf {
    let dir = common::kit().root.join("target/grade-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A student's copy of the kit as handed out: the starting points in `exercises/`.
fn kit_copy(dest: &Path) -> PathBuf {
    common::copy_tree(&common::fixture().root.join("exercises"), &dest.join("exercises"));
    std::fs::copy(common::kit().root.join("Makefile"), dest.join("Makefile")).unwrap();
    dest.join("exercises")
}

/// Every lesson solved, in a folder laid out like `exercises/`.
fn solve(exercises: &Path) {
    common::copy_tree(&common::fixture().root.join("solutions"), exercises);
}

/// A mutant's files over its lesson.
fn mutate(exercises: &Path, mutant: &str) {
    mutate_lesson(exercises, SLUG, mutant);
}

fn mutate_lesson(exercises: &Path, slug: &str, mutant: &str) {
    let dir = common::fixture_mutant(slug, mutant);
    let lang = if mutant.starts_with("rust-") { Lang::Rust } else { Lang::Ocaml };
    let files = common::materialise_mutant(&dir, lang);
    common::copy_tree(files.path(), &exercises.join(slug).join(lang.as_str()));
}

fn zip_dir(src: &Path, file: &Path, prefix: &str) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(file).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    fn walk(z: &mut zip::ZipWriter<std::fs::File>, root: &Path, dir: &Path, prefix: &str, opts: zip::write::SimpleFileOptions) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let rel = format!("{prefix}{}", e.path().strip_prefix(root).unwrap().display());
            if e.path().is_dir() {
                z.add_directory(format!("{rel}/"), opts).unwrap();
                walk(z, root, &e.path(), prefix, opts);
            } else {
                z.start_file(rel, opts).unwrap();
                std::io::copy(&mut std::fs::File::open(e.path()).unwrap(), z).unwrap();
            }
        }
    }
    walk(&mut z, src, src, prefix, opts);
    z.finish().unwrap();
}

fn tar_gz(src: &Path, file: &Path, prefix: &str) {
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(file).unwrap(), flate2::Compression::fast());
    let mut t = tar::Builder::new(gz);
    t.append_dir_all(prefix, src).unwrap();
    t.into_inner().unwrap().finish().unwrap();
}

fn read_report(out: &Path, id: &str) -> Report {
    serde_json::from_str(&std::fs::read_to_string(out.join(id).join("report.json")).unwrap()).unwrap()
}

/// What must be equal between two gradings of the same files: no durations, no ids.
fn stable(r: &Report) -> Vec<String> {
    r.results.iter().flat_map(common::stable).collect()
}

/// What differs between two gradings of the same files: durations, thread ids, and
/// the order in which lesson 03's producers' lines arrived.
const VARYING: &[(&str, &str)] = &[
    (r#"time="[0-9.]+""#, r#"time="[time]""#),
    (r#""execution_time": \d+"#, r#""execution_time": "[secs]""#),
    (r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#),
    (r"thread '([^']*)' \(\d+\)", "thread '$1' ([tid])"),
    (r"ran for \d+ ms", "ran for [ms] ms"),
    // The producers' lines interleave differently in every run.
    (r"got: p\d+-msg\d+", "got: [message]"),
    // And lesson 01's workers' lines, before their joins.
    (r"worker \d+ takes \d+\.\.=\d+", "worker [n] takes [range]"),
];

/// `text` with what [`VARYING`] names replaced.
fn normalised(text: &str) -> String {
    VARYING.iter().fold(text.to_string(), |t, (re, to)| regex::Regex::new(re).unwrap().replace_all(&t, *to).into_owned())
}

/// A class of every kind of submission, graded once for the tests below.
struct Class {
    subs: PathBuf,
    out: PathBuf,
    stdout: String,
    stderr: String,
}

const MUTANTS: &[&str] = &["rust-duplicated", "rust-forgot-drop", "ocaml-drain-reversed", "ocaml-lost-message"];

fn make_class(subs: &Path) {
    let scratch = subs.parent().unwrap().join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    solve(&kit_copy(&subs.join("kit-solution")));
    let only = subs.join("exercises-only");
    common::copy_tree(&common::fixture().root.join("exercises"), &only);
    solve(&only);
    kit_copy(&subs.join("starting-point"));
    let missing = kit_copy(&subs.join("missing-rust"));
    solve(&missing);
    std::fs::remove_file(missing.join(SLUG).join("rust/src/main.rs")).unwrap();
    let gone = kit_copy(&subs.join("missing-lesson"));
    std::fs::remove_dir_all(gone.join(SLUG)).unwrap();
    for m in MUTANTS {
        let ex = kit_copy(&subs.join(format!("mutant-{m}")));
        solve(&ex);
        mutate(&ex, m);
    }
    // Archives: a kit copy in a wrapping folder, bare exercises, a bare kit copy.
    let zipped = scratch.join("zip");
    solve(&kit_copy(&zipped));
    zip_dir(&zipped, &subs.join("zip-solution.zip"), "fearless-main/");
    let targz = scratch.join("targz");
    common::copy_tree(&common::fixture().root.join("exercises"), &targz);
    solve(&targz);
    mutate(&targz, "rust-lost-message");
    tar_gz(&targz, &subs.join("targz-mutant.tar.gz"), ".");
    tar_gz(&zipped, &subs.join("tgz-solution.tgz"), ".");
    std::fs::write(subs.join("unreadable.zip"), "this is not a zip file\n").unwrap();
    // Edits everything the kit owns: it must be graded as the starting point it is.
    let t = kit_copy(&subs.join("tampered"));
    let lesson = t.join(SLUG);
    let toml = std::fs::read_to_string(lesson.join("exercise.toml")).unwrap();
    let toml = toml.replace("points = 2", "points = 50").replace("points = 4", "points = 100").replace("got: p0-msg1\n", "");
    std::fs::write(lesson.join("exercise.toml"), toml).unwrap();
    std::fs::copy(common::fixture().root.join("solutions").join(SLUG).join("rust/src/main.rs"), lesson.join("rust/src/solved.rs")).unwrap();
    let cargo = std::fs::read_to_string(lesson.join("rust/Cargo.toml")).unwrap();
    let name = cargo.lines().find_map(|l| l.strip_prefix("name = ")).unwrap().trim_matches('"').to_string();
    std::fs::write(lesson.join("rust/Cargo.toml"), cargo.replace("[dependencies]", &format!("[[bin]]\nname = \"{name}\"\npath = \"src/solved.rs\"\n\n[dependencies]"))).unwrap();
    std::fs::create_dir_all(lesson.join("rust/tests")).unwrap();
    std::fs::write(lesson.join("rust/tests/all_pass.rs"), "#[test]\nfn ok() {}\n").unwrap();
    std::fs::copy(common::fixture().root.join("solutions").join(SLUG).join("ocaml/main.ml"), lesson.join("ocaml/solved.ml")).unwrap();
    std::fs::write(
        lesson.join("ocaml/dune"),
        "(executable (name solved) (modules solved) (libraries threads.posix))\n(rule (targets main.exe) (deps solved.exe) (action (copy solved.exe main.exe)))\n",
    )
    .unwrap();
}

fn class() -> &'static Class {
    static CLASS: OnceLock<Class> = OnceLock::new();
    CLASS.get_or_init(|| {
        let root = fresh("class");
        let subs = root.join("submissions");
        make_class(&subs);
        let out = root.join("out");
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&subs).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        let o = fearless().arg("grade").args(&entries).arg("--out").arg(&out).args(["--only", "relay", "--jobs", "2"]).output().unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
        Class { subs, out, stdout, stderr }
    })
}

fn ids(c: &Class) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(&c.subs)
        .unwrap()
        .flatten()
        .map(|e| fearless::archive::split_name(&e.path()).map(|(id, _)| id).unwrap_or_else(|| e.file_name().to_string_lossy().into_owned()))
        .collect();
    v.sort();
    v
}

#[test]
fn a_class_grades_in_one_command_with_every_output() {
    let c = class();
    let ids = ids(c);
    assert!(ids.len() >= 12, "{ids:?}");
    assert!(c.stdout.contains(&format!("graded {} submissions", ids.len())), "{}", c.stdout);
    assert!(c.stdout.contains("most often failed:"), "{}", c.stdout);
    for id in &ids {
        for f in ["report.json", "report.md", "results.json"] {
            assert!(c.out.join(id).join(f).is_file(), "{id}: no {f}");
        }
        let md = std::fs::read_to_string(c.out.join(id).join("report.md")).unwrap();
        assert!(md.starts_with(&format!("# {id}: ")), "{id}: {md}");
    }
    let junit = std::fs::read_to_string(c.out.join("junit.xml")).unwrap();
    let suites: Vec<&str> = junit.lines().filter_map(|l| l.trim().strip_prefix("<testsuite name=\"")).map(|l| l.split('"').next().unwrap()).collect();
    assert_eq!(suites, ids);

    let score = |id: &str| read_report(&c.out, id).summary;
    for full in ["kit-solution", "exercises-only", "zip-solution", "tgz-solution"] {
        let s = score(full);
        assert!(s.max_score > 0 && s.score == s.max_score, "{full}: {s:?}");
    }
    for m in MUTANTS.iter().map(|m| format!("mutant-{m}")).chain(["targz-mutant".to_string()]) {
        let r = read_report(&c.out, &m);
        assert!(r.summary.score < r.summary.max_score, "{m}: full marks");
        assert_eq!(r.summary.failed, 1, "{m}: exactly the mutated language fails: {:#?}", r.results);
    }
    let missing = read_report(&c.out, "missing-rust");
    let rust = missing.results.iter().find(|r| r.key() == "relay/rust").unwrap();
    assert_eq!((rust.status, rust.score), (Status::Fail, 0));
    assert!(rust.checks[0].message.starts_with("file not submitted"), "{:?}", rust.checks[0]);
    assert_eq!(missing.results.iter().find(|r| r.key() == "relay/ocaml").unwrap().status, Status::Pass);
    let gone = read_report(&c.out, "missing-lesson");
    assert!(gone.results.iter().all(|r| r.checks[0].message.starts_with("file not submitted")), "{gone:#?}");
    let bad = read_report(&c.out, "unreadable");
    assert!(bad.results.iter().all(|r| r.status == Status::Error && r.max_score > 0), "{bad:#?}");
    assert!(bad.notices[0].contains("unreadable.zip: not a valid zip archive"), "{:?}", bad.notices);
}

#[test]
fn the_gradebook_matches_the_reports() {
    let c = class();
    let text = std::fs::read_to_string(c.out.join("grades.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..3], ["submission", "score", "max_score"]);
    assert!(header.contains(&"relay/rust".to_string()) && header.contains(&"relay/ocaml".to_string()), "{header:?}");
    let mut seen = Vec::new();
    for row in rows.records() {
        let row = row.unwrap();
        let id = &row[0];
        seen.push(id.to_string());
        let report = read_report(&c.out, id);
        assert_eq!(report.submission.as_deref(), Some(id));
        assert_eq!(row[1].parse::<u32>().unwrap(), report.summary.score, "{id}");
        assert_eq!(row[2].parse::<u32>().unwrap(), report.summary.max_score, "{id}");
        for (i, col) in header.iter().enumerate().skip(3) {
            let r = report.results.iter().find(|r| r.key() == *col).unwrap_or_else(|| panic!("{id}: no {col}"));
            assert_eq!(row[i].parse::<u32>().unwrap(), r.score, "{id} {col}");
        }
        let gs: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(c.out.join(id).join("results.json")).unwrap()).unwrap();
        assert_eq!(gs["score"], report.summary.score, "{id}");
        let tests = gs["tests"].as_array().unwrap();
        assert_eq!(tests.iter().map(|t| t["score"].as_u64().unwrap()).sum::<u64>(), report.summary.score as u64, "{id}");
        assert_eq!(tests.iter().map(|t| t["max_score"].as_u64().unwrap()).sum::<u64>(), report.summary.max_score as u64, "{id}");
    }
    assert_eq!(seen, ids(c), "one row per submission, in the order of their ids");
}

#[test]
fn a_submission_that_edits_the_kits_files_scores_as_if_it_had_not() {
    let c = class();
    let untouched = read_report(&c.out, "starting-point");
    let tampered = read_report(&c.out, "tampered");
    assert_eq!(stable(&tampered), stable(&untouched));
    assert_eq!(tampered.summary, untouched.summary);
}

/// The class graded again in another folder, killed (SIGKILL, the whole process
/// group) once some but not all reports are written, then started again.
#[test]
fn killed_half_way_then_run_again_gives_the_same_gradebook() {
    use std::os::unix::process::CommandExt;
    let c = class();
    let out = fresh("killed");
    let mut subs: Vec<PathBuf> = ["kit-solution", "mutant-rust-duplicated", "missing-rust", "zip-solution.zip", "starting-point", "unreadable.zip", "exercises-only"]
        .iter()
        .map(|s| c.subs.join(s))
        .collect();
    subs.sort();
    let bin = assert_cmd::cargo::cargo_bin("fearless");
    let mut child = std::process::Command::new(&bin)
        .env("FEARLESS_ROOT", common::fixture().root)
        .env("FEARLESS_TARGET", common::kit().root.join("target/lessons-tests"))
        .arg("grade")
        .args(&subs)
        .arg("--out")
        .arg(&out)
        .args(["--only", "relay", "--jobs", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let done = |out: &Path| std::fs::read_dir(out).map(|d| d.flatten().filter(|e| e.path().join("report.json").is_file()).count()).unwrap_or(0);
    while done(&out) < 2 {
        assert!(child.try_wait().unwrap().is_none(), "the grader finished before it could be killed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    unsafe { libc::killpg(child.id() as i32, libc::SIGKILL) };
    child.wait().unwrap();
    let after_kill = done(&out);
    assert!(after_kill < subs.len(), "killed after every report was written ({after_kill})");
    assert!(!out.join("grades.csv").exists());

    fearless()
        .arg("grade")
        .args(&subs)
        .arg("--out")
        .arg(&out)
        .args(["--only", "relay", "--jobs", "2"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(format!("reusing {after_kill} report")));
    let whole = std::fs::read_to_string(c.out.join("grades.csv")).unwrap();
    let ids: Vec<String> =
        subs.iter().map(|p| fearless::archive::split_name(p).map(|(id, _)| id).unwrap_or_else(|| p.file_name().unwrap().to_string_lossy().into_owned())).collect();
    let expected: Vec<&str> = whole.lines().enumerate().filter(|(i, l)| *i == 0 || ids.iter().any(|id| l.starts_with(&format!("{id},")))).map(|(_, l)| l).collect();
    let resumed = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    assert_eq!(resumed.lines().collect::<Vec<_>>(), expected);
    for id in &ids {
        assert_eq!(stable(&read_report(&out, id)), stable(&read_report(&c.out, id)), "{id}");
    }
}

#[test]
fn force_grades_again_and_a_rerun_reuses() {
    let out = fresh("force");
    let sub = out.join("alice");
    std::fs::create_dir_all(&sub).unwrap();
    common::copy_tree(&common::fixture().root.join("solutions"), &sub);
    let graded = out.join("graded");
    let run = |force: bool| {
        let mut c = fearless();
        c.arg("grade").arg(&sub).arg("--out").arg(&graded).args(["--only", "relay", "--lang", "rust"]);
        if force {
            c.arg("--force");
        }
        c.assert().code(0)
    };
    run(false).stderr(predicate::str::contains("[1/1] alice 11/11"));
    // A report from an earlier run is believed: change it, and the gradebook follows it.
    let path = graded.join("alice/report.json");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("\"score\": 11,\n    \"max_score\": 11\n  }", "\"score\": 7,\n    \"max_score\": 11\n  }")).unwrap();
    // What a run killed while writing leaves behind is swept away.
    std::fs::write(graded.join("alice/.fearless-half-written"), "{").unwrap();
    run(false).stderr(predicate::str::contains("reusing 1 report"));
    assert!(!graded.join("alice/.fearless-half-written").exists());
    assert!(std::fs::read_to_string(graded.join("grades.csv")).unwrap().contains("alice,7,11,11"));
    run(true).stderr(predicate::str::contains("reusing").not());
    assert!(std::fs::read_to_string(graded.join("grades.csv")).unwrap().contains("alice,11,11,11"));
}

/// A small fixed class whose outputs are snapshots.
#[test]
fn snapshots_of_a_small_class() {
    let root = fresh("snapshots");
    let subs = root.join("submissions");
    for (id, mutant) in [("ada", None), ("bea", Some("rust-lost-message")), ("cy", Some("ocaml-drain-reversed"))] {
        let ex = subs.join(id);
        common::copy_tree(&common::fixture().root.join("exercises"), &ex);
        solve(&ex);
        if let Some(m) = mutant {
            mutate(&ex, m);
        }
    }
    std::fs::remove_file(subs.join("cy").join(SLUG).join("rust/src/main.rs")).unwrap();
    let out = root.join("out");
    fearless().arg("grade").args(["ada", "bea", "cy"].map(|s| subs.join(s))).arg("--out").arg(&out).args(["--only", "relay", "--jobs", "2"]).assert().code(0);
    let filters = VARYING.to_vec();
    insta::with_settings!({filters => filters, prepend_module_to_snapshot => false}, {
        for id in ["ada", "bea", "cy"] {
            insta::assert_snapshot!(format!("grade-report-md-{id}"), std::fs::read_to_string(out.join(id).join("report.md")).unwrap());
        }
        insta::assert_snapshot!("grade-results-json-bea", std::fs::read_to_string(out.join("bea/results.json")).unwrap());
        insta::assert_snapshot!("grade-junit-xml", std::fs::read_to_string(out.join("junit.xml")).unwrap());
        insta::assert_snapshot!("grade-grades-csv", std::fs::read_to_string(out.join("grades.csv")).unwrap());
    });
}

#[test]
fn no_submissions_is_bad_input() {
    let out = fresh("none");
    std::fs::create_dir_all(out.join("o")).unwrap();
    fearless().args(["grade", "--out"]).arg(out.join("o")).assert().code(2).stderr(predicate::str::contains("no submissions given"));
    // `DIR/*` of a folder that holds only the out folder.
    fearless().arg("grade").arg(out.join("o")).arg("--out").arg(out.join("o")).assert().code(2).stderr(predicate::str::contains("no submissions given"));
}

#[test]
fn an_out_folder_that_is_a_file_is_bad_input_and_nothing_is_graded() {
    let dir = fresh("out-file");
    std::fs::write(dir.join("out"), "keep me").unwrap();
    fearless()
        .arg("grade")
        .arg(common::fixture().root.join("solutions"))
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a file, not a folder"))
        .stdout("");
    assert_eq!(std::fs::read_to_string(dir.join("out")).unwrap(), "keep me");
}

#[test]
fn an_unreadable_archive_gets_an_error_report_and_the_others_go_on() {
    let dir = fresh("unreadable");
    let good = dir.join("good");
    common::copy_tree(&common::fixture().root.join("solutions"), &good);
    std::fs::write(dir.join("broken.tar.gz"), b"\x1f\x8b\x08\x00 truncated gzip").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a submission").unwrap();
    let out = dir.join("out");
    fearless()
        .arg("grade")
        .args([dir.join("broken.tar.gz"), good, dir.join("notes.txt")])
        .arg("--out")
        .arg(&out)
        .args(["--only", "relay", "--lang", "rust"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("graded 3 submissions"));
    let csv = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    assert_eq!(csv, "submission,score,max_score,relay/rust\nbroken,0,11,0\ngood,11,11,11\nnotes,0,11,0\n");
    assert!(read_report(&out, "broken").notices[0].contains("broken.tar.gz: not a valid tar.gz archive"));
    assert!(read_report(&out, "notes").notices[0].contains("neither a folder nor a .zip, .tar.gz or .tgz archive"));
}

#[test]
fn other_bad_input_is_refused_before_grading() {
    let dir = fresh("bad");
    std::fs::create_dir_all(dir.join("a/alice")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("b/alice.zip"), "").unwrap();
    let out = dir.join("out");
    let grade = || {
        let mut c = fearless();
        c.arg("grade").arg("--out").arg(&out);
        c
    };
    grade().arg(dir.join("no-such")).assert().code(2).stderr(predicate::str::contains("no-such: no such file or folder"));
    grade().arg(dir.join("a/alice")).arg(dir.join("b/alice.zip")).assert().code(2).stderr(predicate::str::contains("two submissions are both named 'alice'"));
    grade().arg(dir.join("a/alice")).args(["--only", "nope"]).assert().code(2).stderr(predicate::str::contains("unknown lesson 'nope'"));
    grade().arg(dir.join("a/alice")).args(["--jobs", "0"]).assert().code(2);
    assert!(!out.exists(), "bad input must not leave an out folder");
}

/// The gradebook's columns (and each report's results) follow the kit's lesson order,
/// whatever the order of `--only`, and although a submission's Rust and OCaml lessons
/// are checked in two lanes at once. A file that is no submission is graded without a
/// build (every lesson `error`); the starting points build, and fail.
#[test]
fn columns_follow_the_lessons_order_not_the_only_order() {
    let dir = fresh("column-order");
    std::fs::write(dir.join("notes.txt"), "not a submission").unwrap();
    kit_copy(&dir.join("start"));
    let out = dir.join("out");
    fearless().arg("grade").arg(dir.join("notes.txt")).arg(dir.join("start")).arg("--out").arg(&out).args(["--only", "relay,spawn,relay"]).assert().code(0);
    let csv = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    assert_eq!(csv.lines().next(), Some("submission,score,max_score,spawn/rust,spawn/ocaml,relay/rust,relay/ocaml"), "{csv}");
    for id in ["notes", "start"] {
        let keys: Vec<String> = read_report(&out, id).results.iter().map(|r| r.key()).collect();
        assert_eq!(keys, ["spawn/rust", "spawn/ocaml", "relay/rust", "relay/ocaml"], "{id}");
    }
    let start = read_report(&out, "start");
    assert!(start.results.iter().all(|r| r.checks.iter().any(|c| c.name == "build")), "the starting points were checked: {:?}", stable(&start));
}

/// A student whose file name is markup: graded without a build (it is no submission),
/// and its name is in its report's message too.
const MARKUP_ID: &str = "<script>alert(1)";

/// A small class of lesson 01 in Rust graded at once, and graded again in three shards
/// merged by `fearless gradebook`.
struct Sharded {
    subs: Vec<PathBuf>,
    whole: PathBuf,
    shards: Vec<PathBuf>,
    merged: PathBuf,
}

const ONLY_THREADS: [&str; 6] = ["--only", "spawn", "--lang", "rust", "--jobs", "1"];

fn sharded() -> &'static Sharded {
    static SHARDED: OnceLock<Sharded> = OnceLock::new();
    SHARDED.get_or_init(|| {
        let root = fresh("shards");
        let dir = root.join("submissions");
        for (id, solved, mutant) in [("ada", true, None), ("bea", true, Some("rust-joined-last-first")), ("cy", false, None)] {
            let ex = dir.join(id);
            common::copy_tree(&common::fixture().root.join("exercises/01-spawn"), &ex.join("01-spawn"));
            if solved {
                common::copy_tree(&common::fixture().root.join("solutions/01-spawn"), &ex.join("01-spawn"));
            }
            if let Some(m) = mutant {
                mutate_lesson(&ex, "01-spawn", m);
            }
        }
        std::fs::write(dir.join(MARKUP_ID), "not a submission").unwrap();
        let subs: Vec<PathBuf> = ["ada", "bea", "cy", MARKUP_ID].iter().map(|s| dir.join(s)).collect();
        let grade = |out: &Path, shard: Option<String>| {
            let mut c = fearless();
            c.arg("grade").args(&subs).arg("--out").arg(out).args(ONLY_THREADS);
            if let Some(s) = shard {
                c.args(["--shard", &s]);
            }
            c.assert().code(0);
        };
        let whole = root.join("whole");
        grade(&whole, None);
        let shards: Vec<PathBuf> = (1..=3).map(|k| root.join(format!("shard-{k}"))).collect();
        for (k, out) in shards.iter().enumerate() {
            grade(out, Some(format!("{}/3", k + 1)));
        }
        let merged = root.join("merged");
        fearless().arg("gradebook").arg("--out").arg(&merged).args(&shards).assert().code(0).stdout(predicate::str::contains("graded 4 submissions"));
        Sharded { subs, whole, shards, merged }
    })
}

/// Every file below `dir`, by its path in `dir`.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                todo.push(e.path());
            } else {
                all.insert(e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap());
            }
        }
    }
    all
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Shards take the sorted ids in turn; merged, they are the class graded at once:
/// byte for byte for the files that hold no durations, and for the others once the
/// durations and thread ids ([`VARYING`]) are normalised (two runs never take the
/// same time). Then without normalising anything: the shards' reports put in one
/// folder and graded there at once (every report reused, as after a kill) give the
/// merged folder byte for byte, so every class file is derived from the reports alone.
#[test]
fn three_shards_merged_are_the_class_graded_at_once() {
    let s = sharded();
    let shares: Vec<serde_json::Value> = s.shards.iter().map(|d| serde_json::from_str(&std::fs::read_to_string(d.join("shard.json")).unwrap()).unwrap()).collect();
    let ids = |k: usize| shares[k]["submissions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!([ids(0), ids(1), ids(2)], [vec![MARKUP_ID, "cy"], vec!["ada"], vec!["bea"]]);
    assert_eq!(shares[0]["columns"], serde_json::json!(["spawn/rust"]));

    let (merged, whole) = (files(&s.merged), files(&s.whole));
    assert_eq!(merged.keys().collect::<Vec<_>>(), whole.keys().collect::<Vec<_>>());
    assert_eq!(merged.len(), 4 + 3 * 4, "{:?}", merged.keys());
    for name in ["grades.csv", "summary.txt", "index.html"] {
        assert!(merged[Path::new(name)] == whole[Path::new(name)], "{name} differs");
    }
    for (path, bytes) in &merged {
        let (m, w) = (normalised(&text(bytes)), normalised(&text(&whole[path])));
        assert!(m == w, "{} differs:\n{}", path.display(), similar::TextDiff::from_lines(&w, &m).unified_diff());
    }

    let regraded = fresh("shards-regraded");
    for shard in &s.shards {
        for e in std::fs::read_dir(shard).unwrap().flatten().filter(|e| e.path().is_dir()) {
            common::copy_tree(&e.path(), &regraded.join(e.file_name()));
        }
    }
    fearless().arg("grade").args(&s.subs).arg("--out").arg(&regraded).args(ONLY_THREADS).assert().code(0).stderr(predicate::str::contains("reusing 4 reports"));
    let regraded = files(&regraded);
    assert_eq!(merged.keys().collect::<Vec<_>>(), regraded.keys().collect::<Vec<_>>());
    for (path, bytes) in &merged {
        let (m, r) = (text(bytes), text(&regraded[path]));
        assert!(*bytes == regraded[path], "{} differs:\n{}", path.display(), similar::TextDiff::from_lines(&r, &m).unified_diff());
    }
}

/// The class page: both plots, a link to every student's report, and a student's
/// markup (in its id and in its message) shown as text, never run.
#[test]
fn the_class_page_has_its_plots_and_links_and_no_student_markup() {
    let s = sharded();
    let html = std::fs::read_to_string(s.merged.join("index.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 2, "{html}");
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1): neither a folder"), "the message is not shown inert:\n{html}");
    for link in ["ada/report.md", "bea/report.md", "cy/report.md", "%3Cscript%3Ealert%281%29/report.md"] {
        assert!(html.contains(&format!("href=\"{link}\"")), "no link to {link}:\n{html}");
    }
    assert!(html.contains("<td>spawn</td><td>rust</td><td class=\"num\">25% (1 of 4)</td><td>build (1 of 3)</td>"), "{html}");
}

/// Opened from the file in a real headless Chromium: the plots rendered in the page,
/// every student's link there, and the markup a student sent left as text.
#[test]
fn the_class_page_renders_in_chromium() {
    let chromium = chromium_or_skip!();
    let s = sharded();
    let dom = browser::browse(&chromium, &s.merged.join("index.html"), &["--dump-dom"]).stdout_text();
    assert_eq!(dom.matches("<svg").count(), 2, "{dom}");
    assert!(dom.contains("<figure id=\"scores\">") && dom.contains("<figure id=\"passed\">"), "{dom}");
    assert!(dom.contains("Scores: submissions per tenth of the maximum"), "{dom}");
    for id in ["ada", "bea", "cy", "%3Cscript%3Ealert%281%29"] {
        assert!(dom.contains(&format!("href=\"{id}/report.md\"")), "no link to {id}:\n{dom}");
    }
    assert!(!dom.to_lowercase().contains("<script"), "a student's script reached the page:\n{dom}");
    assert!(dom.contains("&lt;script&gt;alert(1)</a>"), "{dom}");
    // The page's own title: no student's script ran to change it.
    assert!(dom.contains("<title>fearless grade: 4 submissions</title>"), "{dom}");
}

/// `gradebook`'s bad input, on files that are no submissions (graded without a build):
/// nothing is written, and the message says what is wrong.
#[test]
fn gradebook_refuses_what_it_cannot_merge_whole() {
    let dir = fresh("gradebook-refuses");
    for n in ["ann.txt", "ben.txt", "cat.txt"] {
        std::fs::write(dir.join(n), "not a submission").unwrap();
    }
    let grade = |subs: &[&str], out: &str, extra: &[&str]| {
        fearless().arg("grade").args(subs.iter().map(|s| dir.join(s))).arg("--out").arg(dir.join(out)).args(["--only", "spawn"]).args(extra).assert().code(0);
    };
    let merge = |folders: &[&str], out: &str| {
        let mut c = fearless();
        c.arg("gradebook").arg("--out").arg(dir.join(out)).args(folders.iter().map(|f| dir.join(f)));
        c.assert()
    };
    let refused = |folders: &[&str], why: &str| {
        merge(folders, "merged").code(2).stderr(predicate::str::contains(why));
        assert!(!dir.join("merged").exists(), "{why}: something was written");
    };
    grade(&["ann.txt", "ben.txt"], "a", &[]);
    grade(&["ben.txt", "cat.txt"], "b", &[]);
    refused(&["a", "b"], "student 'ben' is in two folders");
    grade(&["ann.txt", "ben.txt", "cat.txt"], "s1", &["--shard", "1/2"]);
    grade(&["ann.txt", "ben.txt", "cat.txt"], "s2", &["--shard", "2/2"]);
    refused(&["s1"], "shard 2/2 is missing");
    refused(&["s1", "s1"], "shard 1/2 is given twice");
    refused(&["s1", "a"], "is not a shard");
    grade(&["cat.txt"], "c", &["--only", "relay"]);
    refused(&["a", "c"], "graded for other lessons or languages");
    std::fs::remove_file(dir.join("s2/ben/report.json")).unwrap();
    refused(&["s1", "s2"], "no report.json");
    std::fs::remove_dir_all(dir.join("s2/ben")).unwrap();
    refused(&["s1", "s2"], "no report for 'ben': that shard did not finish");
    refused(&[], "no folders to merge");
    // A shard may be empty (more machines than students); merged, the class is whole.
    grade(&["ann.txt", "ben.txt", "cat.txt"], "s2", &["--shard", "2/2", "--force"]);
    grade(&["ann.txt"], "e1", &["--shard", "1/2"]);
    grade(&["ann.txt"], "e2", &["--shard", "2/2"]);
    // A hidden folder (a shard's folder kept in git, say) is no student's.
    std::fs::create_dir_all(dir.join("e1/.git")).unwrap();
    merge(&["e1", "e2"], "e").code(0);
    merge(&["s2", "s1"], "merged").code(0).stdout(predicate::str::contains("graded 3 submissions"));
    let csv = std::fs::read_to_string(dir.join("merged/grades.csv")).unwrap();
    assert_eq!(csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect::<Vec<_>>(), ["ann", "ben", "cat"]);
    merge(&["s1", "s2"], "merged").code(2).stderr(predicate::str::contains("must be a new or empty folder"));
}

#[test]
fn builds_of_the_same_files_are_made_once_and_the_reports_are_those_of_building_each() {
    let c = class();
    let again = fresh("rebuild").join("out");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&c.subs).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    let o = fearless().arg("grade").args(&entries).arg("--out").arg(&again).args(["--only", "relay", "--jobs", "2", "--rebuild"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("builds:"), "--rebuild copies nothing: {stderr}");
    // The class has four copies of the solutions and a starting point graded twice (one
    // of them with the kit's files edited): the shared run copied their builds.
    let copied = regex::Regex::new(r"builds: \d+ made, (\d+) copied").unwrap().captures(&c.stderr).map(|m| m[1].parse::<u32>().unwrap());
    assert!(copied.is_some_and(|n| n >= 6), "{}", c.stderr);
    for id in ids(c).iter().filter(|id| c.out.join(id).join("report.json").exists()) {
        assert_eq!(stable(&read_report(&c.out, id)), stable(&read_report(&again, id)), "{id}: built once and copied, or built anew, the report is the same");
    }
}
