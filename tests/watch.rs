//! The watch loop in a real terminal: tmux runs `fearless watch` in a detached
//! 80x24 session on a private server, the test types keys, changes files and reads
//! the screen back. Every wait polls the screen until the text appears, under one
//! generous deadline that fails with the last screen; nothing is timed. The loop
//! watches the test kit's relay lesson (`tests/fixtures/kit`), not the kit's lessons.
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fearless::lesson::Lang;
use regex::Regex;

const DEADLINE: Duration = Duration::from_secs(300);

/// A temporary copy of the test kit holding only 03-relay, at its starting point.
struct KitCopy {
    dir: tempfile::TempDir,
}

impl KitCopy {
    fn new() -> KitCopy {
        let dir = tempfile::tempdir().unwrap();
        let root = common::fixture().root;
        for part in ["exercises", "solutions"] {
            common::copy_tree(&root.join(part).join("03-relay"), &dir.path().join(part).join("03-relay"));
        }
        KitCopy { dir }
    }
    fn root(&self) -> &Path {
        self.dir.path()
    }
    fn student_file(&self) -> PathBuf {
        self.root().join("exercises/03-relay/rust/src/main.rs")
    }
    /// Saves `text` over the student's Rust file.
    fn save(&self, text: &str) {
        std::fs::write(self.student_file(), text).unwrap();
    }
    fn time_limit(&self, secs: u32) {
        let toml = self.root().join("exercises/03-relay/exercise.toml");
        let text = std::fs::read_to_string(&toml).unwrap().replace("time_limit_secs = 5", &format!("time_limit_secs = {secs}"));
        std::fs::write(toml, text).unwrap();
    }
}

/// The solution's main.rs.
fn solution() -> String {
    std::fs::read_to_string(common::fixture().root.join("solutions/03-relay/rust/src/main.rs")).unwrap()
}

/// A main.rs that hangs: the mutant that never drops its Sender.
fn hang() -> String {
    let files = common::materialise_mutant(&common::fixture_mutant("03-relay", "rust-forgot-drop"), Lang::Rust);
    std::fs::read_to_string(files.path().join("src/main.rs")).unwrap()
}

/// `fearless watch` in a tmux session of its own.
struct Tmux {
    socket: PathBuf,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn start(kit: &KitCopy, args: &[&str], env: &[(&str, &str)]) -> Tmux {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("tmux.sock");
        // The pane stays after the program ends, so that its last screen can be read.
        let conf = dir.path().join("tmux.conf");
        std::fs::write(&conf, "set -g remain-on-exit on\nset -g status off\n").unwrap();
        let mut command = format!(
            "env FEARLESS_ROOT={} FEARLESS_TARGET={} {} watch",
            kit.root().display(),
            common::kit().root.join("target/lessons-tests").display(),
            env!("CARGO_BIN_EXE_fearless")
        );
        for (k, v) in env {
            command = command.replacen("env ", &format!("env {k}={v} "), 1);
        }
        for a in args {
            command.push(' ');
            command.push_str(a);
        }
        // The pane's shell records the exit status: tmux itself, on a loaded machine, now and
        // then leaves the ended program unreaped and so never tells its status.
        command.push_str(&format!("; echo $? > {}", dir.path().join("status").display()));
        let t = Tmux { socket, dir };
        let conf = conf.to_str().unwrap().to_string();
        t.tmux(&["-f", &conf, "new-session", "-d", "-x", "80", "-y", "24", "-s", "watch", &command]);
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().expect("tmux is installed (.ci/install-deps test)");
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "watch"])
    }

    fn keys(&self, keys: &str) {
        self.tmux(&["send-keys", "-t", "watch", keys]);
    }

    /// The screen once `pattern` (a regex) is on it.
    fn wait_for(&self, pattern: &str) -> String {
        let re = Regex::new(pattern).unwrap();
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if re.is_match(&screen) {
                return screen;
            }
            assert!(started.elapsed() < DEADLINE, "waited {DEADLINE:?} for /{pattern}/; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The exit status of the program in the pane, once it has exited (its last
    /// words can reach the screen a moment before it is gone).
    fn exit_status(&self) -> String {
        let started = Instant::now();
        let file = self.dir.path().join("status");
        loop {
            let status = std::fs::read_to_string(&file).unwrap_or_default();
            if status.ends_with('\n') {
                return status.trim().to_string();
            }
            assert!(started.elapsed() < DEADLINE, "still running after {DEADLINE:?}; the screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn pane(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", "watch", format]).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").output();
    }
}

/// What changes from run to run: seconds on the clock, process ids, the copy's folder.
fn stable(screen: &str, kit: &KitCopy) -> String {
    let rules = [(r"\d+ s left", "N s left"), (r"building... \(\d+ s\)", "building... (N s)"), (r"thread (\d+)", "thread N"), (r"'main' \(\d+\)", "'main' (N)")];
    let mut s = screen.replace(&kit.root().display().to_string(), "[KIT]");
    for (re, to) in rules {
        s = Regex::new(re).unwrap().replace_all(&s, to).into_owned();
    }
    s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_save_re_checks_and_a_pass_says_where_the_solution_is() {
    let kit = KitCopy::new();
    let tmux = Tmux::start(&kit, &["--lang", "rust"], &[]);
    let first = tmux.wait_for("not done yet");
    insta::assert_snapshot!("starting_point", stable(&first, &kit));
    kit.save(&solution());
    let passed = tmux.wait_for("passes!");
    insta::assert_snapshot!("after_saving_the_solution", stable(&passed, &kit));
    let state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(kit.root().join(".fearless/state.json")).unwrap()).unwrap();
    assert_eq!(state["passed"]["relay/rust"], true);
}

#[test]
fn a_hang_counts_down_then_is_explained() {
    let kit = KitCopy::new();
    kit.save(&hang());
    let tmux = Tmux::start(&kit, &["--lang", "rust"], &[]);
    let counting = tmux.wait_for(r"your program runs, \d s left");
    insta::assert_snapshot!("hang_counting_down", stable(&counting, &kit));
    let explained = tmux.wait_for("killed after 5 s");
    assert!(explained.contains("If this is the consumer's loop"), "{explained}");
    // The hint for this mistake (the lesson's rule for it says which), not the ladder's next.
    assert!(explained.contains("hint 3 of 4: Rust: the original `tx` in `main` is a sender too"), "{explained}");
    insta::assert_snapshot!("hang_explained", stable(&explained, &kit));
}

#[test]
fn h_shows_one_hint_more_each_time_and_q_quits() {
    let kit = KitCopy::new();
    let tmux = Tmux::start(&kit, &["--lang", "rust"], &[]);
    tmux.wait_for("not done yet");
    tmux.keys("h");
    tmux.wait_for("hint 1 of 4");
    tmux.keys("h");
    let second = tmux.wait_for("hint 2 of 4");
    insta::assert_snapshot!("second_hint", stable(&second, &kit));
    tmux.keys("q");
    let last = tmux.wait_for("fearless watch: 0 of 1 done");
    assert_eq!(tmux.exit_status(), "0", "{last}");
    let state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(kit.root().join(".fearless/state.json")).unwrap()).unwrap();
    assert_eq!(state["hints_seen"]["relay"], 2);
}

/// The watch on a program that hangs for 1000 s, once it runs: the copy, the
/// session, and the processes of the run (the program, and whatever contains it).
fn watching_a_long_hang() -> (KitCopy, Tmux, Vec<i32>) {
    let kit = KitCopy::new();
    kit.time_limit(1000);
    kit.save(&hang());
    let tmux = Tmux::start(&kit, &["--lang", "rust"], &[]);
    tmux.wait_for(r"your program runs, \d+ s left");
    let watch: i32 = tmux.pane("#{pane_pid}").parse().unwrap();
    // The countdown starts as the run is started: its program may still be on its way.
    let started = Instant::now();
    loop {
        let run = descendants(watch);
        if run.iter().any(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|e| e.ends_with("relay.bin"))) {
            return (kit, tmux, run);
        }
        assert!(started.elapsed() < DEADLINE, "no student's program among the processes of the run: {run:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The keys answer during a hang, and `q` quits at once and leaves no process of
/// the student's behind.
#[test]
fn keys_answer_during_a_hang_and_q_stops_it() {
    let (_kit, tmux, program) = watching_a_long_hang();
    tmux.keys("l");
    tmux.wait_for("fearless watch · the lessons");
    tmux.keys("l");
    tmux.keys("h");
    let hinted = tmux.wait_for("hint 1 of 4");
    assert!(hinted.contains("s left"), "the countdown goes on under the hint:\n{hinted}");
    tmux.keys("q");
    tmux.wait_for("fearless watch: 0 of 1 done");
    wait_until_gone(&program);
}

/// Closing the terminal (tmux sends SIGHUP) during a hang stops the program too.
#[test]
fn closing_the_terminal_during_a_hang_stops_it() {
    let (_kit, tmux, program) = watching_a_long_hang();
    drop(tmux);
    wait_until_gone(&program);
}

/// Saving during a hang stops that run and checks the new version.
#[test]
fn a_save_during_a_hang_stops_it_and_re_checks() {
    let (kit, tmux, _) = watching_a_long_hang();
    kit.save(&solution());
    tmux.wait_for("passes!");
}

#[test]
fn the_poll_watcher_sees_saves_too() {
    let kit = KitCopy::new();
    let tmux = Tmux::start(&kit, &["--lang", "rust"], &[("FEARLESS_WATCH", "poll")]);
    let first = tmux.wait_for("not done yet");
    assert!(first.contains("checking your files for changes every second (FEARLESS_WATCH=poll)"), "{first}");
    kit.save(&solution());
    tmux.wait_for("passes!");
}

#[test]
fn manual_mode_re_checks_on_enter() {
    let kit = KitCopy::new();
    let tmux = Tmux::start(&kit, &["--lang", "rust", "--manual"], &[]);
    let first = tmux.wait_for("not done yet");
    assert!(first.contains("press Enter to re-check after saving (--manual)"), "{first}");
    kit.save(&solution());
    tmux.keys("Enter");
    tmux.wait_for("passes!");
}

/// Every process below `pid`: its children, theirs, and so on.
fn descendants(pid: i32) -> Vec<i32> {
    let mut parent_of = Vec::new();
    for p in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(child) = p.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(p.path().join("stat")) else {
            continue;
        };
        let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
        if let Some(ppid) = fields.get(1).and_then(|f| f.parse::<i32>().ok()) {
            parent_of.push((child, ppid));
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    found.remove(0);
    found
}

/// Waits until none of `pids` runs any more (a zombie has stopped running too).
fn wait_until_gone(pids: &[i32]) {
    let started = Instant::now();
    let running = |p: &i32| std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|s| !s.rsplit_once(')').is_some_and(|(_, r)| r.trim_start().starts_with('Z')));
    while let Some(p) = pids.iter().find(|p| running(p)) {
        assert!(started.elapsed() < DEADLINE, "process {p} still runs after the watch quit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The screen never grows past 80 columns, nor past the terminal: long messages wrap
/// and long details give way, in a wide terminal and in a small one.
#[test]
fn the_screen_fits_the_terminal_and_80_columns() {
    use fearless::report::{CheckResult, LessonResult};
    use fearless::watch::screen::{render, Room};
    use fearless::watch::state::{Action, WatchState};
    use fearless::watch::{Event, Key};

    let kit = KitCopy::new();
    let fearless_kit = fearless::layout::Kit { root: kit.root().to_path_buf() };
    let lessons = fearless_kit.lessons().unwrap();
    let mut state = WatchState::new(fearless_kit, lessons, None).unwrap();
    state.watching = "watching your files".into();
    let Action::Check(req) = state.check_current() else { panic!("a check is asked for") };
    let long = "the consumer stayed blocked in `Receiver::recv` because a `Sender` is still alive ".repeat(4);
    let details: String = (0..60).map(|i| format!("line {i} of the details {}\n", "x".repeat(120))).collect();
    let result = LessonResult::from_checks(
        "relay",
        req.entry.lang,
        vec![CheckResult::pass("build", 2, "built"), CheckResult::fail("termination", 2, long.clone()).with_details(details), CheckResult::fail("output", 4, long + "!")],
        1,
    );
    state.handle(Event::Checked(req.generation, result));
    state.handle(Event::Key(Key::Hint));
    for (cols, rows) in [(200, 50), (80, 24), (50, 12)] {
        let lines = render(&state, std::time::Instant::now(), Room { cols, rows, live: true });
        assert_eq!(lines.len(), rows, "{cols}x{rows}: {lines:#?}");
        for l in &lines {
            assert!(unicode_width::UnicodeWidthStr::width(l.text.as_str()) <= cols.min(80), "{cols}x{rows}: too wide: {}", l.text);
        }
        let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        // The failure's own hint (2, for a `Sender` still alive), then `h`: the ladder goes on.
        assert!(text.iter().any(|l| l.starts_with("hint 3 of 4")), "{cols}x{rows}: the hint gave way: {text:#?}");
        assert_eq!(text[rows - 1], "watching your files", "{cols}x{rows}: the footer at the bottom: {text:#?}");
    }
}

/// A suite's first build takes long: the loop says it builds the lesson's tests, and
/// the countdown starts only once the suite runs, from the time left for the run.
#[test]
fn a_suite_is_built_before_its_countdown_starts() {
    use fearless::check::Step;
    use fearless::watch::screen::{render, Room};
    use fearless::watch::state::{Action, WatchState};
    use fearless::watch::Event;

    let steps = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = steps.clone();
    let ctx = common::context().observed(move |s| seen.lock().unwrap().push(s));
    let lesson = common::fixture().load("02-greet").unwrap();
    let result = fearless::check::check(&ctx, &lesson, Lang::Ocaml, common::fixture().solutions().dir());
    assert_eq!(result.status, fearless::report::Status::Pass, "{result:#?}");
    let steps = steps.lock().unwrap().clone();
    let built = steps.iter().position(|s| matches!(s, Step::BuildingSuite { suite, .. } if suite == "tests")).unwrap_or_else(|| panic!("no build of the suite: {steps:?}"));
    let Some(Step::Testing { suite, limit }) = steps.get(built + 1) else { panic!("the suite's run does not follow its build: {steps:?}") };
    assert_eq!(suite, "tests");
    assert!(*limit <= std::time::Duration::from_secs(120), "{steps:?}");

    let kit = KitCopy::new();
    let fearless_kit = fearless::layout::Kit { root: kit.root().to_path_buf() };
    let lessons = fearless_kit.lessons().unwrap();
    let mut state = WatchState::new(fearless_kit, lessons, Some(Lang::Ocaml)).unwrap();
    let Action::Check(req) = state.check_current() else { panic!("a check is asked for") };
    // The line of what the loop does, read whole: at 80 columns it may wrap, its
    // continuation lines indented by two.
    let doing = |state: &WatchState| {
        let lines: Vec<String> = render(state, std::time::Instant::now(), Room { cols: 80, rows: 24, live: false }).into_iter().map(|l| l.text).collect();
        let at = lines.iter().position(|l| l.starts_with("⧗")).unwrap();
        let rest = lines[at + 1..].iter().take_while(|l| l.starts_with("  ")).map(|l| l.trim());
        std::iter::once(lines[at].trim_end()).chain(rest).collect::<Vec<_>>().join(" ")
    };
    state.handle(Event::Step(req.generation, steps[built].clone()));
    assert_eq!(doing(&state), "⧗ checking relay (ocaml): building the lesson's tests (first time, about 10 s)...");
    state.handle(Event::Step(req.generation, steps[built + 1].clone()));
    assert!(doing(&state).starts_with("⧗ checking relay (ocaml): the kit's `tests` suite runs (stopped after "), "{}", doing(&state));
}

/// `l` opens the list; the arrows move its pointer over each lesson's languages; Enter
/// checks the one pointed at; Esc closes the list.
#[test]
fn the_list_picks_a_lesson_with_the_arrows_and_enter() {
    let kit = KitCopy::new();
    let tmux = Tmux::start(&kit, &[], &[]);
    tmux.wait_for("not done yet");
    tmux.keys("l");
    tmux.wait_for("▶ rust");
    tmux.keys("Escape");
    tmux.wait_for("not done yet");
    tmux.keys("l");
    tmux.keys("Down");
    let list = tmux.wait_for("▶ ocaml");
    assert!(list.contains("↑↓ choose · Enter check it · l or Esc back · q quit"), "{list}");
    tmux.keys("Up");
    tmux.wait_for("▶ rust");
    tmux.keys("Up");
    tmux.wait_for("▶ ocaml");
    tmux.keys("Enter");
    tmux.wait_for(r"fearless watch · 03-relay \(ocaml\)");
    tmux.wait_for(r"relay \(ocaml\): \d+ of \d+ points");
}

/// A pass from another terminal (`fearless check`) reaches the loop through the progress
/// file: it says so and moves on, though the loop saw no save (it is told of none here).
#[test]
fn a_pass_in_another_terminal_moves_the_loop_on() {
    let kit = KitCopy::new();
    let tmux = Tmux::start(&kit, &[], &[("FEARLESS_WATCH", "manual")]);
    let first = tmux.wait_for("not done yet");
    assert!(first.contains("0 of 2 done"), "{first}");
    kit.save(&solution());
    let check = Command::new(env!("CARGO_BIN_EXE_fearless"))
        .args(["check", "relay", "--lang", "rust"])
        .env("FEARLESS_ROOT", kit.root())
        .env("FEARLESS_TARGET", common::kit().root.join("target/lessons-tests"))
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let moved = tmux.wait_for(r"fearless watch · 03-relay \(ocaml\)");
    assert!(moved.contains("✓ relay (rust) passes!"), "{moved}");
    assert!(moved.contains("1 of 2 done"), "{moved}");
}

/// Saving the other language's file while a check runs queues its check after this
/// one, which runs to its end.
#[test]
fn a_save_of_the_other_language_waits_for_the_running_check() {
    let kit = KitCopy::new();
    kit.save(&hang());
    let tmux = Tmux::start(&kit, &[], &[]);
    tmux.wait_for(r"your program runs, \d s left");
    let ocaml = kit.root().join("exercises/03-relay/ocaml/main.ml");
    std::fs::write(&ocaml, std::fs::read(&ocaml).unwrap()).unwrap();
    let queued = tmux.wait_for(r"then relay \(ocaml\): saved meanwhile, checked next");
    assert!(queued.contains("checking relay (rust): "), "the running check goes on:\n{queued}");
    tmux.wait_for(r"fearless watch · 03-relay \(ocaml\)");
    let state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(kit.root().join(".fearless/state.json")).unwrap()).unwrap();
    assert_eq!(state["passed"]["relay/rust"], false, "the Rust check ran to its end: {state}");
}
