//! Lessons and their metadata: the `exercise.toml` format is documented here,
//! on the fields that parse it.
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The two languages every lesson is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Rust,
    Ocaml,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Rust, Lang::Ocaml];
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Ocaml => "ocaml",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `exercise.toml`: one lesson's metadata and checks.
///
/// ```toml
/// id = "mpsc"
/// title = "..."
/// summary = "..."
/// hints = ["gentle", "...", "nearly the answer"]
/// time_limit_secs = 5
/// [checks.termination]
/// points = 2
/// hint = 2                   # the hint for a failure of this check (see `HintAt`)
/// [files]
/// rust = ["src/main.rs"]     # student files, relative to the lesson's rust/ folder
/// ocaml = ["main.ml"]        # student files, relative to the lesson's ocaml/ folder
/// [checks.build]
/// points = 2
/// [checks.output]
/// points = 4
/// expected = """..."""
/// streams = ['^got: (?P<item>p(?P<stream>\d+)-msg\d+)$']
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// The lesson's id: the folder name without its number (`03-mpsc` is `mpsc`).
    pub id: String,
    /// A title for lists and pages.
    pub title: String,
    /// One line that says what the lesson teaches; `fearless list` shows it.
    pub summary: String,
    /// Ordered hints, from gentle to nearly the answer (at least three): the ladder
    /// `fearless hint` and watch's `h` climb. A failure shows the hint that fits its
    /// mistake when the lesson says which ([`HintAt`]: an explain rule's `hint`, a
    /// check's `hint_for` or `hint`), else the next one not yet seen; the ladder goes on
    /// after the one shown.
    pub hints: Vec<String>,
    /// Wall-clock limit for one run of the student's program, in seconds.
    /// Generous against the solution's own run time: a slow machine must not fail a correct student.
    #[serde(default = "default_time_limit")]
    pub time_limit_secs: f64,
    /// How many times the program runs for one grading (default 1), each with
    /// `FEARLESS_ROUND` set to 0, 1, ...: the lesson's kit files may order its threads by
    /// it, so that a program that is right only in some orders (a worker that closes
    /// what others still use) is wrong in one of the runs, not now and then. A pass
    /// needs every run; the first run that fails a program check is the one reported.
    #[serde(default = "default_program_runs")]
    pub program_runs: u32,
    /// Wall-clock limit for one build or test-suite run, in seconds.
    #[serde(default = "default_build_limit")]
    pub build_limit_secs: f64,
    /// Resource limits for the student's program (defaults when absent).
    #[serde(default)]
    pub limits: Limits,
    /// The student files per language: only these are ever taken from a student's copy.
    /// `fearless compare` shows them side by side, cut into sections by marker lines
    /// (`// [send]` in Rust, `(* [send] *)` in OCaml; the same name pairs the steps).
    pub files: BTreeMap<Lang, Vec<String>>,
    /// The checks, by name. Each has its points; see [`Checks`].
    pub checks: Checks,
    /// The lesson's key-differences table, rows of [concept, OCaml, Rust].
    #[serde(default)]
    pub differences: Vec<[String; 3]>,
    /// One wording per mistake both languages share ([`Mistake`]).
    #[serde(default)]
    pub mistakes: Vec<Mistake>,
    /// The check a starting point fails on, per language, when it is a whole program
    /// with the flaw the lesson is about (07 Rust: the compiler refuses the sharing; 11:
    /// lesson 06's channel, too slow) rather than one that stops at a `todo!()` or
    /// `failwith "TODO: ..."` ("not done yet"), as the others do. `fearless dev check`
    /// holds the starting point to it: `starting_point_fails = { rust = "build" }`.
    #[serde(default)]
    pub starting_point_fails: BTreeMap<Lang, String>,
}

/// A mistake both languages share, worded once: a failing test whose message says one of
/// `says` (each language's suite words it its own way) is told `because` instead, after
/// the test's name. In `exercise.toml`:
///
/// ```toml
/// [[mistakes]]
/// says = ["recv returned without the message", "recv returned None while a sender"]
/// because = "`recv` returned with nothing queued while a sender was still open: wait in a `while` loop"
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mistake {
    pub says: Vec<String>,
    pub because: String,
}

fn default_time_limit() -> f64 {
    10.0
}
fn default_program_runs() -> u32 {
    1
}
fn default_build_limit() -> f64 {
    120.0
}

/// Resource limits applied by the runner to the student's program.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// CPU seconds (all threads together) before the kernel kills the program.
    pub cpu_secs: u64,
    /// Address space in MiB.
    pub memory_mib: u64,
    /// Bytes kept of stdout and of stderr, each; the program is stopped past it.
    pub output_bytes: u64,
    /// Processes and threads the program may have at once.
    pub threads: u64,
    /// Bytes of one submitted file; a larger one is refused before the build.
    pub source_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { cpu_secs: 20, memory_mib: 3072, output_bytes: 1 << 20, threads: 256, source_bytes: 1 << 20 }
    }
}

/// The checks of a lesson, in the order they run and are reported.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// The student's code compiles; errors are shown trimmed, warnings never fatal.
    pub build: Option<Points>,
    /// The kit's own tests, run against the student's code (library lessons).
    pub tests: Option<TestSuite>,
    /// The work the code does per unit (locks taken, notifications sent per message) on a
    /// fixed workload, counted by the kit's instrumented types: a test suite, never timed.
    pub efficiency: Option<TestSuite>,
    /// The output matches `expected`, whatever the interleaving of the streams.
    pub output: Option<OutputSpec>,
    /// Messages per stream and in total, against `expected` of the `output` check.
    pub counts: Option<Points>,
    /// The program exits with status 0 within `time_limit_secs`.
    pub termination: Option<Termination>,
    /// The workers ran at the same time, as the kit's probe saw them (see [`Together`]).
    pub together: Option<Together>,
    /// No two threads were ever inside a read-modify-write at once (see [`Apart`]).
    pub apart: Option<Apart>,
    /// A quantity the kit's probe measured stayed within its bound (see [`AtMost`]).
    pub at_most: Option<AtMost>,
    /// The program waited without spinning: its CPU time a small part of its wall time
    /// (see [`Idle`]).
    pub idle: Option<Idle>,
    /// Model checking of the student's code (a test suite run under a model checker).
    pub model: Option<TestSuite>,
    /// Repeated runs under perturbed scheduling (a test suite).
    pub stress: Option<TestSuite>,
}

/// Declares [`CheckKind`] from one list: each kind's variant and its name, in the order a
/// lesson's checks are reported. A new kind is one line here.
macro_rules! check_kinds {
    ($($kind:ident = $name:literal,)*) => {
        /// The kinds of check, by the names `exercise.toml` and the report give them
        /// (`[checks.at_most]`, `"name": "at_most"`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
        pub enum CheckKind {
            $(#[serde(rename = $name)] $kind,)*
        }

        impl CheckKind {
            /// Every kind, in the order a lesson's checks are reported.
            pub const ALL: &'static [CheckKind] = &[$(CheckKind::$kind,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(CheckKind::$kind => $name,)*
                }
            }
        }
    };
}

check_kinds! {
    Build = "build",
    Tests = "tests",
    Efficiency = "efficiency",
    Output = "output",
    Counts = "counts",
    Termination = "termination",
    Together = "together",
    AtMost = "at_most",
    Apart = "apart",
    Idle = "idle",
    Model = "model",
    Stress = "stress",
}

impl CheckKind {
    /// The kind a report's check name stands for (`None` for `setup`, which no lesson declares).
    pub fn from_name(name: &str) -> Option<CheckKind> {
        CheckKind::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// Which failure a reader is shown first: the build's (nothing else ran), then the
    /// run's own end (a hang, a panic), then the others in their order.
    pub fn precedence(self) -> u8 {
        match self {
            CheckKind::Build => 0,
            CheckKind::Termination => 1,
            _ => 2,
        }
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for CheckKind {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Checks {
    /// The test suite behind a check, for the kinds that run one of the kit's suites.
    pub fn suite(&self, kind: CheckKind) -> Option<&TestSuite> {
        match kind {
            CheckKind::Tests => self.tests.as_ref(),
            CheckKind::Efficiency => self.efficiency.as_ref(),
            CheckKind::Model => self.model.as_ref(),
            CheckKind::Stress => self.stress.as_ref(),
            _ => None,
        }
    }

    /// The points of a check when the lesson has it in `lang`.
    pub fn points(&self, kind: CheckKind, lang: Lang) -> Option<u32> {
        let in_lang = |langs: &Option<Vec<Lang>>| langs.as_ref().is_none_or(|l| l.contains(&lang));
        match kind {
            CheckKind::Build => self.build.as_ref().map(|p| p.points),
            CheckKind::Tests | CheckKind::Efficiency | CheckKind::Model | CheckKind::Stress => self.suite(kind).filter(|s| in_lang(&s.langs)).map(|s| s.points),
            CheckKind::Output => self.output.as_ref().map(|o| o.points),
            CheckKind::Counts => self.counts.as_ref().map(|p| p.points),
            CheckKind::Termination => self.termination.as_ref().map(|t| t.points),
            CheckKind::Together => self.together.as_ref().map(|t| t.points),
            CheckKind::AtMost => self.at_most.as_ref().filter(|a| in_lang(&a.langs)).map(|a| a.points),
            CheckKind::Apart => self.apart.as_ref().filter(|a| in_lang(&a.langs)).map(|a| a.points),
            CheckKind::Idle => self.idle.as_ref().filter(|i| in_lang(&i.langs)).map(|i| i.points),
        }
    }

    /// Every check the lesson has in `lang`, in order, with its points.
    pub fn declared(&self, lang: Lang) -> Vec<(CheckKind, u32)> {
        CheckKind::ALL.iter().filter_map(|&k| self.points(k, lang).map(|p| (k, p))).collect()
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    pub points: u32,
    /// The hint for this check's failure ([`HintAt`]), when no `hint_for` fits.
    #[serde(default)]
    pub hint: Option<HintAt>,
    /// Hints for failures by what their message says (the compiler's first error).
    #[serde(default)]
    pub hint_for: Vec<HintFor>,
}

/// Which hint of the lesson's ladder fits a mistake: its number in `hints` (1 is the
/// first), the same in both languages or per language:
///
/// ```toml
/// hint = 3
/// hint = { rust = 3, ocaml = 2 }
/// ```
///
/// Where it goes, tried in this order for the check shown first in a failure: the
/// `hint` of the termination `explain` rule whose sentence the failure carries; the
/// first `hint_for` of the check (build, counts, output, a test suite) whose text the
/// message contains; the check's own `hint` (not for a starting point's "not done yet").
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum HintAt {
    Both(usize),
    PerLang(BTreeMap<Lang, usize>),
}

impl HintAt {
    /// The hint's index in `hints` (0 is the first) for `lang`, when it has one there.
    pub fn index(&self, lang: Lang) -> Option<usize> {
        match self {
            HintAt::Both(n) => Some(*n),
            HintAt::PerLang(m) => m.get(&lang).copied(),
        }
        .and_then(|n| n.checked_sub(1))
    }
    fn numbers(&self) -> Vec<usize> {
        match self {
            HintAt::Both(n) => vec![*n],
            HintAt::PerLang(m) => m.values().copied().collect(),
        }
    }
}

/// A hint for the failures of a check whose message says something: the test that
/// failed, the line that was wrong.
///
/// ```toml
/// [[checks.tests.hint_for]]
/// says = "try_recv"
/// hint = 4
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintFor {
    /// Text the failing check's message contains.
    pub says: String,
    pub hint: HintAt,
}

/// A test suite owned by the kit, run against the student's code.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSuite {
    pub points: u32,
    /// Extra arguments per language: for Rust they go to `cargo test`
    /// (e.g. `["--release", "--features", "model"]`), for OCaml they name the dune alias
    /// to build (default `["@runtest"]`).
    #[serde(default)]
    pub args: BTreeMap<Lang, Vec<String>>,
    /// Languages this suite applies to (default: both).
    #[serde(default)]
    pub langs: Option<Vec<Lang>>,
    /// Wall-clock limit in seconds (default: the lesson's `build_limit_secs`).
    pub time_limit_secs: Option<f64>,
    /// A test that runs this long (seconds) without passing, while no other reports
    /// come, is hung: the suite is stopped then and that test named, instead of waiting for
    /// `time_limit_secs`. Only for suites whose tests each end well within it.
    pub test_limit_secs: Option<f64>,
    /// How much exploring a model or stress suite does (schedules tried, rounds run): the
    /// least that still catches the lesson's mutants, with a margin, measured. Given to its
    /// programs as `FEARLESS_BUDGET`; a suite without one keeps its own default.
    pub budget: Option<u64>,
    /// The hint for a failure of this suite ([`HintAt`]), when no `hint_for` fits.
    #[serde(default)]
    pub hint: Option<HintAt>,
    /// Hints for failures by what their message says (the test that failed).
    #[serde(default)]
    pub hint_for: Vec<HintFor>,
}

/// What the program must print.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    pub points: u32,
    /// The expected output in one correct order. Lines that match a stream pattern
    /// may arrive in any interleaving of their streams; every other line must be
    /// exactly where it stands here.
    pub expected: String,
    /// Regexes that put a line into a stream. The named group `stream` says which
    /// stream; the optional group `item` is how a message names the line.
    #[serde(default)]
    pub streams: Vec<String>,
    /// The hint for a failure of this check ([`HintAt`]), when no `hint_for` fits.
    #[serde(default)]
    pub hint: Option<HintAt>,
    /// Hints for failures by what their message says (`drained`, a stream's name).
    #[serde(default)]
    pub hint_for: Vec<HintFor>,
}

/// The `together` check: the lesson's workers (or stages) ran at the same time.
///
/// The lesson holds a probe of the kit's (`probe.rs` / `probe.ml`, never a student file)
/// that each worker calls, as the starting point does. It holds a roll call that the
/// workers get through only when all of them are running at once, waiting at most two
/// seconds; a program whose workers run one after the other (or not in threads at all)
/// cannot get through it. The probe tells the kit what it saw on a descriptor of its own
/// (`FEARLESS_PROBE_FD`): `met <n>` when all came, `alone <who> <ms> <present> <n>` when
/// one waited in vain. The program's output is not what the check reads.
///
/// ```toml
/// [checks.together]
/// points = 2
/// workers = 4
/// who = "workers"
/// call = { rust = "probe::takes", ocaml = "Probe.takes" }
/// fix = "spawn every worker before joining any"
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Together {
    pub points: u32,
    /// How many must be running at once.
    pub workers: u32,
    /// What they are called in messages: "workers", "stages".
    pub who: String,
    /// The probe's call each of them makes, per language.
    pub call: BTreeMap<Lang, String>,
    /// What to do when they did not run together, in the student's words.
    pub fix: String,
    /// How many threads must have done the work, when it is shared by a pool: the probe
    /// tells `thread <id>` for each piece of work.
    #[serde(default)]
    pub threads: Option<u32>,
    /// What to do when more threads did the work, in the student's words.
    #[serde(default)]
    pub threads_fix: Option<String>,
    /// The hint for this check's failure ([`HintAt`]).
    #[serde(default)]
    pub hint: Option<HintAt>,
    /// Hints by what the failure says (workers one after the other, or too many threads).
    #[serde(default)]
    pub hint_for: Vec<HintFor>,
}

/// The `apart` check: every read-modify-write of the shared value was whole.
///
/// The lesson's probe (a kit file) holds the pause between reading the shared value and
/// writing it back (`Probe.work ()`, `Probe.pause ()`); the student's update calls it, as
/// the starting point does. It lets other threads run, and notes whether two threads were
/// ever inside it at once, which a lock held from the read to the write rules out: a
/// missing lock is seen in every run. At exit it tells the kit `pauses <n> overlap <0|1>`.
///
/// ```toml
/// [checks.apart]
/// points = 2
/// langs = ["ocaml"]
/// pauses = 800
/// who = "workers"
/// call = { ocaml = "work ()" }
/// fix = "hold the counter's lock from the read to the write"
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apart {
    pub points: u32,
    /// The languages it applies to (all when absent): Rust's compiler already refuses a
    /// shared value without a lock.
    #[serde(default)]
    pub langs: Option<Vec<Lang>>,
    /// How many updates the program makes, each with one pause.
    pub pauses: u32,
    /// Who makes the updates, in messages: "workers", "sellers".
    pub who: String,
    /// The pause's call, per language.
    pub call: BTreeMap<Lang, String>,
    /// What to do when two were inside at once, in the student's words.
    pub fix: String,
    /// The hint for this check's failure ([`HintAt`]).
    #[serde(default)]
    pub hint: Option<HintAt>,
}

/// The `at_most` check: a quantity the kit's probe measures in the program (values in
/// flight in a channel) stayed within its bound, run by run. The probe tells the kit
/// `most <run> <value>`; the bounds are the kit's, never the program's words.
///
/// ```toml
/// [checks.at_most]
/// points = 2
/// bounds = { bounded = 2, rendezvous = 0 }
/// what = "values in flight"
/// fix = "a channel that holds at most its capacity: a send waits while it is full"
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtMost {
    pub points: u32,
    /// The languages it applies to (all when absent).
    #[serde(default)]
    pub langs: Option<Vec<Lang>>,
    /// The bound of each run, by the run's name.
    pub bounds: BTreeMap<String, u64>,
    /// What is measured, in messages.
    pub what: String,
    /// What to do when a bound was passed, in the student's words.
    pub fix: String,
    /// The hint for this check's failure ([`HintAt`]).
    #[serde(default)]
    pub hint: Option<HintAt>,
}

/// The `idle` check: a program that mostly waits (for messages, a deadline) used at most
/// `max_cpu_percent` of its wall time as CPU time, measured by the runner (the job's
/// user and system time). A loop that polls instead of blocking uses about all of it.
///
/// ```toml
/// [checks.idle]
/// points = 2
/// max_cpu_percent = 25
/// fix = "wait in `select!`, which blocks, not in a loop of `try_recv`"
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Idle {
    pub points: u32,
    /// The languages it applies to (all when absent).
    #[serde(default)]
    pub langs: Option<Vec<Lang>>,
    /// The most CPU time allowed, in percent of the wall time the program ran.
    pub max_cpu_percent: u32,
    /// What to do when it spun, in the student's words.
    pub fix: String,
    /// The hint for this check's failure ([`HintAt`]).
    #[serde(default)]
    pub hint: Option<HintAt>,
}

/// The termination check and what a hang means in this lesson.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Termination {
    pub points: u32,
    /// Explanations of a hang, tried in order: the first that fits a thread explains the hang.
    #[serde(default)]
    pub explain: Vec<Explanation>,
    /// The hint for a hang or a crash that no rule's `hint` covers ([`HintAt`]).
    #[serde(default)]
    pub hint: Option<HintAt>,
    /// Blocking calls of the lesson's own, for its rules' `blocked_in`: where the kit's
    /// list of each language's standard calls does not reach (`Barrier::wait`).
    #[serde(default)]
    pub blocking: Vec<BlockingSpec>,
}

impl Termination {
    /// Its rules read what the kit's probe told (`told`, `cycle`): the program runs with
    /// the probe's pipe.
    pub fn reads_probe(&self) -> bool {
        self.explain.iter().any(|r| r.cycle || r.told.is_some())
    }
}

/// Frames that mean "blocked in `name`", in one language: `[[checks.termination.blocking]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingSpec {
    /// As the rules and the student read it: `Barrier::wait`.
    pub name: String,
    pub lang: Lang,
    /// A regex that matches the call's frame as eu-stack, gdb or lldb print it.
    pub frame: String,
    /// A regex of a frame further in that must be there too (a lock's slow path).
    #[serde(default)]
    pub deeper: Option<String>,
    /// Why a thread stays blocked there, when no rule says.
    pub reason: String,
}

/// "If a thread is blocked in X, say why", or "if the output shows this, say why".
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// The blocking call, as the kit names it: `Receiver::recv`, `Condvar::wait`,
    /// `JoinHandle::join`, `Mutex::lock`, `SyncSender::send`, `Condition.wait`,
    /// `Mutex.lock`, `Thread.join`, `Event.sync`, or `running` for a busy thread.
    /// Without it, the rule is read from the output alone (see `arrived`): what explains a
    /// hang where no thread stacks can be taken (no eu-stack, gdb or lldb on the machine).
    pub blocked_in: Option<String>,
    /// Restrict to a run whose output showed this many of the expected messages.
    pub arrived: Option<Arrived>,
    /// Restrict to a run in which the kit's probe told this line: state the lesson knows
    /// from the run itself (03 OCaml: `closed`, told when a `sender_done` brought the
    /// count of senders to 0), so that the sentence blames the function that is wrong.
    #[serde(default)]
    pub told: Option<String>,
    /// Fits a run whose probe told a cycle of locks (lesson 12's `Lock`, see
    /// [`crate::stacks::locks`]): the sentence names each thread of the cycle, the lock
    /// it held and the line that took it, and the lock it waited for; `because` says
    /// what to do. Tried before the other rules; no `blocked_in`, `function` or `who`.
    #[serde(default)]
    pub cycle: bool,
    /// Restrict to one language.
    pub lang: Option<Lang>,
    /// Restrict to a thread with this function of the student's on its stack, innermost
    /// or further out (`finish`, `square`; a Rust closure counts as the function it is
    /// written in): an OCaml stage blocked in a shared `recv` is still named by its stage.
    pub function: Option<String>,
    /// Who the thread is to the student ("the consumer").
    pub who: Option<String>,
    /// Why, and what to do: the end of the sentence.
    pub because: String,
    /// The hint for the mistake this rule explains ([`HintAt`]).
    #[serde(default)]
    pub hint: Option<HintAt>,
}

/// How many of the expected messages a run that was killed had printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arrived {
    None,
    Some,
    All,
}

/// One lesson of the kit: `exercises/NN-slug/`.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// `03-mpsc`
    pub slug: String,
    /// The kit's folder of the lesson (exercise.toml, build files, kit tests).
    pub dir: PathBuf,
    pub exercise: Exercise,
}

impl Lesson {
    pub fn id(&self) -> &str {
        &self.exercise.id
    }
    pub fn student_files(&self, lang: Lang) -> &[String] {
        self.exercise.files.get(&lang).map(|v| v.as_slice()).unwrap_or(&[])
    }
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        Lang::ALL.into_iter().filter(|l| self.exercise.files.contains_key(l))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LessonError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Malformed { path: PathBuf, line: usize, message: String },
    #[error("{0}: no such folder")]
    MissingFolder(PathBuf),
    /// An id no lesson answers to, and the nearest one a student may have meant.
    #[error("unknown lesson '{id}'{} (see `fearless list`)", .nearest.as_ref().map(|n| format!(": did you mean '{n}'?")).unwrap_or_default())]
    UnknownId { id: String, nearest: Option<String> },
    /// A lesson asked for in a language it is not written in.
    #[error("lesson '{id}' has no {lang} version")]
    NoVersion { id: String, lang: Lang },
    #[error("lesson '{0}' has no student files")]
    NoStudentFiles(String),
}

/// Parses one `exercise.toml`, with errors that name the file and the line.
pub fn parse_exercise(path: &Path, text: &str) -> Result<Exercise, LessonError> {
    let malformed = |line: usize, message: String| LessonError::Malformed { path: path.to_path_buf(), line, message };
    let ex: Exercise = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1)).unwrap_or(1);
        malformed(line, e.message().to_string())
    })?;
    if ex.hints.len() < 3 {
        return Err(malformed(1, format!("at least three hints are needed, found {}", ex.hints.len())));
    }
    if let Some(out) = &ex.checks.output {
        for p in &out.streams {
            let re = regex::Regex::new(p).map_err(|e| malformed(1, format!("bad stream pattern {p:?}: {e}")))?;
            if !re.capture_names().any(|n| n == Some("stream")) {
                return Err(malformed(1, format!("stream pattern {p:?} has no (?P<stream>...) group")));
            }
        }
    }
    for r in ex.checks.termination.iter().flat_map(|t| &t.explain) {
        if r.cycle && (r.blocked_in.is_some() || r.function.is_some() || r.who.is_some()) {
            return Err(malformed(1, format!("an explain rule with `cycle` names the threads itself: no `blocked_in`, `function` or `who`: {:?}", r.because)));
        }
        if !r.cycle && r.blocked_in.is_none() && (r.arrived.is_none() || r.function.is_some()) {
            return Err(malformed(1, format!("an explain rule without `blocked_in` needs `arrived` and names no `function`: {:?}", r.because)));
        }
    }
    for b in ex.checks.termination.iter().flat_map(|t| &t.blocking) {
        for p in std::iter::once(&b.frame).chain(&b.deeper) {
            regex::Regex::new(p).map_err(|e| malformed(1, format!("bad frame pattern {p:?} of the blocking call {:?}: {e}", b.name)))?;
        }
    }
    for n in hint_numbers(&ex.checks) {
        if n == 0 || n > ex.hints.len() {
            return Err(malformed(1, format!("hint {n} names no hint: the lesson has {} (1 is the first)", ex.hints.len())));
        }
    }
    if let Some((lang, check)) = ex.starting_point_fails.iter().find(|(_, c)| CheckKind::from_name(c).is_none()) {
        return Err(malformed(1, format!("starting_point_fails names {check:?} for {lang}, which is no kind of check")));
    }
    if ex.checks.counts.is_some() && ex.checks.output.is_none() {
        return Err(malformed(1, "the counts check needs an output check to count against".into()));
    }
    Ok(ex)
}

/// Every hint number the checks name, to hold against the ladder.
fn hint_numbers(c: &Checks) -> Vec<usize> {
    let mut all: Vec<&HintAt> = Vec::new();
    for p in [&c.build, &c.counts].into_iter().flatten() {
        all.extend(p.hint.iter().chain(p.hint_for.iter().map(|f| &f.hint)));
    }
    for s in [&c.tests, &c.efficiency, &c.model, &c.stress].into_iter().flatten() {
        all.extend(s.hint.iter().chain(s.hint_for.iter().map(|f| &f.hint)));
    }
    if let Some(o) = &c.output {
        all.extend(o.hint.iter().chain(o.hint_for.iter().map(|f| &f.hint)));
    }
    if let Some(t) = &c.termination {
        all.extend(t.hint.iter().chain(t.explain.iter().filter_map(|r| r.hint.as_ref())));
    }
    all.extend(c.together.iter().flat_map(|t| t.hint.iter().chain(t.hint_for.iter().map(|f| &f.hint))));
    all.extend(c.apart.iter().filter_map(|a| a.hint.as_ref()));
    all.extend(c.at_most.iter().filter_map(|a| a.hint.as_ref()));
    all.extend(c.idle.iter().filter_map(|i| i.hint.as_ref()));
    all.into_iter().flat_map(HintAt::numbers).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_s_blocking_call_with_a_bad_pattern_is_refused_by_name() {
        let path = Path::new("exercises/99-barrier/exercise.toml");
        let text = r#"
id = "barrier"
title = "t"
summary = "s"
hints = ["a", "b", "c"]
[files]
rust = ["src/main.rs"]
[checks.termination]
points = 1
[[checks.termination.blocking]]
name = "Barrier::wait"
lang = "rust"
frame = 'sync::barrier::Barrier>?::wait'
reason = "fewer came than it waits for"
"#;
        let good = parse_exercise(path, text).unwrap_or_else(|e| panic!("{e}"));
        let barrier = &good.checks.termination.as_ref().unwrap().blocking[0];
        assert_eq!((barrier.name.as_str(), barrier.lang), ("Barrier::wait", Lang::Rust));
        let bad = text.replace("frame = 'sync::barrier::Barrier>?::wait'", "frame = 'Barrier::wait('");
        let err = parse_exercise(path, &bad).unwrap_err().to_string();
        assert!(err.contains("bad frame pattern \"Barrier::wait(\" of the blocking call \"Barrier::wait\""), "{err}");
    }
}
