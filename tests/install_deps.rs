//! `.ci/install-deps` on every student's machine, from this one: the real script runs with
//! PATH set to a folder of stub commands (package managers, sudo, id, uname, the OCaml
//! tools, ...), each of which logs its arguments, and the tests read what would have been
//! installed. A package manager's stub "installs" a package by linking the commands a test
//! gave that package into the folder (only opam is given this way: the script runs it
//! after installing it).
mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use rstest::rstest;

/// A stub being written must not be open in a child forked meanwhile by another test's
/// spawn (running it would then fail with "Text file busy"): writes share this lock,
/// spawns hold it alone until the child has exec'd (`spawn` returns).
static SPAWN: RwLock<()> = RwLock::new(());

fn script() -> PathBuf {
    common::kit().root.join(".ci/install-deps")
}

/// A real utility the script or the stubs need (the script uses `env` and `mkdir`).
fn real(name: &str) -> PathBuf {
    ["/usr/bin", "/bin"].iter().map(|d| Path::new(d).join(name)).find(|p| p.is_file()).unwrap_or_else(|| panic!("no {name}"))
}

/// One pretend machine: `bin/` is its whole PATH, `home/` its HOME, `log` what its stubs were asked.
struct Machine {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    log: Vec<String>,
}

impl Machine {
    fn new(os: &str) -> Machine {
        let m = Machine { dir: tempfile::tempdir().unwrap() };
        for d in ["bin", "home", "pkgs"] {
            std::fs::create_dir_all(m.dir.path().join(d)).unwrap();
        }
        for tool in ["env", "mkdir"] {
            std::os::unix::fs::symlink(real(tool), m.bin().join(tool)).unwrap();
        }
        m.stub("uname", &format!("echo {os}"));
        m.stub("id", "echo 1000");
        m
    }

    fn linux() -> Machine {
        Machine::new("Linux")
    }

    fn macos() -> Machine {
        Machine::new("Darwin")
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// A command that logs its name and arguments, then runs `body` (bash).
    fn stub(&self, name: &str, body: &str) -> &Machine {
        self.stub_at(&self.bin().join(name), name, body);
        self
    }

    fn stub_at(&self, path: &Path, name: &str, body: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _writing = SPAWN.read().unwrap_or_else(|e| e.into_inner());
        std::fs::write(path, format!("#!/bin/bash\necho \"{name} $*\" >>\"$STUB_LOG\"\n{body}\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Commands that succeed and do nothing else.
    fn tools(&self, names: &[&str]) -> &Machine {
        for n in names {
            self.stub(n, "exit 0");
        }
        self
    }

    fn root_user(&self) -> &Machine {
        self.stub("id", "echo 0")
    }

    fn sudo(&self) -> &Machine {
        self.stub("sudo", "[ \"$1\" != -n ] || shift\nexec \"$@\"")
    }

    /// A package manager: whatever it is asked to install, a package's commands (given with
    /// [`Machine::package`]) appear on PATH.
    fn pm(&self, name: &str) -> &Machine {
        let ln = real("ln");
        let body = format!(
            "for p in \"$@\"; do\n  if [ -d \"$STUB_ROOT/pkgs/$p\" ]; then\n    for f in \"$STUB_ROOT/pkgs/$p\"/*; do {} -sf \"$f\" \"$STUB_ROOT/bin/\"; done\n  fi\ndone",
            ln.display()
        );
        self.stub(name, &body)
    }

    /// A command that the package `pkg` brings.
    fn package(&self, pkg: &str, name: &str, body: &str) -> &Machine {
        self.stub_at(&self.dir.path().join("pkgs").join(pkg).join(name), name, body);
        self
    }

    /// OCaml on PATH: `ocamlc -version` says `version`, `ocamlfind query` knows `libs`.
    fn ocaml(&self, version: &str, libs: &[&str]) -> &Machine {
        self.stub("ocamlc", &format!("echo {version}"));
        self.stub("ocamlfind", &format!("[ \"$1\" = query ] || exit 0\ncase \" {} \" in *\" $2 \"*) echo /lib/$2 ;; *) exit 2 ;; esac", libs.join(" ")));
        self.stub("dune", "exit 0")
    }

    /// opam's answers: a switch exists once `opam init` made one (or [`Machine::opam_switch`]).
    fn opam_body(&self) -> String {
        let mkdir = real("mkdir");
        format!(
            "case $1 in\n\
             switch) [ -e \"$HOME/.opam/default\" ] && echo default ;;\n\
             init) {mkdir} -p \"$HOME/.opam/default/bin\" ;;\n\
             var) if [ -e \"$STUB_ROOT/opam-bin\" ]; then read -r b <\"$STUB_ROOT/opam-bin\"; echo \"$b\"; else echo \"$HOME/.opam/default/bin\"; fi ;;\n\
             esac",
            mkdir = mkdir.display()
        )
    }

    fn opam(&self) -> &Machine {
        self.stub("opam", &self.opam_body())
    }

    /// opam as a package that a package manager installs (then set up by the script).
    fn opam_package(&self) -> &Machine {
        self.package("opam", "opam", &self.opam_body())
    }

    /// The student's opam switch, loaded: its bin folder is where ocamlfind and dune are.
    fn opam_switch(&self) -> &Machine {
        std::fs::create_dir_all(self.home().join(".opam/default")).unwrap();
        std::fs::write(self.dir.path().join("opam-bin"), format!("{}\n", self.bin().display())).unwrap();
        self.opam()
    }

    fn run(&self, mode: &str) -> Run {
        let log = self.dir.path().join("log");
        let _ = std::fs::remove_file(&log);
        let mut command = std::process::Command::new("/bin/bash");
        command
            .arg(script())
            .arg(mode)
            .env_clear()
            .env("PATH", self.bin())
            .env("HOME", self.home())
            .env("STUB_LOG", &log)
            .env("STUB_ROOT", self.dir.path())
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let child = {
            let _spawning = SPAWN.write().unwrap_or_else(|e| e.into_inner());
            command.spawn().unwrap()
        };
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            log: std::fs::read_to_string(&log).unwrap_or_default().lines().map(String::from).collect(),
        }
    }
}

impl Run {
    /// The packages named after `command` (e.g. "apt-get install"), in every such call.
    fn installed(&self, command: &str) -> Vec<String> {
        let prefix = format!("{command} ");
        self.log.iter().filter_map(|l| l.strip_prefix(&prefix)).flat_map(|rest| rest.split_whitespace()).filter(|w| !w.starts_with('-')).map(String::from).collect()
    }

    fn called(&self, command: &str) -> bool {
        self.log.iter().any(|l| l == command || l.starts_with(&format!("{command} ")))
    }

    /// The lines the script prints as the command to run (indented under the reason).
    fn commands(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.starts_with("  ")).map(str::trim).collect()
    }

    fn explain(&self) -> String {
        format!("exit {}\nstdout:\n{}\nstderr:\n{}\nlog:\n{}", self.code, self.stdout, self.stderr, self.log.join("\n"))
    }
}

const PACKAGE_MANAGERS: [&str; 5] = ["apt-get", "dnf", "pacman", "brew", "opam"];

fn no_package_manager_called(r: &Run) {
    for pm in PACKAGE_MANAGERS {
        assert!(!r.called(pm), "{pm} was called:\n{}", r.explain());
    }
    assert!(!r.called("sudo"), "{}", r.explain());
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// A fresh machine of each system (a user with sudo, nothing of OCaml, no stack tool):
/// what each mode installs with the system's packages.
#[rstest]
#[case::debian_student("apt-get", "apt-get install", "student", &["ocaml-nox", "ocaml-findlib", "ocaml-dune", "libalcotest-ocaml-dev", "libqcheck-ocaml-dev", "elfutils"])]
#[case::debian_grade("apt-get", "apt-get install", "grade", &["ocaml-nox", "ocaml-findlib", "ocaml-dune", "libalcotest-ocaml-dev", "libqcheck-ocaml-dev", "elfutils", "bubblewrap", "util-linux"])]
#[case::fedora_student("dnf", "dnf install", "student", &["ocaml", "ocaml-findlib", "ocaml-dune", "ocaml-alcotest-devel", "ocaml-qcheck-devel", "elfutils"])]
#[case::fedora_grade("dnf", "dnf install", "grade", &["ocaml", "ocaml-findlib", "ocaml-dune", "ocaml-alcotest-devel", "ocaml-qcheck-devel", "elfutils", "bubblewrap", "util-linux"])]
fn a_fresh_linux_gets_ocaml_and_its_libraries_from_its_packages(#[case] pm: &str, #[case] install: &str, #[case] mode: &str, #[case] expected: &[&str]) {
    let m = Machine::linux();
    m.pm(pm).sudo();
    let r = m.run(mode);
    assert_eq!(r.code, 0, "{}", r.explain());
    assert_eq!(sorted(r.installed(install)), sorted(expected.iter().map(|s| s.to_string()).collect()), "{}", r.explain());
    assert!(r.log.iter().any(|l| l.starts_with(&format!("sudo {pm}")) || l.starts_with("sudo env")), "installed as root, with sudo:\n{}", r.explain());
    if pm == "apt-get" {
        assert!(r.called("apt-get update"), "{}", r.explain());
    }
    assert!(!r.called("opam"), "a system with OCaml's libraries packaged needs no opam:\n{}", r.explain());
    if mode == "student" {
        for grader_only in ["bubblewrap", "util-linux"] {
            assert!(!r.installed(install).iter().any(|p| p == grader_only), "a student does not need {grader_only}:\n{}", r.explain());
        }
    }
    assert!(r.stdout.is_empty(), "{}", r.explain());
}

/// Arch packages OCaml but not alcotest or qcheck: its OCaml and opam from pacman, then the
/// libraries (and the ocamlfind and dune that see them) in opam's first switch, which the
/// student then loads with the one command printed.
#[test]
fn a_fresh_arch_gets_ocaml_from_pacman_and_the_libraries_from_opam() {
    let m = Machine::linux();
    m.pm("pacman").sudo().opam_package();
    let r = m.run("student");
    assert_eq!(sorted(r.installed("pacman -S")), ["elfutils", "ocaml", "opam"], "{}", r.explain());
    assert!(r.called("sudo pacman -S --needed --noconfirm"), "{}", r.explain());
    assert!(r.called("opam init -y -a --disable-sandboxing"), "{}", r.explain());
    assert_eq!(sorted(r.installed("opam install")), ["alcotest", "dune", "ocamlfind", "qcheck"], "{}", r.explain());
    assert_eq!(r.code, 1, "the new switch is not loaded in this terminal yet:\n{}", r.explain());
    assert_eq!(r.commands(), ["eval $(opam env)"], "{}", r.explain());

    let r = m.run("grade");
    assert!(r.installed("pacman -S").iter().any(|p| p == "bubblewrap") && r.installed("pacman -S").iter().any(|p| p == "util-linux"), "{}", r.explain());
}

/// macOS: opam from Homebrew (never with sudo), OCaml and the libraries from opam; no
/// elfutils or bubblewrap; without lldb, what that costs is said.
#[test]
fn a_fresh_mac_gets_opam_from_homebrew_and_ocaml_from_opam() {
    let m = Machine::macos();
    m.pm("brew").opam_package();
    let r = m.run("student");
    assert_eq!(r.installed("brew install"), ["opam"], "{}", r.explain());
    assert!(r.called("opam init -y -a"), "{}", r.explain());
    assert!(!r.called("opam init -y -a --disable-sandboxing"), "macOS keeps opam's sandbox:\n{}", r.explain());
    assert_eq!(sorted(r.installed("opam install")), ["alcotest", "dune", "ocamlfind", "qcheck"], "{}", r.explain());
    assert!(!r.called("sudo") && !r.called("id"), "{}", r.explain());
    assert!(r.stderr.contains("no lldb here"), "{}", r.explain());
    assert_eq!(r.code, 1, "{}", r.explain());
    assert_eq!(r.commands(), ["eval $(opam env)"], "{}", r.explain());

    // Loaded (`eval $(opam env)`: the switch's tools on PATH), `make check` runs on quietly.
    let m = Machine::macos();
    m.pm("brew").ocaml("5.2.0", &["alcotest", "qcheck"]).opam_switch();
    let r = m.run("student");
    assert_eq!(r.code, 0, "{}", r.explain());
    assert!(r.stderr.contains("no lldb here"), "said once:\n{}", r.explain());
    let r = m.run("student");
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.explain());
    no_package_manager_called(&r);

    // Grading contains programs with Linux's tools: refused, with what to do instead.
    let r = m.run("grade");
    assert_eq!(r.code, 1, "{}", r.explain());
    assert!(r.stderr.contains("dev container"), "{}", r.explain());
    no_package_manager_called(&r);
}

/// The student's own opam switch on PATH (OCaml 5), alcotest missing: `opam install`, no
/// second OCaml from the system, nothing as root.
#[test]
fn an_opam_switch_gets_its_missing_library_from_opam() {
    let m = Machine::linux();
    m.pm("apt-get").sudo().ocaml("5.1.1", &["qcheck"]).opam_switch().tools(&["eu-stack"]);
    let r = m.run("student");
    assert_eq!(r.code, 0, "{}", r.explain());
    assert_eq!(r.installed("opam install"), ["alcotest"], "{}", r.explain());
    assert!(r.called("opam install -y alcotest"), "{}", r.explain());
    assert!(!r.called("apt-get") && !r.called("sudo") && !r.called("opam init"), "{}", r.explain());
}

/// Everything there: no package manager asked, nothing printed, exit 0; for `grade` too.
#[rstest]
#[case::student("student", &["eu-stack"])]
#[case::student_with_gdb("student", &["gdb"])]
#[case::grade("grade", &["eu-stack", "bwrap", "setpriv", "prlimit"])]
// Not `case::test`: rstest 0.29 takes any attribute whose path ends in `test` for
// the test attribute itself, and then the cases are never run.
#[case::test_mode("test", &["eu-stack", "bwrap", "setpriv", "prlimit", "tmux", "chromium"])]
#[case::bench("bench", &["eu-stack", "bwrap", "setpriv", "prlimit", "patch"])]
fn with_everything_there_it_says_nothing(#[case] mode: &str, #[case] tools: &[&str]) {
    let m = Machine::linux();
    m.pm("apt-get").sudo().opam().ocaml("4.13.1", &["alcotest", "qcheck"]).tools(tools);
    m.stub("rustup", "[ \"$1\" = target ] && echo x86_64-unknown-linux-gnu && echo x86_64-apple-darwin");
    let r = m.run(mode);
    // The font for the browser test is looked for on this machine's disk.
    let font = std::path::Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists();
    if mode == "test" && !font {
        return;
    }
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""), "{}", r.explain());
    no_package_manager_called(&r);
    assert!(!r.called("rustup target add"), "{}", r.explain());
}

/// No package manager this script knows, OCaml missing: exit 1 and one command to run.
#[rstest]
#[case::linux(Machine::linux(), "opam install")]
#[case::macos_without_homebrew(Machine::macos(), "install.sh")]
fn without_a_package_manager_it_prints_the_one_command(#[case] m: Machine, #[case] command: &str) {
    m.sudo().tools(&["eu-stack", "lldb"]);
    let r = m.run("student");
    assert_eq!(r.code, 1, "{}", r.explain());
    let commands = r.commands();
    assert_eq!(commands.len(), 1, "{}", r.explain());
    assert!(commands[0].contains(command), "{}", r.explain());
    no_package_manager_called(&r);
}

/// No package manager, only the stack tool missing: `make check` goes on (exit 0); what the
/// student loses is said once, and later runs are silent.
#[test]
fn only_the_stack_tool_missing_is_said_once_and_not_an_error() {
    let m = Machine::linux();
    m.ocaml("4.14.1", &["alcotest", "qcheck"]);
    let r = m.run("student");
    assert_eq!(r.code, 0, "{}", r.explain());
    assert!(r.stderr.contains("without its threads' stacks") && r.stderr.lines().count() == 1, "{}", r.explain());
    let r = m.run("student");
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.explain());

    // A grader needs the stacks and the containment: there it is an error.
    let r = m.run("grade");
    assert_eq!(r.code, 1, "{}", r.explain());
    assert_eq!(r.commands().len(), 1, "{}", r.explain());
    assert!(r.commands()[0].contains("bubblewrap") && r.commands()[0].contains("elfutils"), "{}", r.explain());
}

/// Debian with OCaml, only the stack tool missing: elfutils alone, and sudo may not ask for a
/// password for it (`sudo -n`); when it cannot, what it costs is said, and the exit is 0.
#[test]
fn the_stack_tool_alone_is_installed_only_without_a_password() {
    let m = Machine::linux();
    m.pm("apt-get").sudo().ocaml("4.13.1", &["alcotest", "qcheck"]);
    let r = m.run("student");
    assert_eq!(r.code, 0, "{}", r.explain());
    assert_eq!(r.installed("apt-get install"), ["elfutils"], "{}", r.explain());
    assert!(r.called("sudo -n apt-get update"), "{}", r.explain());

    let m = Machine::linux();
    m.pm("apt-get").stub("sudo", "exit 1").ocaml("4.13.1", &["alcotest", "qcheck"]);
    let r = m.run("student");
    assert_eq!(r.code, 0, "{}", r.explain());
    assert!(r.stderr.contains("elfutils was not installed") && r.stderr.contains("sudo apt-get install -y elfutils"), "{}", r.explain());
    let r = m.run("student");
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "tried once:\n{}", r.explain());
}

/// As root without sudo (the dev container's `RUN bash .ci/install-deps student`, Gradescope's
/// set-up): apt-get directly. Not root and no sudo: the one command, as root.
#[test]
fn root_installs_directly_and_a_user_without_sudo_is_told_the_command() {
    let m = Machine::linux();
    m.pm("apt-get").root_user();
    let r = m.run("student");
    assert_eq!(r.code, 0, "{}", r.explain());
    assert!(r.called("env DEBIAN_FRONTEND=noninteractive apt-get install") || r.called("apt-get install"), "{}", r.explain());
    assert!(r.installed("apt-get install").iter().any(|p| p == "libalcotest-ocaml-dev"), "{}", r.explain());

    let m = Machine::linux();
    m.pm("apt-get");
    let r = m.run("student");
    assert_eq!(r.code, 1, "{}", r.explain());
    assert_eq!(r.commands().len(), 1, "{}", r.explain());
    let command = r.commands()[0];
    assert!(command.starts_with("su -c 'apt-get install -y ") && command.contains("libalcotest-ocaml-dev") && command.contains("elfutils"), "{}", r.explain());
    assert!(!r.called("apt-get"), "{}", r.explain());
}

/// An OCaml older than the lessons' 4.13: not replaced behind the student's back; the command.
#[test]
fn an_ocaml_older_than_4_13_is_refused_with_the_command() {
    let m = Machine::linux();
    m.pm("apt-get").sudo().ocaml("4.11.1", &["alcotest", "qcheck"]).tools(&["eu-stack"]);
    let r = m.run("student");
    assert_eq!(r.code, 1, "{}", r.explain());
    assert!(r.stderr.contains("4.11.1") && r.commands() == ["opam switch create 4.14.2 && eval $(opam env)"], "{}", r.explain());
    no_package_manager_called(&r);
}

/// `test`: what the kit's own tests use, the macOS target best effort (a failing rustup warns).
#[test]
fn test_mode_adds_the_kits_test_tools_and_the_macos_target() {
    let m = Machine::linux();
    m.pm("apt-get").root_user().ocaml("4.13.1", &["alcotest", "qcheck"]).tools(&["eu-stack", "bwrap", "setpriv", "prlimit"]);
    m.stub("rustup", "[ \"$1\" = target ] && [ \"$2\" = list ] && echo x86_64-unknown-linux-gnu\n[ \"$2\" != add ]");
    let r = m.run("test");
    assert_eq!(r.code, 0, "{}", r.explain());
    let installed = r.installed("apt-get install");
    assert!(installed.iter().any(|p| p == "tmux") && installed.iter().any(|p| p == "chromium"), "{}", r.explain());
    assert!(r.called("rustup target add x86_64-apple-darwin"), "{}", r.explain());
    assert!(r.stderr.contains("warning: rustup could not add"), "{}", r.explain());
}

/// The dev container runs this same script (its Dockerfile copies it and runs `student` as
/// root: the case of `root_installs_directly...` above), not a copy of its package list.
#[test]
fn the_dev_container_runs_this_script() {
    let root = common::kit().root;
    let dockerfile = std::fs::read_to_string(root.join(".devcontainer/Dockerfile")).unwrap();
    assert!(dockerfile.lines().any(|l| l.starts_with("COPY") && l.contains(".ci/install-deps")), "{dockerfile}");
    assert!(dockerfile.lines().any(|l| l.contains("install-deps student")), "{dockerfile}");
    for name in ["libalcotest-ocaml-dev", "ocaml-dune", "elfutils"] {
        assert!(!dockerfile.contains(name), "the Dockerfile names {name}: the script's list is the one list");
    }
    assert!(dockerfile.contains("bookworm"), "{dockerfile}");
    let json = std::fs::read_to_string(root.join(".devcontainer/devcontainer.json")).unwrap();
    assert!(json.contains("make build"), "{json}");
}

/// Every library a lesson's check (or the kit's OCaml tests) links is in the script's list:
/// a new `(libraries ... x)` in a dune file fails here until the script installs x.
#[test]
fn the_script_installs_every_library_the_dune_files_link() {
    let root = common::kit().root;
    let text = std::fs::read_to_string(script()).unwrap();
    let line = text.lines().find(|l| l.starts_with("ocaml_libs=(")).expect("ocaml_libs=(...) in the script");
    let listed: Vec<&str> = line.trim_start_matches("ocaml_libs=(").trim_end_matches(')').split_whitespace().collect();

    let mut dune_files = Vec::new();
    for top in ["exercises", "ocaml"] {
        walk(&root.join(top), &mut dune_files);
    }
    assert!(dune_files.len() > 10, "{dune_files:?}");
    let (mut linked, mut local) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    for f in &dune_files {
        let text = std::fs::read_to_string(f).unwrap();
        let text: String = text.lines().map(|l| l.split(';').next().unwrap()).collect::<Vec<_>>().join("\n");
        for (field, set) in [("(libraries", &mut linked), ("(name", &mut local)] {
            for part in text.split(field).skip(1) {
                set.extend(part.split(')').next().unwrap().split_whitespace().map(String::from));
            }
        }
    }
    // Those that come with OCaml.
    let with_ocaml = ["threads", "threads.posix", "unix", "str", "dynlink"];
    let missing: Vec<&String> = linked.iter().filter(|l| !local.contains(*l) && !with_ocaml.contains(&l.as_str()) && !listed.contains(&l.as_str())).collect();
    assert!(missing.is_empty(), "linked by the dune files and not installed by .ci/install-deps: {missing:?}");
    assert!(linked.contains("alcotest"), "{linked:?}");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if name == "_build" || name == "target" {
            continue;
        }
        // Links are not followed: 11's link to 06's folders.
        let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
        if meta.is_dir() {
            walk(&p, out);
        } else if name == "dune" && meta.is_file() {
            out.push(p);
        }
    }
}
