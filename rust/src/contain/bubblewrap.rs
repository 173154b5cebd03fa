//! The bubblewrap sandbox: no network, a file system made of the system folders, the
//! toolchains and the job's own folders only (read-only except the job's), a private
//! `/tmp` and `$HOME`, its own pid namespace, and a synthetic `/etc/passwd`.
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::machine::{root, which, Machine};
use super::own_user::UserSlot;
use super::{place_fds, Walls, JOB_WRITE_BYTES};

/// The sandbox's `/etc/passwd` and `/etc/group`, and the descriptor each is read from.
const ETC: [((&str, &str), i32); 2] =
    [(("passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"), 8), (("group", "root:x:0:\nnogroup:x:65534:\n"), 9)];

/// How a folder appears in the sandbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mount {
    /// The host's folder, read-only.
    ReadOnly,
    /// The host's folder, writable.
    Writable,
    /// Empty, writable, no larger than [`JOB_WRITE_BYTES`]: writes past it fail with ENOSPC.
    Capped,
    /// Empty and hidden from the host (a folder the job must not see).
    Hidden,
}

impl Mount {
    /// Whether the folder shows the host's content.
    fn shows_host(self) -> bool {
        matches!(self, Mount::ReadOnly | Mount::Writable)
    }
}

/// Runs `true` in a sandbox like a job's, to see that bubblewrap works here.
pub fn works(m: &Machine) -> Result<(), String> {
    let slot = if root() { Some(UserSlot::acquire().map_err(|e| e.to_string())?) } else { None };
    let true_path = which("true").ok_or("no `true` program")?;
    let cwd = std::env::temp_dir();
    let argv = argv(m, &Walls::default(), &cwd, true_path.as_os_str(), &[], slot.as_ref().map(|s| s.uid), None);
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

/// The command line that runs `program args` inside the sandbox, as `uid` when given
/// (root), else with the process limit `nproc` set inside the user namespace.
pub fn argv(m: &Machine, walls: &Walls, cwd: &Path, program: &OsStr, args: &[OsString], uid: Option<u32>, nproc: Option<u64>) -> Vec<OsString> {
    let mut a: Vec<OsString> = vec![m.bwrap.as_deref().unwrap_or(Path::new("bwrap")).into()];
    let flags = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session"];
    a.extend(flags.map(OsString::from));
    if !root() {
        a.extend(["--unshare-user", "--disable-userns"].map(OsString::from));
    }
    system_mounts(&mut a);
    job_mounts(&mut a, &mounts(m, walls, program), walls);
    a.extend(["--chdir".into(), cwd.as_os_str().to_os_string(), "--".into()]);
    if let (Some(uid), Some(setpriv)) = (uid, &m.setpriv) {
        a.push(setpriv.as_os_str().to_os_string());
        a.extend([format!("--reuid={uid}"), format!("--regid={uid}"), "--clear-groups".into(), "--".into()].map(OsString::from));
    } else if let (Some(n), Some(prlimit)) = (nproc, &m.prlimit) {
        // Without root, the process limit is set inside the user namespace, where it
        // counts this job's processes only.
        a.push(prlimit.as_os_str().to_os_string());
        a.extend([format!("--nproc={n}:{n}"), "--".into()].map(OsString::from));
    }
    a.push(program.to_os_string());
    a.extend(args.iter().cloned());
    a
}

/// The system: /usr and its companions at the top (symlinks on merged-/usr systems), /etc
/// with a passwd and group of its own (from descriptors, see [`etc_fds`]), /dev, /proc, an empty /tmp.
fn system_mounts(a: &mut Vec<OsString>) {
    let mut push = |items: &[&OsStr]| a.extend(items.iter().map(|s| s.to_os_string()));
    push(&["--ro-bind", "/usr", "/usr"].map(OsStr::new));
    for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
        match std::fs::read_link(top) {
            Ok(target) => push(&[OsStr::new("--symlink"), target.as_os_str(), OsStr::new(top)]),
            Err(_) if Path::new(top).is_dir() => push(&[OsStr::new("--ro-bind"), OsStr::new(top), OsStr::new(top)]),
            Err(_) => {}
        }
    }
    push(&["--ro-bind", "/etc", "/etc"].map(OsStr::new));
    for (file, fd) in ETC {
        push(&[OsStr::new("--perms"), OsStr::new("0644"), OsStr::new("--ro-bind-data"), OsStr::new(&fd.to_string()), OsStr::new(&format!("/etc/{}", file.0))]);
    }
    push(&["--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--size"].map(OsStr::new));
    push(&[OsStr::new(&JOB_WRITE_BYTES.to_string()), OsStr::new("--tmpfs"), OsStr::new("/tmp")]);
}

/// Everything else the job sees, parents before children so that a child mount lands inside its parent.
fn mounts(m: &Machine, walls: &Walls, program: &OsStr) -> Vec<(PathBuf, Mount)> {
    let mut mounts: Vec<(PathBuf, Mount)> = Vec::new();
    mounts.extend(m.system.iter().chain(&walls.readable).map(|p| (p.clone(), Mount::ReadOnly)));
    let prog = Path::new(program);
    if let Some(dir) = prog.parent().filter(|_| prog.is_absolute()) {
        mounts.push((dir.to_path_buf(), Mount::ReadOnly));
    }
    for p in &walls.writable {
        mounts.push((p.clone(), if walls.capped.contains(p) { Mount::Capped } else { Mount::Writable }));
    }
    mounts.extend(walls.hidden.iter().map(|p| (p.clone(), Mount::Hidden)));
    mounts.sort_by_key(|(p, _)| p.components().count());
    mounts
}

/// The arguments of `mounts`, skipping what adds nothing, with the folders on the way
/// that the host does not provide made traversable (bwrap would make them 0700,
/// closed to the job's user).
fn job_mounts(a: &mut Vec<OsString>, mounts: &[(PathBuf, Mount)], walls: &Walls) {
    // (path, shows host content) for every mount so far: /usr and /etc from the host, /tmp empty.
    let mut done: Vec<(PathBuf, bool)> = vec![("/usr".into(), true), ("/etc".into(), true), ("/tmp".into(), false), ("/dev".into(), true), ("/proc".into(), true)];
    for (path, how) in mounts {
        let inside = |p: &Path, host: bool| done.iter().any(|(d, h)| *h == host && p.starts_with(d));
        // A read-only view of something already visible (or writable) adds nothing.
        if *how == Mount::ReadOnly && (inside(path, true) || walls.writable.iter().any(|w| path.starts_with(w))) {
            continue;
        }
        if done.iter().any(|(d, _)| d == path) && *how != Mount::Hidden {
            continue;
        }
        for anc in path.ancestors().skip(1).collect::<Vec<_>>().into_iter().rev() {
            let deepest = done.iter().filter(|(d, _)| anc.starts_with(d)).max_by_key(|(d, _)| d.components().count());
            let exists = anc == Path::new("/") || deepest.is_some_and(|(d, host)| *host || d == anc);
            if !exists {
                a.extend(["--perms", "0755", "--dir"].map(OsString::from));
                a.push(anc.as_os_str().to_os_string());
                done.push((anc.to_path_buf(), false));
            }
        }
        match how {
            Mount::Hidden => a.push("--tmpfs".into()),
            Mount::Capped => {
                a.extend(["--perms", "0777", "--size"].map(OsString::from));
                a.push(JOB_WRITE_BYTES.to_string().into());
                a.push("--tmpfs".into());
            }
            Mount::ReadOnly => a.extend(["--ro-bind-try".into(), path.as_os_str().to_os_string()]),
            Mount::Writable => a.extend(["--bind-try".into(), path.as_os_str().to_os_string()]),
        }
        a.push(path.as_os_str().to_os_string());
        done.push((path.clone(), how.shows_host()));
    }
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
