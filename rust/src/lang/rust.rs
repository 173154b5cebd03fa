//! Rust: each lesson is a standalone cargo package, built in its scratch folder
//! against a shared target folder so that nothing is compiled twice.
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use serde::Deserialize;

use super::reused::Made;
use super::{tail, Backend, Build, Programs, Staged, SuiteRun, TestRun};
use crate::lesson::{CheckKind, Lang, Lesson};
use crate::runner::{self, Job, Limits, Outcome, RunError};
use crate::stacks::{BlockingCall, FrameReader};

pub struct Rust;

impl Rust {
    /// Cargo in the sandbox: it writes the target folder, sees no other package's
    /// sources there, and works offline (the kit's dependencies are fetched before).
    fn cargo(&self, staged: &Staged, name: &str, limits: Limits) -> Job {
        Job::new("cargo", &Self::build_dir(staged, name), limits)
            .compiler()
            .writable(&staged.target_dir)
            .hide(staged.target_dir.join("src"))
            .env("CARGO_TARGET_DIR", &staged.target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_NET_OFFLINE", "true")
            // Incremental only where the products are kept ([`Staged::reuse`]); elsewhere
            // each build's own products are removed after it.
            .env("CARGO_INCREMENTAL", if staged.reuse { "1" } else { "0" })
            .env("RUST_BACKTRACE", "0")
    }

    /// Removes what a build of the lesson's own package left in the shared target folder,
    /// in every profile (`debug`, `release`, and those of a target triple), once its programs
    /// are copied out: the next build there may be another submission's, and `include_bytes!`
    /// of a program built from someone else's work would pass as its own. The kit's
    /// dependencies stay. `messages` are cargo's (`--message-format=json`); the package's
    /// own name counts too, in case they were cut short.
    fn forget(staged: &Staged, name: &str, messages: &[CargoLine]) {
        if staged.reuse {
            return;
        }
        let mut keys = std::collections::HashSet::from([artifact_key(name)]);
        for a in own_artifacts(messages) {
            let files = a.filenames.iter().chain(a.executable.as_ref()).map(Path::new);
            keys.extend(files.filter_map(|f| f.file_name()).map(|n| artifact_key(&n.to_string_lossy())));
        }
        // `libchan.rlib` also leaves `deps/chan-<hash>.d`; a program `hello`, `deps/libhello-*` if it has a library.
        let more: Vec<String> = keys.iter().flat_map(|k| [k.strip_prefix("lib").unwrap_or(k).to_string(), format!("lib{k}")]).collect();
        keys.extend(more);
        for profile in profiles(&staged.target_dir) {
            // These builds are not incremental; what an older kit or a student's own checks left there goes too.
            let _ = std::fs::remove_dir_all(profile.join("incremental"));
            for dir in [profile.clone(), profile.join("deps"), profile.join("examples")] {
                for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    if e.file_type().is_ok_and(|t| t.is_file()) && keys.contains(&artifact_key(&e.file_name().to_string_lossy())) {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
        }
    }

    /// Downloads the kit's dependencies, as the grader and outside the sandbox (which has
    /// no network), from the kit's own files alone: a copy of the lesson's language folder
    /// as the kit holds it, never the staged build. Once per manifest in a process; the
    /// `Cargo.lock` it settles on is what every build of the lesson uses. It is kept, with
    /// the manifest it was made for, beside the target folder (never inside it, where builds
    /// write), so that the next process skips the fetch while the manifest is the same.
    fn fetch(&self, staged: &Staged, lesson: &Lesson, limits: Limits) -> Result<Option<String>, RunError> {
        static LOCKS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
        let kit_dir = lesson.dir.join("rust");
        let manifest = std::fs::read_to_string(kit_dir.join("Cargo.toml"))?;
        let table = manifest.parse::<toml::Table>().unwrap_or_default();
        let has_deps = ["dependencies", "dev-dependencies", "build-dependencies"].iter().any(|k| table.get(*k).and_then(|t| t.as_table()).is_some_and(|t| !t.is_empty()));
        if !has_deps {
            return Ok(None);
        }
        if let Some((_, lock)) = LOCKS.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(m, _)| *m == manifest) {
            return Ok(Some(lock.clone()));
        }
        let name = Self::package_name(lesson)?;
        let kept = fetched_dir(&staged.target_dir);
        if std::fs::read_to_string(kept.join(format!("{name}.toml"))).is_ok_and(|m| m == manifest) {
            if let Ok(lock) = std::fs::read_to_string(kept.join(format!("{name}.lock"))) {
                LOCKS.lock().unwrap_or_else(|e| e.into_inner()).push((manifest, lock.clone()));
                return Ok(Some(lock));
            }
        }
        let copy = crate::scratch::dir("fetch")?;
        super::copy_kit_tree(&kit_dir, &kit_dir, copy.path(), &[]).map_err(|e| RunError::Io(std::io::Error::other(e.to_string())))?;
        crate::contain::guard_cargo_configs(copy.path()).map_err(|e| RunError::Io(std::io::Error::other(e)))?;
        let mut job = Job::new("cargo", copy.path(), limits).trusted().arg("fetch").env("CARGO_TARGET_DIR", copy.path().join("target"));
        if let Some(t) = crate::contain::rust_toolchain() {
            job = job.env("RUSTUP_TOOLCHAIN", t);
        }
        let out = runner::run(&job)?;
        if !out.success() {
            return Err(RunError::Io(std::io::Error::other(format!("cannot fetch the lesson's dependencies: {}", tail(&out.stderr_text(), 1)))));
        }
        let lock = std::fs::read_to_string(copy.path().join("Cargo.lock"))?;
        // Kept for the next process; a copy that cannot be written only costs a fetch.
        let _ = std::fs::create_dir_all(&kept)
            .and_then(|()| std::fs::write(kept.join(format!("{name}.lock")), &lock))
            .and_then(|()| std::fs::write(kept.join(format!("{name}.toml")), &manifest));
        LOCKS.lock().unwrap_or_else(|e| e.into_inner()).push((manifest, lock.clone()));
        Ok(Some(lock))
    }

    /// Builds in one target folder are taken one at a time, and the program is copied
    /// out before the next build can overwrite it.
    fn lock(staged: &Staged) -> std::io::Result<std::fs::File> {
        super::lock_build(&staged.target_dir.join(".fearless.lock"))
    }

    /// Cargo knows a package by its folder: a build in a fresh folder each time could
    /// be taken for an earlier one's. So every lesson builds in one folder per target
    /// folder, refreshed from the staged build tree under the lock.
    fn build_dir(staged: &Staged, name: &str) -> PathBuf {
        staged.target_dir.join("src").join(name)
    }

    /// The build folder made to hold exactly the staged tree and the kit's `Cargo.lock`.
    fn prepare(&self, staged: &Staged, lesson: &Lesson, name: &str, limits: Limits) -> Result<(), RunError> {
        let lock = self.fetch(staged, lesson, limits)?;
        let dir = Self::build_dir(staged, name);
        std::fs::create_dir_all(&dir)?;
        crate::contain::guard_cargo_configs(&dir).map_err(|e| RunError::Io(std::io::Error::other(e)))?;
        super::sync_tree(&staged.dir, &dir)?;
        if let Some(lock) = lock {
            std::fs::write(dir.join("Cargo.lock"), lock)?;
        }
        Ok(())
    }

    /// The package's name, from the kit's own manifest, as one plain path component.
    fn package_name(lesson: &Lesson) -> Result<String, RunError> {
        let manifest = std::fs::read_to_string(lesson.dir.join("rust/Cargo.toml"))?;
        let name = manifest.parse::<toml::Table>().ok().and_then(|t| t.get("package")?.get("name")?.as_str().map(String::from)).unwrap_or_else(|| "main".into());
        super::plain_name(&name)?;
        Ok(name)
    }

    /// `cargo test` in two steps: the tests are built with the target folder writable,
    /// then each test program, copied out of it, runs in a working folder of its own with
    /// the lesson's limits, the build tree read-only and its report channel (see
    /// [`super::verdict`]). Arguments after `--` go to each test program.
    fn build_and_run_tests(&self, staged: &Staged, lesson: &Lesson, suite: &SuiteRun) -> Result<Tests, RunError> {
        let args = &suite.args;
        let (cargo_args, harness_args) = match args.iter().position(|a| a == "--") {
            Some(i) => (&args[..i], &args[i + 1..]),
            None => (&args[..], &[][..]),
        };
        match self.build_tests(staged, lesson, cargo_args, suite.wall)? {
            Ok(programs) => {
                let (outcome, reports) = Self::run_tests(staged, lesson, &programs, harness_args, suite)?;
                Ok(Tests::Ran(outcome, reports))
            }
            Err((build, told)) => Ok(Tests::NotBuilt(build, told)),
        }
    }

    /// The suite's test programs: built with every other suite of the lesson that `cargo
    /// test` builds with the same arguments, in one invocation (each toolchain start and
    /// the student's code compiled once for all of them), then picked by name. When that
    /// build fails, the suite is built alone, so that what it reports is its own.
    fn build_tests(&self, staged: &Staged, lesson: &Lesson, cargo_args: &[String], wall: Duration) -> Result<Result<Vec<PathBuf>, (Outcome, Told)>, RunError> {
        let named = |args: &[String]| args.windows(2).filter(|w| w[0] == "--test").map(|w| w[1].clone()).collect::<Vec<_>>();
        let mine = named(cargo_args);
        let together = together(lesson, cargo_args);
        if mine.is_empty() || together == cargo_args {
            return Ok(self.build_test_programs(staged, lesson, cargo_args, wall)?.map(|built| built.into_iter().map(|(_, p)| p).collect()));
        }
        let mut memo = staged.suites.lock().unwrap_or_else(|e| e.into_inner());
        let built = match memo.get(&together) {
            Some(built) => built.clone(),
            None => {
                let built = self.build_test_programs(staged, lesson, &together, wall)?.ok();
                memo.insert(together.clone(), built.clone());
                built
            }
        };
        drop(memo);
        match built {
            Some(built) => Ok(Ok(built.into_iter().filter(|(target, _)| mine.contains(target)).map(|(_, p)| p).collect())),
            None => Ok(self.build_test_programs(staged, lesson, cargo_args, wall)?.map(|built| built.into_iter().map(|(_, p)| p).collect())),
        }
    }

    /// Builds test programs (`cargo test --no-run`) under the target folder's lock, in a
    /// target folder of their own (`suites/`: the program's build has other flags, and
    /// each keeps what it built), and copies them out of it: each with the name of its
    /// test target, or the build that failed. When grading, the programs of the same
    /// bytes built earlier in the run are copied instead ([`Staged::once`]).
    fn build_test_programs(&self, staged: &Staged, lesson: &Lesson, cargo_args: &[String], wall: Duration) -> Result<Result<Programs, (Outcome, Told)>, RunError> {
        let mut failed = None;
        let built: Option<Programs> =
            staged.once(&format!("cargo test --no-run {}", cargo_args.join(" ")), || match self.build_test_programs_now(staged, lesson, cargo_args, wall)? {
                Ok(programs) => {
                    let relative: Programs = programs.into_iter().map(|(target, p)| (target, staged.relative(&p))).collect();
                    Ok(Made { files: relative.iter().map(|(_, p)| p.clone()).collect(), value: Some(relative), keep: true })
                }
                Err(why) => {
                    failed = Some(why);
                    Ok(Made { value: None, files: Vec::new(), keep: false })
                }
            })?;
        match (built, failed) {
            (Some(programs), _) => Ok(Ok(programs.into_iter().map(|(target, p)| (target, staged.root.join(p))).collect())),
            (None, Some(why)) => Ok(Err(why)),
            (None, None) => Err(RunError::Io(std::io::Error::other("a kept build of the tests has no programs"))),
        }
    }

    fn build_test_programs_now(&self, staged: &Staged, lesson: &Lesson, cargo_args: &[String], wall: Duration) -> Result<Result<Programs, (Outcome, Told)>, RunError> {
        let name = Self::package_name(lesson)?;
        let _lock = Self::lock(staged)?;
        self.prepare(staged, lesson, &name, Limits::build(wall))?;
        let cargo = self.cargo(staged, &name, Limits::build(wall)).env("CARGO_TARGET_DIR", staged.target_dir.join("suites"));
        let build = runner::run(&cargo.args(["test", "--no-run", "--quiet", "--message-format=json"]).args(cargo_args.iter().cloned()))?;
        let told = Told::of(&build);
        if !build.success() {
            Self::forget(staged, &name, &told.messages);
            return Ok(Err((build, told)));
        }
        let dir = staged.root.join("kit-tests");
        std::fs::create_dir_all(&dir)?;
        let copies: std::io::Result<Programs> = test_programs(&told.messages)
            .map(|(target, exe)| {
                let copy = dir.join(exe.file_name().unwrap_or_default());
                runner::copy_program(exe, &copy).map(|()| (target.to_string(), copy))
            })
            .collect();
        Self::forget(staged, &name, &told.messages);
        Ok(Ok(copies?))
    }

    /// Runs each test program with its report channel, within what is left of `wall`
    /// (and `per_test` for one test): their outcomes as one, and what they reported.
    fn run_tests(staged: &Staged, lesson: &Lesson, programs: &[PathBuf], harness_args: &[String], suite: &SuiteRun) -> Result<(Outcome, super::verdict::Reports), RunError> {
        let wall = suite.wall;
        let started = std::time::Instant::now();
        let mut all = Outcome::empty(crate::contain::Containment::Trusted);
        let mut reports = Vec::new();
        for copy in programs {
            // A folder of this program's own: the suites of a lesson run at once.
            let work = staged.work(&format!("tests-{}", copy.file_name().unwrap_or_default().to_string_lossy()))?;
            let channel = super::verdict::Channel::open()?;
            let mut limits = Limits::suite(wall, &lesson.exercise.limits);
            limits.wall = wall.saturating_sub(started.elapsed()).max(Duration::from_secs(1));
            let test = Job::new(copy, &work, limits).scratch(&work).readable(&staged.dir).arg("--quiet").args(harness_args.iter().cloned()).env("RUST_BACKTRACE", "0");
            let job = channel.give(suite.budgeted(test), suite.per_test);
            let out = runner::run(&job);
            drop(job);
            reports.push(channel.finish());
            let out = out?;
            all.stdout.extend_from_slice(&out.stdout);
            all.stderr.extend_from_slice(&out.stderr);
            all.duration += out.duration;
            all.max_rss_kib = all.max_rss_kib.max(out.max_rss_kib);
            all.memory_capped |= out.memory_capped;
            if !out.success() && all.success() {
                all.ending = out.ending;
            }
        }
        Ok((all, super::verdict::merge(reports)))
    }

    /// The tests of the suite that `cargo test <args>` runs, from the kit's own sources:
    /// every `#[test]` function of `tests/<name>.rs` for each `--test <name>` (every file
    /// of `tests/` when none is named).
    pub fn suite_tests(lesson: &Lesson, args: &[String]) -> Vec<String> {
        let tests = lesson.dir.join("rust/tests");
        let named: Vec<String> = args.windows(2).filter(|w| w[0] == "--test").map(|w| format!("{}.rs", w[1])).collect();
        let files: Vec<PathBuf> = if named.is_empty() {
            let mut v: Vec<_> = std::fs::read_dir(&tests).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "rs")).collect();
            v.sort();
            v
        } else {
            named.iter().map(|n| tests.join(n)).collect()
        };
        static TEST_FN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"#\[test\]\s*(?:#\[[^\]]*\]\s*)*(?:pub\s+)?fn\s+(\w+)").expect("a valid pattern"));
        files.iter().flat_map(|f| std::fs::read_to_string(f).map(|t| TEST_FN.captures_iter(&t).map(|c| c[1].to_string()).collect::<Vec<_>>()).unwrap_or_default()).collect()
    }
}

/// What a kit test suite gave: its programs' outcome (as one) and reports, or the build
/// that failed and what it told.
enum Tests {
    Ran(Outcome, super::verdict::Reports),
    NotBuilt(Outcome, Told),
}

/// Where the `Cargo.lock` of each fetch is kept: beside the target folder (`lessons` gives
/// `lessons.fetched`), out of the builds' reach.
fn fetched_dir(target: &Path) -> PathBuf {
    super::beside(target, "fetched")
}

/// One line of cargo's `--message-format=json` output, of the kinds the kit reads.
#[derive(Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum CargoLine {
    CompilerArtifact(Artifact),
    CompilerMessage {
        message: Diagnostic,
    },
    #[serde(other)]
    Other,
}

/// A diagnostic of rustc's, as cargo passes it on.
#[derive(Deserialize)]
struct Diagnostic {
    /// `error`, `warning`, `failure-note`, `error: internal compiler error`, ...
    level: String,
    /// The diagnostic as rustc prints it on a terminal (without colours, with `json`).
    rendered: Option<String>,
}

/// What a cargo build told: its messages (`--message-format=json`, on stdout) and its
/// own words (on stderr).
struct Told {
    messages: Vec<CargoLine>,
    stderr: String,
}

impl Told {
    fn of(build: &Outcome) -> Told {
        Told { messages: messages(&build.stdout_text()), stderr: build.stderr_text() }
    }

    /// rustc's diagnostics, each as rendered.
    fn rendered(&self) -> impl Iterator<Item = (&str, &str)> {
        self.messages.iter().filter_map(|m| match m {
            CargoLine::CompilerMessage { message: Diagnostic { level, rendered: Some(r) } } => Some((level.as_str(), r.as_str())),
            _ => None,
        })
    }

    /// What the build printed, as a terminal shows it (`--message-format=human`): rustc's
    /// diagnostics as they came, then cargo's own words (which close a build).
    fn transcript(&self) -> String {
        let mut text: String = self.rendered().map(|(_, r)| r).collect();
        text.push_str(&self.stderr);
        text
    }

    /// The build's error blocks and warning blocks: rustc's, by their level, then those
    /// cargo wrote itself (a manifest's, say).
    fn diagnostics(&self) -> (Vec<String>, Vec<String>) {
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        for (level, rendered) in self.rendered() {
            let block = rendered.trim_end().to_string();
            if level.starts_with("error") {
                errors.push(block);
            } else if level.starts_with("warning") {
                warnings.push(block);
            }
        }
        let (cargo_errors, cargo_warnings) = diagnostics(&self.stderr);
        errors.extend(cargo_errors);
        warnings.extend(cargo_warnings);
        (errors, warnings)
    }
}

/// What cargo built: a library, a program, a test program.
#[derive(Deserialize)]
struct Artifact {
    /// `path+file:///...#name@0.1.0` for a package of the kit's; `registry+...` for a dependency.
    package_id: String,
    #[serde(default)]
    filenames: Vec<String>,
    /// The program, when the artifact is one.
    executable: Option<String>,
    profile: ArtifactProfile,
    target: ArtifactTarget,
}

#[derive(Deserialize)]
struct ArtifactTarget {
    /// The target's name: a test program's is its file's (`tests/model.rs` gives `model`).
    name: String,
}

#[derive(Deserialize)]
struct ArtifactProfile {
    /// Built as a test program.
    test: bool,
}

/// Cargo's messages, from its JSON lines (cargo's own text, never a program's); lines it
/// did not write as a message are left out.
fn messages(json: &str) -> Vec<CargoLine> {
    json.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// The artifacts of the lesson's own package (not its dependencies').
fn own_artifacts(messages: &[CargoLine]) -> impl Iterator<Item = &Artifact> {
    messages.iter().filter_map(|m| match m {
        CargoLine::CompilerArtifact(a) if a.package_id.starts_with("path+") => Some(a),
        _ => None,
    })
}

/// The test programs a `cargo test --no-run` built, each with the name of its target.
fn test_programs(messages: &[CargoLine]) -> impl Iterator<Item = (&str, &Path)> {
    messages.iter().filter_map(|m| match m {
        CargoLine::CompilerArtifact(a) if a.profile.test => a.executable.as_deref().map(|e| (a.target.name.as_str(), Path::new(e))),
        _ => None,
    })
}

/// The arguments that build `cargo_args`'s test programs together with those of every
/// other Rust suite of the lesson built with the same other arguments: the other
/// arguments, then every such suite's `--test <name>` in the order of the names (the same
/// for each suite, so that the first one's build serves the others).
fn together(lesson: &Lesson, cargo_args: &[String]) -> Vec<String> {
    let split = |args: &[String]| -> (Vec<String>, Vec<String>) {
        let args = args.iter().position(|a| a == "--").map_or(args, |i| &args[..i]);
        let (mut other, mut tests) = (Vec::new(), Vec::new());
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match (a.as_str(), it.clone().next()) {
                ("--test", Some(t)) => {
                    tests.push(t.clone());
                    it.next();
                }
                _ => other.push(a.clone()),
            }
        }
        (other, tests)
    };
    let (other, mut tests) = split(cargo_args);
    for kind in CheckKind::ALL {
        let Some(suite) = lesson.exercise.checks.suite(*kind) else { continue };
        let Some(args) = suite.args.get(&Lang::Rust) else { continue };
        if suite.langs.as_ref().is_some_and(|l| !l.contains(&Lang::Rust)) {
            continue;
        }
        let (o, t) = split(args);
        if o == other && !t.is_empty() {
            tests.extend(t.into_iter().filter(|t| !tests.contains(t)).collect::<Vec<_>>());
        }
    }
    tests.sort();
    other.into_iter().chain(tests.into_iter().flat_map(|t| ["--test".to_string(), t])).collect()
}

/// Every profile folder of a cargo target folder: `debug`, `release`, and those under a target triple.
fn profiles(target: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(target).into_iter().flatten().flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if !e.file_type().is_ok_and(|t| t.is_dir()) || name == "src" || name.starts_with('.') {
            continue;
        }
        if p.join("deps").is_dir() || p.join(".fingerprint").is_dir() {
            out.push(p);
        } else {
            out.extend(std::fs::read_dir(&p).into_iter().flatten().flatten().map(|e| e.path()).filter(|q| q.join("deps").is_dir()));
        }
    }
    out
}

/// The crate a file in a target folder belongs to: `deps/build_a_channel-0123456789abcdef.d`,
/// `build-a-channel` and `build_a_channel` all give `build_a_channel`.
fn artifact_key(file_name: &str) -> String {
    let stem = file_name.split('.').next().unwrap_or(file_name);
    let stem = match stem.rsplit_once('-') {
        Some((crate_name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => crate_name,
        _ => stem,
    };
    stem.replace('-', "_")
}

/// Diagnostics printed as text (cargo's own, or rustc's rendered), split into error
/// blocks and warning blocks; cargo's chatter and rustc's closing notes dropped.
pub fn diagnostics(stderr: &str) -> (Vec<String>, Vec<String>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut block: Option<(bool, Vec<&str>)> = None;
    static NOISE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(error: could not compile|error: aborting|warning: `.*` \(.*\) generated|warning: build failed|For more information about|Some errors have detailed|\s*(Compiling|Finished|Running|Blocking|Updating|Locking)\b)").expect("a valid pattern")
    });
    let mut flush = |b: &mut Option<(bool, Vec<&str>)>| {
        if let Some((is_err, lines)) = b.take() {
            let text = lines.join("\n").trim_end().to_string();
            if is_err {
                errors.push(text)
            } else {
                warnings.push(text)
            }
        }
    };
    for line in stderr.lines() {
        if NOISE.is_match(line) {
            flush(&mut block);
            continue;
        }
        if line.starts_with("error") || line.starts_with("warning") {
            flush(&mut block);
            block = Some((line.starts_with("error"), vec![line]));
        } else if line.trim().is_empty() {
            flush(&mut block);
        } else if let Some((_, lines)) = block.as_mut() {
            lines.push(line);
        }
    }
    flush(&mut block);
    (errors, warnings)
}

/// "test_name: why" for the first failing test of libtest's output. A test can panic
/// more than once (a model checker reports, then the kit's test explains); the kit's
/// own words, the last panic located in `tests/`, win over the first panic.
pub fn first_failure(text: &str) -> Option<String> {
    static SECTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^---- (\S+) stdout ----$").expect("a valid pattern"));
    // Tests finish in any order; the first by name is the same in every run.
    let c = SECTION.captures_iter(text).min_by(|a, b| a[1].cmp(&b[1]))?;
    let name = c[1].to_string();
    let start = c.get(0).unwrap().end();
    let end = SECTION.find_at(text, start).map(|m| m.start()).unwrap_or(text.len());
    static PANIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)panicked at (\S+?):\d+:\d+:\n(.*)").expect("a valid pattern"));
    let panics: Vec<(String, String)> = PANIC.captures_iter(&text[start..end]).map(|p| (p[1].to_string(), p[2].trim().to_string())).collect();
    let why = panics.iter().rev().find(|(at, _)| at.starts_with("tests/")).or(panics.first()).map(|(_, m)| m.clone()).unwrap_or_else(|| "failed".into());
    let why = why.strip_prefix("assertion `left == right` failed: ").unwrap_or(&why);
    Some(format!("{name}: {why}"))
}

/// "error[E0425]: cannot find value `tx` in this scope (src/main.rs:12:5)"
fn headline(block: &str) -> String {
    let first = block.lines().next().unwrap_or("").trim();
    let at = block.lines().find_map(|l| l.trim().strip_prefix("--> ")).map(|s| format!(" ({s})")).unwrap_or_default();
    format!("{first}{at}")
}

/// Snippets longer than this are art (spans over many lines) rather than help: dropped.
const SNIPPET_LINES: usize = 8;

/// One error trimmed to its point: the message, where, the `= help:`/`= note:` lines,
/// and each attached `note:` in one line (those that point into the toolchain lose
/// their path). The source snippet stays only when it is short.
pub fn trim_error(block: &str) -> String {
    static SNIPPET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(\d+\s*)?\|( |$)|^\.\.\.").expect("a valid pattern"));
    static REMARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*= ").expect("a valid pattern"));
    static SUB: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(note|help)(\[\w+\])?: ").expect("a valid pattern"));
    static TOOLCHAIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(/rustc/|/.*/(\.rustup|\.cargo/registry|rustlib)/)").expect("a valid pattern"));
    // (first line, location, snippet, remarks) per part: the error itself, then each sub-note.
    type Part<'a> = (String, Option<String>, Vec<&'a str>, Vec<&'a str>);
    let mut parts: Vec<Part> = Vec::new();
    let mut in_remark = false;
    for (i, line) in block.lines().enumerate() {
        if i == 0 || SUB.is_match(line) {
            parts.push((line.trim_end().to_string(), None, Vec::new(), Vec::new()));
            in_remark = false;
            continue;
        }
        let Some(part) = parts.last_mut() else {
            continue;
        };
        if let Some(loc) = line.trim().strip_prefix("--> ") {
            part.1.get_or_insert_with(|| loc.to_string());
        } else if REMARK.is_match(line) {
            part.3.push(line);
            in_remark = true;
        } else if SNIPPET.is_match(line) {
            part.2.push(line);
            in_remark = false;
        } else if in_remark {
            part.3.push(line);
        }
    }
    let mut out = Vec::new();
    for (k, (first, loc, snip, remarks)) in parts.iter().enumerate() {
        if k == 0 {
            out.push(first.clone());
            if let Some(loc) = loc {
                out.push(format!("  --> {loc}"));
            }
            if snip.len() <= SNIPPET_LINES {
                out.extend(snip.iter().map(|l| l.to_string()));
            }
        } else {
            match loc {
                Some(loc) if !TOOLCHAIN.is_match(loc) => out.push(format!("{first} ({loc})")),
                _ => out.push(first.clone()),
            }
        }
        out.extend(remarks.iter().map(|l| l.to_string()));
    }
    out.join("\n")
}

fn build_report(told: &Told, ok: bool) -> Build {
    let (errors, warnings) = told.diagnostics();
    let transcript = told.transcript();
    let mut details = errors.iter().map(|e| trim_error(e)).collect::<Vec<_>>().join("\n\n");
    if !warnings.is_empty() {
        if !details.is_empty() {
            details.push_str("\n\n");
        }
        details.push_str(&warnings.join("\n\n"));
    }
    let headline = Build::headline(ok, errors.first().map(|e| headline(e)), warnings.len(), &transcript);
    if !ok && errors.is_empty() {
        details = tail(&transcript, 30);
    }
    Build { ok, headline, details }
}

/// How a closure's or a shim's segment of a demangled path starts: `{{closure}}`, `{closure#0}`.
const UNNAMED_SEGMENT: char = '{';

/// The blocking calls of Rust's standard library that a hung thread waits in.
static BLOCKING: LazyLock<[BlockingCall; 6]> = LazyLock::new(|| {
    [
        BlockingCall::new("Receiver::recv", r"mpsc::(Receiver<.*>::recv|IntoIter<.*>::next|Iter<.*>::next)", None, "a `Sender` is still alive, so the channel never closes"),
        BlockingCall::new("SyncSender::send", r"mpsc::SyncSender<.*>::send", None, "the channel is full and nobody receives any more"),
        BlockingCall::new("Condvar::wait", r"Condvar::wait", None, "nobody will ever signal the condition it waits for"),
        BlockingCall::new("JoinHandle::join", r"JoinHandle<.*>::join", None, "the thread it waits for never finishes"),
        BlockingCall::new(
            "Mutex::lock",
            r"(sync::.*Mutex<.*>::lock|futex::Mutex::lock_contended)",
            Some(r"lock_contended|futex_wait"),
            "the lock is held by a thread that never releases it (a deadlock)",
        ),
        BlockingCall::new("thread::sleep", r"std::thread::.*sleep", None, "it sleeps for longer than the time limit"),
    ]
});

impl FrameReader for Rust {
    fn lang(&self) -> Lang {
        Lang::Rust
    }

    fn blocking_calls(&self) -> &[BlockingCall] {
        &*BLOCKING
    }

    /// `mpsc::main::{{closure}}` -> `main`: a closure counts as the function it is written in.
    fn student_function(&self, frame: &str) -> Option<String> {
        frame.split("::").filter(|p| !p.starts_with(UNNAMED_SEGMENT)).last().map(String::from)
    }
}

impl Backend for Rust {
    fn build_command(&self) -> &'static str {
        "cargo build (debug)"
    }

    fn build(&self, staged: &Staged, lesson: &Lesson) -> Result<Build, RunError> {
        let limits = Limits::build(Duration::from_secs_f64(lesson.exercise.build_limit_secs));
        let name = Self::package_name(lesson)?;
        // No `unsafe` in the package's library and programs (the student's code among them):
        // it could run before `main` or reach the kit's test harness. The tests build the same
        // sources without the flag (the kit's own test code may use it).
        let rustflags = format!("{} -F unsafe_code", std::env::var("RUSTFLAGS").unwrap_or_default()).trim().to_string();
        let bin = staged.dir.join(format!("{name}.bin"));
        staged.once(&format!("cargo build {rustflags}"), || {
            let _lock = Self::lock(staged)?;
            self.prepare(staged, lesson, &name, limits.clone())?;
            let out = runner::run(&self.cargo(staged, &name, limits).env("RUSTFLAGS", &rustflags).args(["build", "--quiet", "--message-format=json"]))?;
            let copied = if out.success() { runner::copy_program(&staged.target_dir.join("debug").join(&name), &bin) } else { Ok(()) };
            let told = Told::of(&out);
            Self::forget(staged, &name, &told.messages);
            copied?;
            let timed_out = out.ending == runner::Ending::TimedOut;
            let build = if timed_out { Build::timed_out(lesson.exercise.build_limit_secs, &told.transcript()) } else { build_report(&told, out.success()) };
            Ok(Made { files: if build.ok { vec![staged.relative(&bin)] } else { Vec::new() }, keep: !timed_out, value: build })
        })
    }

    fn program(&self, staged: &Staged, lesson: &Lesson, work: &Path) -> Result<Job, RunError> {
        let bin = staged.dir.join(format!("{}.bin", Self::package_name(lesson)?));
        Ok(Job::new(bin, work, Limits::build(Duration::from_secs(10))).scratch(work).readable(&staged.dir).env("RUST_BACKTRACE", "0"))
    }

    fn test(&self, staged: &Staged, lesson: &Lesson, suite: &SuiteRun) -> Result<TestRun, RunError> {
        let args = &suite.args;
        let (outcome, reports) = match self.build_and_run_tests(staged, lesson, suite)? {
            Tests::Ran(outcome, reports) => (outcome, reports),
            Tests::NotBuilt(build, told) => return Ok(TestRun::not_built(build, &told.transcript(), |_| build_report(&told, false).headline)),
        };
        let text = format!("{}\n{}", outcome.stdout_text(), outcome.stderr_text());
        let failures: Vec<&str> =
            text.lines().filter(|l| l.starts_with("---- ") || l.contains("panicked at") || l.trim_start().starts_with("left:") || l.trim_start().starts_with("right:")).collect();
        let log = if failures.is_empty() { tail(&text, 30) } else { failures.join("\n") };
        Ok(super::test_run(&Self::suite_tests(lesson, args), reports, outcome, first_failure(&text), log))
    }

    fn unfinished(&self, stderr: &str) -> Option<String> {
        static TODO_PANIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"panicked at (\S+?):\d+:\n?not yet implemented(?:: (.*))?").expect("a valid pattern"));
        let c = TODO_PANIC.captures(stderr)?;
        // The name of the starting points' marker, spelled so that a search for stubs in the kit skips it.
        let marker = concat!("todo", "!()");
        let what = c.get(2).map(|m| m.as_str().to_string()).unwrap_or_else(|| format!("a `{marker}`"));
        let at = c[1].to_string();
        Some(format!("not done yet: {what} ({at}, `{marker}`)"))
    }

    fn hang_warnings(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "with a reference instead of an owned value does nothing",
                "`drop(&x)` drops a reference, not the value: a `Sender` dropped that way stays alive and its channel never closes (`drop(x)` gives it up)",
            ),
            // The lessons name their senders `tx…`: an unused one is a sender kept alive.
            ("unused variable: `tx", "an unused variable keeps its value to the end of its scope: an unused `Sender` (or clone) keeps its channel open"),
            ("unused `Result` that must be used", "a `send` or `join` whose result is ignored cannot tell you that the other side is gone"),
        ]
    }

    fn failure(&self, stderr: &str) -> Option<String> {
        static PANIC_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"thread '([^']*)' (?:\(\d+\) )?panicked at (\S+):\n(.*)").expect("a valid pattern"));
        let c = PANIC_LINE.captures(stderr)?;
        Some(format!("thread '{}' panicked at {}: {}", &c[1], &c[2], c[3].trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_crate_of_each_file_a_build_leaves() {
        for (file, key) in [
            ("build-a-channel", "build_a_channel"),
            ("build_a_channel-0123456789abcdef", "build_a_channel"),
            ("build_a_channel-0123456789abcdef.d", "build_a_channel"),
            ("libchan-fedcba9876543210.rlib", "libchan"),
            ("libchan.rlib", "libchan"),
            ("fast-channel.d", "fast_channel"),
            ("two-words", "two_words"),
        ] {
            assert_eq!(artifact_key(file), key, "{file}");
        }
    }

    /// rustc 1.95's words for a `tx` used after `drop(tx)`, and for an unused variable.
    const E0382: &str = "error[E0382]: borrow of moved value: `tx`
 --> src/main.rs:5:5
  |
3 |     let (tx, rx) = std::sync::mpsc::channel::<u32>();
  |          -- move occurs because `tx` has type `std::sync::mpsc::Sender<u32>`, which does not implement the `Copy` trait
4 |     drop(tx);
  |          -- value moved here
5 |     tx.send(1).unwrap();
  |     ^^ value borrowed here after move
  |
help: consider cloning the value if the performance cost is acceptable
  |
4 |     drop(tx.clone());
  |            ++++++++

";
    const UNUSED: &str = "warning: unused variable: `x`
 --> src/main.rs:2:9
  |
2 |     let x = 1;
  |         ^ help: if this is intentional, prefix it with an underscore: `_x`
  |
  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default

";

    #[test]
    fn reads_rustc_s_diagnostics_from_cargo_s_messages() {
        let message = |level: &str, rendered: &str| {
            serde_json::json!({"reason": "compiler-message", "package_id": "path+file:///x#0.1.0", "message": {"level": level, "message": "m", "code": null, "spans": [], "children": [], "rendered": rendered}}).to_string()
        };
        let explain = "For more information about this error, try `rustc --explain E0382`.\n";
        let stdout =
            [message("error", E0382), message("warning", UNUSED), message("failure-note", explain), r#"{"reason":"build-finished","success":false}"#.to_string()].join("\n");
        let stderr = "error: could not compile `x` (bin \"x\") due to 1 previous error; 1 warning emitted\n";
        let told = Told { messages: messages(&stdout), stderr: stderr.into() };
        // What `--message-format=json-render-diagnostics` prints on stderr, the kit's reading before.
        let printed = format!("{E0382}{UNUSED}{explain}{stderr}");
        assert_eq!(told.transcript(), printed);
        let (errors, warnings) = told.diagnostics();
        assert_eq!((errors.as_slice(), warnings.as_slice()), (&[E0382.trim_end().to_string()][..], &[UNUSED.trim_end().to_string()][..]));
        assert_eq!(diagnostics(&printed), (errors, warnings));
        assert_eq!(build_report(&told, false).headline, "error[E0382]: borrow of moved value: `tx` (src/main.rs:5:5)");
    }

    #[test]
    fn splits_errors_from_warnings() {
        let stderr = "   Compiling mpsc v0.1.0\nwarning: unused variable: `x`\n --> src/main.rs:3:9\n  |\n3 |     let x = 1;\n\nerror[E0425]: cannot find value `tx` in this scope\n --> src/main.rs:12:5\n   |\n12 |     tx.send(1);\n\nerror: could not compile `mpsc`\n";
        let (e, w) = diagnostics(stderr);
        assert_eq!(e.len(), 1);
        assert_eq!(w.len(), 1);
        assert_eq!(headline(&e[0]), "error[E0425]: cannot find value `tx` in this scope (src/main.rs:12:5)");
    }

    /// rustc 1.95's error for an `Rc` moved into `thread::spawn`.
    const E0277: &str = "error[E0277]: `Rc<RefCell<u32>>` cannot be sent between threads safely
  --> src/main.rs:10:27
   |
10 |               thread::spawn(move || {
   |               ------------- ^------
   |               |             |
   |  _____________|_____________within this `{closure@src/main.rs:10:27: 10:34}`
   | |             |
   | |             required by a bound introduced by this call
11 | |                 for _ in 0..250 {
12 | |                     let mut count = sold.borrow_mut();
...  |
18 | |             })
   | |_____________^ `Rc<RefCell<u32>>` cannot be sent between threads safely
   |
   = help: within `{closure@src/main.rs:10:27: 10:34}`, the trait `Send` is not implemented for `Rc<RefCell<u32>>`
   = note: required for `Arc<RefCell<u32>>` to implement `Send`
note: required because it's used within this closure
  --> src/main.rs:10:27
   |
10 |             thread::spawn(move || {
   |                           ^^^^^^^
note: required by a bound in `spawn`
  --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/thread/functions.rs:125:0";

    #[test]
    fn trims_a_trait_bound_error_to_its_point() {
        assert_eq!(
            trim_error(E0277),
            "error[E0277]: `Rc<RefCell<u32>>` cannot be sent between threads safely
  --> src/main.rs:10:27
   = help: within `{closure@src/main.rs:10:27: 10:34}`, the trait `Send` is not implemented for `Rc<RefCell<u32>>`
   = note: required for `Arc<RefCell<u32>>` to implement `Send`
note: required because it's used within this closure (src/main.rs:10:27)
note: required by a bound in `spawn`"
        );
    }

    #[test]
    fn keeps_a_short_snippet() {
        let e = "error[E0382]: borrow of moved value: `tx`
  --> src/main.rs:26:5
   |
25 |     drop(tx);
   |          -- value moved here
26 |     tx.send(1).unwrap();
   |     ^^ value borrowed here after move";
        assert_eq!(trim_error(e), e);
    }

    #[test]
    fn names_the_first_failing_test_in_the_kit_s_words() {
        let out = "running 2 tests\n\nfailures:\n\n---- drops stdout ----\nfailing schedule: ...\n\nthread 'drops' (12) panicked at /home/x/shuttle/src/execution.rs:217:50:\ndeadlock! blocked tasks\n\nthread 'drops' (12) panicked at tests/model.rs:130:13:\ndeadlock: a notification was lost\n\n---- other stdout ----\nthread 'other' panicked at tests/model.rs:1:1:\nnot this one\n";
        assert_eq!(first_failure(out).as_deref(), Some("drops: deadlock: a notification was lost"));
        let out = "---- zeta stdout ----\nthread 'zeta' panicked at tests/a.rs:1:1:\nlate\n---- alpha stdout ----\nthread 'alpha' panicked at tests/a.rs:2:1:\nfirst by name\n";
        assert_eq!(first_failure(out).as_deref(), Some("alpha: first by name"));
        let out = "---- clones stdout ----\nthread 'clones' panicked at tests/channel.rs:116:5:\nassertion `left == right` failed: count clones\n  left: Ok(1)\n";
        assert_eq!(first_failure(out).as_deref(), Some("clones: count clones"));
        assert_eq!(first_failure("test result: ok. 3 passed; 0 failed"), None);
    }
}
