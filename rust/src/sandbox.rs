//! The walls around a job: what it may see, write and reach, and whom it runs as.
//!
//! With bubblewrap (probed once per process): no network, a file system made of the
//! system folders, the toolchains and the job's own folders only (read-only except
//! the job's), a private `/tmp` and `$HOME`, its own pid namespace, and a synthetic
//! `/etc/passwd`. When the grader is root, every job runs as an unprivileged user of
//! its own (a uid from a range, held for the job's lifetime), because the kernel's
//! process limit does not bind root. Without bubblewrap: limits, process groups and
//! that user only, and [`Containment::notice`] says so.
use std::ffi::{OsStr, OsString};
use std::os::fd::RawFd;
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// How jobs are contained in this process.
#[derive(Debug)]
pub struct Containment {
    /// bubblewrap's path, when it can create namespaces here.
    pub bwrap: Option<PathBuf>,
    /// Why there is no bubblewrap (for the notice).
    pub why_not: Option<String>,
    /// `setpriv` (to become the job's user) when the grader is root.
    setpriv: Option<PathBuf>,
    /// `prlimit` (to set the process limit inside the user namespace) otherwise.
    prlimit: Option<PathBuf>,
    /// Read-only folders every contained job sees: system, toolchains, PATH.
    pub system: Vec<PathBuf>,
    pub rustup_home: Option<PathBuf>,
    pub cargo_home: Option<PathBuf>,
    /// Without bubblewrap, the grader (root) can still give each job an empty network namespace.
    pub own_network: bool,
    /// Without bubblewrap, builds can run as the job's user too: every user may reach the toolchains.
    pub toolchain_for_all: bool,
}

/// Environment variables a contained job keeps from the grader; everything else
/// (tokens, keys) stays outside.
const KEPT_ENV: &[&str] = &[
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "RUSTUP_TOOLCHAIN",
    "OCAMLPATH",
    "OCAMLFIND_CONF",
    "OCAMLFIND_DESTDIR",
    "CAML_LD_LIBRARY_PATH",
    "OCAMLLIB",
    "OPAM_SWITCH_PREFIX",
    "RUSTFLAGS",
    "CARGO_BUILD_JOBS",
    "TZ",
];

pub fn root() -> bool {
    rustix::process::geteuid().is_root()
}

/// The containment of this process, probed on first use.
pub fn containment() -> &'static Containment {
    static C: OnceLock<Containment> = OnceLock::new();
    C.get_or_init(Containment::probe)
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| std::fs::metadata(p).map(|m| m.is_file() && m.mode() & 0o111 != 0).unwrap_or(false))
}

fn home_dir(var: &str, default: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(default))).filter(|p| p.is_dir())
}

impl Containment {
    fn probe() -> Containment {
        // Before any job can run: the temporary folder is where jobs without bubblewrap
        // could put a cargo config (a later build's folder that fails the guard says why).
        let _ = guard_cargo_configs(&std::env::temp_dir());
        let rustup_home = home_dir("RUSTUP_HOME", ".rustup");
        let cargo_home = home_dir("CARGO_HOME", ".cargo");
        let mut system: Vec<PathBuf> = Vec::new();
        // Programs are found through PATH: its folders are what a job may run.
        if let Some(path) = std::env::var_os("PATH") {
            system.extend(std::env::split_paths(&path).filter(|p| p.is_absolute() && p.is_dir()));
        }
        if let Some(r) = &rustup_home {
            system.push(r.clone());
        }
        if let Some(c) = &cargo_home {
            // The registry and the proxies, never credentials.toml.
            for sub in ["bin", "registry", "git", "config.toml", "config"] {
                system.push(c.join(sub));
            }
        }
        for var in ["OPAM_SWITCH_PREFIX", "OCAMLLIB"] {
            if let Some(p) = std::env::var_os(var) {
                system.push(PathBuf::from(p));
            }
        }
        if let Some(extra) = std::env::var_os("FEARLESS_SANDBOX_READ") {
            system.extend(std::env::split_paths(&extra));
        }
        system.retain(|p| p.exists());
        let mut c = Containment {
            bwrap: None,
            why_not: None,
            setpriv: which("setpriv"),
            prlimit: which("prlimit"),
            system,
            rustup_home,
            cargo_home,
            own_network: false,
            toolchain_for_all: false,
        };
        c.toolchain_for_all = [c.rustup_home.clone(), c.cargo_home.as_ref().map(|h| h.join("bin")), std::env::var_os("OPAM_SWITCH_PREFIX").map(PathBuf::from)]
            .iter()
            .flatten()
            .all(|p| reachable_by_all(p));
        let disabled = std::env::var("FEARLESS_NO_BWRAP").is_ok_and(|v| !v.is_empty() && v != "0");
        let found = which("bwrap");
        c.why_not = if crate::os::portable() {
            // Limits and a process group per job, as the user who runs the kit: nothing here needs Linux.
            return Containment { why_not: Some(if cfg!(target_os = "linux") { "FEARLESS_PORTABLE is set" } else { "bubblewrap needs Linux" }.into()), ..c };
        } else if disabled {
            Some("FEARLESS_NO_BWRAP is set".into())
        } else if found.is_none() {
            Some("bubblewrap (bwrap) is not installed".into())
        } else if root() && c.setpriv.is_none() {
            Some("setpriv (util-linux) is missing".into())
        } else if !root() && c.prlimit.is_none() {
            Some("prlimit (util-linux) is missing".into())
        } else {
            None
        };
        if c.why_not.is_some() {
            c.own_network = root() && can_unshare_network();
            return c;
        }
        c.bwrap = found;
        if let Err(why) = c.try_bwrap() {
            c.bwrap = None;
            c.why_not = Some(format!("bwrap cannot create namespaces here ({why})"));
            c.own_network = root() && can_unshare_network();
        }
        c
    }

    /// Runs `true` in a sandbox like a job's, to see that bubblewrap works here.
    fn try_bwrap(&self) -> Result<(), String> {
        let slot = if root() { Some(UserSlot::acquire().map_err(|e| e.to_string())?) } else { None };
        let true_path = which("true").ok_or("no `true` program")?;
        let cwd = std::env::temp_dir();
        let argv = self.bwrap_argv(&Walls::default(), &cwd, true_path.as_os_str(), &[], slot.as_ref().map(|s| s.uid), None);
        let etc = etc_fds().map_err(|e| e.to_string())?;
        let mut cmd = std::process::Command::new(&argv[0]);
        cmd.args(&argv[1..]).stdin(std::process::Stdio::null());
        let fds: Vec<(i32, i32)> = etc.iter().map(|(fd, n)| (std::os::fd::AsRawFd::as_raw_fd(fd), *n)).collect();
        // SAFETY: place_fds makes raw system calls only, as pre_exec requires.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || place_fds(&fds));
        }
        let out = cmd.output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            Err(err.lines().next().unwrap_or("it failed without a word").trim().to_string())
        }
    }

    /// Programs run in a bubblewrap sandbox.
    pub fn isolated(&self) -> bool {
        self.bwrap.is_some()
    }

    /// What the reader must know when programs are not isolated; `None` when they are.
    pub fn notice(&self) -> Option<String> {
        let why = self.why_not.as_ref()?;
        let how = if crate::os::portable() {
            "as you; they can read and write what you can, and reach the network (no limit on their number of processes either)".to_string()
        } else if root() {
            let net = if self.own_network { " without network" } else { "" };
            let builds = if self.toolchain_for_all { "" } else { " (builds as root: the toolchain is in root's own folders)" };
            format!("as an unprivileged user{net}{builds}; they can read what every user may read")
        } else {
            "as you; they can read and write what you can, and reach the network".to_string()
        };
        Some(format!("student code is not isolated ({why}): programs run with resource limits, in a process group of their own, {how}"))
    }

    /// The command line that runs `program args` inside the sandbox.
    pub fn bwrap_argv(&self, walls: &Walls, cwd: &Path, program: &OsStr, args: &[OsString], uid: Option<u32>, nproc: Option<u64>) -> Vec<OsString> {
        let mut a: Vec<OsString> = Vec::new();
        let mut push = |items: &[&OsStr]| a.extend(items.iter().map(|s| s.to_os_string()));
        push(&[self.bwrap.as_deref().unwrap_or(Path::new("bwrap")).as_os_str()]);
        let flags = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session"];
        for f in flags {
            push(&[OsStr::new(f)]);
        }
        if !root() {
            push(&[OsStr::new("--unshare-user"), OsStr::new("--disable-userns")]);
        }
        // The system: /usr and its companions at the top (symlinks on merged-/usr systems).
        push(&["--ro-bind", "/usr", "/usr"].map(OsStr::new));
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            match std::fs::read_link(top) {
                Ok(target) => push(&[OsStr::new("--symlink"), target.as_os_str(), OsStr::new(top)]),
                Err(_) if Path::new(top).is_dir() => push(&[OsStr::new("--ro-bind"), OsStr::new(top), OsStr::new(top)]),
                Err(_) => {}
            }
        }
        push(&["--ro-bind", "/etc", "/etc"].map(OsStr::new));
        // A passwd and group of their own, from descriptors the runner passes (see [`etc_fds`]).
        for (file, fd) in ETC {
            push(&[OsStr::new("--perms"), OsStr::new("0644"), OsStr::new("--ro-bind-data"), OsStr::new(&fd.to_string()), OsStr::new(&format!("/etc/{}", file.0))]);
        }
        push(&["--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--size"].map(OsStr::new));
        push(&[OsStr::new(&crate::runner::JOB_WRITE_BYTES.to_string()), OsStr::new("--tmpfs"), OsStr::new("/tmp")]);

        // Everything else, parents before children so that a child bind lands inside its parent.
        let mut mounts: Vec<(PathBuf, &str)> = Vec::new();
        for p in &self.system {
            mounts.push((p.clone(), "--ro-bind"));
        }
        for p in &walls.readable {
            mounts.push((p.clone(), "--ro-bind"));
        }
        let prog = Path::new(program);
        if prog.is_absolute() {
            if let Some(dir) = prog.parent() {
                mounts.push((dir.to_path_buf(), "--ro-bind"));
            }
        }
        for p in &walls.writable {
            mounts.push((p.clone(), if walls.capped.contains(p) { "--capped" } else { "--bind" }));
        }
        for p in &walls.hidden {
            mounts.push((p.clone(), "--tmpfs"));
        }
        // (path, binds host content) for every mount so far: /usr and /etc from the host, /tmp empty.
        let mut done: Vec<(PathBuf, bool)> = vec![("/usr".into(), true), ("/etc".into(), true), ("/tmp".into(), false), ("/dev".into(), true), ("/proc".into(), true)];
        let mut order: Vec<usize> = (0..mounts.len()).collect();
        order.sort_by_key(|&i| mounts[i].0.components().count());
        for i in order {
            let (path, how) = &mounts[i];
            let inside = |p: &Path, host: bool| done.iter().any(|(d, h)| *h == host && p.starts_with(d));
            // A read-only view of something already visible (or writable) adds nothing.
            if *how == "--ro-bind" && (inside(path, true) || walls.writable.iter().any(|w| path.starts_with(w))) {
                continue;
            }
            if done.iter().any(|(d, _)| d == path) && *how != "--tmpfs" {
                continue;
            }
            // Folders on the way that the host does not provide, made traversable
            // (bwrap would make them 0700, closed to the job's user).
            for anc in path.ancestors().skip(1).collect::<Vec<_>>().into_iter().rev() {
                let deepest = done.iter().filter(|(d, _)| anc.starts_with(d)).max_by_key(|(d, _)| d.components().count());
                let exists = anc == Path::new("/") || deepest.is_some_and(|(d, host)| *host || d == anc);
                if !exists {
                    a.extend(["--perms", "0755", "--dir"].map(OsString::from));
                    a.push(anc.as_os_str().to_os_string());
                    done.push((anc.to_path_buf(), false));
                }
            }
            if *how == "--tmpfs" {
                a.push("--tmpfs".into());
            } else if *how == "--capped" {
                // Empty, writable by the job's user, and no larger than the cap: writes past it fail with ENOSPC.
                a.extend(["--perms", "0777", "--size"].map(OsString::from));
                a.push(crate::runner::JOB_WRITE_BYTES.to_string().into());
                a.push("--tmpfs".into());
            } else {
                a.push(format!("{how}-try").into());
                a.push(path.as_os_str().to_os_string());
            }
            a.push(path.as_os_str().to_os_string());
            done.push((path.clone(), !matches!(*how, "--tmpfs" | "--capped")));
        }
        a.push("--chdir".into());
        a.push(cwd.as_os_str().to_os_string());
        a.push("--".into());
        if let (Some(uid), Some(setpriv)) = (uid, &self.setpriv) {
            a.push(setpriv.as_os_str().to_os_string());
            a.extend([format!("--reuid={uid}"), format!("--regid={uid}"), "--clear-groups".into(), "--".into()].map(OsString::from));
        } else if let (Some(n), Some(prlimit)) = (nproc, &self.prlimit) {
            // Without root, the process limit is set inside the user namespace, where it
            // counts this job's processes only.
            a.push(prlimit.as_os_str().to_os_string());
            a.extend([format!("--nproc={n}:{n}"), "--".into()].map(OsString::from));
        }
        a.push(program.to_os_string());
        a.extend(args.iter().cloned());
        a
    }

    /// The environment of a contained job: what the tools need, nothing else of the grader's.
    pub fn env(&self, home: &Path) -> Vec<(OsString, OsString)> {
        let mut env: Vec<(OsString, OsString)> = KEPT_ENV.iter().filter_map(|k| std::env::var_os(k).map(|v| (OsString::from(k), v))).collect();
        env.push(("HOME".into(), home.as_os_str().to_os_string()));
        env.push(("TMPDIR".into(), "/tmp".into()));
        if let Some(r) = &self.rustup_home {
            env.push(("RUSTUP_HOME".into(), r.as_os_str().to_os_string()));
        }
        if let Some(c) = &self.cargo_home {
            env.push(("CARGO_HOME".into(), c.as_os_str().to_os_string()));
        }
        if let Some(t) = rust_toolchain() {
            env.retain(|(k, _)| k != "RUSTUP_TOOLCHAIN");
            env.push(("RUSTUP_TOOLCHAIN".into(), t.into()));
        }
        if !env.iter().any(|(k, _)| k == "LANG") {
            env.push(("LANG".into(), "C.UTF-8".into()));
        }
        env
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
    /// Writable folders whose total size is capped (see [`crate::runner::JOB_WRITE_BYTES`]):
    /// in the sandbox an empty tmpfs of that size, its content never seen outside.
    pub capped: Vec<PathBuf>,
}

/// Cargo reads a `.cargo/config.toml` in every folder above the one it runs in, and a
/// config can name a program for cargo to run (a rustc wrapper, a linker). Wherever a
/// folder above `dir` is writable by others (`/tmp` when the kit lives there), the kit
/// takes the name `.cargo` there first, as a folder of the grader's that only it writes,
/// so that no student program and no other user can put a config in cargo's way. One
/// that is there already and not the grader's stops the build. Checked once per folder
/// and process.
pub fn guard_cargo_configs(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::DirBuilderExt;
    static GUARDED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let mut guarded = GUARDED.lock().unwrap_or_else(|e| e.into_inner());
    if guarded.iter().any(|d| d == dir) {
        return Ok(());
    }
    let me = rustix::process::geteuid().as_raw();
    for anc in dir.ancestors() {
        let Ok(m) = std::fs::metadata(anc) else { continue };
        if m.mode() & 0o022 == 0 {
            continue;
        }
        let claim = anc.join(".cargo");
        if let Err(e) = std::fs::DirBuilder::new().mode(0o755).create(&claim) {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                return Err(format!("cannot make {} (cargo would read a config there): {e}", claim.display()));
            }
        }
        let c = std::fs::symlink_metadata(&claim).map_err(|e| format!("{}: {e}", claim.display()))?;
        if !c.is_dir() || c.uid() != me || c.mode() & 0o022 != 0 {
            return Err(format!(
                "{} is not a folder of the grader's alone (owner uid {}): cargo, run by the kit, would read a config from it; remove it, or keep the kit out of folders others may write",
                claim.display(),
                c.uid()
            ));
        }
    }
    guarded.push(dir.to_path_buf());
    Ok(())
}

/// The toolchain rustup would pick for the grader in `/`, pinned for every cargo the kit
/// runs: a `rust-toolchain.toml` above a build folder must not choose the programs cargo runs.
pub fn rust_toolchain() -> Option<&'static str> {
    static TOOLCHAIN: OnceLock<Option<String>> = OnceLock::new();
    TOOLCHAIN
        .get_or_init(|| {
            if let Ok(t) = std::env::var("RUSTUP_TOOLCHAIN") {
                return Some(t);
            }
            let out = std::process::Command::new("rustup").args(["show", "active-toolchain"]).current_dir("/").stderr(std::process::Stdio::null()).output().ok()?;
            String::from_utf8_lossy(&out.stdout).split_whitespace().next().map(String::from)
        })
        .as_deref()
}

/// Every folder down to `path` lets others through, and `path` lets them read.
fn reachable_by_all(path: &Path) -> bool {
    let readable = std::fs::metadata(path).is_ok_and(|m| m.mode() & 0o005 == 0o005);
    readable && path.ancestors().skip(1).all(|a| std::fs::metadata(a).is_ok_and(|m| m.mode() & 0o001 != 0))
}

/// Whether a child can get a network namespace of its own (root without bubblewrap).
fn can_unshare_network() -> bool {
    // SAFETY: the child only makes raw system calls (unshare, _exit).
    unsafe {
        let child = libc::fork();
        if child == 0 {
            libc::_exit(if crate::os::unshare_network().is_ok() { 0 } else { 1 });
        }
        let mut st = 0;
        child > 0 && libc::waitpid(child, &mut st, 0) == child && libc::WIFEXITED(st) && libc::WEXITSTATUS(st) == 0
    }
}

/// The sandbox's `/etc/passwd` and `/etc/group`, and the descriptor each is read from.
const ETC: [((&str, &str), i32); 2] =
    [(("passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"), 8), (("group", "root:x:0:\nnogroup:x:65534:\n"), 9)];

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

/// Pipes holding the sandbox's `/etc` files, for bubblewrap's `--ro-bind-data`: nothing
/// is written to the disk, so nothing is left behind (each descriptor to be given the number beside it).
pub fn etc_fds() -> std::io::Result<Vec<(std::os::fd::OwnedFd, i32)>> {
    let mut out = Vec::new();
    for ((_, text), n) in ETC {
        let (reader, mut writer) = std::io::pipe()?;
        std::io::Write::write_all(&mut writer, text.as_bytes())?;
        drop(writer);
        out.push((reader.into(), n));
    }
    Ok(out)
}

/// An unprivileged uid held by one job at a time, across every grader on the machine:
/// the hold is an abstract unix socket named after the uid, released with the job.
#[derive(Debug)]
pub struct UserSlot {
    pub uid: u32,
    hold: UnixListener,
}

const SLOTS: u32 = 4096;

impl UserSlot {
    pub fn acquire() -> std::io::Result<UserSlot> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let base: u32 = std::env::var("FEARLESS_UID_BASE").ok().and_then(|v| v.parse().ok()).unwrap_or(1_600_000_000);
        let start = std::process::id().wrapping_mul(7919).wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed));
        for i in 0..SLOTS {
            let uid = base + (start.wrapping_add(i) % SLOTS);
            if let Ok(hold) = crate::os::hold_name(&format!("fearless-uid-{uid}")) {
                return Ok(UserSlot { uid, hold });
            }
        }
        Err(std::io::Error::other("every sandbox user is taken"))
    }

    /// The slot of `uid` if no job holds it now.
    fn take(uid: u32) -> Option<UserSlot> {
        crate::os::hold_name(&format!("fearless-uid-{uid}")).ok().map(|hold| UserSlot { uid, hold })
    }

    /// Keeps the uid from every later job of this process (some process of it would not die).
    pub fn retire(self) {
        static RETIRED: std::sync::Mutex<Vec<UnixListener>> = std::sync::Mutex::new(Vec::new());
        RETIRED.lock().unwrap_or_else(|e| e.into_inner()).push(self.hold);
    }
}

/// Gives a folder tree to `uid` (files it does not own yet), so that a job can write
/// there; the top folder closed to everyone else (other jobs' users) meanwhile.
/// Returns the top folder's owner and mode, to give it back with [`give_back`].
pub fn give(dir: &Path, uid: u32) -> std::io::Result<(u32, u32, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(dir)?;
    chown_tree(dir, uid, uid)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    Ok((meta.uid(), meta.gid(), meta.mode() & 0o7777))
}

/// Gives a folder tree back to its owner, with its top folder's mode.
pub fn give_back(dir: &Path, (uid, gid, mode): (u32, u32, u32)) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    chown_tree(dir, uid, gid)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))
}

fn chown_tree(dir: &Path, uid: u32, gid: u32) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.uid() != uid || meta.gid() != gid {
        std::os::unix::fs::lchown(dir, Some(uid), Some(gid))?;
    }
    if meta.is_dir() {
        for e in std::fs::read_dir(dir)? {
            chown_tree(&e?.path(), uid, gid)?;
        }
    }
    Ok(())
}

/// A process that has ended and waits for its parent (often init) to collect it.
pub fn zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')))
}

/// Every live process of `uid` (the job's own user): what is left of a job.
pub fn processes_of(uid: u32) -> Vec<i32> {
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if std::fs::metadata(e.path()).is_ok_and(|m| m.uid() == uid) && !zombie(pid) {
            v.push(pid);
        }
    }
    v
}

/// Kills every process of `uid`, also those that left the job's session, and waits
/// until none is left (a process limit keeps a fork bomb finite). False when some
/// survived a minute of it; the caller must then not hand the uid to another job.
pub fn kill_user(uid: u32) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        let left = processes_of(uid);
        if left.is_empty() {
            return true;
        }
        for pid in &left {
            // SAFETY: signalling a process of the job's own user.
            unsafe { libc::kill(*pid, libc::SIGKILL) };
        }
        // SAFETY: the child only makes raw system calls (setresuid, kill, _exit).
        unsafe {
            let child = libc::fork();
            if child == 0 {
                // As the job's user, kill(-1) reaches exactly that user's processes, also new ones.
                if crate::os::become_user(uid).is_ok() {
                    libc::kill(-1, libc::SIGKILL);
                }
                libc::_exit(0);
            }
            if child > 0 {
                let mut st = 0;
                libc::waitpid(child, &mut st, 0);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    processes_of(uid).is_empty()
}

/// Kills the processes of jobs' users that no job holds any more (those of a grader that
/// was killed: without bubblewrap nothing else stops them). Root only; returns how many users.
pub fn sweep_orphan_users() -> usize {
    if !root() || crate::os::portable() {
        return 0;
    }
    let base: u32 = std::env::var("FEARLESS_UID_BASE").ok().and_then(|v| v.parse().ok()).unwrap_or(1_600_000_000);
    let mut uids: Vec<u32> = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if e.file_name().to_str().is_some_and(|s| s.parse::<u32>().is_ok()) {
            if let Ok(m) = std::fs::metadata(e.path()) {
                if (base..base + SLOTS).contains(&m.uid()) && !uids.contains(&m.uid()) {
                    uids.push(m.uid());
                }
            }
        }
    }
    let mut swept = 0;
    for uid in uids {
        // Held while its processes are killed, so that no new job takes the uid meanwhile.
        if let Some(slot) = UserSlot::take(uid) {
            if kill_user(uid) {
                swept += 1;
            } else {
                slot.retire();
            }
        }
    }
    swept
}

/// Removes what `uid` left in the shared temporary folders (without bubblewrap they are the real ones).
pub fn sweep_temp(uid: u32) {
    for dir in ["/tmp", "/var/tmp", "/dev/shm"] {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if std::fs::symlink_metadata(e.path()).map(|m| m.uid() == uid).unwrap_or(false) {
                let p = e.path();
                let _ = if p.is_dir() && !p.is_symlink() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
            }
        }
    }
}

/// Every process's children, from /proc.
fn children() -> std::collections::HashMap<i32, Vec<i32>> {
    let mut children: std::collections::HashMap<i32, Vec<i32>> = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) {
            // The command may hold spaces and parentheses: the fields start after the last ')'.
            if let Some(ppid) = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<i32>().ok()) {
                children.entry(ppid).or_default().push(p);
            }
        }
    }
    for kids in children.values_mut() {
        kids.sort();
    }
    children
}

/// Every descendant of `pid`, nearest first.
pub fn descendants(pid: i32) -> Vec<i32> {
    let children = children();
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([pid]);
    while let Some(p) = queue.pop_front() {
        for k in children.get(&p).into_iter().flatten() {
            out.push(*k);
            queue.push_back(*k);
        }
    }
    out
}

/// The host pid of the program inside a sandbox started as `pid`: the first
/// descendant that is not bubblewrap itself or the helper that becomes the job's user.
pub fn program_pid(pid: i32) -> i32 {
    let wrapper = |p: i32| {
        std::fs::read_link(format!("/proc/{p}/exe"))
            .ok()
            .and_then(|e| e.file_name().map(|n| n.to_string_lossy().into_owned()))
            .is_some_and(|n| matches!(n.as_str(), "bwrap" | "setpriv" | "prlimit"))
    };
    descendants(pid).into_iter().find(|p| !wrapper(*p)).unwrap_or(pid)
}

/// Processes whose environment carries the job's token (those that left its session).
pub fn holding_token(token: &str) -> Vec<i32> {
    let needle = format!("FEARLESS_JOB={token}\0");
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if let Ok(env) = std::fs::read(e.path().join("environ")) {
            if env.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                v.push(pid);
            }
        }
    }
    v
}

/// Makes the folders above `path` that lie in the system's temporary folder
/// traversable, so that the job's user can reach its own folder without bubblewrap.
pub fn open_way(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let tmp = std::env::temp_dir();
    for anc in path.ancestors().skip(1) {
        if anc == tmp || !anc.starts_with(&tmp) {
            break;
        }
        if let Ok(m) = std::fs::metadata(anc) {
            if m.mode() & 0o001 == 0 {
                let _ = std::fs::set_permissions(anc, std::fs::Permissions::from_mode(m.mode() & 0o7777 | 0o711));
            }
        }
    }
}
