//! Thread stacks of a hung process (eu-stack, else gdb, else lldb), and the sentence that
//! explains the hang to a student. What a language's frames mean (the calls its threads
//! block in, the student's functions among them) is asked of its [`FrameReader`].
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;

pub mod locks;

use crate::lesson::{Arrived, Explanation, Lang};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    pub function: String,
    /// `file:line` when the debug information has it.
    pub location: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread {
    pub tid: i32,
    /// Innermost first.
    pub frames: Vec<Frame>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stacks {
    pub pid: i32,
    pub tool: &'static str,
    pub threads: Vec<Thread>,
    pub raw: String,
    /// Threads seen running in the moment before the stacks were taken (Linux; empty
    /// where it cannot be seen): a thread of these shown blocked in a lock only waits
    /// its turn, so it explains no hang.
    pub ran: Vec<i32>,
}

/// Takes the stacks of every thread of `pid`, with eu-stack, else gdb, else lldb.
pub fn capture(pid: i32) -> Result<Stacks, String> {
    let pid_s = pid.to_string();
    let tries: [(&'static str, Vec<&str>); 3] = [
        ("eu-stack", vec!["-s", "-p", &pid_s]),
        ("gdb", vec!["-p", &pid_s, "-batch", "-nx", "-ex", "set confirm off", "-ex", "thread apply all bt"]),
        // macOS (with the Xcode command line tools), or any system with LLVM's debugger.
        ("lldb", vec!["--batch", "--no-lldbinit", "-p", &pid_s, "-o", "thread backtrace all"]),
    ];
    let mut tried = Vec::new();
    for (tool, args) in tries {
        match run_briefly(tool, &args, Duration::from_secs(10)) {
            Some(raw) => {
                let threads = match tool {
                    "eu-stack" => parse_eu_stack(&raw),
                    "gdb" => parse_gdb(&raw),
                    _ => parse_lldb(&raw, pid),
                };
                if !threads.is_empty() {
                    return Ok(Stacks { pid, tool, threads, raw, ran: Vec::new() });
                }
                tried.push(format!("{tool} found no threads"));
            }
            None => tried.push(format!("{tool} is not available")),
        }
    }
    Err(format!("no thread stacks: {} (install elfutils for eu-stack, or gdb; on macOS lldb comes with `xcode-select --install`)", tried.join(", ")))
}

fn run_briefly(tool: &str, args: &[&str], limit: Duration) -> Option<String> {
    let mut child = Command::new(tool).args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
        }
    }
    reader.join().ok()
}

/// Rust's mangled names made readable (v0 through rustc-demangle; legacy,
/// half-demangled by eu-stack, by hand): `$LT$` is `<`, hashes dropped.
pub fn demangle(f: &str) -> String {
    // Rust's v0 mangling (`_RNv...`), which eu-stack leaves as it is for parts of std.
    if f.starts_with("_R") {
        if let Ok(d) = rustc_demangle::try_demangle(f) {
            return format!("{d:#}");
        }
    }
    static HASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"::h[0-9a-f]{16}$").expect("a valid pattern"));
    let s = HASH.replace(f, "").to_string();
    s.replace("$LT$", "<")
        .replace("$GT$", ">")
        .replace("$u20$", " ")
        .replace("$u7b$", "{")
        .replace("$u7d$", "}")
        .replace("$RF$", "&")
        .replace("$C$", ",")
        .replace("..", "::")
        .trim_start_matches('_')
        .to_string()
}

pub fn parse_eu_stack(raw: &str) -> Vec<Thread> {
    static RES: LazyLock<[Regex; 2]> =
        LazyLock::new(|| [Regex::new(r"^TID (\d+):").expect("a valid pattern"), Regex::new(r"^#\d+\s+0x[0-9a-f]+\s+(.*)$").expect("a valid pattern")]);
    let [tid_re, frame_re] = &*RES;
    let mut threads: Vec<Thread> = Vec::new();
    for line in raw.lines() {
        if let Some(c) = tid_re.captures(line) {
            threads.push(Thread { tid: c[1].parse().unwrap_or(0), frames: Vec::new() });
        } else if let Some(c) = frame_re.captures(line) {
            if let Some(t) = threads.last_mut() {
                t.frames.push(Frame { function: demangle(c[1].trim()), location: None });
            }
        } else if line.starts_with("    ") {
            if let Some(f) = threads.last_mut().and_then(|t| t.frames.last_mut()) {
                f.location = Some(line.trim().to_string());
            }
        }
    }
    threads
}

pub fn parse_gdb(raw: &str) -> Vec<Thread> {
    static RES: LazyLock<[Regex; 2]> = LazyLock::new(|| {
        [Regex::new(r"^Thread \d+ \(.*LWP (\d+)").expect("a valid pattern"), Regex::new(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)(?: \(.*\))?(?: at (\S+))?").expect("a valid pattern")]
    });
    let [thread_re, frame_re] = &*RES;
    let mut threads: Vec<Thread> = Vec::new();
    for line in raw.lines() {
        if let Some(c) = thread_re.captures(line) {
            threads.push(Thread { tid: c[1].parse().unwrap_or(0), frames: Vec::new() });
        } else if let Some(c) = frame_re.captures(line) {
            if let Some(t) = threads.last_mut() {
                t.frames.push(Frame { function: demangle(&c[1]), location: c.get(2).map(|m| m.as_str().to_string()) });
            }
        }
    }
    threads
}

/// lldb's `thread backtrace all`: thread #1 is the main thread (given `pid` as its id,
/// as the other tools give it), the others keep lldb's numbers. A frame is
/// `frame #4: 0x… module`function(args) at file.rs:31:16`, or `… [inlined] function at …`
/// for a call the compiler inlined, or `module`function + 132` without debug information.
pub fn parse_lldb(raw: &str, pid: i32) -> Vec<Thread> {
    static RES: LazyLock<[Regex; 3]> = LazyLock::new(|| {
        [
            Regex::new(r"^\*?\s*thread #(\d+)").expect("a valid pattern"),
            Regex::new(r"^\s*\*?\s*frame #\d+: 0x[0-9a-f]+ [^`]*`(.*?)(?: at (\S+:\d+)(?::\d+)?)?(?: \+ \d+)?$").expect("a valid pattern"),
            // Where the arguments begin: `(self=`, `(cx=`, `((null)=`.
            Regex::new(r"\((?:[A-Za-z_]\w*|\(null\))=").expect("a valid pattern"),
        ]
    });
    let [thread_re, frame_re, args_re] = &*RES;
    // The backtraces come after the command's echo; lldb lists each thread's top frame before it.
    let text = raw.rsplit_once("(lldb) thread backtrace all").map(|(_, rest)| rest).unwrap_or(raw);
    let mut threads: Vec<Thread> = Vec::new();
    for line in text.lines() {
        if let Some(c) = thread_re.captures(line) {
            let n: i32 = c[1].parse().unwrap_or(0);
            threads.push(Thread { tid: if n == 1 { pid } else { n }, frames: Vec::new() });
        } else if let (Some(c), Some(t)) = (frame_re.captures(line), threads.last_mut()) {
            let name = c[1].rsplit(" [inlined] ").next().unwrap_or(&c[1]);
            let name = args_re.find(name).map(|m| &name[..m.start()]).unwrap_or(name);
            t.frames.push(Frame { function: demangle(name.trim()), location: c.get(2).map(|m| m.as_str().to_string()) });
        }
    }
    threads
}

/// A call a thread can wait in for ever, as the kit names it to students. Each language
/// lists its standard library's ([`FrameReader::blocking_calls`]); a lesson may add its
/// own (`Barrier::wait`, a probe's meeting point: [`crate::lesson::BlockingSpec`]).
#[derive(Clone, Debug)]
pub struct BlockingCall {
    /// The name students know it by: `Receiver::recv`, `Condition.wait`.
    pub name: String,
    /// Matches the call's frame.
    pub frame: Regex,
    /// A deeper frame that must be there too: a lock is only blocking when it waits, and a
    /// thread caught on a lock's fast path is running, not stuck (a polling loop passes
    /// through `Mutex.lock` all the time).
    pub deeper: Option<Regex>,
    /// Why a thread stays blocked there, when the lesson has no words of its own.
    pub reason: String,
}

impl BlockingCall {
    /// A call from its patterns (the kit's own: valid).
    pub fn new(name: &str, frame: &str, deeper: Option<&str>, reason: &str) -> BlockingCall {
        BlockingCall::parse(name, frame, deeper, reason).expect("a valid pattern")
    }

    /// A call from patterns that may be wrong (a lesson's).
    pub fn parse(name: &str, frame: &str, deeper: Option<&str>, reason: &str) -> Result<BlockingCall, regex::Error> {
        Ok(BlockingCall { name: name.into(), frame: Regex::new(frame)?, deeper: deeper.map(Regex::new).transpose()?, reason: reason.into() })
    }

    /// Whether the thread whose frames are `inner` (innermost first, up to the student's
    /// code) waits in this call at frame `i`.
    fn waits_at(&self, inner: &[Frame], i: usize) -> bool {
        self.frame.is_match(&inner[i].function) && self.deeper.as_ref().is_none_or(|d| inner[..i].iter().any(|f| d.is_match(&f.function)))
    }
}

/// What reading the stacks of a program asks of its language: the calls its threads
/// block in and how its frames name the student's functions. Each language's back end
/// answers; this module knows no language.
pub trait FrameReader: Sync {
    /// The language whose frames these are (the lesson's rules may name it).
    fn lang(&self) -> Lang;
    /// The blocking calls the kit recognises in this language.
    fn blocking_calls(&self) -> &[BlockingCall];
    /// The student's function a frame is in, by the name the student wrote.
    fn student_function(&self, frame: &str) -> Option<String>;
    /// A frame's function as a reader knows it, for the picture of the threads.
    fn readable(&self, frame: &str) -> String {
        frame.to_string()
    }
    /// Whether a hang's place names the student's function too: "(main.ml:12, in `recv`)".
    fn place_names_function(&self) -> bool {
        false
    }
}

/// A language's frame reader with a lesson's own blocking calls before its standard
/// library's: the call nearest the student's code still wins (`Barrier::wait` over the
/// `Condvar::wait` inside it).
pub struct WithCalls<'a> {
    base: &'a dyn FrameReader,
    calls: Vec<BlockingCall>,
}

impl<'a> WithCalls<'a> {
    pub fn new(base: &'a dyn FrameReader, lesson_calls: &[BlockingCall]) -> WithCalls<'a> {
        WithCalls { base, calls: lesson_calls.iter().chain(base.blocking_calls()).cloned().collect() }
    }
}

impl FrameReader for WithCalls<'_> {
    fn lang(&self) -> Lang {
        self.base.lang()
    }
    fn blocking_calls(&self) -> &[BlockingCall] {
        &self.calls
    }
    fn student_function(&self, frame: &str) -> Option<String> {
        self.base.student_function(frame)
    }
    fn readable(&self, frame: &str) -> String {
        self.base.readable(frame)
    }
    fn place_names_function(&self) -> bool {
        self.base.place_names_function()
    }
}

/// Where one thread was when the program was killed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub tid: i32,
    pub main_thread: bool,
    /// The blocking call (`Receiver::recv`), or `running`.
    pub call: String,
    /// `main.rs:14` in the student's code, with the student's function when known.
    pub at: Option<String>,
    pub function: Option<String>,
    /// Every student function on the thread's stack, innermost first.
    pub functions: Vec<String>,
    /// It ran in the moment before its stack was taken ([`Stacks::ran`]).
    pub ran: bool,
}

/// A short picture of the threads in the student's code: what each is blocked in,
/// and its frames in the student's files, innermost first.
pub fn summary(stacks: &Stacks, positions: &[Position], reader: &dyn FrameReader, student_files: &[String]) -> String {
    let basenames: Vec<&str> = student_files.iter().map(|f| f.rsplit('/').next().unwrap_or(f)).collect();
    let mut out = Vec::new();
    for p in positions {
        let Some(t) = stacks.threads.iter().find(|t| t.tid == p.tid) else {
            continue;
        };
        let who = if p.main_thread { "main thread".to_string() } else { format!("thread {}", p.tid) };
        let state = match (p.call.as_str(), p.ran) {
            ("running", _) => "running".to_string(),
            (call, true) => format!("waiting its turn in {call} (it ran a moment before)"),
            (call, false) => format!("blocked in {call}"),
        };
        out.push(format!("{who}: {state}"));
        for f in &t.frames {
            let Some(loc) = &f.location else { continue };
            let file = loc.rsplit('/').next().unwrap_or(loc);
            if basenames.iter().any(|b| file.starts_with(&format!("{b}:"))) {
                let short: String = file.rsplit_once(':').map(|x| x.0).unwrap_or(file).to_string();
                out.push(format!("    at {short}  {}", reader.readable(&f.function)));
            }
        }
    }
    out.join("\n")
}

/// The position of every thread that is in the student's code.
pub fn positions(stacks: &Stacks, reader: &dyn FrameReader, student_files: &[String]) -> Vec<Position> {
    let basenames: Vec<&str> = student_files.iter().map(|f| f.rsplit('/').next().unwrap_or(f)).collect();
    let is_student = |f: &Frame| {
        f.location.as_deref().is_some_and(|l| {
            let file = l.split(':').next().unwrap_or("");
            basenames.iter().any(|b| file.ends_with(&format!("/{b}")) || file == *b)
        })
    };
    let mut out = Vec::new();
    for t in &stacks.threads {
        let Some(first_student) = t.frames.iter().position(is_student) else {
            continue;
        };
        let frame = &t.frames[first_student];
        out.push(Position {
            tid: t.tid,
            main_thread: t.tid == stacks.pid,
            call: blocked_in(&t.frames[..first_student], reader),
            at: place(frame),
            function: reader.student_function(&frame.function),
            functions: t.frames[first_student..].iter().filter(|f| is_student(f)).filter_map(|f| reader.student_function(&f.function)).collect(),
            ran: stacks.ran.contains(&t.tid),
        });
    }
    out
}

/// The blocking call a thread waits in, from its frames inside the student's code
/// (innermost first), or `running`. The call nearest the student's code wins (`Event.sync`
/// over the `Condition.wait` inside it).
fn blocked_in(inner: &[Frame], reader: &dyn FrameReader) -> String {
    let calls = reader.blocking_calls();
    (0..inner.len()).rev().find_map(|i| calls.iter().find(|c| c.waits_at(inner, i)).map(|c| c.name.clone())).unwrap_or_else(|| "running".to_string())
}

/// `main.rs:14` for a frame at `/tmp/x/src/main.rs:14:5`.
fn place(frame: &Frame) -> Option<String> {
    let loc = frame.location.as_deref().unwrap_or("");
    let mut parts = loc.rsplit('/').next().unwrap_or(loc).split(':');
    match (parts.next(), parts.next()) {
        (Some(file), Some(line)) => Some(format!("{file}:{line}")),
        _ => None,
    }
}

/// What a killed run's output showed: the words ("all 15 messages arrived") and their case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub words: String,
    pub state: Arrived,
    /// The lines the kit's probe told during the run (see `Explanation::told`).
    pub told: Vec<String>,
}

/// Why a run hung, in one sentence: "all 15 messages arrived, then the consumer
/// stayed blocked in `Receiver::recv` (main.rs:28): a `Sender` is still alive; did you `drop(tx)`?"
///
/// The lesson's rules in their order: the first that fits explains the hang. A rule with
/// `blocked_in` fits a thread blocked there; one without fits the run by its output
/// alone (the only kind that can fit when there are no stacks: `positions` is empty).
/// When none fits: the kit's own words for the first thread, or `None` without threads.
pub fn explain(positions: &[Position], reader: &dyn FrameReader, rules: &[Explanation], arrival: &Arrival) -> Option<String> {
    let lang = reader.lang();
    let fits_run = |r: &Explanation| r.lang.is_none_or(|l| l == lang) && r.arrived.is_none_or(|a| a == arrival.state) && r.told.as_ref().is_none_or(|t| arrival.told.contains(t));
    // A thread that ran a moment ago is not stuck where its stack shows it blocked.
    let stuck = |p: &Position| !p.ran || p.call == "running";
    let fits_thread = |r: &Explanation, p: &Position| stuck(p) && r.blocked_in.as_ref() == Some(&p.call) && r.function.as_ref().is_none_or(|f| p.functions.contains(f));
    let words = &arrival.words;
    // A rule for a cycle of locks fits when the probe's lines show one, and names it.
    let cycle = || locks::cycle(&arrival.told);
    if let Some((r, c)) = rules.iter().filter(|r| r.cycle && fits_run(r)).find_map(|r| cycle().map(|c| (r, c))) {
        return Some(format!("{words}, then {c}: {}", r.because));
    }
    let fit = rules.iter().filter(|r| !r.cycle && fits_run(r)).find_map(|r| match &r.blocked_in {
        Some(_) => first(positions.iter().filter(|p| fits_thread(r, p))).map(|p| (Some(p), Some(r))),
        None => Some((None, Some(r))),
    });
    let (p, rule) = match fit.or_else(|| first(positions.iter().filter(|p| stuck(p))).map(|p| (Some(p), None)))? {
        (None, Some(r)) => return Some(format!("{words}, then it kept running: {}", r.because)),
        (Some(p), rule) => (p, rule),
        (None, None) => return None,
    };
    let who = rule.and_then(|r| r.who.clone()).unwrap_or_else(|| if p.main_thread { "the main thread".into() } else { "a spawned thread".into() });
    let at = match (&p.at, &p.function) {
        (Some(at), Some(f)) if reader.place_names_function() => format!(" ({at}, in `{f}`)"),
        (Some(at), _) => format!(" ({at})"),
        _ => String::new(),
    };
    let because = rule.map(|r| r.because.clone()).unwrap_or_else(|| default_reason(reader, &p.call).to_string());
    // A running thread was stopped at an arbitrary instruction: its line is a sample and
    // its stack may be cut short (OCaml frames), so only its state is a fact.
    let state = if p.call == "running" { format!("{who} was still running") } else { format!("{who} stayed blocked in `{}`{at}", p.call) };
    Some(format!("{words}, then {state}: {because}"))
}

/// Among several threads, the main thread first, then the oldest.
fn first<'a>(ps: impl Iterator<Item = &'a Position>) -> Option<&'a Position> {
    ps.min_by_key(|p| (!p.main_thread, p.tid))
}

/// The kit's own reason for a thread blocked in `call`, or still running.
fn default_reason<'a>(reader: &'a dyn FrameReader, call: &str) -> &'a str {
    reader.blocking_calls().iter().find(|c| c.name == call).map_or("a loop that never ends?", |c| c.reason.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(blocked_in: &str, function: Option<&str>, because: &str) -> Explanation {
        Explanation {
            blocked_in: Some(blocked_in.into()),
            arrived: None,
            told: None,
            cycle: false,
            lang: None,
            function: function.map(String::from),
            who: None,
            because: because.into(),
            hint: None,
        }
    }

    fn all(words: &str) -> Arrival {
        Arrival { words: words.into(), state: Arrived::All, told: vec![] }
    }

    fn pos(tid: i32, main_thread: bool, call: &str, functions: &[&str]) -> Position {
        Position {
            tid,
            main_thread,
            call: call.into(),
            at: Some(format!("main.rs:{tid}")),
            function: functions.first().map(|f| f.to_string()),
            functions: functions.iter().map(|f| f.to_string()).collect(),
            ran: false,
        }
    }

    #[test]
    fn a_thread_that_ran_a_moment_ago_is_not_stuck_where_it_was_seen_blocked() {
        // 02 with a worker whose loop never ends: the others queue for the lock it hands
        // round, and the main thread waits in `join`. A snapshot shows workers blocked
        // in `Mutex::lock`; only their waking up says the lock is not the fault.
        let rules = [rule("Mutex::lock", None, "the lock is never released"), rule("JoinHandle::join", None, "a worker never finished")];
        let mut worker = pos(12, false, "Mutex::lock", &["main"]);
        let main = pos(10, true, "JoinHandle::join", &["main"]);
        let stuck = explain(&[worker.clone(), main.clone()], &crate::lang::Rust, &rules, &all("all 4 messages arrived")).unwrap();
        assert!(stuck.ends_with("a spawned thread stayed blocked in `Mutex::lock` (main.rs:12): the lock is never released"), "{stuck}");
        worker.ran = true;
        let waiting = explain(&[worker.clone(), main], &crate::lang::Rust, &rules, &all("all 4 messages arrived")).unwrap();
        assert!(waiting.ends_with("the main thread stayed blocked in `JoinHandle::join` (main.rs:10): a worker never finished"), "{waiting}");
        // With no rule for its call, a thread that ran is not the one the hang is told by.
        let fallback = explain(&[worker, pos(11, false, "Condvar::wait", &["main"])], &crate::lang::Rust, &[], &all("all 4 messages arrived")).unwrap();
        assert!(fallback.contains("`Condvar::wait` (main.rs:11"), "{fallback}");
    }

    #[test]
    fn a_rule_with_a_function_names_the_thread_running_it_further_out() {
        // OCaml stages share one `recv`: the stage is the next function out.
        let threads = [pos(1, true, "Thread.join", &["main"]), pos(2, false, "Condition.wait", &["recv", "square"]), pos(3, false, "Condition.wait", &["recv", "total"])];
        let rules = [rule("Condition.wait", Some("total"), "square never closed its output")];
        let s = explain(&threads, &crate::lang::Ocaml, &rules, &all("all arrived")).unwrap();
        assert_eq!(s, "all arrived, then a spawned thread stayed blocked in `Condition.wait` (main.rs:3, in `recv`): square never closed its output");
    }

    #[test]
    fn a_rule_with_told_applies_only_when_the_probe_told_it() {
        // 03 OCaml: the count of senders reached 0 (the probe told `closed`), so `recv` is to blame.
        let threads = [pos(1, true, "Condition.wait", &["recv", "consume"])];
        let closed = Explanation { told: Some("closed".into()), ..rule("Condition.wait", Some("consume"), "recv ignores senders") };
        let rules = [closed, rule("Condition.wait", Some("consume"), "never closed")];
        let told = Arrival { told: vec!["closed".into()], ..all("all arrived") };
        assert!(explain(&threads, &crate::lang::Ocaml, &rules, &told).unwrap().ends_with(": recv ignores senders"));
        assert!(explain(&threads, &crate::lang::Ocaml, &rules, &all("all arrived")).unwrap().ends_with(": never closed"));
    }

    #[test]
    fn a_cycle_rule_names_the_cycle_the_probe_told_before_any_stack_rule() {
        let threads = [pos(1, true, "Mutex.lock", &["transfer"])];
        let cycle = Explanation { blocked_in: None, cycle: true, ..rule("x", None, "take the locks in one order") };
        let rules = [rule("Mutex.lock", Some("transfer"), "a lock is never released"), cycle];
        let lines = ["lock\tholds\ta\tx\tmain.ml:3", "lock\tholds\tb\ty\tmain.ml:3", "lock\twants\ta\ty\tmain.ml:4", "lock\twants\tb\tx\tmain.ml:4"];
        let told = Arrival { told: lines.iter().map(|l| l.to_string()).collect(), ..all("no transfer arrived") };
        let s = explain(&threads, &crate::lang::Ocaml, &rules, &told).unwrap();
        assert_eq!(
            s,
            "no transfer arrived, then two threads waited for each other: `a` held `x` (taken at main.ml:3) and waited for `y` (main.ml:4); \
             `b` held `y` (taken at main.ml:3) and waited for `x` (main.ml:4): take the locks in one order"
        );
        // Without a cycle in the probe's lines, the stack rules explain the hang.
        assert!(explain(&threads, &crate::lang::Ocaml, &rules, &all("no transfer arrived")).unwrap().ends_with(": a lock is never released"));
    }

    #[test]
    fn a_running_thread_is_not_placed_by_a_sampled_line() {
        let threads = [pos(1, true, "running", &["try_recv", "poll"])];
        let s = explain(&threads, &crate::lang::Ocaml, &[rule("running", None, "it never stops polling")], &all("all arrived")).unwrap();
        assert_eq!(s, "all arrived, then the main thread was still running: it never stops polling");
    }

    fn ocaml_stacks(inner: &str) -> Stacks {
        let raw = format!(
            "PID 7 - process\nTID 7:\n{inner}#5  0x0000000000000005 camlDune__exe__Main__poll_84\n    /tmp/x/_build/default/main.ml:11:2\n#6  0x0000000000000006 camlDune__exe__Main__entry\n    /tmp/x/_build/default/main.ml:30:2\n"
        );
        Stacks { pid: 7, tool: "eu-stack", threads: parse_eu_stack(&raw), raw, ran: vec![] }
    }

    #[test]
    fn a_lock_is_blocking_only_when_it_waits() {
        let waiting =
            ocaml_stacks("#0  0x0000000000000001 __GI___lll_lock_wait\n#1  0x0000000000000002 __pthread_mutex_lock@GLIBC_2.2.5\n#2  0x0000000000000003 caml_mutex_lock\n");
        let passing = ocaml_stacks("#0  0x0000000000000001 __pthread_mutex_trylock\n#2  0x0000000000000003 caml_mutex_lock\n");
        let files = ["main.ml".to_string()];
        let p = positions(&waiting, &crate::lang::Ocaml, &files);
        assert_eq!((p[0].call.as_str(), p[0].at.as_deref()), ("Mutex.lock", Some("main.ml:11")));
        assert_eq!(p[0].functions, ["poll"]);
        assert_eq!(positions(&passing, &crate::lang::Ocaml, &files)[0].call, "running");
    }
}
