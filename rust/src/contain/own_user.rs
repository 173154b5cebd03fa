//! Jobs as users of their own: when the grader is root, each job runs as an unprivileged
//! uid from a range (held for the job's lifetime), because the kernel's process limit
//! does not bind root; its folders are given to it for the job, and everything it
//! started, and left in the shared temporary folders, is gone with it.
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixListener;
use std::path::Path;

use super::machine::root;
use super::procs::{self, processes_of};

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
            if let Ok(hold) = super::os::hold_name(&format!("fearless-uid-{uid}")) {
                return Ok(UserSlot { uid, hold });
            }
        }
        Err(std::io::Error::other("every sandbox user is taken"))
    }

    /// The slot of `uid` if no job holds it now.
    fn take(uid: u32) -> Option<UserSlot> {
        super::os::hold_name(&format!("fearless-uid-{uid}")).ok().map(|hold| UserSlot { uid, hold })
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
                if super::os::become_user(uid).is_ok() {
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
    if !root() || super::os::portable() {
        return 0;
    }
    let base: u32 = std::env::var("FEARLESS_UID_BASE").ok().and_then(|v| v.parse().ok()).unwrap_or(1_600_000_000);
    let mut uids: Vec<u32> = procs::all().into_iter().map(|p| p.uid).filter(|u| (base..base + SLOTS).contains(u)).collect();
    uids.sort();
    uids.dedup();
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
