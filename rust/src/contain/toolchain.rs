//! What keeps a build's toolchain the grader's: cargo reads configs in every folder
//! above a build and rustup a `rust-toolchain.toml`, and either can name a program to run.
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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
