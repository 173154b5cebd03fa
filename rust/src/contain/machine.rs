//! What this machine offers to contain jobs, probed once per process ([`machine`]):
//! bubblewrap and whether it works here, the util-linux helpers, the folders every
//! contained job may read (system, toolchains), and the environment it keeps.
use std::ffi::OsString;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::toolchain::{guard_cargo_configs, rust_toolchain};

/// The machine's means of containment.
#[derive(Debug)]
pub struct Machine {
    /// bubblewrap's path, when it can create namespaces here.
    pub bwrap: Option<PathBuf>,
    /// Why there is no bubblewrap (for the notice).
    pub why_not: Option<String>,
    /// `setpriv` (to become the job's user) when the grader is root.
    pub setpriv: Option<PathBuf>,
    /// `prlimit` (to set the process limit inside the user namespace) otherwise.
    pub prlimit: Option<PathBuf>,
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

/// The machine this process runs on, probed on first use.
pub fn machine() -> &'static Machine {
    static M: OnceLock<Machine> = OnceLock::new();
    M.get_or_init(Machine::probe)
}

pub(super) fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| std::fs::metadata(p).map(|m| m.is_file() && m.mode() & 0o111 != 0).unwrap_or(false))
}

fn home_dir(var: &str, default: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(default))).filter(|p| p.is_dir())
}

/// The folders every contained job may read: PATH's (what a job may run), the toolchains'
/// (rustup's, cargo's registry and proxies but never its credentials, opam's switch).
fn system_folders(rustup_home: Option<&Path>, cargo_home: Option<&Path>) -> Vec<PathBuf> {
    let mut system: Vec<PathBuf> = Vec::new();
    if let Some(path) = std::env::var_os("PATH") {
        system.extend(std::env::split_paths(&path).filter(|p| p.is_absolute() && p.is_dir()));
    }
    system.extend(rustup_home.map(Path::to_path_buf));
    if let Some(c) = cargo_home {
        for sub in ["bin", "registry", "git", "config.toml", "config"] {
            system.push(c.join(sub));
        }
    }
    for var in ["OPAM_SWITCH_PREFIX", "OCAMLLIB"] {
        system.extend(std::env::var_os(var).map(PathBuf::from));
    }
    if let Some(extra) = std::env::var_os("FEARLESS_SANDBOX_READ") {
        system.extend(std::env::split_paths(&extra));
    }
    system.retain(|p| p.exists());
    system
}

impl Machine {
    fn probe() -> Machine {
        // Before any job can run: the temporary folder is where jobs without bubblewrap
        // could put a cargo config (a later build's folder that fails the guard says why).
        let _ = guard_cargo_configs(&std::env::temp_dir());
        let rustup_home = home_dir("RUSTUP_HOME", ".rustup");
        let cargo_home = home_dir("CARGO_HOME", ".cargo");
        let toolchain_for_all = [rustup_home.clone(), cargo_home.as_ref().map(|h| h.join("bin")), std::env::var_os("OPAM_SWITCH_PREFIX").map(PathBuf::from)]
            .iter()
            .flatten()
            .all(|p| reachable_by_all(p));
        let mut m = Machine {
            bwrap: None,
            why_not: None,
            setpriv: which("setpriv"),
            prlimit: which("prlimit"),
            system: system_folders(rustup_home.as_deref(), cargo_home.as_deref()),
            rustup_home,
            cargo_home,
            own_network: false,
            toolchain_for_all,
        };
        m.why_not = m.why_no_bwrap();
        if m.why_not.is_none() {
            m.bwrap = which("bwrap");
            if let Err(why) = super::bubblewrap::works(&m) {
                m.bwrap = None;
                m.why_not = Some(format!("bwrap cannot create namespaces here ({why})"));
            }
        }
        m.own_network = m.bwrap.is_none() && root() && !super::os::portable() && can_unshare_network();
        m
    }

    /// Why bubblewrap will not be tried, if it will not.
    fn why_no_bwrap(&self) -> Option<String> {
        let why = if super::os::portable() {
            if cfg!(target_os = "linux") {
                "FEARLESS_PORTABLE is set"
            } else {
                "bubblewrap needs Linux"
            }
        } else if std::env::var("FEARLESS_NO_BWRAP").is_ok_and(|v| !v.is_empty() && v != "0") {
            "FEARLESS_NO_BWRAP is set"
        } else if which("bwrap").is_none() {
            "bubblewrap (bwrap) is not installed"
        } else if root() && self.setpriv.is_none() {
            "setpriv (util-linux) is missing"
        } else if !root() && self.prlimit.is_none() {
            "prlimit (util-linux) is missing"
        } else {
            return None;
        };
        Some(why.into())
    }

    /// Programs run in a bubblewrap sandbox.
    pub fn isolated(&self) -> bool {
        self.bwrap.is_some()
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
            libc::_exit(if super::os::unshare_network().is_ok() { 0 } else { 1 });
        }
        let mut st = 0;
        child > 0 && libc::waitpid(child, &mut st, 0) == child && libc::WIFEXITED(st) && libc::WEXITSTATUS(st) == 0
    }
}
