//! A total memory limit per job: a cgroup of its own with a memory limit (no swap) and
//! a process limit, where the grader may make one.
//!
//! The address-space limit ([`crate::runner::Limits::address_space`]) binds each process
//! alone: two processes of a job may each take nearly all of it. A cgroup binds them
//! together. Where it is made, probed once per process ([`support`]):
//!
//! - cgroups v2 (the unified hierarchy offers `memory`): in the grader's own cgroup's
//!   subtree when that is delegated to it (writable without root; marked delegated with
//!   root, as systemd's `Delegate=yes` does). A cgroup that hands out controllers may hold
//!   no process, so the processes of the grader's cgroup move to a leaf of it,
//!   `fearless-grader-…`, and each job gets a sibling. Otherwise, as root, under
//!   `fearless` at the root of the hierarchy.
//! - cgroups v1 (a `memory` hierarchy, and `pids` and `cpuacct` if mounted): under the grader's own
//!   cgroup in each hierarchy (nested, so that a limit on the grader holds too), or under
//!   `fearless` at the root when the grader is in the root cgroup.
//! - neither (or `FEARLESS_NO_CGROUP=1`): no cgroup; each process keeps its own limits
//!   only, and [`Support::notice`] says so.
//!
//! A job's cgroup is named `fearless-<pid namespace>-<grader pid>-<n>`; the job's first
//! process joins it between fork and exec ([`join`]), so everything it starts is inside.
//! At the job's end whatever is left in it is killed and the cgroup removed ([`JobCgroup`]'s
//! drop); cgroups of a grader that was killed are removed by the next probe once its pid is gone.
use std::ffi::CString;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Processes a job's cgroup allows besides the job's own limit: bubblewrap's two, and a margin.
pub const WRAPPER_PROCESSES: u64 = 4;
/// What the total allows above one process's address space (see [`JobCgroup::for_job`]).
pub const HEADROOM_BYTES: u64 = 32 << 20;

/// Which cgroups hold jobs here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

/// What this process can do with cgroups, probed once ([`support`]).
#[derive(Debug)]
pub struct Support {
    pub version: Option<Version>,
    /// Where jobs' cgroups are made: the one folder (v2) or the memory hierarchy's (v1).
    pub memory_base: Option<PathBuf>,
    /// v1 only: where jobs' cgroups are made in the pids hierarchy, when there is one.
    pub pids_base: Option<PathBuf>,
    /// v1 only: where jobs' cgroups are made in the cpuacct hierarchy (their CPU time),
    /// when there is one.
    pub cpuacct_base: Option<PathBuf>,
    /// Why there is no cgroup per job.
    pub why_not: Option<String>,
}

/// The cgroup support of this process, probed on first use.
pub fn support() -> &'static Support {
    static S: OnceLock<Support> = OnceLock::new();
    S.get_or_init(Support::probe)
}

impl Support {
    /// Jobs get a cgroup of their own.
    pub fn available(&self) -> bool {
        self.version.is_some()
    }

    /// What holds, in one line (for the README's words and the tests).
    pub fn describe(&self) -> String {
        match (self.version, &self.memory_base) {
            (Some(Version::V2), Some(base)) => format!("cgroups v2: a cgroup per run under {} (memory.max, no swap, pids.max; CPU time from cpu.stat)", base.display()),
            (Some(Version::V1), Some(base)) => {
                let pids = self.pids_base.as_ref().map(|p| format!(", pids.max under {}", p.display())).unwrap_or_else(|| ", no pids hierarchy".into());
                let cpu = self.cpuacct_base.as_ref().map(|c| format!(", CPU time from cpuacct under {}", c.display())).unwrap_or_else(|| ", no cpuacct hierarchy".into());
                format!("cgroups v1: a memory cgroup per run under {} (limit_in_bytes, memsw when swap is accounted){pids}{cpu}", base.display())
            }
            _ => format!("no cgroup per run: {}", self.why_not.as_deref().unwrap_or("unknown")),
        }
    }

    /// What the reader must know when runs have no total memory limit; `None` when they have one.
    pub fn notice(&self) -> Option<String> {
        if self.available() {
            return None;
        }
        let why = self.why_not.as_deref().unwrap_or("unknown");
        Some(format!(
            "no total memory limit per run ({why}): each process of a student's program is limited to the lesson's memory on its own, so one with several processes can take a multiple of it"
        ))
    }

    fn none(why: impl Into<String>) -> Support {
        Support { version: None, memory_base: None, pids_base: None, cpuacct_base: None, why_not: Some(why.into()) }
    }

    fn probe() -> Support {
        if super::os::portable() {
            return Support::none("cgroups need Linux");
        }
        if std::env::var("FEARLESS_NO_CGROUP").is_ok_and(|v| !v.is_empty() && v != "0") {
            return Support::none("FEARLESS_NO_CGROUP is set");
        }
        let mounts = parse_mountinfo(&std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default());
        let own = parse_proc_cgroup(&std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default());
        let v2 = mounts.iter().find(|m| m.fstype == "cgroup2" && controllers(&m.point).iter().any(|c| c == "memory"));
        let v1_memory = mounts.iter().find(|m| m.fstype == "cgroup" && m.options.iter().any(|o| o == "memory"));
        let v1_pids = mounts.iter().find(|m| m.fstype == "cgroup" && m.options.iter().any(|o| o == "pids"));
        let v1_cpuacct = mounts.iter().find(|m| m.fstype == "cgroup" && m.options.iter().any(|o| o == "cpuacct"));
        // What a killed grader left, before anything new is made.
        for m in [v2, v1_memory, v1_pids, v1_cpuacct].into_iter().flatten() {
            sweep(&m.point);
        }
        let support = if let Some(m) = v2 {
            let rel = own.iter().find(|(id, _, _)| *id == 0).map(|(_, _, p)| p.as_str());
            match v2_base(m, rel) {
                Ok(base) => Support { version: Some(Version::V2), memory_base: Some(base), pids_base: None, cpuacct_base: None, why_not: None },
                Err(why) => Support::none(format!("cgroups v2: {why}")),
            }
        } else if let Some(m) = v1_memory {
            let base_in = |m: &Mount, controller: &str| -> Result<PathBuf, String> {
                let rel = own.iter().find(|(_, cs, _)| cs.iter().any(|c| c == controller)).map(|(_, _, p)| p.as_str());
                let dir = rel.and_then(|r| under(m, r)).unwrap_or_else(|| m.point.clone());
                if !writable(&dir) {
                    return Err(format!("the grader may not write its {controller} cgroup {}", dir.display()));
                }
                if dir == m.point {
                    let base = dir.join("fearless");
                    make_dir(&base).map_err(|e| format!("cannot make {}: {e}", base.display()))?;
                    Ok(base)
                } else {
                    Ok(dir)
                }
            };
            match base_in(m, "memory") {
                Ok(base) => Support {
                    version: Some(Version::V1),
                    memory_base: Some(base),
                    pids_base: v1_pids.and_then(|p| base_in(p, "pids").ok()),
                    cpuacct_base: v1_cpuacct.and_then(|c| base_in(c, "cpuacct").ok()),
                    why_not: None,
                },
                Err(why) => Support::none(format!("cgroups v1: {why}")),
            }
        } else if mounts.iter().any(|m| m.fstype == "cgroup2") {
            Support::none("cgroups v2 without the memory controller, and no cgroups v1 memory hierarchy")
        } else {
            Support::none("no cgroup file system is mounted")
        };
        if !support.available() {
            return support;
        }
        // A trial job: made, joined by a child, removed.
        match support.trial() {
            Ok(()) => support,
            Err(e) => Support::none(format!("a trial cgroup failed under {} ({e})", support.memory_base.as_deref().unwrap_or(Path::new("?")).display())),
        }
    }

    fn trial(&self) -> std::io::Result<()> {
        let g = JobCgroup::make(self, Some(64 << 20), Some(16))?;
        let fds = g.procs_fds();
        // SAFETY: the child only makes raw system calls (getpid, write, _exit).
        let joined = unsafe {
            let child = libc::fork();
            if child == 0 {
                libc::_exit(if join(&fds).is_ok() { 0 } else { 1 });
            }
            let mut st = 0;
            child > 0 && libc::waitpid(child, &mut st, 0) == child && libc::WIFEXITED(st) && libc::WEXITSTATUS(st) == 0
        };
        if joined {
            Ok(())
        } else {
            Err(std::io::Error::other("a process cannot join it"))
        }
    }
}

/// Where job cgroups go with cgroups v2 (see the module's words).
fn v2_base(m: &Mount, own_rel: Option<&str>) -> Result<PathBuf, String> {
    let own = own_rel.and_then(|r| under(m, r));
    let mut why = String::from("the grader is not root and its cgroup is not delegated to it");
    if let Some(own) = &own {
        // A grader started by one (its leaf): its parent hands out the controllers already.
        if own.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("fearless-grader-")) {
            if let Some(parent) = own.parent() {
                if subtree_control(parent).iter().any(|c| c == "memory") && writable(parent) {
                    return Ok(parent.to_path_buf());
                }
            }
        }
        let delegated = if root() { is_delegated(own) } else { writable(own) && writable(&own.join("cgroup.subtree_control")) };
        // Only a cgroup of the grader's own: moving a shell or a desktop's other programs
        // into a leaf to hand out controllers is not the grader's to do.
        let others: Vec<i32> = procs(own).into_iter().filter(|p| *p != std::process::id() as i32).collect();
        if *own != m.point && delegated && !others.is_empty() && !subtree_control(own).iter().any(|c| c == "memory") {
            why = format!(
                "the grader's cgroup {} holds other processes ({} of them): start the grader in a cgroup of its own (`systemd-run --user --scope -p Delegate=yes fearless grade ...`)",
                own.display(),
                others.len()
            );
        } else if *own != m.point && delegated {
            if !controllers(own).iter().any(|c| c == "memory") {
                why = format!("the memory controller is not enabled for the grader's cgroup {}", own.display());
            } else {
                match evacuate(own) {
                    Ok(()) => return Ok(own.clone()),
                    Err(e) => why = format!("cannot hand out controllers in the grader's cgroup {} ({e})", own.display()),
                }
            }
        }
    }
    if root() {
        let top = &m.point;
        enable(top).map_err(|e| format!("cannot enable memory in {} ({e})", top.display()))?;
        let base = top.join("fearless");
        make_dir(&base).map_err(|e| format!("cannot make {} ({e})", base.display()))?;
        enable(&base).map_err(|e| format!("cannot enable memory in {} ({e})", base.display()))?;
        return Ok(base);
    }
    Err(why)
}

/// Moves every process of `own` into a leaf of it, then lets `own` hand out memory and pids.
fn evacuate(own: &Path) -> std::io::Result<()> {
    if subtree_control(own).iter().any(|c| c == "memory") {
        return Ok(());
    }
    let leaf = own.join(format!("fearless-grader-{}-{}", pid_namespace(), std::process::id()));
    make_dir(&leaf)?;
    for _ in 0..20 {
        let left = procs(own);
        if left.is_empty() {
            break;
        }
        for p in left {
            // A process that ended meanwhile cannot move: not an error.
            let _ = std::fs::write(leaf.join("cgroup.procs"), p.to_string());
        }
    }
    enable(own)
}

/// Lets `dir` hand out memory (required) and pids (when offered) to its children.
fn enable(dir: &Path) -> std::io::Result<()> {
    let on = subtree_control(dir);
    if !on.iter().any(|c| c == "memory") {
        std::fs::write(dir.join("cgroup.subtree_control"), "+memory")?;
    }
    if !on.iter().any(|c| c == "pids") && controllers(dir).iter().any(|c| c == "pids") {
        let _ = std::fs::write(dir.join("cgroup.subtree_control"), "+pids");
    }
    Ok(())
}

static JOBS: AtomicU64 = AtomicU64::new(0);

/// One job's cgroup (one folder with v2, one per hierarchy with v1): killed and removed when dropped.
#[derive(Debug)]
pub struct JobCgroup {
    version: Version,
    /// The memory folder first, then (v1) the pids and cpuacct ones.
    dirs: Vec<PathBuf>,
    /// Where its CPU time is read: the one folder (v2), the cpuacct one (v1).
    cpu_dir: Option<PathBuf>,
    /// Each folder's `cgroup.procs`, open for the job's first process to write its pid.
    procs: Vec<File>,
}

impl JobCgroup {
    /// The cgroup for a job with these limits; `None` when this machine offers none.
    /// The memory limit is the job's address space; the process limit the job's, plus bubblewrap's.
    pub fn for_job(address_space: Option<u64>, processes: Option<u64>) -> std::io::Result<Option<JobCgroup>> {
        let s = support();
        if !s.available() || (address_space.is_none() && processes.is_none()) {
            return Ok(None);
        }
        // A little above one process's address space, so that a single process meets its own
        // limit first (and says so in its own words); the total binds several together.
        JobCgroup::make(s, address_space.map(|a| a + HEADROOM_BYTES), processes.map(|p| p + WRAPPER_PROCESSES)).map(Some)
    }

    fn make(s: &Support, memory: Option<u64>, pids: Option<u64>) -> std::io::Result<JobCgroup> {
        let version = s.version.ok_or_else(|| std::io::Error::other("no cgroup support"))?;
        let name = format!("fearless-{}-{}-{}", pid_namespace(), std::process::id(), JOBS.fetch_add(1, Ordering::Relaxed));
        let mut g = JobCgroup { version, dirs: Vec::new(), cpu_dir: None, procs: Vec::new() };
        let base = s.memory_base.as_ref().ok_or_else(|| std::io::Error::other("no cgroup base"))?;
        let dir = base.join(&name);
        std::fs::create_dir(&dir)?;
        g.dirs.push(dir.clone());
        match version {
            Version::V2 => {
                g.cpu_dir = Some(dir.clone());
                if let Some(m) = memory {
                    write(&dir, "memory.max", &m.to_string())?;
                    optional(write(&dir, "memory.swap.max", "0"))?;
                    // One process over the limit: the whole job goes, as with a timeout.
                    optional(write(&dir, "memory.oom.group", "1"))?;
                }
                if let Some(p) = pids {
                    optional(write(&dir, "pids.max", &p.to_string()))?;
                }
            }
            Version::V1 => {
                if let Some(m) = memory {
                    write(&dir, "memory.limit_in_bytes", &m.to_string())?;
                    // Only where swap is accounted; then no swap either.
                    optional(write(&dir, "memory.memsw.limit_in_bytes", &m.to_string()))?;
                }
                if let (Some(p), Some(pbase)) = (pids, &s.pids_base) {
                    let pdir = pbase.join(&name);
                    std::fs::create_dir(&pdir)?;
                    g.dirs.push(pdir.clone());
                    write(&pdir, "pids.max", &p.to_string())?;
                }
                if let Some(cbase) = &s.cpuacct_base {
                    let cdir = cbase.join(&name);
                    std::fs::create_dir(&cdir)?;
                    g.dirs.push(cdir.clone());
                    g.cpu_dir = Some(cdir);
                }
            }
        }
        for d in &g.dirs {
            g.procs.push(OpenOptions::new().write(true).custom_flags(libc::O_CLOEXEC).open(d.join("cgroup.procs"))?);
        }
        Ok(g)
    }

    /// The descriptors [`join`] writes to, in the job's first process (-1: none).
    pub fn procs_fds(&self) -> [RawFd; 3] {
        let mut fds = [-1; 3];
        for (slot, f) in fds.iter_mut().zip(&self.procs) {
            *slot = f.as_raw_fd();
        }
        fds
    }

    /// The folders of this cgroup.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// The CPU time (user and system) of every process the job had: v2's `cpu.stat`
    /// (every cgroup has it), v1's `cpuacct.usage` (`None` without a cpuacct hierarchy).
    pub fn cpu_time(&self) -> Option<Duration> {
        let dir = self.cpu_dir.as_ref()?;
        match self.version {
            Version::V2 => count(&std::fs::read_to_string(dir.join("cpu.stat")).ok()?, "usage_usec").map(Duration::from_micros),
            Version::V1 => std::fs::read_to_string(dir.join("cpuacct.usage")).ok()?.trim().parse().ok().map(Duration::from_nanos),
        }
    }

    /// Whether the memory limit killed a process of the job.
    pub fn memory_capped(&self) -> bool {
        let Some(dir) = self.dirs.first() else {
            return false;
        };
        match self.version {
            Version::V2 => {
                let events = std::fs::read_to_string(dir.join("memory.events")).unwrap_or_default();
                count(&events, "oom_kill").unwrap_or(0) > 0 || count(&events, "oom_group_kill").unwrap_or(0) > 0
            }
            Version::V1 => {
                let oom = std::fs::read_to_string(dir.join("memory.oom_control")).unwrap_or_default();
                match count(&oom, "oom_kill") {
                    Some(n) => n > 0,
                    // Kernels before 4.13 do not count kills: the limit was reached at least.
                    None => std::fs::read_to_string(dir.join("memory.failcnt")).ok().and_then(|t| t.trim().parse::<u64>().ok()).unwrap_or(0) > 0,
                }
            }
        }
    }
}

impl Drop for JobCgroup {
    fn drop(&mut self) {
        self.procs.clear();
        for d in self.dirs.iter().rev() {
            remove(d, Duration::from_secs(10));
        }
    }
}

/// Puts the calling process into the cgroups whose `cgroup.procs` are open as `fds` (-1: none).
/// Async-signal-safe (raw system calls, no allocation): for the child between fork and exec.
pub fn join(fds: &[RawFd; 3]) -> std::io::Result<()> {
    let mut buf = [0u8; 24];
    // SAFETY: getpid and write are raw system calls; the buffer is ours.
    unsafe {
        let n = format_pid(libc::getpid(), &mut buf);
        for &fd in fds.iter().filter(|fd| **fd >= 0) {
            if libc::write(fd, buf.as_ptr().cast(), n) != n as isize {
                return Err(std::io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

/// Writes `pid` and a newline in decimal at the start of `buf`; returns the length.
fn format_pid(pid: libc::pid_t, buf: &mut [u8; 24]) -> usize {
    let mut digits = [0u8; 20];
    let mut v = pid.unsigned_abs() as u64;
    let mut n = 0;
    loop {
        digits[n] = b'0' + (v % 10) as u8;
        n += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for i in 0..n {
        buf[i] = digits[n - 1 - i];
    }
    buf[n] = b'\n';
    n + 1
}

/// Job cgroups of this process that exist now (each folder, each hierarchy).
pub fn jobs_of_this_process() -> Vec<PathBuf> {
    let s = support();
    let prefix = format!("fearless-{}-{}-", pid_namespace(), std::process::id());
    let mut v = Vec::new();
    for base in [&s.memory_base, &s.pids_base, &s.cpuacct_base].into_iter().flatten() {
        for e in std::fs::read_dir(base).into_iter().flatten().flatten() {
            if e.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)) {
                v.push(e.path());
            }
        }
    }
    v
}

/// Kills what is left in a cgroup and removes it; gives up after `patience`
/// (a later probe removes it once this process is gone).
fn remove(dir: &Path, patience: Duration) {
    let start = Instant::now();
    let kill = dir.join("cgroup.kill");
    loop {
        if kill.exists() {
            let _ = std::fs::write(&kill, "1");
        }
        for p in procs(dir) {
            // SAFETY: signalling a process of the job's cgroup (pids not in our namespace read as 0 and are skipped).
            unsafe { libc::kill(p, libc::SIGKILL) };
        }
        match std::fs::remove_dir(dir) {
            Ok(()) => return,
            Err(e) if e.kind() == ErrorKind::NotFound => return,
            Err(_) if start.elapsed() >= patience => return,
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Removes the job cgroups of graders that are gone (and kills what they hold), in every
/// cgroup hierarchy, without probing for support.
pub fn sweep_leftovers() {
    if super::os::portable() || std::env::var("FEARLESS_NO_CGROUP").is_ok_and(|v| !v.is_empty() && v != "0") {
        return;
    }
    for m in parse_mountinfo(&std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default()) {
        if m.fstype == "cgroup2" || (m.fstype == "cgroup" && m.options.iter().any(|o| o == "memory" || o == "pids")) {
            sweep(&m.point);
        }
    }
}

/// Removes the job cgroups (and empty grader leaves) of graders of this pid namespace
/// that are gone, under `top`.
fn sweep(top: &Path) {
    let ns = pid_namespace();
    let mut stack = vec![(top.to_path_buf(), 0)];
    let mut seen = 0;
    while let Some((dir, depth)) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if !e.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            seen += 1;
            if seen > 20_000 {
                return;
            }
            let name = e.file_name();
            match parse_name(name.to_str().unwrap_or("")) {
                Some(Name { grader_leaf, ns: n, pid }) if n == ns && gone(pid) => {
                    if grader_leaf {
                        let _ = std::fs::remove_dir(e.path());
                    } else {
                        remove(&e.path(), Duration::from_secs(2));
                    }
                }
                Some(_) => {}
                None if depth < 8 => stack.push((e.path(), depth + 1)),
                None => {}
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Name {
    grader_leaf: bool,
    ns: u64,
    pid: i32,
}

/// `fearless-<ns>-<pid>-<n>` (a job) or `fearless-grader-<ns>-<pid>` (a grader's leaf).
fn parse_name(name: &str) -> Option<Name> {
    let rest = name.strip_prefix("fearless-")?;
    let (grader_leaf, rest) = match rest.strip_prefix("grader-") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let parts: Vec<&str> = rest.split('-').collect();
    let want = if grader_leaf { 2 } else { 3 };
    if parts.len() != want || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(Name { grader_leaf, ns: parts[0].parse().ok()?, pid: parts[1].parse().ok()? })
}

fn gone(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists.
    pid > 0 && unsafe { libc::kill(pid, 0) } != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// The inode of this process's pid namespace: pids in cgroup names mean something only in it.
fn pid_namespace() -> u64 {
    std::fs::metadata("/proc/self/ns/pid").map(|m| m.ino()).unwrap_or(0)
}

fn root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Pids in a cgroup's `cgroup.procs` (those of other pid namespaces, shown as 0, left out).
fn procs(dir: &Path) -> Vec<i32> {
    std::fs::read_to_string(dir.join("cgroup.procs")).unwrap_or_default().lines().filter_map(|l| l.trim().parse::<i32>().ok()).filter(|p| *p > 0).collect()
}

fn words(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap_or_default().split_whitespace().map(String::from).collect()
}

fn controllers(dir: &Path) -> Vec<String> {
    words(&dir.join("cgroup.controllers"))
}

fn subtree_control(dir: &Path) -> Vec<String> {
    words(&dir.join("cgroup.subtree_control"))
}

fn write(dir: &Path, file: &str, value: &str) -> std::io::Result<()> {
    OpenOptions::new().write(true).open(dir.join(file))?.write_all(value.as_bytes())
}

/// A file the kernel may not offer (no swap accounting, an older kernel): not an error.
fn optional(r: std::io::Result<()>) -> std::io::Result<()> {
    match r {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

fn make_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::create_dir(dir) {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        r => r,
    }
}

fn writable(path: &Path) -> bool {
    CString::new(path.as_os_str().as_bytes()).is_ok_and(|c| {
        // SAFETY: a valid C string.
        unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
    })
}

/// A cgroup that its manager delegated (systemd marks it with an extended attribute).
fn is_delegated(dir: &Path) -> bool {
    ["trusted.delegate", "user.delegate"].iter().any(|attr| super::os::has_xattr(dir, attr))
}

/// A mount from `/proc/self/mountinfo`.
#[derive(Debug, PartialEq, Eq)]
struct Mount {
    /// The folder of the file system that is mounted (for cgroups: a cgroup path).
    root: String,
    point: PathBuf,
    fstype: String,
    /// The file system's own options (for cgroups v1: its controllers).
    options: Vec<String>,
}

fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (before, after) = line.split_once(" - ")?;
            let fields: Vec<&str> = before.split(' ').collect();
            let mut rest = after.split(' ');
            let fstype = rest.next()?.to_string();
            let _source = rest.next()?;
            let options = rest.next().unwrap_or("").split(',').map(String::from).collect();
            Some(Mount { root: unescape(fields.get(3)?), point: PathBuf::from(unescape(fields.get(4)?)), fstype, options })
        })
        .collect()
}

/// mountinfo writes a space, a tab, a newline and a backslash as `\ooo`.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `/proc/self/cgroup`: (hierarchy id, its controllers, the cgroup's path) per line.
fn parse_proc_cgroup(text: &str) -> Vec<(u32, Vec<String>, String)> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.splitn(3, ':');
            let id = f.next()?.parse().ok()?;
            let cs = f.next()?.split(',').filter(|c| !c.is_empty()).map(String::from).collect();
            Some((id, cs, f.next()?.to_string()))
        })
        .collect()
}

/// The folder of cgroup `path` in the mount `m`, when the mount shows it.
fn under(m: &Mount, path: &str) -> Option<PathBuf> {
    let rel = Path::new(path).strip_prefix(&m.root).ok()?;
    if rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return None;
    }
    Some(m.point.join(rel))
}

/// The number after `key` in a `key value` per line file (memory.events, memory.oom_control).
fn count(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgroup_mountinfo_is_read() {
        let text = "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n\
                    41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n\
                    50 31 0:40 /docker/abc /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n\
                    60 31 0:41 / /mnt/with\\040space rw - ext4 /dev/sda rw\n";
        let m = parse_mountinfo(text);
        assert_eq!(m.len(), 4);
        assert_eq!(m[0], Mount { root: "/".into(), point: "/sys/fs/cgroup/memory".into(), fstype: "cgroup".into(), options: vec!["rw".into(), "memory".into()] });
        assert_eq!(m[1].fstype, "cgroup2");
        assert_eq!(m[2].root, "/docker/abc");
        assert_eq!(m[2].options, vec!["rw", "nsdelegate"]);
        assert_eq!(m[3].point, PathBuf::from("/mnt/with space"));
        assert_eq!(under(&m[2], "/docker/abc/x/y"), Some(PathBuf::from("/sys/fs/cgroup/x/y")));
        assert_eq!(under(&m[2], "/docker/abc"), Some(PathBuf::from("/sys/fs/cgroup")));
        assert_eq!(under(&m[2], "/elsewhere"), None);
        assert_eq!(under(&m[0], "/process_api/d6"), Some(PathBuf::from("/sys/fs/cgroup/memory/process_api/d6")));
    }

    #[test]
    fn cgroup_proc_file_is_read() {
        let own = parse_proc_cgroup("9:name=systemd:/\n4:memory:/process_api/d6\n3:cpu,cpuacct:/\n0::/user.slice/a:b.scope\n");
        assert_eq!(own[1], (4, vec!["memory".to_string()], "/process_api/d6".to_string()));
        assert_eq!(own[2].1, vec!["cpu", "cpuacct"]);
        assert_eq!(own[3], (0, vec![], "/user.slice/a:b.scope".to_string()));
    }

    #[test]
    fn cgroup_counts_are_read() {
        let events = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n";
        assert_eq!(count(events, "oom_kill"), Some(1));
        assert_eq!(count(events, "oom"), Some(1));
        assert_eq!(count("oom_kill_disable 0\nunder_oom 0\n", "oom_kill"), None);
    }

    #[test]
    fn cgroup_names_are_read() {
        assert_eq!(parse_name("fearless-4026531836-123-7"), Some(Name { grader_leaf: false, ns: 4026531836, pid: 123 }));
        assert_eq!(parse_name("fearless-grader-4026531836-123"), Some(Name { grader_leaf: true, ns: 4026531836, pid: 123 }));
        for not in ["fearless", "fearless-1-2", "fearless-grader-1-2-3", "fearless-a-2-3", "user.slice", "fearless-1--3"] {
            assert_eq!(parse_name(not), None, "{not}");
        }
    }

    #[test]
    fn cgroup_pid_is_written_without_allocating() {
        let mut buf = [0u8; 24];
        for (pid, text) in [(0, "0\n"), (7, "7\n"), (4194304, "4194304\n"), (i32::MAX, "2147483647\n")] {
            let n = format_pid(pid, &mut buf);
            assert_eq!(&buf[..n], text.as_bytes());
        }
    }
}
