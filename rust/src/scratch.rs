//! The kit's temporary folders: each named after the process that made it
//! (`fearless-<pid>-<kind>-XXXXXX`), closed to other users, and removed when dropped. A
//! run that was killed cannot remove its own: the next run removes every folder whose
//! process is gone ([`sweep_in`], from [`crate::contain::sweep_leftovers`]).
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// A fresh folder in the system's temporary folder, for `kind` of use.
pub fn dir(kind: &str) -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix(&format!("fearless-{}-{kind}-", std::process::id())).permissions(std::fs::Permissions::from_mode(0o700)).tempdir()
}

/// The process that made a kit folder of this name, if the name is one of ours.
fn maker(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("fearless-")?;
    let (pid, _) = rest.split_once('-')?;
    pid.parse().ok()
}

/// Whether process `pid` exists (a zombie counts), on any Unix.
pub fn alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid).map_err(|_| ()).and_then(|p| if p > 0 { Ok(p) } else { Err(()) }) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists; EPERM means it does.
    unsafe { libc::kill(pid, 0) == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM) }
}

/// Removes what killed runs left in `tmp` (the system's temporary folder unless testing):
/// every kit folder whose process is gone, and the `fearless-etc-*` folders of older kits.
/// Returns how many it removed.
pub fn sweep_in(tmp: &Path) -> usize {
    let mut removed = 0;
    for e in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let old_kit = name.starts_with("fearless-etc-") && e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|d| d.as_secs() > 3600));
        let orphan = maker(&name).is_some_and(|pid| !alive(pid));
        // Only folders this user owns (another user's are theirs to sweep); root also sweeps
        // what a killed run had given to a job's own user.
        let me = rustix::process::geteuid();
        let mine = me.is_root() || e.metadata().is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == me.as_raw());
        if (old_kit || orphan) && mine && e.file_type().is_ok_and(|t| t.is_dir()) && std::fs::remove_dir_all(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeps_the_folders_of_processes_that_are_gone_and_only_those() {
        let tmp = tempfile::tempdir().unwrap();
        // A pid above the kernel's largest is never alive.
        let gone = tmp.path().join("fearless-4294967-check-abc");
        let live = tmp.path().join(format!("fearless-{}-check-abc", std::process::id()));
        let other = tmp.path().join("fearlessly-1-x");
        for d in [&gone, &live, &other] {
            std::fs::create_dir_all(d.join("inside")).unwrap();
        }
        assert_eq!(sweep_in(tmp.path()), 1);
        assert!(!gone.exists());
        assert!(live.exists() && other.exists());
        assert!(maker(&dir("t").unwrap().path().file_name().unwrap().to_string_lossy()) == Some(std::process::id()));
    }
}
