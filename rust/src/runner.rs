//! The one runner: every student build and every student run goes through here.
//!
//! Each job gets its own session (and so its own process group), resource limits,
//! a wall-clock limit after which the whole group is killed, and stdout/stderr in
//! files capped at a size, never pipes. On a timeout the threads' stacks are taken
//! before the kill so that a hang can be explained.
//!
//! Every job that is not [`Job::trusted`] is contained (see [`crate::contain`]): in a
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
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::contain::cgroup::{self, JobCgroup};
use crate::contain::{self, bubblewrap, procs, Containment, Machine, Walled, Walls};
use crate::stacks::{self, Stacks};

pub use crate::contain::{JOB_WRITE_BYTES, PROGRAM_FILE_BYTES};

/// How long a hung job is watched, before its stacks are taken, for threads that still
/// wake up (a lock handed from thread to thread) among those that never will.
const RAN_SPAN: Duration = Duration::from_millis(200);

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
    /// Asked while the job runs: true stops it as if at its wall-clock limit (a kit test
    /// that hangs, told by the test's own report channel).
    pub stop_when: Option<StopWhen>,
}

/// A question about a running job's progress, asked as often as the runner looks at it.
#[derive(Clone)]
pub struct StopWhen(Arc<dyn Fn() -> bool + Send + Sync>);

impl std::fmt::Debug for StopWhen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StopWhen")
    }
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
            stop_when: None,
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
    /// Stops the job, as timed out, once `stop` says so.
    pub fn stopped_when(mut self, stop: impl Fn() -> bool + Send + Sync + 'static) -> Job {
        self.stop_when = Some(StopWhen(Arc::new(stop)));
        self
    }
    /// Takes the threads' stacks if the job times out (`on`).
    pub fn with_stacks(mut self, on: bool) -> Job {
        self.stacks_on_timeout = on;
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
    /// CPU time (user and system) of all the job's processes, from its cgroup, else from
    /// the resource usage of its process and the children it waited for; `None` where
    /// neither covers the program (in bubblewrap without a cgroup, whose outer process
    /// does not count the program's time). What the `idle` check compares with `duration`.
    pub cpu: Option<Duration>,
    /// Stacks taken before a timeout's kill; `Err` says why there are none.
    pub stacks: Option<Result<Stacks, String>>,
    /// The job's cgroup memory limit (all its processes together) killed a process of it.
    pub memory_capped: bool,
    /// How the job was contained.
    pub containment: Containment,
    /// A job that runs student code had no cgroup (no total memory limit).
    pub uncapped: bool,
}

impl Outcome {
    /// An outcome to add several jobs' outcomes into (a suite of test programs): a
    /// clean exit, nothing printed yet, contained as the jobs added will say.
    pub fn empty(containment: Containment) -> Outcome {
        Outcome {
            ending: Ending::Exited(0),
            stdout: Vec::new(),
            stderr: Vec::new(),
            duration: Duration::ZERO,
            max_rss_kib: 0,
            cpu: None,
            stacks: None,
            memory_capped: false,
            containment,
            uncapped: false,
        }
    }
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
    STARTING.with(|s| s.borrow().as_ref().map(|tell| tell(job)));
    let logs = crate::scratch::dir("logs")?;
    let paths = [logs.path().join("stdout"), logs.path().join("stderr")];
    let m = contain::machine();
    let kind = Containment::choose(job.trusted, job.compiler, m);
    // A total memory and process limit for the job's processes together, where the machine offers one.
    let cgroup = if kind.contained() && !job.compiler { JobCgroup::for_job(job.limits.address_space, job.limits.processes)? } else { None };
    let walled = Walled::prepare(kind, &job.walls, Path::new(&job.program), &job.cwd)?;
    let joins = cgroup.as_ref().map(|g| g.procs_fds()).unwrap_or([-1; 3]);
    let mut result = spawn(job, m, &walled, &paths, joins).and_then(|(child, token)| wait(job, &walled, child, &token, &paths));
    walled.clean_up();
    if let Ok(o) = &mut result {
        o.memory_capped = cgroup.as_ref().is_some_and(|g| g.memory_capped());
        if let Some(c) = cgroup.as_ref().and_then(|g| g.cpu_time()) {
            o.cpu = Some(o.cpu.map_or(c, |r| r.max(c)));
        }
        o.uncapped = kind.contained() && !job.compiler && cgroup.is_none();
        let uncapped = o.uncapped;
        RECORD.with(|r| r.borrow_mut().as_mut().map(|ran| ran.add(kind, uncapped)));
    }
    // Kills what is left in the cgroup, and removes it.
    drop(cgroup);
    trace(job, &result);
    result
}

/// `FEARLESS_TRACE=1`: each job's command line and wall time on stderr, for whoever
/// wants to see where a check's time goes.
fn trace(job: &Job, result: &Result<Outcome, RunError>) {
    if std::env::var_os("FEARLESS_TRACE").is_none_or(|v| v.is_empty() || v == "0") {
        return;
    }
    let program = Path::new(&job.program).file_name().unwrap_or_default().to_string_lossy().into_owned();
    let args: Vec<String> = job.args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let took = result.as_ref().map(|o| format!("{:.2} s", o.duration.as_secs_f64())).unwrap_or_else(|e| format!("failed: {e}"));
    eprintln!("fearless: {took}  {program} {}", args.join(" "));
}

/// How the jobs of one piece of work ran (a lesson's check): the ways they were
/// contained, and whether one that runs student code had no cgroup. What a report's
/// notices say, from the results it holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ran {
    pub kinds: Vec<Containment>,
    pub uncapped: bool,
}

impl Ran {
    fn add(&mut self, kind: Containment, uncapped: bool) {
        if !self.kinds.contains(&kind) {
            self.kinds.push(kind);
        }
        self.uncapped |= uncapped;
    }

    /// Adds what `other` ran.
    pub fn merge(&mut self, other: &Ran) {
        for k in &other.kinds {
            self.add(*k, false);
        }
        self.uncapped |= other.uncapped;
    }

    /// What the reader must know about how these jobs ran: nothing when every job that
    /// ran student code was in bubblewrap and a cgroup (or none ran).
    pub fn notices(&self) -> Vec<String> {
        contain::notices(&self.kinds, self.uncapped)
    }

    /// How `outcome`'s job ran.
    pub fn of(outcome: &Outcome) -> Ran {
        Ran { kinds: vec![outcome.containment], uncapped: outcome.uncapped }
    }
}

thread_local! {
    /// Where [`run`] notes how each job ran, while [`recording`] is on in this thread.
    static RECORD: std::cell::RefCell<Option<Ran>> = const { std::cell::RefCell::new(None) };
    /// Who [`run`] tells of each job as it starts, while [`telling`] is on in this thread.
    static STARTING: std::cell::RefCell<Option<Starting>> = const { std::cell::RefCell::new(None) };
}

/// What [`telling`] calls as each job starts.
type Starting = Box<dyn Fn(&Job)>;

/// Runs `f`, telling `starting` of each job it starts in this thread (a check tells
/// the build of a test suite from its run, which the backend does in one call).
pub fn telling<T>(starting: impl Fn(&Job) + 'static, f: impl FnOnce() -> T) -> T {
    /// Puts the outer listener back, also when `f` panics.
    struct Restore(Option<Starting>);
    impl Drop for Restore {
        fn drop(&mut self) {
            STARTING.with(|s| s.replace(self.0.take()));
        }
    }
    let _restore = Restore(STARTING.with(|s| s.replace(Some(Box::new(starting)))));
    f()
}

/// Runs `f`, and says how every job it ran in this thread was contained (the checks of
/// one lesson run their jobs in the thread that checks it).
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Ran) {
    /// Puts the outer recording back, also when `f` panics (a grader catches that).
    struct Restore(Option<Option<Ran>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                RECORD.with(|r| r.replace(outer));
            }
        }
    }
    let mut restore = Restore(Some(RECORD.with(|r| r.replace(Some(Ran::default())))));
    let value = f();
    let outer = restore.0.take().unwrap_or_default();
    let ran = RECORD.with(|r| r.replace(outer)).unwrap_or_default();
    // A recording inside another: the outer one saw these jobs too.
    RECORD.with(|r| {
        if let Some(o) = r.borrow_mut().as_mut() {
            o.merge(&ran);
        }
    });
    (value, ran)
}

/// Runs `f` in a thread of `scope`, its jobs recorded where the calling thread records
/// them ([`recording`]): the checks of one lesson may run independent jobs at once.
pub fn spawn_recorded<'scope, T: Send + 'scope>(scope: &'scope std::thread::Scope<'scope, '_>, f: impl FnOnce() -> T + Send + 'scope) -> Recorded<'scope, T> {
    Recorded(scope.spawn(|| recording(f)))
}

/// A thread of [`spawn_recorded`].
pub struct Recorded<'scope, T>(std::thread::ScopedJoinHandle<'scope, (T, Ran)>);

impl<T> Recorded<'_, T> {
    /// Waits for the thread, adds how its jobs ran to this thread's recording, and
    /// returns its value (`None` when it panicked).
    pub fn join(self) -> Option<T> {
        let (value, ran) = self.0.join().ok()?;
        RECORD.with(|r| {
            if let Some(o) = r.borrow_mut().as_mut() {
                o.merge(&ran);
            }
        });
        Some(value)
    }
}

/// Where the process limit is set: by the kernel's count for the job's own user (root),
/// inside the user namespace (bubblewrap without root), or on top of what the grader's
/// user already runs. Returns (the job's `RLIMIT_NPROC`, the limit inside the namespace).
fn process_limit(job: &Job, walled: &Walled) -> (Option<u64>, Option<u64>) {
    let n = job.limits.processes;
    match walled.kind {
        Containment::Bubblewrap if !contain::root() => (None, n),
        // The limit counts every process of the user, and only Linux's /proc says how many run now.
        Containment::Portable => (None, None),
        _ if walled.uid().is_none() && !contain::root() => (n.map(|n| n + procs::tasks_of(rustix::process::getuid().as_raw())), None),
        _ => (n, None),
    }
}

/// The command that runs the job: in the sandbox, or as it is; with the kept environment
/// when contained, and the job's token (to find what left its session) without the sandbox.
fn command(job: &Job, m: &Machine, walled: &Walled, nproc_inside: Option<u64>, token: &str) -> Command {
    let kind = walled.kind;
    let mut cmd = if kind.sandboxed() {
        let argv = bubblewrap::argv(m, &job.walls, &job.cwd, &job.program, &job.args, walled.uid(), nproc_inside);
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).current_dir("/");
        cmd
    } else {
        let mut cmd = Command::new(&job.program);
        cmd.args(&job.args).current_dir(&job.cwd);
        cmd
    };
    if kind.contained() {
        cmd.env_clear().envs(m.env(&walled.home()));
        if !kind.sandboxed() {
            cmd.env("FEARLESS_JOB", token);
        }
    }
    for (k, v) in &job.env {
        cmd.env(k, v);
    }
    cmd
}

/// Starts the job: its own session, cgroup, descriptors, user and limits, set in the
/// child before the program runs. Returns the child and the job's token.
fn spawn(job: &Job, m: &Machine, walled: &Walled, paths: &[PathBuf; 2], joins: [RawFd; 3]) -> Result<(Child, String), RunError> {
    let kind = walled.kind;
    let (nproc, nproc_inside) = process_limit(job, walled);
    let token = format!("{}-{}", std::process::id(), JOBS.fetch_add(1, Ordering::Relaxed));
    let mut cmd = command(job, m, walled, nproc_inside, &token);
    cmd.stdin(Stdio::null()).stdout(File::create(&paths[0])?).stderr(File::create(&paths[1])?);
    // Descriptors the job inherits: its own, and in the sandbox the data of its /etc files.
    let etc = if kind.sandboxed() { bubblewrap::etc_fds()? } else { Vec::new() };
    let inherit: Vec<(RawFd, RawFd)> = job.fds.iter().map(|(fd, n)| (fd.as_raw_fd(), *n)).chain(etc.iter().map(|(fd, n)| (fd.as_raw_fd(), *n))).collect();
    // Without bubblewrap, root still gives the job an empty network and its own user;
    // std would change the user before this code runs, too early to unshare.
    let unshare_net = kind.contained() && !kind.sandboxed() && m.own_network;
    let become_user = if kind.sandboxed() { None } else { walled.uid() };
    let limits = job.limits.clone();
    // SAFETY: only async-signal-safe calls (raw system calls) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // Into the job's cgroup before anything of the job runs.
            cgroup::join(&joins)?;
            rustix::process::setsid()?;
            contain::place_fds(&inherit)?;
            if unshare_net {
                contain::os::unshare_network()?;
            }
            if let Some(u) = become_user {
                contain::os::become_user(u)?;
            }
            set_limits(&limits, nproc)
        });
    }
    let child = spawn_past_busy(&mut cmd).map_err(|source| RunError::Spawn { program: job.program.to_string_lossy().into_owned(), source })?;
    Ok((child, token))
}

/// Held (shared) while a job is forked and until it has exec'd; held alone while the kit
/// writes a program. A child forked while another thread has a program open for writing
/// holds that descriptor until it execs, and an exec of the program meanwhile fails with
/// "Text file busy" (ETXTBSY).
static FORKING: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Copies a program the kit will run (a build's product, a kept build) so that no job
/// forked meanwhile inherits it open for writing.
pub fn copy_program(from: &Path, to: &Path) -> std::io::Result<()> {
    let _alone = FORKING.write().unwrap_or_else(|e| e.into_inner());
    std::fs::copy(from, to).map(|_| ())
}

/// Spawns while no program is being written; tries again while the program is "busy"
/// (ETXTBSY), which a fork outside the runner (a stack tool's, a test's) can still cause.
/// The failed child ran nothing of the job.
fn spawn_past_busy(cmd: &mut Command) -> std::io::Result<Child> {
    let mut attempt = 0u64;
    loop {
        let forking = FORKING.read().unwrap_or_else(|e| e.into_inner());
        let spawned = cmd.spawn();
        drop(forking);
        match spawned {
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::TXTBSY.raw_os_error()) && attempt < 40 => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(5 * attempt.min(10)));
            }
            other => return other,
        }
    }
}

/// The job's resource limits, in the child before exec (raw system calls only).
fn set_limits(limits: &Limits, nproc: Option<u64>) -> std::io::Result<()> {
    use rustix::process::{setrlimit, Resource, Rlimit};
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
    set(Resource::Core, Some(0))
}

/// How a job's wait ended: its status and resource usage, or why the runner stopped it.
struct Waited {
    ending: Option<Ending>,
    status: libc::c_int,
    rusage: libc::rusage,
    stacks: Option<Result<Stacks, String>>,
}

/// Waits for the job's end, or stops it at a limit (output, disk, wall clock; stacks
/// taken first on a timeout), then kills what is left of it and collects its outcome.
fn wait(job: &Job, walled: &Walled, child: Child, token: &str, paths: &[PathBuf; 2]) -> Result<Outcome, RunError> {
    let start = Instant::now();
    let pid = child.id() as i32;
    let _running = Running::register(pid);
    let mut w = watch(job, walled, pid, paths, start)?;
    let duration = start.elapsed();
    kill_leftovers(walled, pid, token);
    if w.ending.is_some() {
        Running::unregister(pid);
        // SAFETY: blocking reap of our own killed child, with valid out-pointers.
        unsafe { libc::wait4(pid, &mut w.status, 0, &mut w.rusage) };
    }
    let [out, err] = paths.each_ref().map(|p| p.as_path());
    if w.ending.is_none() && over_cap(&[out, err], job.limits.output_bytes) {
        w.ending = Some(Ending::OutputCapped);
    }
    let ending = w.ending.unwrap_or_else(|| ended(w.status, walled.kind.sandboxed()));
    Ok(Outcome {
        ending,
        stdout: read_capped(out, job.limits.output_bytes)?,
        stderr: read_capped(err, job.limits.output_bytes)?,
        duration,
        max_rss_kib: w.rusage.ru_maxrss.max(0) as u64,
        cpu: (!walled.kind.sandboxed()).then(|| timeval(w.rusage.ru_utime) + timeval(w.rusage.ru_stime)),
        stacks: w.stacks,
        memory_capped: false,
        containment: walled.kind,
        uncapped: false,
    })
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
}

/// Polls the job until it ends or passes a limit.
fn watch(job: &Job, walled: &Walled, pid: i32, paths: &[PathBuf; 2], start: Instant) -> Result<Waited, RunError> {
    // SAFETY: a plain C struct, all zeroes is a valid value.
    let mut w = Waited { ending: None, status: 0, rusage: unsafe { std::mem::zeroed() }, stacks: None };
    let mut nap = Duration::from_millis(1);
    let mut last_disk_look = start;
    loop {
        let r = {
            // Reaped and struck off together: no stop can reach a reused pid.
            let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            // SAFETY: plain wait4 on our own child, with valid out-pointers.
            let r = unsafe { libc::wait4(pid, &mut w.status, libc::WNOHANG, &mut w.rusage) };
            if r == pid {
                running.retain(|p| *p != pid);
            }
            r
        };
        if r == pid {
            return Ok(w);
        }
        if r < 0 {
            return Err(RunError::Io(std::io::Error::last_os_error()));
        }
        if over_cap(&[&paths[0], &paths[1]], job.limits.output_bytes) {
            w.ending = Some(Ending::OutputCapped);
        } else if !walled.kind.sandboxed() && last_disk_look.elapsed() >= Duration::from_millis(50) && {
            last_disk_look = Instant::now();
            job.walls.capped.iter().any(|d| written(d) > JOB_WRITE_BYTES)
        } {
            w.ending = Some(Ending::DiskCapped);
        } else if start.elapsed() >= job.limits.wall || job.stop_when.as_ref().is_some_and(|s| (s.0)()) {
            if job.stacks_on_timeout {
                // In the sandbox the program is a grandchild of bubblewrap; its host pid is what a debugger needs.
                let target = if walled.kind.sandboxed() { procs::program_pid(pid) } else { pid };
                // Before the debugger stops every thread: who still wakes up now and then.
                let ran = if walled.kind == Containment::Portable { Vec::new() } else { procs::threads_that_ran(target, RAN_SPAN) };
                w.stacks = Some(stacks::capture(target).map(|s| Stacks { ran, ..s }));
            }
            w.ending = Some(Ending::TimedOut);
        }
        if w.ending.is_some() {
            return Ok(w);
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
}

/// Kills the job's process group and its processes that left it: in the sandbox they are
/// bubblewrap's descendants (its pid namespace dies with it); without it, they carry the
/// job's token. On the portable path there is no /proc to find them by: the group is all.
fn kill_leftovers(walled: &Walled, pid: i32, token: &str) {
    let kind = walled.kind;
    let mut rest = if kind == Containment::Portable { Vec::new() } else { procs::descendants(pid) };
    if kind.contained() && !kind.sandboxed() && kind != Containment::Portable && walled.uid().is_none() {
        rest.extend(procs::holding_token(token));
    }
    kill_group(pid);
    for p in &rest {
        // SAFETY: signalling processes of this job; ESRCH when already gone.
        unsafe { libc::kill(*p, libc::SIGKILL) };
    }
}

/// How a job that ended by itself ended, from its wait status.
fn ended(status: libc::c_int, sandboxed: bool) -> Ending {
    let code = libc::WEXITSTATUS(status);
    if libc::WIFEXITED(status) && sandboxed && (129..129 + 64).contains(&code) {
        // bubblewrap reports a program killed by signal n as exit status 128 + n.
        Ending::Signalled(code - 128)
    } else if libc::WIFEXITED(status) {
        Ending::Exited(code)
    } else {
        Ending::Signalled(libc::WTERMSIG(status))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A program still open for writing when its job starts (as a copy is, for a moment,
    /// in a child another thread forked) starts once the writer lets go.
    #[test]
    fn a_program_busy_for_a_moment_still_starts() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("prog");
        std::fs::copy("/bin/true", &program).unwrap();
        let writer = std::fs::OpenOptions::new().write(true).open(&program).unwrap();
        let letting_go = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(writer);
        });
        let started = spawn_past_busy(&mut Command::new(&program));
        letting_go.join().unwrap();
        let status = started.expect("the program starts once it is no longer open for writing").wait().unwrap();
        assert!(status.success(), "{status:?}");
    }
}
