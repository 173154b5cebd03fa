//! A kit test counts as passed only when the kit's own code saw it complete.
//!
//! The test program inherits one end of a socket pair as descriptor [`FD`] (named by
//! `FEARLESS_VERDICT_FD`). The kit sends a secret nonce on it, which the kit's test
//! harness reads before any student code can run (Rust: the first test's first line;
//! OCaml: the `verdict` library, initialised before the student's modules). The harness
//! then writes `start <nonce> <name>` and `pass <nonce> <name>` for each test. A test
//! without its `pass` failed, whatever the program printed or however it exited; a line
//! without the nonce means something other than the kit's harness wrote there.
//!
//! The test program's output is never read for a verdict, only for the reason of a failure.
use std::collections::BTreeSet;
use std::io::Read;
use std::os::fd::{OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::runner::Job;

/// The descriptor number the test program finds its report channel on.
pub const FD: RawFd = 3;

/// The most a test program may write on its report channel.
const MAX_REPORT_BYTES: usize = 1 << 20;

/// The kit's end of one test program's report channel.
pub struct Channel {
    nonce: String,
    child: Arc<OwnedFd>,
    stop: Arc<AtomicBool>,
    reader: JoinHandle<()>,
    seen: Arc<Mutex<Seen>>,
}

/// What a reader has received so far, and when it last received anything.
struct Seen {
    bytes: Vec<u8>,
    last: Instant,
}

/// What a test program reported.
#[derive(Debug, Default, PartialEq)]
pub struct Reports {
    pub started: Vec<String>,
    pub passed: BTreeSet<String>,
    /// Lines that did not carry the nonce: written by something other than the kit's harness.
    pub forged: usize,
}

impl Channel {
    pub fn open() -> std::io::Result<Channel> {
        let (mut kit, child) = UnixStream::pair()?;
        let nonce = nonce()?;
        std::io::Write::write_all(&mut kit, format!("{nonce}\n").as_bytes())?;
        kit.set_nonblocking(true)?;
        let (stop, reader, seen) = read_in_background(kit);
        Ok(Channel { nonce, child: Arc::new(child.into()), stop, reader, seen })
    }

    /// `job`, with the report channel as descriptor [`FD`]. With `per_test`, the job is
    /// stopped as soon as one test has run that long without passing (and nothing else was
    /// reported meanwhile): a hung test says so at once, not at the suite's limit.
    pub fn give(&self, job: Job, per_test: Option<Duration>) -> Job {
        let job = job.inherit(self.child.clone(), FD).env("FEARLESS_VERDICT_FD", FD.to_string());
        match per_test {
            Some(limit) => {
                let (seen, nonce) = (self.seen.clone(), self.nonce.clone());
                job.stopped_when(move || hung(&seen, &nonce, limit))
            }
            None => job,
        }
    }

    /// What was reported, once the job has ended.
    pub fn finish(self) -> Reports {
        drop(self.child);
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.reader.join();
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        parse(&self.nonce, &String::from_utf8_lossy(&seen.bytes))
    }
}

/// Whether the test that started last has not passed, and nothing came for `limit`.
fn hung(seen: &Mutex<Seen>, nonce: &str, limit: Duration) -> bool {
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner());
    seen.last.elapsed() >= limit && {
        let r = parse(nonce, &String::from_utf8_lossy(&seen.bytes));
        r.started.last().is_some_and(|t| !r.passed.contains(t))
    }
}

/// Reads `from` on a thread of its own while a job runs (a full socket or pipe would block
/// the job's writes), until it ends or the returned flag is raised; at most [`MAX_REPORT_BYTES`],
/// kept in the returned [`Seen`] as they come.
fn read_in_background<R: Read + Send + 'static>(mut from: R) -> (Arc<AtomicBool>, JoinHandle<()>, Arc<Mutex<Seen>>) {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let seen = Arc::new(Mutex::new(Seen { bytes: Vec::new(), last: Instant::now() }));
    let into = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let mut seen = into.lock().unwrap_or_else(|e| e.into_inner());
                    seen.last = Instant::now();
                    if seen.bytes.len() < MAX_REPORT_BYTES {
                        seen.bytes.extend_from_slice(&buf[..n]);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    });
    (stop, reader, seen)
}

/// The kit's end of a lesson probe's pipe (see [`crate::lesson::Together`]): what the
/// probe in the student's program tells the kit, a line at a time. No nonce: the probe
/// guards against honest mistakes, and a program that forges its lines forges its own.
pub struct Pipe {
    child: Arc<OwnedFd>,
    stop: Arc<AtomicBool>,
    reader: JoinHandle<()>,
    seen: Arc<Mutex<Seen>>,
}

/// The descriptor number the program finds the probe's pipe on.
pub const PROBE_FD: RawFd = 4;

impl Pipe {
    pub fn open() -> std::io::Result<Pipe> {
        let (reader, writer) = std::io::pipe()?;
        let reader: OwnedFd = reader.into();
        rustix::fs::fcntl_setfl(&reader, rustix::fs::OFlags::NONBLOCK)?;
        let (stop, reader, seen) = read_in_background(std::fs::File::from(reader));
        // The probe reopens its end by name (`/dev/fd/N`: safe Rust cannot take a descriptor
        // by number), as the job's own user: a pipe is its creator's, mode 0600, until opened up.
        // Nothing else can reach a pipe by name.
        let writer: OwnedFd = writer.into();
        rustix::fs::fchmod(&writer, rustix::fs::Mode::from_raw_mode(0o622))?;
        Ok(Pipe { child: Arc::new(writer), stop, reader, seen })
    }

    /// `job`, with the pipe's writing end as descriptor [`PROBE_FD`].
    pub fn give(&self, job: Job) -> Job {
        job.inherit(self.child.clone(), PROBE_FD).env("FEARLESS_PROBE_FD", PROBE_FD.to_string())
    }

    /// The lines the probe wrote, once the job has ended.
    pub fn finish(self) -> Vec<String> {
        drop(self.child);
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.reader.join();
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        String::from_utf8_lossy(&seen.bytes).lines().map(String::from).collect()
    }
}

fn nonce() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The reports in `text` that carry `nonce`; every other line counts as forged.
pub fn parse(nonce: &str, text: &str) -> Reports {
    let mut r = Reports::default();
    for line in text.lines() {
        let mut parts = line.splitn(3, ' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("start"), Some(n), Some(name)) if n == nonce => r.started.push(name.to_string()),
            (Some("pass"), Some(n), Some(name)) if n == nonce => {
                r.passed.insert(name.to_string());
            }
            _ => r.forged += 1,
        }
    }
    r
}

/// A suite's verdict from its reports: the tests the kit knows of, by name.
#[derive(Debug, PartialEq)]
pub struct Tally {
    pub passed: u32,
    /// The tests without a `pass`, in the suite's order, each with whether it started.
    pub failed: Vec<(String, bool)>,
}

pub fn tally(expected: &[String], reports: &Reports) -> Tally {
    let passed = expected.iter().filter(|n| reports.passed.contains(*n)).count() as u32;
    let failed = expected.iter().filter(|n| !reports.passed.contains(*n)).map(|n| (n.clone(), reports.started.contains(n))).collect();
    Tally { passed, failed }
}

/// Several test programs' reports as one.
pub fn merge(all: impl IntoIterator<Item = Reports>) -> Reports {
    let mut r = Reports::default();
    for one in all {
        r.started.extend(one.started);
        r.passed.extend(one.passed);
        r.forged += one.forged;
    }
    r
}

/// The one line for a suite that failed: the first failure the program explained (when
/// it names a test that did fail; words that name no test, such as a watchdog's that
/// stopped the program, belong to the first failing test if it had started), else the
/// first failing test and what the kit saw of it.
pub fn first_failure(tally: &Tally, explained: Option<String>, expected: &[String]) -> Option<String> {
    let (first, started) = tally.failed.first()?;
    if let Some(e) = explained {
        let named = expected.iter().find(|n| e.starts_with(&format!("{n}: ")));
        match named {
            Some(n) if tally.failed.iter().any(|(f, _)| f == n) => return Some(e),
            None if *started => return Some(format!("{first}: {e}")),
            _ => {}
        }
    }
    Some(if *started {
        format!("{first}: it failed or was cut short (the kit's test never reported that it passed)")
    } else {
        format!("{first}: it never ran (the test program stopped before it)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For the tests: a channel's reports, read without a job (the test writes on `child`).
    fn pair_for_tests() -> std::io::Result<(Channel, UnixStream, String)> {
        let c = Channel::open()?;
        let dup = c.child.try_clone()?;
        let mut stream = UnixStream::from(dup);
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        while stream.read(&mut b)? == 1 && b[0] != b'\n' {
            line.push(b[0]);
        }
        let nonce = String::from_utf8_lossy(&line).into_owned();
        Ok((c, stream, nonce))
    }

    #[test]
    fn only_lines_with_the_nonce_count() {
        let r = parse("abc", "start abc one\npass abc one\nstart abc two\npass xyz two\ntest result: ok. 2 passed\npass abc three\n");
        assert_eq!(r.started, vec!["one", "two"]);
        assert_eq!(r.passed, BTreeSet::from(["one".to_string(), "three".to_string()]));
        assert_eq!(r.forged, 2);
        let t = tally(&["one".into(), "two".into(), "four".into()], &r);
        assert_eq!(t, Tally { passed: 1, failed: vec![("two".into(), true), ("four".into(), false)] });
        let names = ["one".to_string(), "two".into(), "four".into()];
        assert_eq!(first_failure(&t, Some("one: x".into()), &names).as_deref(), Some("two: it failed or was cut short (the kit's test never reported that it passed)"));
        assert_eq!(first_failure(&t, Some("four: boom".into()), &names).as_deref(), Some("four: boom"));
        assert_eq!(first_failure(&t, Some("no progress for 5 s: stuck".into()), &names).as_deref(), Some("two: no progress for 5 s: stuck"));
    }

    /// Through the runner, contained as any test program is (bubblewrap when present).
    #[test]
    fn a_contained_job_reports_on_its_descriptor() {
        let work = tempfile::tempdir().unwrap();
        let c = Channel::open().unwrap();
        let job = c.give(
            Job::new("sh", work.path(), crate::runner::Limits::build(std::time::Duration::from_secs(30)))
                .scratch(work.path())
                .args(["-c", "read n <&$FEARLESS_VERDICT_FD; echo \"start $n t\" >&3; echo \"pass $n t\" >&3; echo \"pass 00 u\" >&3"]),
            None,
        );
        let out = crate::runner::run(&job).unwrap();
        drop(job);
        let r = c.finish();
        assert!(out.success(), "{}", out.stderr_text());
        assert_eq!(r.passed, BTreeSet::from(["t".to_string()]), "{r:?}");
        assert_eq!(r.forged, 1);
    }

    /// A test that starts and never passes stops its program at the per-test limit, long
    /// before the suite's; one that passes and another that follows keep it running.
    #[test]
    fn a_hung_test_stops_the_suite_at_once() {
        let work = tempfile::tempdir().unwrap();
        let suite = |script: &str, per_test: Option<Duration>| {
            let c = Channel::open().unwrap();
            let job = Job::new("sh", work.path(), crate::runner::Limits::build(Duration::from_secs(20))).scratch(work.path()).args(["-c", script]);
            let job = c.give(job, per_test);
            let out = crate::runner::run(&job).unwrap();
            drop(job);
            (out, c.finish())
        };
        let hangs = "read n <&3; echo \"start $n quick\" >&3; echo \"pass $n quick\" >&3; echo \"start $n stuck\" >&3; sleep 30";
        let (out, r) = suite(hangs, Some(Duration::from_secs(1)));
        assert_eq!(out.ending, crate::runner::Ending::TimedOut);
        assert!(out.duration < Duration::from_secs(5), "{:?}", out.duration);
        assert_eq!((r.started.clone(), r.passed.len()), (vec!["quick".to_string(), "stuck".into()], 1));
        let run = super::super::test_run(&["quick".into(), "stuck".into()], r, out, None, String::new());
        assert_eq!(run.broken.as_deref(), Some("stuck: it never ended (the tests were stopped after 1 s; 1 of 2 had passed)"));
        // Slow but reporting: each test passes within the limit, the whole takes longer.
        let slow = "read n <&3; for t in a b c; do echo \"start $n $t\" >&3; sleep 0.6; echo \"pass $n $t\" >&3; done";
        let (out, r) = suite(slow, Some(Duration::from_secs(1)));
        assert!(out.success() && r.passed.len() == 3, "{out:?} {r:?}");
        // Without a per-test limit, only the suite's limit stops it.
        let (out, _) = suite("read n <&3; echo \"start $n stuck\" >&3; sleep 2", None);
        assert!(out.success(), "{out:?}");
    }

    #[test]
    fn a_report_reaches_the_kit_through_the_socket() {
        let (c, mut child, nonce) = pair_for_tests().unwrap();
        std::io::Write::write_all(&mut child, format!("start {nonce} t\npass {nonce} t\nstart forged t2\n").as_bytes()).unwrap();
        drop(child);
        let r = c.finish();
        assert_eq!(r.passed, BTreeSet::from(["t".to_string()]));
        assert_eq!(r.forged, 1);
        assert_eq!(nonce.len(), 32);
    }
}
