//! The one runner: every student build and every student run goes through here.
//!
//! Each job gets its own session (and so its own process group), resource limits,
//! a wall-clock limit after which the whole group is killed, and stdout/stderr in
//! files capped at a size, never pipes. On a timeout the threads' stacks are taken
//! before the kill so that a hang can be explained.
//!
//! Every job that is not [`Job::trusted`] is contained (see [`crate::sandbox`]): in a
//! bubblewrap sandbox when one can be made here, as an unprivileged user of its own
//! when the grader is root, and with every process it started killed at its end,
//! also those that left its session.
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::sandbox::{self, UserSlot, Walls};
use crate::stacks::{self, Stacks};

/// The largest file a student's program may write.
pub const PROGRAM_FILE_BYTES: u64 = 64 << 20;

/// The most a job that runs student code may write in its working folder (and, in the
/// sandbox, in its `/tmp`): a size-limited tmpfs in the sandbox, a watched total without.
pub const JOB_WRITE_BYTES: u64 = 64 << 20;

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
    /// The lesson's limits for a kit test program (student code runs in it): the program's,
    /// with more room for output and a CPU time no smaller than the suite's wall-clock limit.
    pub fn suite(wall: Duration, l: &crate::lesson::Limits) -> Limits {
        let mut limits = Limits::program(wall, l);
        limits.cpu_secs = Some(l.cpu_secs.max(wall.as_secs().max(1)));
        limits.output_bytes = l.output_bytes.max(4 << 20);
        limits
    }
    /// The lesson's limits for the student's program.
    pub fn program(wall: Duration, l: &crate::lesson::Limits) -> Limits {
        Limits {
            wall,
            cpu_secs: Some(l.cpu_secs),
            address_space: Some(l.memory_mib << 20),
            file_size: Some(PROGRAM_FILE_BYTES),
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
    /// What the job may see and write besides the system and the toolchains.
    /// Its working folder is writable unless [`Job::read_only_cwd`] is called.
    pub walls: Walls,
    /// Runs the toolchain (a build or a kit test suite): without bubblewrap it runs as
    /// the grader, whose toolchain the job's own user may not be able to read.
    pub compiler: bool,
    /// A kit-owned step (fetching the kit's dependencies): the grader's user, network, no walls.
    pub trusted: bool,
    /// Descriptors the job inherits: (open descriptor, its number in the job).
    pub fds: Vec<(Arc<OwnedFd>, RawFd)>,
}

impl Job {
    pub fn new(program: impl Into<OsString>, cwd: &Path, limits: Limits) -> Job {
        let walls = Walls { writable: vec![cwd.to_path_buf()], ..Walls::default() };
        Job {
            program: program.into(),
            args: Vec::new(),
            cwd: cwd.to_path_buf(),
            env: Vec::new(),
            limits,
            stacks_on_timeout: false,
            walls,
            compiler: false,
            trusted: false,
            fds: Vec::new(),
        }
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
    /// A folder the job may write (a build's target folder).
    pub fn writable(mut self, dir: impl Into<PathBuf>) -> Job {
        self.walls.writable.push(dir.into());
        self
    }
    /// A folder the job may read.
    pub fn readable(mut self, dir: impl Into<PathBuf>) -> Job {
        self.walls.readable.push(dir.into());
        self
    }
    /// A folder inside a writable one that the job must not see, except for the
    /// writable folders inside it (other packages' sources in a shared target folder).
    pub fn hide(mut self, dir: impl Into<PathBuf>) -> Job {
        self.walls.hidden.push(dir.into());
        self
    }
    /// A folder of the job's own that only it writes, capped at [`JOB_WRITE_BYTES`]: where
    /// student code runs (the program's, a test program's working folder).
    pub fn scratch(mut self, dir: impl Into<PathBuf>) -> Job {
        let dir = dir.into();
        if !self.walls.writable.contains(&dir) {
            self.walls.writable.push(dir.clone());
        }
        self.walls.capped.push(dir);
        self
    }
    /// The job inherits `fd` as descriptor number `number`.
    pub fn inherit(mut self, fd: Arc<OwnedFd>, number: RawFd) -> Job {
        self.fds.push((fd, number));
        self
    }
    /// The working folder is read-only to the job.
    pub fn read_only_cwd(mut self) -> Job {
        self.walls.writable.retain(|w| *w != self.cwd);
        self.walls.readable.push(self.cwd.clone());
        self
    }
    /// The job runs the toolchain (see [`Job::compiler`]).
    pub fn compiler(mut self) -> Job {
        self.compiler = true;
        self
    }
    /// A kit-owned step that needs the network or the grader's own files.
    pub fn trusted(mut self) -> Job {
        self.trusted = true;
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
    /// Wrote more than [`JOB_WRITE_BYTES`] in its folder (watched without the sandbox, whose
    /// tmpfs refuses the writes instead): the whole group was killed.
    DiskCapped,
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
    /// The job's cgroup memory limit (all its processes together) killed a process of it.
    pub memory_capped: bool,
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
    let logs = crate::scratch::dir("logs")?;
    let out_path = logs.path().join("stdout");
    let err_path = logs.path().join("stderr");
    let out = File::create(&out_path)?;
    let err = File::create(&err_path)?;

    let c = sandbox::containment();
    let contained = !job.trusted;
    let sandboxed = contained && c.isolated();
    if contained && !sandboxed {
        UNCONTAINED.store(true, Ordering::Relaxed);
    }
    // A total memory and process limit for the job's processes together, where the machine offers one.
    let cgroup = if contained && !job.compiler { crate::cgroup::JobCgroup::for_job(&job.limits)? } else { None };
    if contained && !job.compiler && cgroup.is_none() {
        UNCAPPED.store(true, Ordering::Relaxed);
    }
    let joins = cgroup.as_ref().map(|g| g.procs_fds()).unwrap_or([-1; 2]);
    // The job's own user when the grader is root: in the sandbox always; without it,
    // for builds only when every user may reach the toolchain (it may live in root's home).
    let slot = if contained && sandbox::root() && !crate::os::portable() && (sandboxed || !job.compiler || c.toolchain_for_all) { Some(UserSlot::acquire()?) } else { None };
    let uid = slot.as_ref().map(|s| s.uid);
    let own_home = if contained && !sandboxed { Some(crate::scratch::dir("home")?) } else { None };
    let home = own_home.as_ref().map(|h| h.path().to_path_buf()).unwrap_or_else(|| PathBuf::from("/tmp"));
    let mut given = Vec::new();
    if let Some(uid) = uid {
        for w in job.walls.writable.iter().chain(own_home.as_ref().map(|h| h.path().to_path_buf()).as_ref()) {
            if w.exists() {
                given.push((w.clone(), sandbox::give(w, uid)?));
            }
            if !sandboxed {
                sandbox::open_way(w);
            }
        }
        if !sandboxed {
            sandbox::open_way(Path::new(&job.program));
            sandbox::open_way(&job.cwd);
        }
    }
    let mut result = run_contained(job, c, sandboxed, uid, &home, out, err, &out_path, &err_path, joins);
    // What the job's user left: every process, and (without the sandbox's own /tmp) its temporary files.
    let mut all_gone = true;
    if let Some(uid) = uid {
        all_gone = sandbox::kill_user(uid);
        if !sandboxed {
            sandbox::sweep_temp(uid);
        }
    }
    for (w, owner) in given {
        let _ = sandbox::give_back(&w, owner);
    }
    match slot {
        Some(s) if !all_gone => s.retire(),
        _ => {}
    }
    if let (Ok(o), Some(g)) = (&mut result, &cgroup) {
        o.memory_capped = g.memory_capped();
    }
    // Kills what is left in the cgroup, and removes it.
    drop(cgroup);
    result
}

static UNCONTAINED: AtomicBool = AtomicBool::new(false);
/// A job that runs student code ran without a cgroup of its own.
static UNCAPPED: AtomicBool = AtomicBool::new(false);

/// What the reader of a report must know about how its jobs ran: empty when every job
/// was contained by bubblewrap (or none ran).
pub fn notices() -> Vec<String> {
    let mut v = Vec::new();
    if UNCONTAINED.load(Ordering::Relaxed) {
        v.extend(sandbox::containment().notice());
    }
    if UNCAPPED.load(Ordering::Relaxed) {
        v.extend(crate::cgroup::support().notice());
    }
    v
}

#[allow(clippy::too_many_arguments)]
fn run_contained(
    job: &Job,
    c: &sandbox::Containment,
    sandboxed: bool,
    uid: Option<u32>,
    home: &Path,
    out: File,
    err: File,
    out_path: &Path,
    err_path: &Path,
    joins: [RawFd; 2],
) -> Result<Outcome, RunError> {
    let contained = !job.trusted;
    // Where the process limit is set: by the kernel's count for the job's own user
    // (root), inside the user namespace (bubblewrap without root), or on top of what
    // the grader's user already runs.
    let mut nproc = job.limits.processes;
    let mut nproc_inside = None;
    if sandboxed && !sandbox::root() {
        nproc_inside = nproc.take();
    } else if crate::os::portable() {
        // The limit counts every process of the user, and only Linux's /proc says how many run now.
        nproc = None;
    } else if uid.is_none() && !sandbox::root() {
        nproc = nproc.map(|n| n + tasks_of_own_user());
    }
    let token = format!("{}-{}", std::process::id(), JOBS.fetch_add(1, Ordering::Relaxed));
    let mut cmd = if sandboxed {
        let argv = c.bwrap_argv(&job.walls, &job.cwd, &job.program, &job.args, uid, nproc_inside);
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).current_dir("/");
        cmd
    } else {
        let mut cmd = Command::new(&job.program);
        cmd.args(&job.args).current_dir(&job.cwd);
        cmd
    };
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);
    if contained {
        cmd.env_clear().envs(c.env(home));
        if !sandboxed {
            cmd.env("FEARLESS_JOB", &token);
        }
    }
    for (k, v) in &job.env {
        cmd.env(k, v);
    }
    let limits = job.limits.clone();
    // Descriptors the job inherits: its own, and in the sandbox the data of its /etc files.
    let etc = if sandboxed { sandbox::etc_fds()? } else { Vec::new() };
    let inherit: Vec<(RawFd, RawFd)> = job.fds.iter().map(|(fd, n)| (fd.as_raw_fd(), *n)).chain(etc.iter().map(|(fd, n)| (fd.as_raw_fd(), *n))).collect();
    // Without bubblewrap, root still gives the job an empty network and its own user;
    // std would change the user before this code runs, too early to unshare.
    let unshare_net = contained && !sandboxed && c.own_network;
    let become_user = if sandboxed { None } else { uid };
    // SAFETY: only async-signal-safe calls (raw system calls) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            use rustix::process::{setrlimit, Resource, Rlimit};
            // Into the job's cgroup before anything of the job runs.
            crate::cgroup::join(&joins)?;
            rustix::process::setsid()?;
            sandbox::place_fds(&inherit)?;
            if unshare_net {
                crate::os::unshare_network()?;
            }
            if let Some(u) = become_user {
                crate::os::become_user(u)?;
            }
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
            // macOS takes the address-space limit but does not enforce it (and may refuse it).
            if cfg!(target_os = "linux") {
                set(Resource::As, limits.address_space)?;
            } else {
                let _ = set(Resource::As, limits.address_space);
            }
            set(Resource::Fsize, limits.file_size)?;
            set(Resource::Nproc, nproc)?;
            set(Resource::Core, Some(0))?;
            Ok(())
        });
    }
    let start = Instant::now();
    let child = cmd.spawn().map_err(|source| RunError::Spawn { program: job.program.to_string_lossy().into_owned(), source })?;
    let pid = child.id() as i32;
    let _running = Running::register(pid);

    let mut stacks = None;
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut status: libc::c_int = 0;
    let mut ending = None;
    let mut nap = Duration::from_millis(1);
    let mut last_disk_look = start;
    loop {
        let r = {
            // Reaped and struck off together: no stop can reach a reused pid.
            let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            // SAFETY: plain wait4 on our own child, with valid out-pointers.
            let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut rusage) };
            if r == pid {
                running.retain(|p| *p != pid);
            }
            r
        };
        if r == pid {
            break;
        }
        if r < 0 {
            return Err(RunError::Io(std::io::Error::last_os_error()));
        }
        if over_cap(&[out_path, err_path], job.limits.output_bytes) {
            ending = Some(Ending::OutputCapped);
        } else if !sandboxed && last_disk_look.elapsed() >= Duration::from_millis(50) && {
            last_disk_look = Instant::now();
            job.walls.capped.iter().any(|d| written(d) > JOB_WRITE_BYTES)
        } {
            ending = Some(Ending::DiskCapped);
        } else if start.elapsed() >= job.limits.wall {
            if job.stacks_on_timeout {
                // In the sandbox the program is a grandchild of bubblewrap; its host pid is what a debugger needs.
                let target = if sandboxed { sandbox::program_pid(pid) } else { pid };
                stacks = Some(stacks::capture(target));
            }
            ending = Some(Ending::TimedOut);
        }
        if ending.is_some() {
            break;
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
    let duration = start.elapsed();
    // The job's processes, also those that left its session: in the sandbox they are
    // bubblewrap's descendants (its pid namespace dies with it); without it, they carry the job's token.
    // On the portable path there is no /proc to find them by: the process group is all there is.
    let portable = crate::os::portable();
    let mut rest = if portable { Vec::new() } else { sandbox::descendants(pid) };
    if contained && !sandboxed && uid.is_none() && !portable {
        rest.extend(sandbox::holding_token(&token));
    }
    kill_group(pid);
    for p in &rest {
        // SAFETY: signalling processes of this job; ESRCH when already gone.
        unsafe { libc::kill(*p, libc::SIGKILL) };
    }
    if ending.is_some() {
        Running::unregister(pid);
        // SAFETY: as above; blocking reap of the killed child.
        unsafe { libc::wait4(pid, &mut status, 0, &mut rusage) };
    }
    if ending.is_none() && over_cap(&[out_path, err_path], job.limits.output_bytes) {
        ending = Some(Ending::OutputCapped);
    }
    let ending = ending.unwrap_or_else(|| {
        let code = libc::WEXITSTATUS(status);
        if libc::WIFEXITED(status) && sandboxed && (129..129 + 64).contains(&code) {
            // bubblewrap reports a program killed by signal n as exit status 128 + n.
            Ending::Signalled(code - 128)
        } else if libc::WIFEXITED(status) {
            Ending::Exited(code)
        } else {
            Ending::Signalled(libc::WTERMSIG(status))
        }
    });
    Ok(Outcome {
        ending,
        stdout: read_capped(out_path, job.limits.output_bytes)?,
        stderr: read_capped(err_path, job.limits.output_bytes)?,
        duration,
        max_rss_kib: rusage.ru_maxrss.max(0) as u64,
        stacks,
        memory_capped: false,
    })
}

static JOBS: AtomicU64 = AtomicU64::new(0);

/// The jobs this process runs now, by their process group (each job leads its own).
static RUNNING: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// A job in [`RUNNING`] from its start until it is reaped (or the runner gives up on it).
struct Running(i32);

impl Running {
    fn register(pid: i32) -> Running {
        RUNNING.lock().unwrap_or_else(|e| e.into_inner()).push(pid);
        Running(pid)
    }
    fn unregister(pid: i32) {
        RUNNING.lock().unwrap_or_else(|e| e.into_inner()).retain(|p| *p != pid);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        Running::unregister(self.0);
    }
}

/// Kills every job this process runs now, with all of its process group: how `watch`
/// drops a check that an edit made stale. The runner then reports each as it ended.
pub fn stop_running() {
    for pgid in RUNNING.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        kill_group(*pgid);
    }
}

fn over_cap(paths: &[&Path], cap: u64) -> bool {
    paths.iter().any(|p| std::fs::metadata(p).map(|m| m.len() > cap).unwrap_or(false))
}

/// Threads the grader's own user runs now: the process limit counts them too.
fn tasks_of_own_user() -> u64 {
    let me = rustix::process::getuid().as_raw();
    let mut n = 0;
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if e.file_name().to_str().is_some_and(|s| s.parse::<u32>().is_ok()) && std::fs::metadata(e.path()).is_ok_and(|m| m.uid() == me) {
            n += std::fs::read_dir(e.path().join("task")).map(|t| t.count() as u64).unwrap_or(1);
        }
    }
    n
}

/// Bytes a folder tree takes on disk; past 100,000 entries, more than any cap.
fn written(dir: &Path) -> u64 {
    let mut total = 0u64;
    let mut entries = 0u32;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            entries += 1;
            if entries > 100_000 {
                return u64::MAX;
            }
            let Ok(m) = e.path().symlink_metadata() else {
                continue;
            };
            total += m.blocks() * 512;
            if m.is_dir() {
                stack.push(e.path());
            }
        }
    }
    total
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
