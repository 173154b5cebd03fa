//! Builds reused by content, for grading: a lesson staged with the same bytes as one the
//! kit has already built in this run (an untouched starting point, the same solution in
//! two submissions) is not compiled again; the programs that build made are copied into
//! the new scratch folder, and the build's result (its headline and warnings) is the same.
//!
//! What is kept was copied by the kit, outside any sandbox, from what a compiler made of
//! exactly those bytes; it lives in a folder of the grader's own (closed to other users,
//! never given to a job) and only for one run of the grader, so a toolchain or kit that
//! changes between runs cannot serve an old build. A job that runs student code only ever
//! sees copies, in its own submission's scratch folder.
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a build step made: its value (what the backend returns) and the files it left,
/// relative to the check's scratch folder ([`super::Staged::root`]). `keep` is false for
/// a result that another build of the same bytes might not give (a build that ran out of
/// time): it is not reused.
pub struct Made<T> {
    pub value: T,
    pub files: Vec<PathBuf>,
    pub keep: bool,
}

/// The builds of one grading run, by content.
pub struct Reused {
    dir: tempfile::TempDir,
    /// One lock per key: a second worker that needs the same build waits for the first.
    busy: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    built: AtomicUsize,
    reused: AtomicUsize,
}

impl std::fmt::Debug for Reused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reused").field("dir", &self.dir.path()).field("built", &self.built).field("reused", &self.reused).finish()
    }
}

/// A kept step, as written beside its files.
#[derive(Serialize, Deserialize)]
struct Entry<T> {
    value: T,
    files: Vec<PathBuf>,
}

impl Reused {
    pub fn new() -> std::io::Result<Reused> {
        Ok(Reused { dir: crate::scratch::dir("builds")?, busy: Mutex::default(), built: AtomicUsize::new(0), reused: AtomicUsize::new(0) })
    }

    /// Steps built, and steps served from an earlier build.
    pub fn counts(&self) -> (usize, usize) {
        (self.built.load(Ordering::Relaxed), self.reused.load(Ordering::Relaxed))
    }

    /// The value of step `what` for a lesson staged as `content` ([`digest`]), its files
    /// laid out under `root`: from an earlier build of the same bytes, or from `make`
    /// (kept for the next one).
    pub fn step<T, E>(&self, content: &str, what: &str, root: &Path, make: impl FnOnce() -> Result<Made<T>, E>) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
    {
        let key = hex(&Sha256::new().chain_update(content).chain_update([0]).chain_update(what).finalize());
        let lock = self.busy.lock().unwrap_or_else(|e| e.into_inner()).entry(key.clone()).or_default().clone();
        let _held = lock.lock().unwrap_or_else(|e| e.into_inner());
        let entry = self.dir.path().join(&key);
        if let Some(value) = Self::restore(&entry, root) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(value);
        }
        let made = make()?;
        self.built.fetch_add(1, Ordering::Relaxed);
        if made.keep {
            // A build that cannot be kept costs only the next build.
            let _ = self.keep(&entry, root, &made);
        }
        Ok(made.value)
    }

    /// A kept step's value, its files copied under `root`; `None` when there is none
    /// (or it cannot be read, and is built again).
    fn restore<T: DeserializeOwned>(entry: &Path, root: &Path) -> Option<T> {
        let kept: Entry<T> = serde_json::from_slice(&std::fs::read(entry.join("entry.json")).ok()?).ok()?;
        for f in &kept.files {
            let to = root.join(f);
            // Already laid out by this check (two suites of one program, run at once): never
            // written again, since the other may be running it.
            if to.exists() {
                continue;
            }
            std::fs::create_dir_all(to.parent()?).ok()?;
            crate::runner::copy_program(&entry.join("files").join(f), &to).ok()?;
        }
        Some(kept.value)
    }

    /// Copies the step's files and value into a folder of their own, renamed into place
    /// once complete.
    fn keep<T: Serialize>(&self, entry: &Path, root: &Path, made: &Made<T>) -> std::io::Result<()> {
        let partial = tempfile::Builder::new().prefix(".partial-").tempdir_in(self.dir.path())?;
        for f in &made.files {
            if f.is_absolute() || f.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
                return Err(std::io::Error::other(format!("{}: not a path inside the scratch folder", f.display())));
            }
            let to = partial.path().join("files").join(f);
            std::fs::create_dir_all(to.parent().unwrap_or(partial.path()))?;
            std::fs::copy(root.join(f), to)?;
        }
        let json = serde_json::to_vec(&Entry { value: &made.value, files: made.files.clone() }).map_err(std::io::Error::other)?;
        std::fs::write(partial.path().join("entry.json"), json)?;
        std::fs::rename(partial.keep(), entry)
    }
}

/// What a staged tree holds, as one hex string: every file's path relative to `dir`, kind,
/// executable bit and bytes (symbolic links by their target), in the order of their paths.
pub fn digest(dir: &Path) -> std::io::Result<String> {
    let mut hash = Sha256::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(dir.join(&rel))?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        // Folders are walked after this one's files, in reverse so that they pop in order.
        let mut folders = Vec::new();
        for e in entries {
            let path = rel.join(e.file_name());
            let kind = e.file_type()?;
            hash.update(path.as_os_str().as_encoded_bytes());
            hash.update([0]);
            if kind.is_dir() {
                hash.update(b"d");
                folders.push(path);
            } else if kind.is_symlink() {
                hash.update(b"l");
                hash.update(std::fs::read_link(e.path())?.as_os_str().as_encoded_bytes());
            } else {
                let meta = e.metadata()?;
                let exec = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o111 != 0;
                hash.update(if exec { b"x" } else { b"f" });
                hash.update(meta.len().to_le_bytes());
                let mut f = std::fs::File::open(e.path())?;
                let mut buf = [0u8; 64 * 1024];
                loop {
                    let n = f.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    hash.update(&buf[..n]);
                }
            }
            hash.update([0]);
        }
        stack.extend(folders.into_iter().rev());
    }
    Ok(hex(&hash.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        for (p, text) in files {
            let p = t.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        t
    }

    #[test]
    fn the_digest_is_the_bytes_and_the_names_and_nothing_else() {
        let a = tree(&[("src/main.rs", "fn main() {}"), ("Cargo.toml", "[package]")]);
        let same = tree(&[("Cargo.toml", "[package]"), ("src/main.rs", "fn main() {}")]);
        assert_eq!(digest(a.path()).unwrap(), digest(same.path()).unwrap());
        for other in [
            tree(&[("src/main.rs", "fn main() { }"), ("Cargo.toml", "[package]")]),
            // Bytes of the same length.
            tree(&[("src/main.rs", "fn mian() {}"), ("Cargo.toml", "[package]")]),
            tree(&[("src/lib.rs", "fn main() {}"), ("Cargo.toml", "[package]")]),
            tree(&[("src/main.rs", "fn main() {}"), ("Cargo.toml", "[package]"), ("src/x.rs", "")]),
            // The bytes moved from one file to the next do not make the same tree.
            tree(&[("src/main.rs", "fn main() {}[package]"), ("Cargo.toml", "")]),
        ] {
            assert_ne!(digest(a.path()).unwrap(), digest(other.path()).unwrap());
        }
        std::fs::set_permissions(a.path().join("Cargo.toml"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        assert_ne!(digest(a.path()).unwrap(), digest(same.path()).unwrap(), "the executable bit counts");
    }

    #[test]
    fn a_step_is_built_once_per_content_and_its_files_come_back() {
        let reused = Reused::new().unwrap();
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let build = |root: &Path, says: &str| {
            let says = says.to_string();
            let root = root.to_path_buf();
            move || -> Result<Made<String>, std::io::Error> {
                std::fs::create_dir_all(root.join("out"))?;
                std::fs::write(root.join("out/prog"), &says)?;
                Ok(Made { value: says, files: vec![PathBuf::from("out/prog")], keep: true })
            }
        };
        assert_eq!(reused.step("c1", "build", one.path(), build(one.path(), "first")).unwrap(), "first");
        // The same content again: the first build's value and files, not a second build.
        assert_eq!(reused.step("c1", "build", two.path(), build(two.path(), "second")).unwrap(), "first");
        assert_eq!(std::fs::read_to_string(two.path().join("out/prog")).unwrap(), "first");
        assert_eq!(reused.counts(), (1, 1));
        // Another content, or another step of it, is built.
        assert_eq!(reused.step("c2", "build", two.path(), build(two.path(), "third")).unwrap(), "third");
        assert_eq!(reused.step("c1", "tests", two.path(), build(two.path(), "fourth")).unwrap(), "fourth");
        assert_eq!(reused.counts(), (3, 1));
        // What may not be kept is built each time; an error is never kept.
        let flaky = || Ok::<_, std::io::Error>(Made { value: 1, files: vec![], keep: false });
        reused.step("c3", "build", one.path(), flaky).unwrap();
        reused.step("c3", "build", one.path(), flaky).unwrap();
        assert!(reused.step("c4", "build", one.path(), || Err::<Made<u8>, _>(std::io::Error::other("no"))).is_err());
        assert_eq!(reused.step("c4", "build", one.path(), || Ok::<_, std::io::Error>(Made { value: 7u8, files: vec![], keep: true })).unwrap(), 7);
        assert_eq!(reused.counts(), (6, 1));
    }
}
