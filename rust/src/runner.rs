//! The one runner: every student build and every student run goes through here.
//!
//! Each job gets its own session (and so its own process group), resource limits,
//! a wall-clock limit after which the whole group is killed, and stdout/stderr in
//! files capped at a size, never pipes. On a timeout the threads' stacks are taken
//! before the kill so that a hang can be explained.
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::stacks::{self, Stacks};

/// Limits of one job. `None` leaves the limit as it is.
#[derive(Clone, Debug)]
pub struct Limits {
    pub wall: Duration,
    pub cpu_secs: Option<u64>,
    pub address_space: Option<u64>,
    pub file_size: Option<u64>,
    pub processes: Option<u64>,
    /// Bytes kept of stdout and of stderr, each; past it the job is stopped.
    pub output_bytes: u64,
}

impl Limits {
    /// Generous limits for a compiler or a test harness.
    pub fn build(wall: Duration) -> Limits {
        Limits { wall, cpu_secs: None, address_space: None, file_size: Some(1 << 30), processes: None, output_bytes: 4 << 20 }
    }
    /// The lesson's limits for the student's program.
    pub fn program(wall: Duration, l: &crate::lesson::Limits) -> Limits {
        Limits {
            wall,
            cpu_secs: Some(l.cpu_secs),
            address_space: Some(l.memory_mib << 20),
            file_size: Some(64 << 20),
            processes: Some(l.threads),
            output_bytes: l.output_bytes,
        }
    }
}

/// One process to run.
#[derive(Clone, Debug)]
pub struct Job {
    pub program: OsString,
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    pub env: Vec<(OsString, OsString)>,
    pub limits: Limits,
    /// Take the threads' stacks before killing a job that timed out.
    pub stacks_on_timeout: bool,
}

impl Job {
    pub fn new(program: impl Into<OsString>, cwd: &Path, limits: Limits) -> Job {
        Job { program: program.into(), args: Vec::new(), cwd: cwd.to_path_buf(), env: Vec::new(), limits, stacks_on_timeout: false }
    }
    pub fn arg(mut self, a: impl Into<OsString>) -> Job {
        self.args.push(a.into());
        self
    }
    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, a: I) -> Job {
        self.args.extend(a.into_iter().map(Into::into));
        self
    }
    pub fn env(mut self, k: impl Into<OsString>, v: impl Into<OsString>) -> Job {
        self.env.push((k.into(), v.into()));
        self
    }
    pub fn with_stacks(mut self) -> Job {
        self.stacks_on_timeout = true;
        self
    }
}

/// How a job ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    Exited(i32),
    Signalled(i32),
    /// Still running at the wall-clock limit: the whole group was killed.
    TimedOut,
    /// Printed more than the output limit: the whole group was killed.
    OutputCapped,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub ending: Ending,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub duration: Duration,
    /// Peak resident memory of the job's main process, in KiB.
    pub max_rss_kib: u64,
    /// Stacks taken before a timeout's kill; `Err` says why there are none.
    pub stacks: Option<Result<Stacks, String>>,
}

impl Outcome {
    pub fn success(&self) -> bool {
        self.ending == Ending::Exited(0)
    }
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot start {program}: {source}")]
    Spawn { program: String, source: std::io::Error },
    #[error("runner i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs a job to its end, whatever the job does.
pub fn run(job: &Job) -> Result<Outcome, RunError> {
    let logs = tempfile::tempdir()?;
    let out_path = logs.path().join("stdout");
    let err_path = logs.path().join("stderr");
    let out = File::create(&out_path)?;
    let err = File::create(&err_path)?;

    let mut cmd = Command::new(&job.program);
    cmd.args(&job.args).current_dir(&job.cwd).stdin(Stdio::null()).stdout(out).stderr(err);
    for (k, v) in &job.env {
        cmd.env(k, v);
    }
    let limits = job.limits.clone();
    // SAFETY: only async-signal-safe calls (setsid, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            use rustix::process::{setrlimit, Resource, Rlimit};
            rustix::process::setsid()?;
            let set = |r: Resource, v: Option<u64>| -> std::io::Result<()> {
                if let Some(v) = v {
                    setrlimit(r, Rlimit { current: Some(v), maximum: Some(v) })?;
                }
                Ok(())
            };
            // The hard CPU limit one second above the soft one: SIGXCPU first, then SIGKILL.
            if let Some(c) = limits.cpu_secs {
                setrlimit(Resource::Cpu, Rlimit { current: Some(c), maximum: Some(c + 1) })?;
            }
            set(Resource::As, limits.address_space)?;
            set(Resource::Fsize, limits.file_size)?;
            set(Resource::Nproc, limits.processes)?;
            set(Resource::Core, Some(0))?;
            Ok(())
        });
    }
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|source| RunError::Spawn { program: job.program.to_string_lossy().into_owned(), source })?;
    let pid = child.id() as i32;

    let mut stacks = None;
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut status: libc::c_int = 0;
    let mut ending = None;
    let mut nap = Duration::from_millis(1);
    loop {
        // SAFETY: plain wait4 on our own child, with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut rusage) };
        if r == pid {
            break;
        }
        if r < 0 {
            return Err(RunError::Io(std::io::Error::last_os_error()));
        }
        let capped = [&out_path, &err_path]
            .iter()
            .any(|p| std::fs::metadata(p).map(|m| m.len() > job.limits.output_bytes).unwrap_or(false));
        if capped {
            ending = Some(Ending::OutputCapped);
        } else if start.elapsed() >= job.limits.wall {
            if job.stacks_on_timeout {
                stacks = Some(stacks::capture(pid));
            }
            ending = Some(Ending::TimedOut);
        }
        if ending.is_some() {
            kill_group(pid);
            // SAFETY: as above; blocking reap of the killed child.
            unsafe { libc::wait4(pid, &mut status, 0, &mut rusage) };
            break;
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
    let duration = start.elapsed();
    // Whatever the main process left behind in its group goes too.
    kill_group(pid);
    let ending = ending.unwrap_or_else(|| {
        if libc::WIFEXITED(status) {
            Ending::Exited(libc::WEXITSTATUS(status))
        } else {
            Ending::Signalled(libc::WTERMSIG(status))
        }
    });
    Ok(Outcome {
        ending,
        stdout: read_capped(&out_path, job.limits.output_bytes)?,
        stderr: read_capped(&err_path, job.limits.output_bytes)?,
        duration,
        max_rss_kib: rusage.ru_maxrss.max(0) as u64,
        stacks,
    })
}

fn kill_group(pgid: i32) {
    // SAFETY: signalling a process group we created; ESRCH when it is already gone.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

fn read_capped(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    File::open(path)?.take(cap).read_to_end(&mut buf)?;
    Ok(buf)
}

/// The name of a signal, for messages.
pub fn signal_name(sig: i32) -> String {
    match sig {
        libc::SIGSEGV => "SIGSEGV (a segmentation fault)".into(),
        libc::SIGABRT => "SIGABRT (an abort)".into(),
        libc::SIGKILL => "SIGKILL".into(),
        libc::SIGXCPU => "SIGXCPU (the CPU-time limit)".into(),
        libc::SIGXFSZ => "SIGXFSZ (the file-size limit)".into(),
        libc::SIGBUS => "SIGBUS".into(),
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGFPE => "SIGFPE".into(),
        n => format!("signal {n}"),
    }
}
