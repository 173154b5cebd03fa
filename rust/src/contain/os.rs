//! The one place where the kit calls what only Linux has: network namespaces, the
//! saved-uid calls, abstract socket names, extended attributes with Linux's signature.
//!
//! Everything else runs on any Unix (macOS included) through the portable path: resource
//! limits, a process group per job, `kill`. [`portable`] says which path this process
//! takes: always off Linux, and on Linux when `FEARLESS_PORTABLE=1` forces it (how the
//! portable path is tested on a Linux machine). On the portable path the kit never calls
//! a function of this file that answers `Unsupported` elsewhere, and never reads `/proc`.
use std::io;
use std::os::unix::net::UnixListener;

/// The portable path: no namespaces, no users of the jobs' own, no cgroups, no `/proc`.
pub fn portable() -> bool {
    !cfg!(target_os = "linux") || std::env::var("FEARLESS_PORTABLE").is_ok_and(|v| !v.is_empty() && v != "0")
}

#[cfg(not(target_os = "linux"))]
fn unsupported(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, format!("{what} needs Linux"))
}

/// Moves the calling process into a network namespace of its own (no network at all).
/// Raw system call only: safe between fork and exec.
pub fn unshare_network() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: a raw system call with a constant flag.
        if unsafe { libc::unshare(libc::CLONE_NEWNET) } == 0 {
            return Ok(());
        }
        Err(io::Error::last_os_error())
    }
    #[cfg(not(target_os = "linux"))]
    Err(unsupported("a network namespace"))
}

/// Becomes `uid` (group `uid`, no supplementary groups) for good: real, effective and
/// saved ids. Raw system calls only: safe between fork and exec.
pub fn become_user(uid: u32) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let check = |r: libc::c_long| if r == 0 { Ok(()) } else { Err(io::Error::last_os_error()) };
        // SAFETY: raw system calls with plain integer arguments (and a null list of groups).
        unsafe {
            check(libc::syscall(libc::SYS_setgroups, 0, std::ptr::null::<libc::gid_t>()))?;
            check(libc::syscall(libc::SYS_setresgid, uid, uid, uid))?;
            check(libc::syscall(libc::SYS_setresuid, uid, uid, uid))
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = uid;
        Err(unsupported("a job's own user"))
    }
}

/// Binds the abstract unix socket `name` (no file: it goes with the process); an
/// error when another process holds it.
pub fn hold_name(name: &str) -> io::Result<UnixListener> {
    #[cfg(target_os = "linux")]
    {
        use std::os::linux::net::SocketAddrExt;
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
        UnixListener::bind_addr(&addr)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = name;
        Err(unsupported("an abstract socket name"))
    }
}

/// Whether the file at `path` carries the extended attribute `attr`.
pub fn has_xattr(path: &std::path::Path, attr: &str) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let (Ok(p), Ok(a)) = (std::ffi::CString::new(path.as_os_str().as_bytes()), std::ffi::CString::new(attr)) else {
            return false;
        };
        // SAFETY: valid C strings; a null buffer of size 0 only asks for the size.
        unsafe { libc::getxattr(p.as_ptr(), a.as_ptr(), std::ptr::null_mut(), 0) >= 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (path, attr);
        false
    }
}
