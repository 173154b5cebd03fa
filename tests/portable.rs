//! The portable path: what a student's Mac or a minimal Linux system takes. This machine
//! is Linux, so the path is forced (`FEARLESS_PORTABLE=1`: no namespaces, no users of the
//! jobs' own, no cgroups, no /proc) and the tools such a system lacks are hidden from
//! PATH: apt-get, eu-stack, gdb, lldb, bwrap, setpriv and prlimit. A student runs
//! `make check EX=relay` in a copy of the kit there (with the test kit's lessons,
//! `tests/fixtures/kit`, in place of its own) and is still told why the program hung,
//! from its output alone; `grade` on the same path still says how loosely it was contained.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HIDDEN: &[&str] = &["apt-get", "eu-stack", "gdb", "lldb", "bwrap", "setpriv", "prlimit"];

fn kit() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A folder of links to every program on PATH but the hidden ones (the first of a name wins).
fn path_without_linux_tools(bin: &Path) -> PathBuf {
    std::fs::create_dir_all(bin).unwrap();
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap()) {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = e.file_name();
            let to = bin.join(&name);
            if !HIDDEN.contains(&name.to_string_lossy().as_ref()) && !to.exists() && e.path().is_file() {
                std::os::unix::fs::symlink(e.path(), to).unwrap();
            }
        }
    }
    for tool in HIDDEN {
        assert!(!bin.join(tool).exists());
    }
    bin.to_path_buf()
}

/// The kit's files, without its build products and history.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let name = e.file_name();
        if [".git", "target", ".fearless", "_build"].contains(&name.to_string_lossy().as_ref()) {
            continue;
        }
        let t = e.file_type().unwrap();
        if t.is_dir() {
            copy_tree(&e.path(), &to.join(&name));
        } else if t.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(e.path()).unwrap(), to.join(&name)).unwrap();
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

/// The copy builds the kit in a target folder of its own (shared with tests/classroom.rs,
/// which builds copies of the kit too): in the kit's, its binary would replace the
/// kit's own, which knows the kit's folder.
fn portable(cmd: &mut Command, bin: &Path) -> Output {
    let target = kit().join("target/classroom-tests");
    cmd.env("PATH", bin).env("FEARLESS_PORTABLE", "1").env("CARGO_TARGET_DIR", target).env_remove("FEARLESS_NO_BWRAP").output().unwrap()
}

#[test]
fn a_forgotten_drop_is_explained_from_the_output_without_linux_tools() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = path_without_linux_tools(&tmp.path().join("bin"));
    let copy = tmp.path().join("kit");
    copy_tree(&kit(), &copy);
    let fixture = kit().join("tests/fixtures/kit");
    for part in ["exercises", "solutions"] {
        std::fs::remove_dir_all(copy.join(part)).unwrap();
        copy_tree(&fixture.join(part), &copy.join(part));
    }
    // The Rust consumer's loop never ends: the original `tx` is never dropped. OCaml is solved.
    let lesson = copy.join("exercises/03-relay");
    let solved = std::fs::read_to_string(fixture.join("solutions/03-relay/rust/src/main.rs")).unwrap();
    assert!(solved.contains("    drop(tx);\n"));
    std::fs::write(lesson.join("rust/src/main.rs"), solved.replace("    drop(tx);\n", "")).unwrap();
    std::fs::copy(fixture.join("solutions/03-relay/ocaml/main.ml"), lesson.join("ocaml/main.ml")).unwrap();

    let out = portable(Command::new("make").args(["--no-print-directory", "check", "EX=relay"]).current_dir(&copy), &bin);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let all = format!("{stdout}\n{stderr}");
    // The report card wraps its lines at the terminal's width: the sentence is read as one.
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!out.status.success(), "{all}");
    // Checked in both languages: OCaml passes, Rust hangs and is told why.
    assert!(flat.contains("killed after 5 s: all 15 messages arrived, then it kept running: a `Sender` is still alive"), "{all}");
    assert!(flat.contains("`drop(tx)` once every producer has its clone"), "{all}");
    let line = |mark: &str, lang: &str| all.lines().any(|l| l.starts_with(&format!("{mark} relay")) && l.split_whitespace().nth(2) == Some(lang));
    assert!(line("✓", "ocaml") && line("✗", "rust"), "{all}");
    // No stacks could be taken, and the details say so.
    assert!(flat.contains("no thread stacks"), "{all}");
    // A student checking their own code is not told about containment.
    assert!(!all.contains("not isolated") && !all.contains("no total memory limit"), "{all}");

    // A grader on the same path is.
    let reports = tmp.path().join("reports");
    let g = portable(
        Command::new(env!("CARGO_BIN_EXE_fearless")).args(["grade", "--only", "relay", "--lang", "rust", "--jobs", "1", "--out"]).arg(&reports).arg(&copy).current_dir(&copy),
        &bin,
    );
    assert!(g.status.success() || g.status.code() == Some(1), "{}", String::from_utf8_lossy(&g.stderr));
    let report = std::fs::read_to_string(reports.join("kit/report.json")).unwrap();
    assert!(report.contains("student code is not isolated (FEARLESS_PORTABLE is set)"), "{report}");
    assert!(report.contains("no total memory limit per run (cgroups need Linux)"), "{report}");
}
