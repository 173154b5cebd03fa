//! Unpacking untrusted archives: what lands outside is refused, bombs are refused
//! before anything is written, links and special files are never made.
use std::io::Write;
use std::path::{Path, PathBuf};

use fearless::archive::{self, ArchiveError, Limits};

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn zip_of(path: &Path, build: impl FnOnce(&mut zip::ZipWriter<std::fs::File>)) -> PathBuf {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    build(&mut z);
    z.finish().unwrap();
    path.to_path_buf()
}

fn file(z: &mut zip::ZipWriter<std::fs::File>, name: &str, data: &[u8]) {
    z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
    z.write_all(data).unwrap();
}

/// A tar header written byte by byte, so that it can say what tar::Builder refuses to.
fn header(name: &str, ty: tar::EntryType, size: u64, link: &str) -> tar::Header {
    let mut h = tar::Header::new_old();
    h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    h.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
    h.set_entry_type(ty);
    h.set_size(size);
    h.set_mode(0o644);
    h.set_cksum();
    h
}

fn tgz_of(path: &Path, entries: &[(&str, tar::EntryType, &[u8], &str)]) -> PathBuf {
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    let mut t = tar::Builder::new(gz);
    for (name, ty, data, link) in entries {
        t.append(&header(name, *ty, data.len() as u64, link), *data).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap();
    path.to_path_buf()
}

/// Refused, with nothing left behind: no destination, nothing beside it.
fn refused(archive: &Path, limits: &Limits) -> ArchiveError {
    let dest = archive.with_extension("unpacked");
    let err = archive::unpack(archive, &dest, limits).expect_err("the archive should be refused");
    assert!(!dest.exists(), "{err}: the destination was left behind");
    let parent: Vec<_> = std::fs::read_dir(archive.parent().unwrap()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(!parent.iter().any(|n| n.to_string_lossy().contains("evil")), "{err}: something was written outside: {parent:?}");
    err
}

#[test]
fn a_good_zip_unpacks_and_keeps_only_files_and_folders() {
    let dir = scratch();
    let zip = zip_of(&dir.path().join("alice.zip"), |z| {
        z.add_directory("kit/exercises/", zip::write::SimpleFileOptions::default()).unwrap();
        file(z, "kit/exercises/01-hello/rust/src/main.rs", b"fn main() {}\n");
        z.add_symlink("kit/link", "exercises/01-hello", zip::write::SimpleFileOptions::default()).unwrap();
        file(z, "kit/target/debug/huge", b"build products stay packed");
    });
    let dest = dir.path().join("out");
    let u = archive::unpack(&zip, &dest, &Limits::default()).unwrap();
    assert_eq!((u.files, u.ignored), (1, 2));
    assert_eq!(std::fs::read_to_string(dest.join("kit/exercises/01-hello/rust/src/main.rs")).unwrap(), "fn main() {}\n");
    assert!(std::fs::symlink_metadata(dest.join("kit/link")).is_err(), "links are never made");
    assert!(!dest.join("kit/target").exists());
}

#[test]
fn zip_entries_that_leave_the_folder_are_refused() {
    for name in ["../evil.txt", "a/../../evil.txt", "/tmp/evil.txt", "..\\evil.txt"] {
        let dir = scratch();
        let zip = zip_of(&dir.path().join("x.zip"), |z| {
            file(z, "ok.txt", b"fine");
            file(z, name, b"gotcha");
        });
        assert!(matches!(refused(&zip, &Limits::default()), ArchiveError::Outside(_)), "{name}");
    }
}

#[test]
fn a_zip_link_pointing_out_is_refused() {
    let dir = scratch();
    let zip = zip_of(&dir.path().join("x.zip"), |z| {
        z.add_symlink("a/evil", "../../etc/passwd", zip::write::SimpleFileOptions::default()).unwrap();
    });
    let err = refused(&zip, &Limits::default());
    assert!(matches!(err, ArchiveError::LinkOutside { .. }), "{err}");
}

#[test]
fn a_zip_bomb_is_refused_before_anything_is_written() {
    let dir = scratch();
    let zeros = vec![0u8; 3 << 20];
    let zip = zip_of(&dir.path().join("bomb.zip"), |z| {
        for i in 0..3 {
            file(z, &format!("zeros{i}"), &zeros);
        }
    });
    assert!(std::fs::metadata(&zip).unwrap().len() < 100_000, "a bomb is small packed");
    let limits = Limits { max_bytes: 8 << 20, ..Limits::default() };
    // Read through without writing, it is already refused.
    assert!(matches!(archive::survey(&zip, &limits), Err(ArchiveError::TooLarge(_))));
    assert!(matches!(refused(&zip, &limits), ArchiveError::TooLarge(_)));
    let roomy = Limits { max_bytes: 9 << 20, ..Limits::default() };
    assert_eq!(archive::survey(&zip, &roomy).unwrap(), archive::Unpacked { files: 3, bytes: 9 << 20, ignored: 0 });
}

#[test]
fn too_many_entries_are_refused() {
    let dir = scratch();
    let zip = zip_of(&dir.path().join("many.zip"), |z| {
        for i in 0..11 {
            file(z, &format!("f{i}"), b"");
        }
    });
    let limits = Limits { max_entries: 10, ..Limits::default() };
    assert!(matches!(refused(&zip, &limits), ArchiveError::TooManyEntries(10)));
}

#[test]
fn tar_entries_and_links_that_leave_the_folder_are_refused() {
    use tar::EntryType::*;
    let cases: &[(&str, tar::EntryType, &str)] = &[
        ("../evil.txt", Regular, ""),
        ("/tmp/evil.txt", Regular, ""),
        ("a/link", Symlink, "../../evil"),
        ("a/link", Symlink, "/etc/passwd"),
        ("hard", Link, "../evil"),
        ("hard", Link, "/etc/passwd"),
    ];
    for (name, ty, link) in cases {
        let dir = scratch();
        let tgz = tgz_of(&dir.path().join("x.tgz"), &[("ok.txt", Regular, b"fine", ""), (name, *ty, b"", link)]);
        let err = refused(&tgz, &Limits::default());
        assert!(matches!(err, ArchiveError::Outside(_) | ArchiveError::LinkOutside { .. }), "{name} -> {link}: {err}");
    }
}

#[test]
fn tar_special_files_and_inner_links_are_ignored() {
    use tar::EntryType::*;
    let dir = scratch();
    let tgz = tgz_of(
        &dir.path().join("x.tar.gz"),
        &[("fifo", Fifo, b"", ""), ("dev", Char, b"", ""), ("a/ok.txt", Regular, b"fine", ""), ("a/link", Symlink, "ok.txt".as_bytes(), "ok.txt")],
    );
    let dest = dir.path().join("out");
    let u = archive::unpack(&tgz, &dest, &Limits::default()).unwrap();
    assert_eq!((u.files, u.ignored), (1, 3));
    assert_eq!(std::fs::read_to_string(dest.join("a/ok.txt")).unwrap(), "fine");
    for gone in ["fifo", "dev", "a/link"] {
        assert!(std::fs::symlink_metadata(dest.join(gone)).is_err(), "{gone} was made");
    }
}

#[test]
fn a_tar_bomb_is_refused() {
    let dir = scratch();
    let zeros = vec![0u8; 3 << 20];
    let tgz = tgz_of(&dir.path().join("bomb.tgz"), &[("a", tar::EntryType::Regular, &zeros, ""), ("b", tar::EntryType::Regular, &zeros, "")]);
    let limits = Limits { max_bytes: 4 << 20, ..Limits::default() };
    assert!(matches!(archive::survey(&tgz, &limits), Err(ArchiveError::TooLarge(_))));
    assert!(matches!(refused(&tgz, &limits), ArchiveError::TooLarge(_)));
}

#[test]
fn broken_archives_are_refused_with_a_reason() {
    let dir = scratch();
    let zip = dir.path().join("a.zip");
    std::fs::write(&zip, "not a zip").unwrap();
    assert!(refused(&zip, &Limits::default()).to_string().starts_with("not a valid zip archive"));
    let tgz = dir.path().join("b.tgz");
    std::fs::write(&tgz, b"\x1f\x8b\x08\x00garbage").unwrap();
    assert!(refused(&tgz, &Limits::default()).to_string().starts_with("not a valid tar.gz archive"));
    let missing = dir.path().join("c.zip");
    assert!(matches!(archive::unpack(&missing, &dir.path().join("c"), &Limits::default()), Err(ArchiveError::Unreadable(_))));
}
