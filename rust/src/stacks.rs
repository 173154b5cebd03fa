//! Thread stacks of a hung process (eu-stack, else gdb), and the sentence that
//! explains the hang to a student.
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

use crate::lesson::{Explanation, Lang};

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
}

/// Takes the stacks of every thread of `pid`, with eu-stack or else gdb.
pub fn capture(pid: i32) -> Result<Stacks, String> {
    let pid_s = pid.to_string();
    let tries: [(&'static str, Vec<&str>); 2] = [
        ("eu-stack", vec!["-s", "-p", &pid_s]),
        ("gdb", vec!["-p", &pid_s, "-batch", "-nx", "-ex", "set confirm off", "-ex", "thread apply all bt"]),
    ];
    let mut tried = Vec::new();
    for (tool, args) in tries {
        match run_briefly(tool, &args, Duration::from_secs(10)) {
            Some(raw) => {
                let threads = if tool == "eu-stack" { parse_eu_stack(&raw) } else { parse_gdb(&raw) };
                if !threads.is_empty() {
                    return Ok(Stacks { pid, tool, threads, raw });
                }
                tried.push(format!("{tool} found no threads"));
            }
            None => tried.push(format!("{tool} is not available")),
        }
    }
    Err(format!("no thread stacks: {} (install elfutils for eu-stack)", tried.join(", ")))
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

/// Rust's legacy mangling, made readable: `$LT$` is `<`, hashes dropped.
pub fn demangle(f: &str) -> String {
    let hash = Regex::new(r"::h[0-9a-f]{16}$").unwrap();
    let s = hash.replace(f, "").to_string();
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
    let tid_re = Regex::new(r"^TID (\d+):").unwrap();
    let frame_re = Regex::new(r"^#\d+\s+0x[0-9a-f]+\s+(.*)$").unwrap();
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
    let thread_re = Regex::new(r"^Thread \d+ \(.*LWP (\d+)").unwrap();
    let frame_re = Regex::new(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)(?: \(.*\))?(?: at (\S+))?").unwrap();
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

/// The blocking calls the kit recognises, by the name students know them by.
const BLOCKING: &[(&str, Lang, &str)] = &[
    ("Receiver::recv", Lang::Rust, r"mpsc::(Receiver<.*>::recv|IntoIter<.*>::next|Iter<.*>::next)"),
    ("SyncSender::send", Lang::Rust, r"mpsc::SyncSender<.*>::send"),
    ("Condvar::wait", Lang::Rust, r"Condvar::wait"),
    ("JoinHandle::join", Lang::Rust, r"JoinHandle<.*>::join"),
    ("Mutex::lock", Lang::Rust, r"(sync::.*Mutex<.*>::lock|futex::Mutex::lock_contended)"),
    ("thread::sleep", Lang::Rust, r"std::thread::.*sleep"),
    ("Event.sync", Lang::Ocaml, r"^camlEvent__"),
    ("Condition.wait", Lang::Ocaml, r"^caml_condition_wait"),
    ("Mutex.lock", Lang::Ocaml, r"^caml_mutex_lock"),
    ("Thread.join", Lang::Ocaml, r"^caml_thread_join"),
    ("Thread.delay", Lang::Ocaml, r"^(caml_thread_delay|unix_sleep|caml_unix_sleep|camlThread__delay)"),
];

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
}

/// A short picture of the threads in the student's code: what each is blocked in,
/// and its frames in the student's files, innermost first.
pub fn summary(stacks: &Stacks, positions: &[Position], student_files: &[String]) -> String {
    let basenames: Vec<&str> = student_files.iter().map(|f| f.rsplit('/').next().unwrap_or(f)).collect();
    let mut out = Vec::new();
    for p in positions {
        let Some(t) = stacks.threads.iter().find(|t| t.tid == p.tid) else { continue };
        let who = if p.main_thread { "main thread".to_string() } else { format!("thread {}", p.tid) };
        let state = if p.call == "running" { "running".to_string() } else { format!("blocked in {}", p.call) };
        out.push(format!("{who}: {state}"));
        for f in &t.frames {
            let Some(loc) = &f.location else { continue };
            let file = loc.rsplit('/').next().unwrap_or(loc);
            if basenames.iter().any(|b| file.starts_with(&format!("{b}:"))) {
                let short: String = file.rsplitn(2, ':').nth(1).unwrap_or(file).to_string();
                out.push(format!("    at {short}  {}", readable(&f.function)));
            }
        }
    }
    out.join("\n")
}

/// The position of every thread that is in the student's code.
pub fn positions(stacks: &Stacks, lang: Lang, student_files: &[String]) -> Vec<Position> {
    let calls: Vec<(&str, Regex)> =
        BLOCKING.iter().filter(|b| b.1 == lang).map(|b| (b.0, Regex::new(b.2).unwrap())).collect();
    let basenames: Vec<&str> = student_files.iter().map(|f| f.rsplit('/').next().unwrap_or(f)).collect();
    let is_student = |f: &Frame| {
        f.location.as_deref().is_some_and(|l| {
            let file = l.split(':').next().unwrap_or("");
            basenames.iter().any(|b| file.ends_with(&format!("/{b}")) || file == *b)
        })
    };
    let mut out = Vec::new();
    for t in &stacks.threads {
        let Some(first_student) = t.frames.iter().position(is_student) else { continue };
        let frame = &t.frames[first_student];
        // The blocking call nearest the student's code wins (Event.sync over the Condition.wait inside it).
        let call = t.frames[..first_student]
            .iter()
            .rev()
            .find_map(|f| calls.iter().find(|(_, re)| re.is_match(&f.function)).map(|(name, _)| name.to_string()))
            .unwrap_or_else(|| "running".to_string());
        let loc = frame.location.as_deref().unwrap_or("");
        let mut parts = loc.rsplit('/').next().unwrap_or(loc).split(':');
        let at = match (parts.next(), parts.next()) {
            (Some(file), Some(line)) => Some(format!("{file}:{line}")),
            _ => None,
        };
        out.push(Position {
            tid: t.tid,
            main_thread: t.tid == stacks.pid,
            call,
            at,
            function: student_function(&frame.function, lang),
        });
    }
    out
}

/// `camlDune__exe__Main__recv_123` -> `Main.recv`; `camlDune__exe__Main__entry` -> `Main (top level)`.
fn readable(f: &str) -> String {
    let re = Regex::new(r"^caml(?:Dune__exe__)?([A-Z][A-Za-z0-9]*)__(.+?)(?:_\d+)?$").unwrap();
    match re.captures(f) {
        Some(c) if &c[2] == "entry" => format!("{} (top level)", &c[1]),
        Some(c) => format!("{}.{}", &c[1], &c[2]),
        None => f.to_string(),
    }
}

/// `camlDune__exe__Main__recv_123` -> `recv`; `mpsc::main::{{closure}}` -> `main`.
fn student_function(f: &str, lang: Lang) -> Option<String> {
    match lang {
        Lang::Ocaml => {
            let re = Regex::new(r"^caml(?:Dune__exe__)?[A-Z][A-Za-z0-9_]*?__(.+?)_\d+$").unwrap();
            let name = re.captures(f)?.get(1)?.as_str().to_string();
            (!name.starts_with("fun")).then_some(name)
        }
        Lang::Rust => {
            let parts: Vec<&str> = f.split("::").filter(|p| !p.starts_with('{')).collect();
            parts.last().map(|s| s.to_string())
        }
    }
}

/// Why a run hung, in one sentence: "all 15 messages arrived, then the consumer
/// stayed blocked in `Receiver::recv` (main.rs:28): a `Sender` is still alive; did you `drop(tx)`?"
pub fn explain(positions: &[Position], lang: Lang, rules: &[Explanation], arrived: &str) -> Option<String> {
    let applies = |r: &Explanation, p: &Position| {
        r.lang.is_none_or(|l| l == lang) && r.blocked_in == p.call && r.function.as_ref().is_none_or(|f| p.function.as_ref() == Some(f))
    };
    // The lesson's rules in their order: the first that fits a thread explains the hang; else the kit's own words.
    let (p, rule) = rules
        .iter()
        .find_map(|r| first(positions.iter().filter(|p| applies(r, p))).map(|p| (p, Some(r))))
        .or_else(|| first(positions.iter()).map(|p| (p, None)))?;
    let who = rule
        .and_then(|r| r.who.clone())
        .unwrap_or_else(|| if p.main_thread { "the main thread".into() } else { "a spawned thread".into() });
    let at = match (&p.at, &p.function) {
        (Some(at), Some(f)) if lang == Lang::Ocaml => format!(" ({at}, in `{f}`)"),
        (Some(at), _) => format!(" ({at})"),
        _ => String::new(),
    };
    let because = rule.map(|r| r.because.clone()).unwrap_or_else(|| default_reason(&p.call).to_string());
    let state = if p.call == "running" { format!("{who} was still running{at}") } else { format!("{who} stayed blocked in `{}`{at}", p.call) };
    Some(format!("{arrived}, then {state}: {because}"))
}

/// Among several threads, the main thread first, then the oldest.
fn first<'a>(ps: impl Iterator<Item = &'a Position>) -> Option<&'a Position> {
    ps.min_by_key(|p| (!p.main_thread, p.tid))
}

fn default_reason(call: &str) -> &'static str {
    match call {
        "Receiver::recv" => "a `Sender` is still alive, so the channel never closes",
        "SyncSender::send" => "the channel is full and nobody receives any more",
        "Condvar::wait" | "Condition.wait" => "nobody will ever signal the condition it waits for",
        "JoinHandle::join" | "Thread.join" => "the thread it waits for never finishes",
        "Mutex::lock" | "Mutex.lock" => "the lock is held by a thread that never releases it (a deadlock)",
        "Event.sync" => "no other thread will ever take part in this rendezvous",
        "thread::sleep" | "Thread.delay" => "it sleeps for longer than the time limit",
        _ => "a loop that never ends?",
    }
}
