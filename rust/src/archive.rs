//! Unpacking a student's `.zip`, `.tar.gz` or `.tgz` safely.
//!
//! Archives come from students and are untrusted. [`unpack`] reads the whole archive
//! once without writing anything and refuses it if any entry would land outside the
//! destination (`../`, an absolute path, a link whose target leaves the folder), or if
//! it holds too many entries or too many bytes (a zip bomb is refused, not unpacked).
//! Only then are regular files and folders written; links are never created and
//! special files (devices, fifos) are ignored. Bytes are counted again while writing,
//! so an archive whose headers lie about sizes is stopped too, and whatever was
//! written is removed. Build products (`target/`, `_build/`, `.git/`) are left packed.
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

/// The archive formats a submission may come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    /// `.tar.gz` and `.tgz`
    TarGz,
}

impl Kind {
    /// The kind of an archive, from its file name.
    pub fn of(path: &Path) -> Option<Kind> {
        Some(split_name(path)?.1)
    }
}

/// The file name less its archive extension (`alice.tar.gz` -> `alice`), and the kind.
pub fn split_name(path: &Path) -> Option<(String, Kind)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let lower = name.to_ascii_lowercase();
    for (ext, kind) in [(".tar.gz", Kind::TarGz), (".tgz", Kind::TarGz), (".zip", Kind::Zip)] {
        if lower.ends_with(ext) && lower.len() > ext.len() {
            return Some((name[..name.len() - ext.len()].to_string(), kind));
        }
    }
    None
}

/// How much an archive may unpack to.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Bytes written, all files together.
    pub max_bytes: u64,
    /// Entries of any kind (files, folders, links, skipped build products).
    pub max_entries: u64,
    /// Bytes read through in all, skipped build products included: a tar is
    /// decompressed whole to reach its last entry.
    pub max_scanned_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 64 << 20, max_entries: 20_000, max_scanned_bytes: 1 << 30 }
    }
}

/// What was unpacked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unpacked {
    pub files: u64,
    pub bytes: u64,
    /// Entries left out: links, special files, build products.
    pub ignored: u64,
}

/// Why an archive was refused. Nothing of it is left in the destination.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("cannot read the archive: {0}")]
    Unreadable(io::Error),
    #[error("not a valid {kind} archive: {why}")]
    Corrupt { kind: &'static str, why: String },
    #[error("entry {0:?} would land outside the folder it is unpacked into")]
    Outside(String),
    #[error("link {entry:?} points outside the archive (to {target:?})")]
    LinkOutside { entry: String, target: String },
    #[error("more than {0} entries")]
    TooManyEntries(u64),
    #[error("unpacks to more than {} MiB", .0 >> 20)]
    TooLarge(u64),
    #[error("cannot unpack: {0}")]
    Write(io::Error),
}

/// Folders never unpacked: build products, and a repository's history.
const LEFT_PACKED: &[&str] = &["target", "_build", ".git", "node_modules", "__MACOSX"];

/// One entry as read from an archive's headers.
struct Entry {
    /// The name as the archive has it (for messages).
    name: String,
    what: What,
    /// Declared size in bytes.
    size: u64,
}

enum What {
    Dir,
    File,
    /// A symbolic link and its target, from the link's own folder.
    Link(String),
    /// A hard link and its target, from the archive's root.
    HardLink(String),
    Special,
}

/// Reads `archive` through without writing anything: what [`unpack`] would write, or
/// why it would refuse the archive.
pub fn survey(archive: &Path, limits: &Limits) -> Result<Unpacked, ArchiveError> {
    let (_, entries, plan) = read_plan(archive, limits)?;
    let kept: Vec<usize> = plan.iter().enumerate().filter(|(_, p)| p.is_some()).map(|(i, _)| i).collect();
    Ok(Unpacked {
        files: kept.iter().filter(|i| matches!(entries[**i].what, What::File)).count() as u64,
        bytes: kept.iter().filter(|i| matches!(entries[**i].what, What::File)).map(|i| entries[*i].size).sum(),
        ignored: (entries.len() - kept.len()) as u64,
    })
}

/// Where each entry goes (None: left out).
type Plan = Vec<Option<PathBuf>>;

fn read_plan(archive: &Path, limits: &Limits) -> Result<(Kind, Vec<Entry>, Plan), ArchiveError> {
    let kind = Kind::of(archive).ok_or_else(|| ArchiveError::Corrupt { kind: "known", why: "the name ends in neither .zip, .tar.gz nor .tgz".into() })?;
    let entries = match kind {
        Kind::Zip => zip_entries(archive)?,
        Kind::TarGz => tar_entries(archive, limits)?,
    };
    let plan = plan(&entries, limits)?;
    Ok((kind, entries, plan))
}

/// Unpacks `archive` into `dest` (created; must not exist yet), or refuses it whole.
/// The archive is read through first ([`survey`]); nothing is written unless it passes.
pub fn unpack(archive: &Path, dest: &Path, limits: &Limits) -> Result<Unpacked, ArchiveError> {
    let (kind, entries, plan) = read_plan(archive, limits)?;
    std::fs::create_dir(dest).map_err(ArchiveError::Write)?;
    let written = match kind {
        Kind::Zip => zip_write(archive, dest, &plan, limits),
        Kind::TarGz => tar_write(archive, dest, &plan, limits),
    };
    match written {
        Ok(mut u) => {
            u.ignored = entries.len() as u64 - plan.iter().filter(|p| p.is_some()).count() as u64;
            Ok(u)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(dest);
            Err(e)
        }
    }
}

/// For each entry, where it goes (None: left out), after checking every limit.
fn plan(entries: &[Entry], limits: &Limits) -> Result<Plan, ArchiveError> {
    if entries.len() as u64 > limits.max_entries {
        return Err(ArchiveError::TooManyEntries(limits.max_entries));
    }
    let mut total = 0u64;
    let mut scanned = 0u64;
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let rel = relative(&e.name).ok_or_else(|| ArchiveError::Outside(e.name.clone()))?;
        scanned = scanned.saturating_add(e.size);
        if scanned > limits.max_scanned_bytes {
            return Err(ArchiveError::TooLarge(limits.max_scanned_bytes));
        }
        let inside = match &e.what {
            What::Link(target) => link_stays_inside(&rel, target),
            What::HardLink(target) => relative(target).is_some(),
            _ => true,
        };
        if !inside {
            if let What::Link(target) | What::HardLink(target) = &e.what {
                return Err(ArchiveError::LinkOutside { entry: e.name.clone(), target: target.clone() });
            }
        }
        let packed = rel.components().any(|c| LEFT_PACKED.iter().any(|p| c.as_os_str() == *p));
        let keep = !packed && matches!(e.what, What::File | What::Dir) && !rel.as_os_str().is_empty();
        if keep && matches!(e.what, What::File) {
            total = total.saturating_add(e.size);
            if total > limits.max_bytes {
                return Err(ArchiveError::TooLarge(limits.max_bytes));
            }
        }
        out.push(keep.then_some(rel));
    }
    Ok(out)
}

/// The entry's name as a path below the destination, or None if it would leave it.
fn relative(name: &str) -> Option<PathBuf> {
    // Zips made on Windows may use backslashes; a `..\` must not slip through.
    let name = name.replace('\\', "/");
    if name.contains('\0') || name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut rel = PathBuf::new();
    for c in Path::new(&name).components() {
        match c {
            Component::Normal(n) => rel.push(n),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(rel)
}

/// A link's target, resolved from the link's own folder, stays below the root.
fn link_stays_inside(link: &Path, target: &str) -> bool {
    let target = target.replace('\\', "/");
    if target.starts_with('/') || target.contains('\0') {
        return false;
    }
    let mut depth = link.components().count() as i64 - 1;
    for c in Path::new(&target).components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

fn corrupt(kind: &'static str) -> impl Fn(String) -> ArchiveError {
    move |why| ArchiveError::Corrupt { kind, why }
}

fn zip_open(archive: &Path) -> Result<zip::ZipArchive<File>, ArchiveError> {
    let f = File::open(archive).map_err(ArchiveError::Unreadable)?;
    zip::ZipArchive::new(f).map_err(|e| corrupt("zip")(e.to_string()))
}

fn zip_entries(archive: &Path) -> Result<Vec<Entry>, ArchiveError> {
    let mut z = zip_open(archive)?;
    let mut entries = Vec::with_capacity(z.len().min(100_000));
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| corrupt("zip")(e.to_string()))?;
        let name = f.name().map_err(|e| corrupt("zip")(e.to_string()))?.into_owned();
        let size = f.size();
        let mode = f.unix_mode().unwrap_or(0) & 0o170000;
        let what = if f.is_symlink() {
            let mut target = String::new();
            f.by_ref().take(4096).read_to_string(&mut target).map_err(|e| corrupt("zip")(e.to_string()))?;
            What::Link(target)
        } else if f.is_dir() {
            What::Dir
        } else if mode == 0 || mode == 0o100000 {
            What::File
        } else {
            What::Special
        };
        entries.push(Entry { name, what, size });
    }
    Ok(entries)
}

fn zip_write(archive: &Path, dest: &Path, plan: &[Option<PathBuf>], limits: &Limits) -> Result<Unpacked, ArchiveError> {
    let mut z = zip_open(archive)?;
    let mut done = Unpacked::default();
    for (i, rel) in plan.iter().enumerate() {
        let Some(rel) = rel else { continue };
        let mut f = z.by_index(i).map_err(|e| corrupt("zip")(e.to_string()))?;
        if f.is_dir() {
            std::fs::create_dir_all(dest.join(rel)).map_err(ArchiveError::Write)?;
        } else {
            write_file(&mut f, &dest.join(rel), &mut done, limits)?;
        }
    }
    Ok(done)
}

fn tar_open(archive: &Path) -> Result<tar::Archive<flate2::read::GzDecoder<File>>, ArchiveError> {
    let f = File::open(archive).map_err(ArchiveError::Unreadable)?;
    Ok(tar::Archive::new(flate2::read::GzDecoder::new(f)))
}

fn tar_entries(archive: &Path, limits: &Limits) -> Result<Vec<Entry>, ArchiveError> {
    let mut a = tar_open(archive)?;
    let bad = corrupt("tar.gz");
    let mut entries = Vec::new();
    let mut scanned = 0u64;
    for e in a.entries().map_err(|e| bad(e.to_string()))? {
        let e = e.map_err(|e| bad(e.to_string()))?;
        let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let size = e.size();
        // Stop reading early rather than decompress a bomb through to its end.
        scanned = scanned.saturating_add(size);
        if scanned > limits.max_scanned_bytes {
            return Err(ArchiveError::TooLarge(limits.max_scanned_bytes));
        }
        if entries.len() as u64 >= limits.max_entries {
            return Err(ArchiveError::TooManyEntries(limits.max_entries));
        }
        let ty = e.header().entry_type();
        let what = if ty.is_dir() {
            What::Dir
        } else if ty.is_file() || ty.is_contiguous() {
            What::File
        } else if ty.is_symlink() || ty.is_hard_link() {
            let target = e.link_name_bytes().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            if ty.is_hard_link() {
                What::HardLink(target)
            } else {
                What::Link(target)
            }
        } else if ty.is_pax_global_extensions() || ty.is_pax_local_extensions() || ty.is_gnu_longname() || ty.is_gnu_longlink() {
            continue;
        } else {
            What::Special
        };
        entries.push(Entry { name, what, size });
    }
    Ok(entries)
}

fn tar_write(archive: &Path, dest: &Path, plan: &[Option<PathBuf>], limits: &Limits) -> Result<Unpacked, ArchiveError> {
    let mut a = tar_open(archive)?;
    let bad = corrupt("tar.gz");
    let mut done = Unpacked::default();
    let mut i = 0;
    for e in a.entries().map_err(|e| bad(e.to_string()))? {
        let mut e = e.map_err(|e| bad(e.to_string()))?;
        let ty = e.header().entry_type();
        if ty.is_pax_global_extensions() || ty.is_pax_local_extensions() || ty.is_gnu_longname() || ty.is_gnu_longlink() {
            continue;
        }
        // The archive changed between the two readings: refuse rather than guess.
        let Some(rel) = plan.get(i) else {
            return Err(bad("it changed while it was read".into()));
        };
        i += 1;
        let Some(rel) = rel else { continue };
        if ty.is_dir() {
            std::fs::create_dir_all(dest.join(rel)).map_err(ArchiveError::Write)?;
        } else {
            write_file(&mut e, &dest.join(rel), &mut done, limits)?;
        }
    }
    Ok(done)
}

/// Copies one file's bytes, counting them against the limit as they come.
fn write_file(from: &mut impl Read, to: &Path, done: &mut Unpacked, limits: &Limits) -> Result<(), ArchiveError> {
    if let Some(p) = to.parent() {
        std::fs::create_dir_all(p).map_err(ArchiveError::Write)?;
    }
    let mut out = File::create(to).map_err(ArchiveError::Write)?;
    let room = limits.max_bytes.saturating_sub(done.bytes);
    let n = io::copy(&mut from.take(room.saturating_add(1)), &mut out).map_err(|e| match e.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof | io::ErrorKind::Other => ArchiveError::Corrupt { kind: "compressed", why: e.to_string() },
        _ => ArchiveError::Write(e),
    })?;
    out.flush().map_err(ArchiveError::Write)?;
    if n > room {
        return Err(ArchiveError::TooLarge(limits.max_bytes));
    }
    done.bytes += n;
    done.files += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for bad in ["../x", "a/../../x", "/etc/passwd", "..\\x", "C:/x", "a/\0b"] {
            assert_eq!(relative(bad), None, "{bad}");
        }
        assert_eq!(relative("./a/b/../c"), None, "no `..` at all, even one that stays inside");
        assert_eq!(relative("./a/b"), Some(PathBuf::from("a/b")));
    }

    #[test]
    fn links_are_resolved_from_their_folder() {
        assert!(link_stays_inside(Path::new("a/b/link"), "../c"));
        assert!(!link_stays_inside(Path::new("a/link"), "../../c"));
        assert!(!link_stays_inside(Path::new("link"), "/etc/passwd"));
    }

    #[test]
    fn the_id_is_the_name_less_the_extension() {
        assert_eq!(split_name(Path::new("x/alice.tar.gz")), Some(("alice".into(), Kind::TarGz)));
        assert_eq!(split_name(Path::new("bob.TGZ")), Some(("bob".into(), Kind::TarGz)));
        assert_eq!(split_name(Path::new("carol.v2.zip")), Some(("carol.v2".into(), Kind::Zip)));
        assert_eq!(split_name(Path::new(".zip")), None);
        assert_eq!(split_name(Path::new("dave.rar")), None);
    }
}
