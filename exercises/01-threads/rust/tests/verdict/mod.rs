//! The kit tests' half of the grader's completion report. Every kit test starts with
//! `let _v = verdict::begin("its_function_name");`; when the grader runs the suite it
//! counts a test as passed only once that test has itself said it ran to the end.
//! Run by hand (`cargo test`), this module does nothing at all.
//!
//! The grader hands the test program a socket: `FEARLESS_VERDICT_FD` names its file
//! descriptor, and the first line the grader writes on it is a secret nonce. The first
//! `begin` reads that line, before any of the student's code has run (the student's crate
//! forbids `unsafe`, so none of it runs before `main`). Then each test writes
//! `start <nonce> <name>` when it begins and `pass <nonce> <name>` when it ends without a
//! panic; a failing test writes nothing more.
//!
//! The student's code can call `begin` too where it is compiled into the test crate (the
//! `model` check), so `begin` only answers the kit's tests: a test function in a file of
//! `tests/` (the caller's location, `#[track_caller]`), on the thread libtest named after
//! that test, once per test and program.
use std::collections::HashSet;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::os::unix::net::UnixStream;
use std::panic::Location;
use std::path::{Component, Path};
use std::sync::{Mutex, OnceLock};

/// The grader's socket and nonce; `None` when no grader asked for a report.
static REPORT: OnceLock<Option<Mutex<Report>>> = OnceLock::new();

struct Report {
    socket: UnixStream,
    nonce: String,
    begun: HashSet<&'static str>,
}

impl Report {
    /// One line, in one write, under the lock: tests running in parallel never mix theirs.
    fn send(&mut self, what: &str, name: &str) {
        let line = format!("{what} {} {name}\n", self.nonce);
        // The grader gone, nobody is left to tell.
        let _ = (&self.socket).write_all(line.as_bytes());
    }
}

/// Says that the test `name` has begun; the returned guard says that it passed when it is
/// dropped without a panic. `name` is the test function's name as written.
#[track_caller]
pub fn begin(name: &'static str) -> Guard {
    let Some(report) = REPORT.get_or_init(open) else { return Guard { name: None } };
    let caller = Location::caller();
    let thread = std::thread::current();
    if !is_a_kit_test_file(caller.file()) {
        panic!("verdict::begin({name:?}) called from {}, not from a kit test", caller.file());
    }
    if thread.name() != Some(name) {
        panic!("verdict::begin({name:?}) called on the thread {:?}: a test reports under its own name", thread.name().unwrap_or("(unnamed)"));
    }
    let mut report = report.lock().unwrap_or_else(|e| e.into_inner());
    if !report.begun.insert(name) {
        drop(report);
        panic!("verdict::begin({name:?}) called a second time");
    }
    report.send("start", name);
    Guard { name: Some(name) }
}

/// Reports its test's pass when dropped, unless the test is failing (panicking).
#[must_use = "the test passes when the guard is dropped: keep it to the end (`let _v = ...`)"]
pub struct Guard {
    name: Option<&'static str>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Some(name) = self.name else { return };
        if std::thread::panicking() {
            return;
        }
        if let Some(Some(report)) = REPORT.get() {
            report.lock().unwrap_or_else(|e| e.into_inner()).send("pass", name);
        }
    }
}

/// `tests/channel.rs`, never `tests/../src/channel.rs` (the student's file as the
/// `model` check includes it).
fn is_a_kit_test_file(file: &str) -> bool {
    let path = Path::new(file);
    let parent = path.parent().and_then(|p| p.file_name());
    path.extension().is_some_and(|e| e == "rs") && parent.is_some_and(|p| p == "tests") && !path.components().any(|c| c == Component::ParentDir)
}

/// Takes the grader's socket and reads the nonce, once per program.
fn open() -> Option<Mutex<Report>> {
    let fd = std::env::var_os("FEARLESS_VERDICT_FD")?;
    let fd: i32 = match fd.to_str().and_then(|s| s.parse().ok()) {
        Some(fd) if fd > 2 => fd,
        _ => fatal(&format!("FEARLESS_VERDICT_FD={fd:?} is not a file descriptor")),
    };
    // SAFETY: the grader opened this descriptor for this module alone; nothing else in
    // the program owns it, and it is closed only here, once its copy is made.
    let inherited = unsafe { UnixStream::from_raw_fd(fd) };
    let mut nonce = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match (&inherited).read(&mut byte) {
            Ok(1) if byte[0] == b'\n' => break,
            Ok(1) if nonce.len() < 128 => nonce.push(byte[0]),
            Ok(1) => fatal("the nonce is longer than 128 bytes"),
            Ok(_) => fatal("the socket closed before the nonce"),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => fatal(&format!("cannot read the nonce: {e}")),
        }
    }
    if nonce.is_empty() || !nonce.iter().all(u8::is_ascii_hexdigit) {
        fatal("the nonce is not hexadecimal");
    }
    // A copy closed on exec (std's `try_clone`), in place of the inherited descriptor: a
    // program the student's code starts inherits no way to report.
    let socket = inherited.try_clone().unwrap_or_else(|e| fatal(&format!("cannot copy the socket: {e}")));
    drop(inherited);
    let nonce = String::from_utf8(nonce).expect("hexadecimal is ASCII");
    Some(Mutex::new(Report { socket, nonce, begun: HashSet::new() }))
}

/// The grader asked for a report that cannot be given: no test can pass.
fn fatal(why: &str) -> ! {
    let _ = writeln!(std::io::stderr(), "verdict: {why}");
    std::process::exit(2)
}
