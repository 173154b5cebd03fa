//! How a job is contained: decided once per job ([`Containment::choose`]) from the job
//! and the machine, each way in its own file, each with its own set-up and clean-up
//! ([`Walled`]). The runner (`crate::runner`) keeps spawning, limits, waiting and
//! collecting; it asks this module how to wrap the job and says which way it ran.
//!
//! - `bubblewrap`: namespaces and a file system of the system, the toolchains and the
//!   job's folders (as a user of the job's own when the grader is root);
//! - `own_user`: without bubblewrap, the grader (root) gives each job an unprivileged uid;
//! - as the grader: without bubblewrap or root, limits and process groups only;
//! - the portable path (`os::portable`): off Linux, POSIX limits and a process group;
//! - `cgroup`: a total memory and process limit per job, where the machine offers one.
//!
//! `machine` probes what this machine offers, `procs` reads `/proc`, `os` holds the
//! only Linux-only calls, `toolchain` keeps cargo and rustup from running a planted program.
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};

pub mod bubblewrap;
pub mod cgroup;
pub mod machine;
pub mod os;
pub mod own_user;
pub mod procs;
pub mod toolchain;

pub use machine::{machine, root, Machine};
use own_user::UserSlot;
pub use toolchain::{guard_cargo_configs, rust_toolchain};

/// The largest file a student's program may write.
pub const PROGRAM_FILE_BYTES: u64 = 64 << 20;

/// The most a job that runs student code may write in its working folder (and, in the
/// sandbox, in its `/tmp`): a size-limited tmpfs in the sandbox, a watched total without.
pub const JOB_WRITE_BYTES: u64 = 64 << 20;

/// How one job was contained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Containment {
    /// A kit-owned step (fetching the kit's dependencies): the grader's user, network, no walls.
    Trusted,
    /// In a bubblewrap sandbox; as a user of the job's own when the grader is root.
    Bubblewrap,
    /// Without bubblewrap, as an unprivileged user of the job's own (the grader is root),
    /// in an empty network namespace where the kernel allows one.
    OwnUser,
    /// Without bubblewrap, as the grader's own user: the grader is not root, or it is a
    /// build whose toolchain lies in root's own folders.
    AsGrader,
    /// The portable path (not Linux, or `FEARLESS_PORTABLE=1`): limits and a process group.
    Portable,
}

impl Containment {
    /// The way a job is contained on this machine: `trusted` for the kit's own steps,
    /// `compiler` for a build or a kit test suite (the toolchain must be readable).
    pub fn choose(trusted: bool, compiler: bool, m: &Machine) -> Containment {
        if trusted {
            Containment::Trusted
        } else if m.isolated() {
            Containment::Bubblewrap
        } else if os::portable() {
            Containment::Portable
        } else if root() && (!compiler || m.toolchain_for_all) {
            Containment::OwnUser
        } else {
            Containment::AsGrader
        }
    }

    /// In a bubblewrap sandbox.
    pub fn sandboxed(self) -> bool {
        self == Containment::Bubblewrap
    }

    /// Student code may run in the job: everything but the kit's own steps.
    pub fn contained(self) -> bool {
        self != Containment::Trusted
    }

    /// Runs as a uid of the job's own (root only).
    fn own_uid(self) -> bool {
        self == Containment::OwnUser || (self == Containment::Bubblewrap && root())
    }

    /// What the reader of a report must know when a job ran this way; `None` when nothing.
    pub fn notice(self, m: &Machine) -> Option<String> {
        let how = match self {
            Containment::Trusted | Containment::Bubblewrap => return None,
            Containment::Portable => "as you; they can read and write what you can, and reach the network (no limit on their number of processes either)".to_string(),
            Containment::OwnUser | Containment::AsGrader if root() => {
                let net = if m.own_network { " without network" } else { "" };
                let builds = if m.toolchain_for_all { "" } else { " (builds as root: the toolchain is in root's own folders)" };
                format!("as an unprivileged user{net}{builds}; they can read what every user may read")
            }
            Containment::OwnUser | Containment::AsGrader => "as you; they can read and write what you can, and reach the network".to_string(),
        };
        let why = m.why_not.as_deref().unwrap_or("unknown");
        Some(format!("student code is not isolated ({why}): programs run with resource limits, in a process group of their own, {how}"))
    }
}

/// The job's own folders, as the sandbox sees them.
#[derive(Clone, Debug, Default)]
pub struct Walls {
    pub writable: Vec<PathBuf>,
    pub readable: Vec<PathBuf>,
    /// Folders inside a writable one that the job must not see (made empty); a
    /// writable folder deeper inside one stays visible.
    pub hidden: Vec<PathBuf>,
    /// Writable folders whose total size is capped (see [`JOB_WRITE_BYTES`]):
    /// in the sandbox an empty tmpfs of that size, its content never seen outside.
    pub capped: Vec<PathBuf>,
}

/// What a job's containment set up before the job, to take down after it: the job's own
/// uid (held), its own home folder, and the folders given to that uid.
pub struct Walled {
    pub kind: Containment,
    slot: Option<UserSlot>,
    home: Option<tempfile::TempDir>,
    given: Vec<(PathBuf, (u32, u32, u32))>,
}

impl Walled {
    /// Sets up `kind` for a job that runs `program` in `cwd` with these walls.
    pub fn prepare(kind: Containment, walls: &Walls, program: &Path, cwd: &Path) -> std::io::Result<Walled> {
        let slot = if kind.own_uid() { Some(UserSlot::acquire()?) } else { None };
        let home = if kind.contained() && !kind.sandboxed() { Some(crate::scratch::dir("home")?) } else { None };
        let mut w = Walled { kind, slot, home, given: Vec::new() };
        if let Some(uid) = w.uid() {
            let home = w.home.as_ref().map(|h| h.path().to_path_buf());
            for dir in walls.writable.iter().chain(home.as_ref()) {
                if dir.exists() {
                    w.given.push((dir.clone(), own_user::give(dir, uid)?));
                }
                if !kind.sandboxed() {
                    own_user::open_way(dir);
                }
            }
            if !kind.sandboxed() {
                own_user::open_way(program);
                own_user::open_way(cwd);
            }
        }
        Ok(w)
    }

    /// The job's own uid, when it has one.
    pub fn uid(&self) -> Option<u32> {
        self.slot.as_ref().map(|s| s.uid)
    }

    /// The job's `$HOME`: a folder of its own without the sandbox, the sandbox's `/tmp` in it.
    pub fn home(&self) -> PathBuf {
        self.home.as_ref().map(|h| h.path().to_path_buf()).unwrap_or_else(|| PathBuf::from("/tmp"))
    }

    /// Takes down what [`Walled::prepare`] set up, after the job: every process of the
    /// job's uid, its temporary files, the folders given to it. A uid some process of
    /// which would not die is never handed to another job.
    pub fn clean_up(self) {
        let mut all_gone = true;
        if let Some(uid) = self.uid() {
            all_gone = own_user::kill_user(uid);
            if !self.kind.sandboxed() {
                own_user::sweep_temp(uid);
            }
        }
        for (dir, owner) in &self.given {
            let _ = own_user::give_back(dir, *owner);
        }
        match self.slot {
            Some(s) if !all_gone => s.retire(),
            _ => {}
        }
    }
}

/// In a child between fork and exec: each `(open descriptor, number)` made that numbered
/// descriptor, kept across exec. Each goes out of the way first (a source may hold the number
/// another needs; a source already at its number would keep its close-on-exec flag).
/// Raw system calls only, no allocation; at most 8 descriptors.
pub fn place_fds(fds: &[(RawFd, RawFd)]) -> std::io::Result<()> {
    let mut high = [(-1, -1); 8];
    for (i, (src, dst)) in fds.iter().enumerate().take(high.len()) {
        // SAFETY: duplicating a descriptor this process holds.
        let h = unsafe { libc::fcntl(*src, libc::F_DUPFD_CLOEXEC, 1000) };
        if h < 0 {
            return Err(std::io::Error::last_os_error());
        }
        high[i] = (h, *dst);
    }
    for (h, dst) in high.iter().filter(|(h, _)| *h >= 0) {
        // SAFETY: as above; dup2 clears close-on-exec on the new descriptor.
        if unsafe { libc::dup2(*h, *dst) } < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: closing the temporary copy made above.
        unsafe { libc::close(*h) };
    }
    Ok(())
}

/// Stops what killed graders left running (without bubblewrap, whose `--die-with-parent`
/// ends a job with the grader, a job's program outlives a killed grader) and removes
/// their folders: their jobs' users' processes, their cgroups, their temporary folders.
/// Returns how many folders it removed.
pub fn sweep_leftovers() -> usize {
    own_user::sweep_orphan_users();
    cgroup::sweep_leftovers();
    crate::scratch::sweep_in(&std::env::temp_dir())
}

/// The notices of the ways some jobs ran: what the reader must know, each said once.
pub fn notices(kinds: &[Containment], uncapped: bool) -> Vec<String> {
    let m = machine();
    let mut v: Vec<String> = Vec::new();
    for n in kinds.iter().filter_map(|k| k.notice(m)) {
        if !v.contains(&n) {
            v.push(n);
        }
    }
    if uncapped {
        v.extend(cgroup::support().notice());
    }
    v
}
