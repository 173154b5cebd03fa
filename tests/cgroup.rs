//! The total memory limit per run: every job that runs student code gets a cgroup of its
//! own (`fearless::contain::cgroup`) whose memory limit binds all its processes together, where
//! the machine offers one. Through the runner, as the grader runs student programs.
//!
//! `memory_total` runs in this process, in bubblewrap when it is installed; the same test
//! runs again in a child process of this test program without bubblewrap
//! (`FEARLESS_NO_BWRAP=1`) and without cgroups (`FEARLESS_NO_CGROUP=1`, the fallback),
//! since both are probed once per process.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fearless::contain;
use fearless::contain::cgroup;
use fearless::runner::{self, Job, Limits, Outcome};

/// The lesson's memory limit in these tests.
const MIB: u64 = 256;
const THREADS: u64 = 64;
/// Set in the child processes of `without_bubblewrap` and `without_cgroup`.
const CHILD: &str = "FEARLESS_CGROUP_TEST_CHILD";

fn limits() -> Limits {
    let l = fearless::lesson::Limits { memory_mib: MIB, threads: THREADS, ..Default::default() };
    Limits::program(Duration::from_secs(60), &l)
}

/// A script that starts two python processes, each touching `percent` of the limit
/// (under its own address-space limit) and holding it for 3 s before it says `held`.
fn two_hogs(percent: u64) -> String {
    let bytes = (MIB << 20) * percent / 100;
    let py = format!("import time; b = b'x' * {bytes}; time.sleep(3); print('held', flush=True)");
    let python = if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    format!("{python} -c \"{py}\" & {python} -c \"{py}\" & wait")
}

/// Runs `sh -c script` as the student's program runs: contained, under the lesson's limits.
fn run_sh(script: &str) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let job = Job::new("sh", dir.path(), limits()).scratch(dir.path()).arg("-c").arg(script);
    runner::run(&job).expect("the runner runs the job")
}

/// An outcome in words, for the messages of failed assertions.
fn shown(o: &Outcome) -> String {
    format!("{:?}, memory_capped {}, stdout {:?}, stderr {:?}", o.ending, o.memory_capped, o.stdout_text(), o.stderr_text())
}

fn held(o: &Outcome) -> usize {
    o.stdout_text().matches("held").count()
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok().map(|s| s.trim().to_string())
}

/// This process's job cgroups, wherever they are under `/sys/fs/cgroup` (what the runner left).
fn left() -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let ns = std::fs::metadata("/proc/self/ns/pid").unwrap().ino();
    let prefix = format!("fearless-{ns}-{}-", std::process::id());
    let mut found = Vec::new();
    let mut stack = vec![(PathBuf::from("/sys/fs/cgroup"), 0)];
    while let Some((dir, depth)) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    found.push(e.path());
                } else if depth < 6 {
                    stack.push((e.path(), depth + 1));
                }
            }
        }
    }
    found
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

#[test]
fn memory_total() {
    let mode = std::env::var(CHILD).unwrap_or_default();
    let c = contain::machine();
    let s = cgroup::support();
    eprintln!("mode {:?}: bubblewrap {}; {}", if mode.is_empty() { "default" } else { &mode }, if c.isolated() { "used" } else { "not used" }, s.describe());
    match mode.as_str() {
        "FEARLESS_NO_BWRAP" => assert!(!c.isolated()),
        "FEARLESS_NO_CGROUP" => assert!(!s.available()),
        _ if which("bwrap").is_some() && std::env::var_os("FEARLESS_NO_BWRAP").is_none() => assert!(c.isolated(), "bubblewrap is installed: {:?}", c.why_not),
        _ => {}
    }

    // CPU time (the `idle` check's): of every process of the job, from its cgroup, or from
    // the resource usage outside the sandbox; not measured where neither sees the program.
    let spin = run_sh("i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done");
    let idle = run_sh("sleep 0.5");
    let seen = !c.isolated() || s.version == Some(cgroup::Version::V2) || (s.available() && s.cpuacct_base.is_some());
    eprintln!("CPU time: spinning {:?} in {:?}, sleeping {:?} in {:?}", spin.cpu, spin.duration, idle.cpu, idle.duration);
    if seen {
        let (spun, slept) = (spin.cpu.expect("measured"), idle.cpu.expect("measured"));
        assert!(spun * 2 > spin.duration, "a spinning job used {spun:?} of CPU in {:?}", spin.duration);
        assert!(slept * 5 < idle.duration, "a sleeping job used {slept:?} of CPU in {:?}", idle.duration);
    } else {
        assert_eq!((spin.cpu, idle.cpu), (None, None), "in the sandbox without a cgroup, the program's CPU time is not seen");
    }

    if !s.available() {
        eprintln!("no cgroup per run here ({}): checking the fallback", s.why_not.as_deref().unwrap_or("?"));
        // Two processes at 60% each: with no total, each only has its own limit, and both hold.
        let both = run_sh(&two_hogs(60));
        assert!(!both.memory_capped, "{}", shown(&both));
        assert!(both.success() && held(&both) == 2, "without a cgroup, each process has its own limit only: {}", shown(&both));
        assert!(left().is_empty(), "{:?}", left());
        let notices = runner::Ran::of(&both).notices();
        assert!(notices.iter().any(|n| n.contains("no total memory limit per run")), "{notices:?}");
        return;
    }

    // Two processes at 60% of the limit each: each is under its own limit, together they are over.
    let over = run_sh(&two_hogs(60));
    eprintln!("two at 60%: {:?}, stdout {:?}", over.ending, over.stdout_text());
    assert!(over.memory_capped, "{}", shown(&over));
    assert!(held(&over) < 2, "a process was killed: {}", shown(&over));
    assert!(left().is_empty(), "{:?}", left());

    // Two at 25% each: under the limit together.
    let under = run_sh(&two_hogs(25));
    eprintln!("two at 25%: {:?}, stdout {:?}", under.ending, under.stdout_text());
    assert!(!under.memory_capped && under.success() && held(&under) == 2, "{}", shown(&under));
    assert!(left().is_empty(), "{:?}", left());

    // While a job runs, its cgroup holds every process of it, with the job's limits.
    let watched = std::thread::spawn(|| run_sh("sleep 2; echo done"));
    let start = Instant::now();
    let (dirs, comms) = loop {
        let dirs = cgroup::jobs_of_this_process();
        let comms: Vec<String> = dirs
            .iter()
            .flat_map(|d| read(d, "cgroup.procs").unwrap_or_default().lines().filter_map(|p| read(Path::new(&format!("/proc/{p}")), "comm")).collect::<Vec<_>>())
            .collect();
        if comms.iter().any(|c| c == "sleep") {
            break (dirs, comms);
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the job's program never showed in its cgroup: {dirs:?} {comms:?}");
        std::thread::sleep(Duration::from_millis(10));
    };
    eprintln!("the job's cgroup: {dirs:?}, holding {comms:?}");
    let memory = dirs.iter().find_map(|d| read(d, "memory.max").or_else(|| read(d, "memory.limit_in_bytes")));
    assert_eq!(memory, Some(((MIB << 20) + cgroup::HEADROOM_BYTES).to_string()), "{dirs:?}");
    match dirs.iter().find_map(|d| read(d, "pids.max")) {
        Some(p) => assert_eq!(p, (THREADS + cgroup::WRAPPER_PROCESSES).to_string()),
        None => eprintln!("no pids controller here: the process limit is RLIMIT_NPROC alone"),
    }
    let watched = watched.join().unwrap();
    assert!(watched.success() && !watched.memory_capped, "{}", shown(&watched));
    assert!(left().is_empty(), "{:?}", left());
    let notices = runner::Ran::of(&watched).notices();
    assert!(!notices.iter().any(|n| n.contains("no total memory limit")), "{notices:?}");
}

/// Runs `memory_total` in a child process of this test program with `var=1`.
fn in_child(var: &str) {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe).args(["memory_total", "--exact", "--nocapture", "--test-threads=1"]).env(CHILD, var).env(var, "1").output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("--- with {var}=1:\n{stdout}{stderr}---");
    assert!(out.status.success(), "with {var}=1 it failed");
    assert!(stdout.contains("1 passed"), "with {var}=1 the test did not run");
}

#[test]
fn without_bubblewrap() {
    in_child("FEARLESS_NO_BWRAP");
}

#[test]
fn without_cgroup() {
    in_child("FEARLESS_NO_CGROUP");
}
