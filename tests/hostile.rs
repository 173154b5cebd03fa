//! The adversarial corpus (`tests/hostile/cases/`): hostile submissions graded in one
//! run next to honest ones. The grader must survive each, report what happened in
//! one line, change nothing outside its scratch folders, let nothing reach the
//! network, leave no process behind, and give the honest submissions exactly the
//! reports they get alone. Run once with bubblewrap and once without
//! (`FEARLESS_NO_BWRAP=1`); `make test` does both.
mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use fearless::check::{self, Context};
use fearless::contain::{self, procs};
use fearless::layout::Kit;
use fearless::lesson::{Lang, Lesson};
use fearless::report::{LessonResult, Status};
use serde::Deserialize;

/// `case.toml`: what grading a hostile submission must say.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The test kit's lesson (default `01-hello`).
    #[serde(default = "hello")]
    lesson: String,
    lang: Lang,
    /// The check whose message says what happened.
    check: String,
    /// Text that message must contain, contained or not.
    message: String,
    /// Text it must also contain when bubblewrap contains the run.
    #[serde(default)]
    sandboxed_message: Option<String>,
    /// The check's status (default `fail`).
    #[serde(default = "fail")]
    status: Status,
    /// Status and messages hold only in the sandbox (without it, what the case does succeeds).
    #[serde(default)]
    sandboxed_only: bool,
    /// Symbolic links the test makes in the submission: [path, target].
    #[serde(default)]
    links: Vec<[String; 2]>,
    /// A file the test writes: [path, size in bytes] (a correct program padded with comments).
    #[serde(default)]
    huge: Option<(String, u64)>,
    /// The submission (a stub that attacks) scores no more than the lesson's starting point.
    #[serde(default)]
    at_most_starting_point: bool,
    /// Status and messages hold only where each run gets a cgroup (a total memory limit).
    #[serde(default)]
    needs_cgroup: bool,
}

fn hello() -> String {
    "01-hello".into()
}

fn fail() -> Status {
    Status::Fail
}

/// How much the runner contains here: what may be asserted.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
enum Level {
    /// Neither bubblewrap nor root: limits and process groups only.
    Limits,
    /// No bubblewrap, but the grader is root: programs run as a user of their own, without network.
    OwnUser,
    /// bubblewrap.
    Sandbox,
}

fn level() -> Level {
    if contain::machine().isolated() {
        Level::Sandbox
    } else if contain::root() {
        Level::OwnUser
    } else {
        Level::Limits
    }
}

/// The uids of this binary's jobs: a range of their own, so that leftovers are this run's.
const UID_BASE: u32 = 1_700_000_000;

/// One test at a time in this binary: leftovers are counted per run.
static SERIAL: Mutex<()> = Mutex::new(());

fn setup() -> std::sync::MutexGuard<'static, ()> {
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: set under the lock before any job of this binary runs.
    unsafe { std::env::set_var("FEARLESS_UID_BASE", UID_BASE.to_string()) };
    guard
}

fn repo() -> PathBuf {
    common::kit().root
}

fn test_kit() -> Kit {
    Kit { root: repo().join("tests/hostile/kit") }
}

fn lesson(slug: &str) -> Lesson {
    test_kit().load(slug).unwrap()
}

/// The shared cargo target folder of this binary's grading: under the system's temporary
/// folder, which others may write, so that the kit's guard against a planted cargo config
/// (`/tmp/.cargo/config.toml`) is tested wherever the kit lives.
fn target() -> PathBuf {
    std::env::temp_dir().join("fearless-hostile-target")
}

fn context() -> Context {
    Context::new(target())
}

/// A submission: a folder laid out like `exercises/`, with the lesson in one language.
struct Submission {
    name: String,
    lesson: String,
    lang: Lang,
    root: PathBuf,
}

/// Copies `from` (a case or solution folder holding `rust/` or `ocaml/`) into
/// `root/<lesson>/`, with the placeholders replaced.
fn lay_out(from: &Path, root: &Path, lesson: &str, vars: &BTreeMap<&str, String>) {
    fn copy(from: &Path, to: &Path, vars: &BTreeMap<&str, String>) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let dest = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &dest, vars);
            } else {
                let mut text = std::fs::read_to_string(e.path()).unwrap();
                for (k, v) in vars {
                    text = text.replace(k, v);
                }
                std::fs::write(dest, text).unwrap();
            }
        }
    }
    for lang in ["rust", "ocaml"] {
        if from.join(lang).is_dir() {
            copy(&from.join(lang), &root.join(lesson).join(lang), vars);
        }
    }
}

fn honest(name: &str, lang: Lang, batch: &Path, canary: &str) -> Submission {
    let root = batch.join(name);
    let solution = test_kit().root.join("solutions/01-hello");
    lay_out(&solution, &root, "01-hello", &BTreeMap::new());
    let file = root.join("01-hello").join(lang.as_str()).join(if lang == Lang::Rust { "src/main.rs" } else { "main.ml" });
    let mut text = std::fs::read_to_string(&file).unwrap();
    text = match (name.ends_with("wrong"), lang) {
        // An honest mistake: the lines in the wrong order.
        (true, Lang::Rust) => "fn main() {\n    println!(\"hello from main\");\n    println!(\"hello from a worker\");\n}\n".into(),
        (true, Lang::Ocaml) => "let () = print_endline \"hello from main\"; print_endline \"hello from a worker\"\n".into(),
        _ => text,
    };
    let comment = if lang == Lang::Rust { format!("// {canary}\n") } else { format!("(* {canary} *)\n") };
    std::fs::write(&file, format!("{comment}{text}")).unwrap();
    Submission { name: name.into(), lesson: "01-hello".into(), lang, root }
}

/// An honest submission of a lesson in `lang`: its solution (02-greet, whose tests run
/// the student's code; 03-waits, whose program mostly sleeps).
fn honest_solution(name: &str, lesson: &str, lang: Lang, batch: &Path) -> Submission {
    let root = batch.join(name);
    lay_out(&test_kit().root.join("solutions").join(lesson), &root, lesson, &BTreeMap::new());
    let other = if lang == Lang::Rust { "ocaml" } else { "rust" };
    let _ = std::fs::remove_dir_all(root.join(lesson).join(other));
    Submission { name: name.into(), lesson: lesson.into(), lang, root }
}

/// The lesson's starting point, graded: what a stub may score at most.
fn starting_point(lesson_slug: &str, lang: Lang) -> u32 {
    check::check(&context(), &lesson(lesson_slug), lang, &test_kit().root.join("exercises")).score
}

/// Entries of the temporary folder that this process's grading may leave (the kit names
/// them after the process; other processes' are theirs, and may be running now).
fn kit_temp_entries() -> std::collections::BTreeSet<String> {
    let ours = format!("fearless-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir()).into_iter().flatten().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(&ours)).collect()
}

/// The placeholders of the cases for a run with no listener and no other submission.
fn offline_vars(token: impl Into<String>) -> BTreeMap<&'static str, String> {
    [("@TOKEN@", token.into()), ("@KIT@", repo().display().to_string()), ("@TARGET@", target().display().to_string()), ("@PORT@", "9".into()), ("@OTHER@", "/nonexistent".into())]
        .into_iter()
        .collect()
}

fn hostile(name: &str, case: &Case, batch: &Path, vars: &BTreeMap<&str, String>) -> Submission {
    let root = batch.join(name);
    let dir = repo().join("tests/hostile/cases").join(name);
    lay_out(&dir, &root, &case.lesson, vars);
    let lesson_dir = root.join(&case.lesson);
    for [path, target] in &case.links {
        let mut target = target.clone();
        for (k, v) in vars {
            target = target.replace(k, v);
        }
        let at = lesson_dir.join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, at).unwrap();
    }
    if let Some((path, size)) = &case.huge {
        let at = lesson_dir.join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let mut text = std::fs::read_to_string(test_kit().root.join("solutions/01-hello/rust/src/main.rs")).unwrap();
        let pad = "// padding padding padding padding padding padding padding padding padding\n";
        while (text.len() as u64) < *size {
            text.push_str(pad);
        }
        std::fs::write(at, text).unwrap();
    }
    Submission { name: name.into(), lesson: case.lesson.clone(), lang: case.lang, root }
}

fn grade(s: &Submission) -> LessonResult {
    grade_in(&context(), s)
}

fn grade_in(ctx: &Context, s: &Submission) -> LessonResult {
    check::check(ctx, &lesson(&s.lesson), s.lang, &s.root)
}

fn cases() -> BTreeMap<String, Case> {
    let dir = repo().join("tests/hostile/cases");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let text = std::fs::read_to_string(e.path().join("case.toml")).unwrap();
        let case: Case = toml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
        out.insert(e.file_name().to_string_lossy().into_owned(), case);
    }
    out
}

/// The kit's own files (not build products) with their sizes and times: nothing may change them.
fn kit_files(root: &Path) -> BTreeMap<PathBuf, (u64, i64)> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, (u64, i64)>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = e.file_name();
            if [".git", "target", "_build", ".fearless"].contains(&name.to_string_lossy().as_ref()) {
                continue;
            }
            let Ok(m) = std::fs::symlink_metadata(e.path()) else {
                continue;
            };
            out.insert(e.path(), (m.len(), m.mtime()));
            if m.is_dir() {
                walk(&e.path(), out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &mut out);
    out
}

/// Processes this run left: its jobs' users, this process's descendants, or the
/// token the runner gives jobs that are not sandboxed. Processes killed but not yet
/// gone on a loaded machine get a while to go.
fn leftovers() -> Vec<String> {
    let mut left = living_leftovers();
    for _ in 0..100 {
        if left.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        left = living_leftovers();
    }
    left
}

fn living_leftovers() -> Vec<String> {
    let me = std::process::id() as i32;
    let kids = procs::descendants(me);
    let token = format!("FEARLESS_JOB={me}-");
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(m) = std::fs::metadata(e.path()) else {
            continue;
        };
        if procs::zombie(pid) {
            continue;
        }
        let ours = (UID_BASE..UID_BASE + 4096).contains(&m.uid())
            || kids.contains(&pid)
            || std::fs::read(e.path().join("environ")).is_ok_and(|env| env.windows(token.len()).any(|w| w == token.as_bytes()));
        if ours {
            let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
            out.push(format!("{pid} (uid {}): {}", m.uid(), String::from_utf8_lossy(&cmd).replace('\0', " ")));
        }
    }
    out
}

/// A listener on 127.0.0.1 that counts the connections it accepts.
struct Listener {
    port: u16,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Listener {
    fn open() -> Listener {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        let port = l.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (a, s) = (accepted.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match l.accept() {
                    Ok(_) => {
                        a.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        });
        Listener { port, accepted, stop, thread: Some(thread) }
    }
    fn close(mut self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap();
        self.accepted.load(Ordering::Relaxed)
    }
}

#[test]
fn hostile_submissions_lose_nothing_and_say_what_happened() {
    let _serial = setup();
    let level = level();
    eprintln!("containment: {level:?} ({})", contain::machine().why_not.clone().unwrap_or_else(|| "bubblewrap".into()));
    // Closed to other users, as a grader keeps submissions.
    let batch = tempfile::Builder::new().prefix("fearless-hostile-").permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700)).tempdir().unwrap();
    let token = format!("{}-{}", std::process::id(), batch.path().file_name().unwrap().to_string_lossy().replace('.', ""));
    let canary = format!("canary-{token}");

    let temp_before = kit_temp_entries();
    // The honest submissions, graded alone first.
    let mut honest_subs: Vec<Submission> = [("honest-rust", Lang::Rust), ("honest-ocaml", Lang::Ocaml), ("honest-rust-wrong", Lang::Rust), ("honest-ocaml-wrong", Lang::Ocaml)]
        .into_iter()
        .map(|(n, l)| honest(n, l, batch.path(), &canary))
        .collect();
    honest_subs.push(honest_solution("honest-greet-rust", "02-greet", Lang::Rust, batch.path()));
    honest_subs.push(honest_solution("honest-greet-ocaml", "02-greet", Lang::Ocaml, batch.path()));
    honest_subs.push(honest_solution("honest-waits-rust", "03-waits", Lang::Rust, batch.path()));
    let alone: BTreeMap<String, Vec<String>> = honest_subs.iter().map(|s| (s.name.clone(), common::stable(&grade(s)))).collect();
    assert_eq!(alone["honest-rust"][0], "hello/rust: Pass 10/10", "{alone:?}");
    assert_eq!(alone["honest-greet-rust"][0], "greet/rust: Pass 13/13", "{alone:?}");
    assert_eq!(alone["honest-greet-ocaml"][0], "greet/ocaml: Pass 11/11", "{alone:?}");
    // The idle check passes a program that sleeps wherever the kit can measure CPU time
    // (against which the case `hides-cpu-time` fails it).
    if contain::cgroup::support().available() {
        assert_eq!(alone["honest-waits-rust"][0], "waits/rust: Pass 5/5", "{alone:?}");
    }
    let starting: BTreeMap<Lang, u32> = Lang::ALL.into_iter().map(|g| (g, starting_point("02-greet", g))).collect();

    let listener = Listener::open();
    let repo_root = repo();
    let vars: BTreeMap<&str, String> = [
        ("@PORT@", listener.port.to_string()),
        ("@TOKEN@", token.clone()),
        ("@KIT@", repo_root.display().to_string()),
        ("@TARGET@", target().display().to_string()),
        ("@OTHER@", honest_subs[0].root.join("01-hello/rust/src/main.rs").display().to_string()),
    ]
    .into_iter()
    .collect();
    let cases = cases();
    let mut subs: Vec<Submission> = cases.iter().map(|(name, case)| hostile(name, case, batch.path(), &vars)).collect();
    subs.extend(honest_subs);
    let before = kit_files(&repo_root);
    // Another package's sources in the shared target folder, as another submission's build leaves them.
    let other_package = target().join(format!("src/other-{token}"));
    std::fs::create_dir_all(other_package.join("src")).unwrap();
    std::fs::write(other_package.join("src/main.rs"), format!("// {canary}\n")).unwrap();

    // Everyone in one run, three at a time, as a grader would: builds of the same files
    // made once for the run (the hostile ones try to poison what is kept).
    let run = context().sharing(Arc::new(fearless::lang::reused::Reused::new().unwrap()));
    let queue = Mutex::new(subs.iter().collect::<Vec<_>>());
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let Some(s) = queue.lock().unwrap().pop() else {
                    break;
                };
                let r = grade_in(&run, s);
                results.lock().unwrap().insert(s.name.clone(), r);
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    // And once more each, after every hostile submission: what they left must not change
    // a grade, nor what the run kept of the honest ones' builds, which these take.
    for s in subs.iter().filter(|s| alone.contains_key(&s.name)) {
        results.insert(format!("{} (after)", s.name), grade_in(&run, s));
    }
    let (_, copied) = run.reused.as_ref().unwrap().counts();
    assert!(copied >= alone.len(), "the honest submissions graded again take their kept builds: {copied} copied");
    drop(run);
    let _ = std::fs::remove_dir_all(&other_package);
    let connections = listener.close();
    let left = leftovers();

    let mut problems = Vec::new();
    for (name, r) in &results {
        if let Some(alone) = alone.get(name.trim_end_matches(" (after)")) {
            if &common::stable(r) != alone {
                problems.push(format!("{name}: graded with the others {:?}, alone {alone:?}", common::stable(r)));
            }
            continue;
        }
        let case = &cases[name];
        let Some(c) = r.checks.iter().find(|c| c.name == case.check) else {
            problems.push(format!("{name}: no check {}: {:?}", case.check, common::stable(r)));
            continue;
        };
        eprintln!("{name}: {} {:?}: {}", c.name, c.status, c.message);
        if case.sandboxed_only && level != Level::Sandbox {
            continue;
        }
        if case.needs_cgroup && !contain::cgroup::support().available() {
            eprintln!("{name}: not checked: no cgroup per run here ({})", contain::cgroup::support().describe());
            continue;
        }
        let mut wanted = vec![case.message.as_str()];
        if level == Level::Sandbox {
            wanted.extend(case.sandboxed_message.as_deref());
        }
        if c.status != case.status || wanted.iter().any(|w| !c.message.contains(w)) {
            problems.push(format!("{name}: {} is {:?} {:?}; wanted {:?} containing {wanted:?}", c.name, c.status, c.message, case.status));
        }
        if case.at_most_starting_point {
            let most = if case.lesson == "02-greet" { starting[&case.lang] } else { starting_point(&case.lesson, case.lang) };
            if r.score > most {
                problems.push(format!("{name}: scores {} where the starting point scores {most}: {:?}", r.score, common::stable(r)));
            }
        }
        if c.message.contains('\n') || c.message.is_empty() {
            problems.push(format!("{name}: the message is not one line: {:?}", c.message));
        }
        // Nothing another submission or the kit holds appears in this one's report.
        let shown = serde_json::to_string(r).unwrap();
        if level >= Level::OwnUser && shown.contains(&canary) {
            problems.push(format!("{name}: another submission's text is in its report"));
        }
        if level == Level::Sandbox {
            for secret in ["fn hostile_submissions_lose_nothing", "daemon:x:1:1"] {
                if shown.contains(secret) {
                    problems.push(format!("{name}: its report shows {secret:?}, which it must not have been able to read"));
                }
            }
        }
    }
    if level >= Level::OwnUser {
        if connections != 0 {
            problems.push(format!("the listener on 127.0.0.1 accepted {connections} connection(s)"));
        }
        let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
        for p in [
            home.join(format!("pwned-{token}")),
            PathBuf::from(format!("/tmp/pwned-{token}")),
            PathBuf::from(format!("/var/tmp/pwned-{token}")),
            PathBuf::from(format!("/tmp/pwned-{token}-build-script")),
            // A rustc wrapper or a dune rule the student planted, run by a later step.
            PathBuf::from(format!("/tmp/pwned-{token}-wrapper")),
            PathBuf::from(format!("/tmp/pwned-{token}-dune")),
            // A package name that climbs out of the build folder.
            PathBuf::from(format!("/tmp/pwned-{token}-victim")),
            target().join(".cargo"),
            target().join("Cargo.lock"),
            target().join(format!("poisoned-{token}")),
            target().join(format!("debug/poisoned-{token}")),
            target().join(format!("src/greet/poisoned-{token}")),
        ] {
            if p.exists() {
                problems.push(format!("{} was written", p.display()));
                let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
            }
        }
        let after = kit_files(&repo_root);
        if after != before {
            let changed: Vec<String> = after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, _)| k.display().to_string()).collect();
            let gone: Vec<String> = before.keys().filter(|k| !after.contains_key(*k)).map(|k| k.display().to_string()).collect();
            problems.push(format!("the kit's files changed: {changed:?}, gone: {gone:?}"));
        }
    }
    if !left.is_empty() {
        problems.push(format!("processes left behind: {left:#?}"));
    }
    let left_in_temp: Vec<String> = kit_temp_entries().difference(&temp_before).cloned().collect();
    if !left_in_temp.is_empty() {
        problems.push(format!("left in {}: {left_in_temp:?}", std::env::temp_dir().display()));
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// `fearless grade` with the test lesson's kit, its target folder, and this binary's uids.
fn grade_cli() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("fearless").unwrap();
    c.env("FEARLESS_ROOT", test_kit().root)
        .env("FEARLESS_TARGET", target())
        .env("FEARLESS_UID_BASE", UID_BASE.to_string())
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(600));
    c
}

fn read_report(out: &Path, id: &str) -> fearless::report::Report {
    serde_json::from_str(&std::fs::read_to_string(out.join(id).join("report.json")).unwrap()).unwrap()
}

/// A folder with every executable of PATH except bubblewrap: a machine without it.
fn path_without_bwrap(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for d in std::env::split_paths(&std::env::var_os("PATH").unwrap()) {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name();
            if name != "bwrap" && !bin.join(&name).exists() {
                let _ = std::os::unix::fs::symlink(e.path(), bin.join(&name));
            }
        }
    }
    bin
}

#[test]
fn without_bwrap_on_the_path_the_grader_says_so_once_and_still_contains_what_it_can() {
    let _serial = setup();
    let dir = tempfile::Builder::new().prefix("fearless-nobwrap-").permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700)).tempdir().unwrap();
    let subs = dir.path().join("subs");
    let token = format!("{}-nobwrap", std::process::id());
    let vars = offline_vars(token.clone());
    let cases = cases();
    for name in ["fork-bomb", "escapes-session", "writes-everywhere"] {
        hostile(name, &cases[name], &subs, &vars);
    }
    let solution = honest("honest-rust", Lang::Rust, &subs, "no canary here");
    let alone = common::stable(&grade(&solution));
    let out = dir.path().join("out");
    let bin = path_without_bwrap(dir.path());
    let mut cmd = grade_cli();
    cmd.env("PATH", &bin).env_remove("FEARLESS_NO_BWRAP").arg("grade").args(["--lang", "rust", "--jobs", "2", "--out"]).arg(&out);
    for e in std::fs::read_dir(&subs).unwrap().flatten() {
        cmd.arg(e.path());
    }
    let run = cmd.output().unwrap();
    let terminal = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert_eq!(run.status.code(), Some(0), "{terminal}");
    let said = "bubblewrap (bwrap) is not installed";
    assert_eq!(terminal.matches(said).count(), 1, "the terminal should say it once:\n{terminal}");
    for id in ["fork-bomb", "escapes-session", "writes-everywhere", "honest-rust"] {
        let r = read_report(&out, id);
        assert_eq!(r.notices.iter().filter(|n| n.contains(said)).count(), 1, "{id}: {:?}", r.notices);
    }
    let bomb = read_report(&out, "fork-bomb");
    let termination = bomb.results[0].checks.iter().find(|c| c.name == "termination").unwrap();
    assert!(termination.message.contains("more than 32 threads and processes at once"), "{termination:?}");
    assert_eq!(read_report(&out, "honest-rust").results.iter().filter(|r| r.exercise == "hello").flat_map(common::stable).collect::<Vec<_>>(), alone);
    if contain::root() {
        for p in [PathBuf::from(format!("/tmp/pwned-{token}")), repo().join(format!("pwned-{token}")), repo().join(format!("tests/pwned-{token}"))] {
            assert!(!p.exists(), "{} was written", p.display());
        }
    }
    let left = leftovers();
    assert!(left.is_empty(), "processes left behind: {left:#?}");
}

/// Most instructors grade as an ordinary user: no user of its own per job, and a process
/// limit that counts what that user already runs. The OCaml cases (Rust's toolchain is
/// in root's home here), graded by a copy of the kit run as an unprivileged user.
#[test]
fn as_an_ordinary_user_the_grader_still_contains_what_it_must() {
    let _serial = setup();
    if !contain::root() {
        eprintln!("skipped: needs root to become an ordinary user");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let user = UID_BASE + 4000;
    let dir = tempfile::Builder::new().prefix("fearless-ordinary-").permissions(std::fs::Permissions::from_mode(0o755)).tempdir().unwrap();
    let kit = dir.path().join("kit");
    common::copy_tree(&test_kit().root, &kit);
    let fearless = dir.path().join("fearless");
    std::fs::copy(env!("CARGO_BIN_EXE_fearless"), &fearless).unwrap();
    let subs = dir.path().join("subs");
    let vars = offline_vars("ordinary".to_string());
    let cases = cases();
    let bombs = ["ocaml-fork-bomb", "ocaml-thread-bomb", "ocaml-memory-hog", "ocaml-endless-output", "ocaml-forks-a-hundred"];
    for name in bombs {
        hostile(name, &cases[name], &subs, &vars);
    }
    honest("honest-ocaml", Lang::Ocaml, &subs, "no canary here");
    std::fs::create_dir_all(dir.path().join("home")).unwrap();
    let chown = std::process::Command::new("chown").args(["-R", &format!("{user}:{user}")]).arg(dir.path()).status().unwrap();
    assert!(chown.success());

    let out = dir.path().join("out");
    let mut cmd = assert_cmd::Command::new("setpriv");
    cmd.args([format!("--reuid={user}"), format!("--regid={user}"), "--clear-groups".into(), "--".into()])
        .arg(&fearless)
        // One job at a time: without bubblewrap the limit is set on top of what the user runs
        // when a job starts, which another job's ending would loosen.
        .args(["grade", "--lang", "ocaml", "--jobs", "1", "--out"])
        .arg(&out)
        .args(std::fs::read_dir(&subs).unwrap().flatten().map(|e| e.path()))
        .env("HOME", dir.path().join("home"))
        .env("FEARLESS_ROOT", &kit)
        .env("FEARLESS_TARGET", dir.path().join("target"))
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(600));
    let run = cmd.output().unwrap();
    let terminal = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert_eq!(run.status.code(), Some(0), "{terminal}");
    let honest = read_report(&out, "honest-ocaml");
    assert_eq!(common::stable(&honest.results[0])[0], "hello/ocaml: Pass 10/10", "{terminal}\n{:#?}", honest.results[0].checks);
    for name in bombs {
        let r = read_report(&out, name);
        let c = r.results[0].checks.iter().find(|c| c.name == cases[name].check).unwrap();
        assert!(c.message.contains(&cases[name].message), "{name}: {} says {:?}, wanted {:?}", c.name, c.message, cases[name].message);
    }
    // The limit counts this job's processes, not the ordinary user's others: stopped below 32, not at the user's own limit.
    let forks = read_report(&out, "ocaml-forks-a-hundred");
    let said = &forks.results[0].checks.iter().find(|c| c.name == "output").unwrap().message;
    let forked: u32 = regex::Regex::new(r"forked (\d+)").unwrap().captures(said).map(|c| c[1].parse().unwrap()).unwrap_or(999);
    assert!((1..32).contains(&forked), "forked {forked} children: {said}");
    let mut left = procs::processes_of(user);
    for _ in 0..100 {
        if left.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        left = procs::processes_of(user);
    }
    assert!(left.is_empty(), "the ordinary user's processes left behind: {left:?}");
}

fn zip_of(file: &Path, entries: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(file).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in entries {
        z.start_file(*name, opts).unwrap();
        std::io::Write::write_all(&mut z, data).unwrap();
    }
    z.finish().unwrap();
}

/// A tar.gz whose entries are written header by header, so that names and link
/// targets can be what no well-behaved tool writes.
fn tar_gz_of(file: &Path, entries: &[(&str, tar::EntryType, &str, &[u8])]) {
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(file).unwrap(), flate2::Compression::fast());
    let mut t = tar::Builder::new(gz);
    for (name, kind, link, data) in entries {
        let mut h = tar::Header::new_gnu();
        let raw = &mut h.as_old_mut().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        h.set_entry_type(*kind);
        if !link.is_empty() {
            h.set_link_name(link).unwrap();
        }
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        t.append(&h, *data).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap();
}

#[test]
fn archives_that_reach_out_are_refused_whole_and_the_others_are_graded() {
    let _serial = setup();
    let dir = tempfile::Builder::new().prefix("fearless-archives-").permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700)).tempdir().unwrap();
    let subs = dir.path().join("subs");
    let solution = honest("honest-rust", Lang::Rust, &subs, "no canary here");
    let alone = common::stable(&grade(&solution));
    let main_rs = std::fs::read(solution.root.join("01-hello/rust/src/main.rs")).unwrap();
    let token = format!("{}-archives", std::process::id());
    let escaped = dir.path().join(format!("escaped-{token}"));
    let absolute = std::env::temp_dir().join(format!("absolute-{token}"));
    let good = "01-hello/rust/src/main.rs";
    zip_of(&subs.join("dotdot.zip"), &[(good, &main_rs), (&format!("../../escaped-{token}"), b"out")]);
    zip_of(&subs.join("absolute.zip"), &[(good, &main_rs), (absolute.to_str().unwrap(), b"out")]);
    tar_gz_of(&subs.join("dotdot-tar.tar.gz"), &[(good, tar::EntryType::Regular, "", &main_rs), (&format!("../../escaped-{token}"), tar::EntryType::Regular, "", b"out")]);
    tar_gz_of(&subs.join("link-out.tar.gz"), &[("01-hello/rust/src/main.rs", tar::EntryType::Symlink, "/etc/passwd", b"")]);
    // 256 MiB of zeros squeezed into a few hundred KiB.
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(subs.join("bomb.zip")).unwrap());
        z.start_file(good, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..256 {
            std::io::Write::write_all(&mut z, &zeros).unwrap();
        }
        z.finish().unwrap();
    }
    assert!(std::fs::metadata(subs.join("bomb.zip")).unwrap().len() < 4 << 20);
    let out = dir.path().join("out");
    let mut cmd = grade_cli();
    cmd.arg("grade").args(["--lang", "rust", "--jobs", "2", "--out"]).arg(&out);
    for e in std::fs::read_dir(&subs).unwrap().flatten() {
        cmd.arg(e.path());
    }
    let run = cmd.output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    for (id, why) in [
        ("dotdot", "would land outside the folder"),
        ("dotdot-tar", "would land outside the folder"),
        ("absolute", "would land outside the folder"),
        ("link-out", "points outside the archive"),
        ("bomb", "unpacks to more than 64 MiB"),
    ] {
        let r = read_report(&out, id);
        assert!(r.notices.iter().any(|n| n.contains(why)), "{id}: {:?}", r.notices);
        assert_eq!(r.summary.score, 0, "{id}");
    }
    assert!(!escaped.exists(), "{} was written", escaped.display());
    assert!(!absolute.exists(), "{} was written", absolute.display());
    assert_eq!(read_report(&out, "honest-rust").results.iter().filter(|r| r.exercise == "hello").flat_map(common::stable).collect::<Vec<_>>(), alone);
    let left = leftovers();
    assert!(left.is_empty(), "processes left behind: {left:#?}");
}

/// A grader killed mid-run cannot remove its temporary folders; the next run of the kit does.
#[test]
fn what_a_killed_run_left_in_the_temporary_folder_goes_with_the_next_run() {
    let _serial = setup();
    let dir = tempfile::Builder::new().prefix("fearless-hostile-").permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700)).tempdir().unwrap();
    let vars = offline_vars("killed".to_string());
    let sub = hostile("sleeps-forever", &cases()["sleeps-forever"], dir.path(), &vars);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fearless"))
        .args(["check", "hello", "--lang", "rust", "--from"])
        .arg(&sub.root)
        .env("FEARLESS_ROOT", test_kit().root)
        .env("FEARLESS_TARGET", target())
        .env("FEARLESS_UID_BASE", UID_BASE.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let prefix = format!("fearless-{}-", child.id());
    let made = || -> Vec<String> {
        std::fs::read_dir(std::env::temp_dir()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(&prefix)).collect()
    };
    // Killed while its program runs (it sleeps for ever): its scratch folders exist then,
    // and the program is a process of its own that nothing of the grader's will stop.
    let running = || {
        std::fs::read_dir("/proc").unwrap().flatten().any(|e| {
            let cmd = String::from_utf8_lossy(&std::fs::read(e.path().join("cmdline")).unwrap_or_default()).into_owned();
            cmd.contains(&prefix) && cmd.contains("hello.bin")
        })
    };
    let start = std::time::Instant::now();
    while !running() && start.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(running(), "the program never ran");
    eprintln!("killed after {:?}", start.elapsed());
    child.kill().unwrap();
    child.wait().unwrap();
    let left = made();
    assert!(!left.is_empty(), "the killed run made no temporary folder to leave");
    let next = std::process::Command::new(env!("CARGO_BIN_EXE_fearless")).arg("list").env("FEARLESS_ROOT", test_kit().root).output().unwrap();
    assert!(next.status.success(), "{}", String::from_utf8_lossy(&next.stderr));
    assert_eq!(made(), Vec::<String>::new(), "left after the next run (the killed one left {left:?})");
    assert!(leftovers().is_empty(), "processes left behind: {:#?}", leftovers());
}

/// Cargo reads a `.cargo/config.toml` and rustup a `rust-toolchain.toml` in every folder
/// above the one it runs in; a kit that lives in a folder others may write (`/tmp`) must
/// read neither. Planted here as another user would, before grading starts (a student's
/// program without bubblewrap can do the same while other submissions build).
#[test]
fn a_cargo_config_or_toolchain_above_the_build_folder_is_never_used() {
    let _serial = setup();
    if !contain::root() {
        eprintln!("skipped: needs root to plant files as another user");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let shared = tempfile::Builder::new().prefix("fearless-hostile-shared-").tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let other = UID_BASE + 4001;
    let token = format!("{}-planted", std::process::id());
    let canary = std::env::temp_dir().join(format!("pwned-{token}"));
    let evil = format!("#!/bin/sh\nid -u > {}\nexit 1\n", canary.display());
    let plant = |rel: &str, text: &str, mode: u32| {
        let p = shared.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        std::os::unix::fs::lchown(&p, Some(other), Some(other)).unwrap();
        std::os::unix::fs::lchown(p.parent().unwrap(), Some(other), Some(other)).unwrap();
    };
    plant("evil/bin/cargo", &evil, 0o755);
    plant("evil/bin/rustc", &evil, 0o755);
    plant("rust-toolchain.toml", &format!("[toolchain]\npath = \"{}/evil\"\n", shared.path().display()), 0o644);
    std::os::unix::fs::lchown(shared.path().join("evil"), Some(other), Some(other)).unwrap();
    let honest = honest("honest-rust", Lang::Rust, &shared.path().join("subs"), "no canary");
    let target = shared.path().join("target");
    let alone = common::stable(&grade(&honest));

    // A toolchain file alone: the kit's cargo keeps the grader's toolchain. Through the
    // binary, as an instructor runs it: without the RUSTUP_TOOLCHAIN that cargo test sets,
    // and with rustup's proxies first on the PATH.
    let path: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap()).filter(|p| !p.to_string_lossy().contains("/toolchains/")).collect();
    let out = grade_cli()
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("FEARLESS_TARGET", &target)
        .args(["check", "hello", "--lang", "rust", "--json", "--from"])
        .arg(&honest.root)
        .output()
        .unwrap();
    let report: fearless::report::Report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(!canary.exists(), "the planted toolchain ran: {}", std::fs::read_to_string(&canary).unwrap_or_default());
    assert_eq!(common::stable(&report.results[0]), alone, "the toolchain file changed the grade");

    // A cargo config of another user's above the build folder: the build refuses, nothing runs.
    plant(".cargo/config.toml", &format!("[build]\nrustc-wrapper = \"{}/evil/bin/rustc\"\n", shared.path().display()), 0o644);
    let fresh = shared.path().join("target-2");
    let r = check::check(&Context::new(fresh), &lesson("01-hello"), Lang::Rust, &honest.root);
    let build = r.checks.iter().find(|c| c.name == "build").unwrap();
    assert!(!canary.exists(), "the planted rustc wrapper ran: {}", std::fs::read_to_string(&canary).unwrap_or_default());
    assert!(build.message.contains(".cargo") && build.message.contains("would read a config"), "{build:?}");
    let _ = std::fs::remove_file(&canary);
}
