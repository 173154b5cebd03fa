//! `fearless bench`: the throughput of channels, measured, not claimed.
//!
//! Two small programs (`bench/rust`, a cargo package, and `bench/ocaml`, a dune project)
//! are built in release mode with the solutions' channels compiled in; each run of one
//! measures every channel once and prints one line per measurement; a measurement grows
//! its message count until one run of it lasts at least 100 ms, and reports that run.
//! Runs alternate between the programs, repetition after repetition, so that a slow
//! moment of the machine spreads over every channel; each figure is the median of its
//! repetitions, with their spread beside it, and its ratio is to
//! `std::sync::mpsc::channel` of the same shape in the same run. The machine's cores
//! and load averages at the start are part of the results.
//!
//! The channels of lessons 06 and 11 are measured when the lesson is in the kit: a
//! lesson removed from the kit is left out of both programs (`bench/rust/build.rs`,
//! and the `lessons.ml` staged for `bench/ocaml`) and named in `skipped`.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::exit::{BadInput, Exit};
use crate::layout::Kit;
use crate::lesson::Lang;
use crate::runner::{self, Job, Limits};

mod output;
mod plot;

pub use output::{csv, json, table};
pub use plot::svg;

/// `fearless bench [--quick] [--json FILE] [--csv FILE] [--svg FILE]`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Start from 200,000 messages per measurement, 5 repetitions, instead of 1,000,000 and 7.
    #[arg(long)]
    pub quick: bool,
    /// Where to write the results as JSON (default: target/bench/bench.json).
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Where to write the results as CSV (default: target/bench/bench.csv).
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Where to draw the results as SVG (default: target/bench/bench.svg).
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Messages each measurement starts from (it grows them until a run lasts 100 ms), instead of the default of the mode.
    #[arg(long)]
    pub messages: Option<u64>,
    /// Repetitions, instead of the default of the mode (fewer than 5 make a poor median).
    #[arg(long)]
    pub repetitions: Option<usize>,
}

/// Runs the benchmark, prints the table, writes the three files. Exit status: 0 done,
/// 1 nothing could be measured, 2 bad usage.
pub fn command(kit: &Kit, args: &BenchArgs) -> Result<Exit, BadInput> {
    let out_dir = kit.root.join("target/bench");
    let mut opts = Options::new(args.quick, out_dir.clone());
    if let Some(m) = args.messages {
        if m < 4 {
            return Err("--messages must be at least 4 (one per producer)".into());
        }
        opts.messages = m;
    }
    if let Some(r) = args.repetitions {
        if r == 0 {
            return Err("--repetitions must be at least 1".into());
        }
        opts.repetitions = r;
    }
    let results = match run(kit, &opts, &mut |step| eprintln!("bench: {step}")) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("fearless: bench: {e}");
            return Ok(Exit::Failed);
        }
    };
    print!("{}", table(&results));
    let svg_text = match svg(&results) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fearless: bench: cannot draw the plot: {e}");
            return Ok(Exit::Failed);
        }
    };
    let files = [
        (args.json.clone().unwrap_or_else(|| out_dir.join("bench.json")), json(&results)),
        (args.csv.clone().unwrap_or_else(|| out_dir.join("bench.csv")), csv(&results)),
        (args.svg.clone().unwrap_or_else(|| out_dir.join("bench.svg")), svg_text),
    ];
    for (path, text) in files {
        let written = path.parent().filter(|p| !p.as_os_str().is_empty()).map_or(Ok(()), std::fs::create_dir_all).and_then(|_| std::fs::write(&path, text));
        match written {
            Ok(()) => println!("wrote {}", path.display()),
            Err(e) => {
                eprintln!("fearless: bench: cannot write {}: {e}", path.display());
                return Ok(Exit::Failed);
            }
        }
    }
    Ok(Exit::Done)
}

/// What to measure and where the results go.
#[derive(Clone, Debug)]
pub struct Options {
    /// Messages each measurement starts from (rendezvous channels from fewer); the
    /// programs grow them until a run lasts at least 100 ms.
    pub messages: u64,
    /// Runs of each program; every figure is the median of this many.
    pub repetitions: usize,
    /// Where the programs are built (a cargo target folder and a dune project).
    pub build_dir: PathBuf,
}

impl Options {
    /// 1,000,000 messages, 7 repetitions; `quick`: 200,000 and 5.
    pub fn new(quick: bool, build_dir: PathBuf) -> Options {
        if quick {
            Options { messages: 200_000, repetitions: 5, build_dir }
        } else {
            Options { messages: 1_000_000, repetitions: 7, build_dir }
        }
    }
}

/// One channel in one configuration, over every repetition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    #[serde(rename = "impl")]
    pub implementation: String,
    pub lang: Lang,
    /// `seq` (one thread sends all, then receives all), `spsc`, `mpsc`.
    pub shape: String,
    pub producers: u32,
    /// `None`: unbounded; `Some(0)`: a rendezvous.
    pub capacity: Option<u32>,
    /// The median, in messages per second.
    pub msgs_per_sec: f64,
    pub min: f64,
    pub max: f64,
    /// `(max - min) / msgs_per_sec`: how far apart the repetitions were, as a fraction of the median.
    pub spread: f64,
    /// `msgs_per_sec` over `std-mpsc`'s for the same shape and producers in this run.
    pub ratio_to_std: Option<f64>,
    /// The fewest messages any of the row's measurements moved (fewer for rendezvous
    /// channels; each grows until it lasts 100 ms).
    #[serde(skip)]
    pub messages: u64,
}

/// The whole run: the contract of `bench --json` (docs/DESIGN.md, "The benchmark").
#[derive(Clone, Debug, Serialize)]
pub struct Results {
    pub machine: Machine,
    /// Messages each measurement started from.
    pub messages: u64,
    pub results: Vec<Row>,
    /// What could not be measured, and why (a missing toolchain, a failed build).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// Logical CPUs this process may use.
    pub cores: usize,
    /// The 1-, 5- and 15-minute load averages when the run started; `None` (null) where
    /// the system does not tell.
    pub load: Option<[f64; 3]>,
}

impl Machine {
    /// This machine, now.
    pub fn now() -> Machine {
        Machine { cores: std::thread::available_parallelism().map_or(1, |n| n.get()), load: load_average() }
    }
}

/// The 1-, 5- and 15-minute load averages (`getloadavg(3)`, on Linux and macOS alike).
fn load_average() -> Option<[f64; 3]> {
    let mut load = [0.0f64; 3];
    // SAFETY: `load` has room for the 3 samples asked for.
    let got = unsafe { libc::getloadavg(load.as_mut_ptr(), 3) };
    (got == 3).then_some(load)
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{0}")]
    Build(String),
    #[error("cannot lay out the benchmark: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Run(#[from] runner::RunError),
}

/// A lesson whose reference channel the benchmark measures, in each language.
pub struct BenchLesson {
    pub slug: &'static str,
    /// `impl` of its rows: Rust, OCaml.
    pub impls: [&'static str; 2],
    /// The OCaml module its channel is staged as (`chan06.ml`).
    module: &'static str,
}

/// The lessons' channels the benchmark measures (`bench/rust/build.rs` knows them too).
pub const LESSONS: [BenchLesson; 2] = [
    BenchLesson { slug: "06-build-a-channel", impls: ["lesson06", "ocaml-lesson06"], module: "chan06" },
    BenchLesson { slug: "11-fast-channel", impls: ["lesson11", "ocaml-lesson11"], module: "chan11" },
];

impl BenchLesson {
    /// The files of the lesson the benchmark compiles in `lang`, from the kit's root:
    /// its solution's channel and the kit's file beside it.
    fn files(&self, lang: Lang) -> [PathBuf; 2] {
        let (solution, kit_file) = match lang {
            Lang::Rust => ("rust/src/channel.rs", "rust/src/errors.rs"),
            Lang::Ocaml => ("ocaml/chan.ml", "ocaml/chan.mli"),
        };
        [Path::new(crate::layout::SOLUTIONS).join(self.slug).join(solution), Path::new(crate::layout::EXERCISES).join(self.slug).join(kit_file)]
    }

    /// The first of [`Self::files`] that `kit` lacks (links followed), if any.
    fn missing(&self, kit: &Kit, lang: Lang) -> Option<PathBuf> {
        self.files(lang).into_iter().find(|f| !kit.root.join(f).is_file())
    }
}

/// What the benchmark leaves out because a lesson is not in `kit`, one line a language.
pub fn missing_lessons(kit: &Kit) -> Vec<String> {
    let mut out = Vec::new();
    for l in &LESSONS {
        for (lang, name) in Lang::ALL.into_iter().zip(l.impls) {
            if let Some(file) = l.missing(kit, lang) {
                let number = l.slug.split('-').next().unwrap_or(l.slug);
                out.push(format!("{name}: lesson {number} ({}) is missing from this kit ({} not found)", l.slug, file.display()));
            }
        }
    }
    out
}

/// One benchmark program, built and ready to run.
struct Program {
    lang: Lang,
    job: Job,
}

/// Builds the programs, runs them `repetitions` times in turn, and takes the medians.
/// A program that cannot be built is left out (and said so in `skipped`); when none can
/// be built, that is an error.
pub fn run(kit: &Kit, opts: &Options, progress: &mut dyn FnMut(&str)) -> Result<Results, BenchError> {
    // Before the builds, whose own load would show in the next minute's average.
    let machine = Machine::now();
    let mut skipped = missing_lessons(kit);
    for why in &skipped {
        progress(&format!("not measured: {why}"));
    }
    let mut programs = Vec::new();
    for lang in Lang::ALL {
        progress(&format!("building the {lang} benchmark (release)"));
        match build(kit, lang, &opts.build_dir) {
            Ok(p) => programs.push(p),
            Err(e) => skipped.push(format!("{lang}: {e}")),
        }
    }
    if programs.is_empty() {
        return Err(BenchError::Build(skipped.join("; ")));
    }
    let mut samples: BTreeMap<Key, Vec<f64>> = BTreeMap::new();
    let mut counts: BTreeMap<Key, u64> = BTreeMap::new();
    for rep in 1..=opts.repetitions {
        for p in &programs {
            progress(&format!("repetition {rep} of {}: {}", opts.repetitions, p.lang));
            let job = p.job.clone().arg(opts.messages.to_string());
            let out = runner::run(&job)?;
            if !out.success() {
                let why = crate::lang::tail(&out.stderr_text(), 3);
                return Err(BenchError::Build(format!("the {} benchmark failed ({:?}): {why}", p.lang, out.ending)));
            }
            for line in out.stdout_text().lines() {
                let m = parse_line(p.lang, line).ok_or_else(|| BenchError::Build(format!("the {} benchmark printed {line:?}", p.lang)))?;
                samples.entry(m.key.clone()).or_default().push(m.messages as f64 / m.seconds.max(1e-9));
                let fewest = counts.entry(m.key).or_insert(m.messages);
                *fewest = (*fewest).min(m.messages);
            }
        }
    }
    let results = aggregate(&samples, &counts);
    Ok(Results { machine, messages: opts.messages, results, skipped })
}

/// What one measurement is of.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    lang: Lang,
    order: usize,
    /// Unbounded first, then bounded, then rendezvous.
    capacity_rank: u32,
    shape_rank: usize,
    producers: u32,
    implementation: String,
    shape: String,
    capacity: Option<u32>,
}

const SHAPES: [&str; 3] = ["seq", "spsc", "mpsc"];

struct Measurement {
    key: Key,
    messages: u64,
    seconds: f64,
}

/// The implementations in the order of the contract; rows sort by it.
pub const IMPLS: [&str; 9] = ["std-mpsc", "std-sync-channel", "lesson06", "lesson11", "crossbeam", "ocaml-lesson06", "ocaml-lesson11", "ocaml-event", "queue-limit"];

/// `impl shape producers capacity messages seconds`, capacity `-` when unbounded.
fn parse_line(lang: Lang, line: &str) -> Option<Measurement> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let [name, shape, producers, capacity, messages, seconds] = f.as_slice() else {
        return None;
    };
    let order = IMPLS.iter().position(|i| i == name)?;
    let shape_rank = SHAPES.iter().position(|s| s == shape)?;
    let capacity: Option<u32> = if *capacity == "-" { None } else { Some(capacity.parse().ok()?) };
    let capacity_rank = match capacity {
        None => 0,
        Some(0) => u32::MAX,
        Some(k) => k,
    };
    let key = Key { lang, order, capacity_rank, shape_rank, producers: producers.parse().ok()?, implementation: name.to_string(), shape: shape.to_string(), capacity };
    Some(Measurement { key, messages: messages.parse().ok()?, seconds: seconds.parse().ok()? })
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// How far apart the repetitions were, as a fraction of their median (which is positive:
/// every measurement moved at least one message).
fn spread(min: f64, max: f64, median: f64) -> f64 {
    (max - min) / median
}

fn aggregate(samples: &BTreeMap<Key, Vec<f64>>, counts: &BTreeMap<Key, u64>) -> Vec<Row> {
    let mut rows: Vec<Row> = samples
        .iter()
        .map(|(k, v)| {
            let mut v = v.clone();
            v.sort_by(f64::total_cmp);
            let (min, max, msgs_per_sec) = (v[0], v[v.len() - 1], median(&v));
            Row {
                implementation: k.implementation.clone(),
                lang: k.lang,
                shape: k.shape.clone(),
                producers: k.producers,
                capacity: k.capacity,
                msgs_per_sec,
                min,
                max,
                spread: spread(min, max, msgs_per_sec),
                ratio_to_std: None,
                messages: counts[k],
            }
        })
        .collect();
    let std: Vec<(String, u32, f64)> = rows.iter().filter(|r| r.implementation == "std-mpsc").map(|r| (r.shape.clone(), r.producers, r.msgs_per_sec)).collect();
    for r in &mut rows {
        // queue-limit is a seq shape of its own: it compares with std-mpsc's seq.
        r.ratio_to_std = std.iter().find(|(s, p, _)| *s == r.shape && *p == r.producers).map(|(_, _, base)| r.msgs_per_sec / base);
    }
    rows
}

/// Builds one language's benchmark program through the runner. The benchmark is the
/// kit's own code (its programs and the reference solutions), so its jobs are trusted.
fn build(kit: &Kit, lang: Lang, build_dir: &Path) -> Result<Program, BenchError> {
    let limits = Limits::build(Duration::from_secs(600));
    match lang {
        Lang::Rust => {
            let target = build_dir.join("cargo");
            let src = kit.root.join("bench/rust");
            let out = runner::run(
                &Job::new("cargo", &src, limits.clone()).args(["build", "--release", "--quiet"]).env("CARGO_TARGET_DIR", &target).env("CARGO_TERM_COLOR", "never").trusted(),
            )?;
            if !out.success() {
                return Err(BenchError::Build(format!("the Rust benchmark did not build: {}", crate::lang::tail(&out.stderr_text(), 3))));
            }
            Ok(Program { lang, job: Job::new(target.join("release/fearless-bench"), &src, Limits::build(Duration::from_secs(600))).trusted() })
        }
        Lang::Ocaml => {
            let dir = build_dir.join("ocaml");
            stage_ocaml(kit, &dir)?;
            let out = runner::run(&Job::new("dune", &dir, limits).args(["build", "--root", ".", "--profile", "release", "--display", "quiet", "./bench.exe"]).trusted());
            let out = match out {
                Ok(o) => o,
                Err(runner::RunError::Spawn { .. }) => return Err(BenchError::Build("dune is not installed (`make deps`)".into())),
                Err(e) => return Err(e.into()),
            };
            if !out.success() {
                return Err(BenchError::Build(format!("the OCaml benchmark did not build: {}", crate::lang::tail(&out.stderr_text(), 3))));
            }
            Ok(Program { lang, job: Job::new(dir.join("_build/default/bench.exe"), &dir, Limits::build(Duration::from_secs(600))).trusted() })
        }
    }
}

/// `bench/ocaml` with the solutions' channels beside it as `chan06.ml` and `chan11.ml`
/// (dune reads nothing outside its project) and `lessons.ml` listing them, each lesson
/// only when it is in the kit; refreshed in place so that dune rebuilds only what changed.
fn stage_ocaml(kit: &Kit, dir: &Path) -> std::io::Result<()> {
    let scratch = tempfile::tempdir()?;
    crate::lang::sync_tree(&kit.root.join("bench/ocaml"), scratch.path())?;
    let mut all = Vec::new();
    for l in LESSONS.iter().filter(|l| l.missing(kit, Lang::Ocaml).is_none()) {
        let [chan, mli] = l.files(Lang::Ocaml);
        std::fs::copy(kit.root.join(chan), scratch.path().join(format!("{}.ml", l.module)))?;
        std::fs::copy(kit.root.join(mli), scratch.path().join(format!("{}.mli", l.module)))?;
        all.push(format!("(\"{}\", (module {} : Chan_sig.CHAN))", l.impls[1], capitalised(l.module)));
    }
    let lessons = format!("(* The lessons' channels in this kit, staged by `fearless bench`. *)\nlet all = [ {} ]\n", all.join("; "));
    std::fs::write(scratch.path().join("lessons.ml"), lessons)?;
    crate::lang::sync_tree(scratch.path(), dir)
}

/// An OCaml module's name from its file's: `chan06` -> `Chan06`.
fn capitalised(file: &str) -> String {
    let mut c = file.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_ratios_come_from_the_same_run() {
        let mut samples = BTreeMap::new();
        let mut counts = BTreeMap::new();
        for (name, rates) in [("std-mpsc", vec![10.0, 30.0, 20.0]), ("lesson11", vec![5.0, 15.0, 10.0])] {
            let m = parse_line(Lang::Rust, &format!("{name} mpsc 2 - 100 1.0")).unwrap();
            counts.insert(m.key.clone(), 100);
            samples.insert(m.key, rates);
        }
        let rows = aggregate(&samples, &counts);
        assert_eq!(rows[0].implementation, "std-mpsc", "rows follow the contract's order");
        let l11 = rows.iter().find(|r| r.implementation == "lesson11").unwrap();
        assert_eq!((l11.msgs_per_sec, l11.min, l11.max), (10.0, 5.0, 15.0));
        assert_eq!(l11.spread, 1.0, "(15 - 5) / 10");
        assert_eq!(l11.ratio_to_std, Some(0.5));
    }

    /// Rows of `rates`, one per implementation, through `aggregate`.
    fn rows_of(rates: &[(&str, Vec<f64>)]) -> Vec<Row> {
        let mut samples = BTreeMap::new();
        let mut counts = BTreeMap::new();
        for (name, rates) in rates {
            let m = parse_line(Lang::Rust, &format!("{name} spsc 1 - 100 1.0")).unwrap();
            counts.insert(m.key.clone(), 100);
            samples.insert(m.key, rates.clone());
        }
        aggregate(&samples, &counts)
    }

    #[test]
    fn the_spread_is_the_range_over_the_median() {
        let rows = rows_of(&[("std-mpsc", vec![110.0, 90.0, 100.0, 95.0, 105.0]), ("crossbeam", vec![40.0, 60.0, 30.0, 50.0]), ("lesson11", vec![7.0; 5])]);
        let spread = |name: &str| rows.iter().find(|r| r.implementation == name).unwrap().spread;
        assert!((spread("std-mpsc") - 0.2).abs() < 1e-12, "(110 - 90) / 100: {}", spread("std-mpsc"));
        assert!((spread("crossbeam") - 30.0 / 45.0).abs() < 1e-12, "(60 - 30) / 45, the median of an even count: {}", spread("crossbeam"));
        assert_eq!(spread("lesson11"), 0.0, "equal repetitions");
    }

    #[test]
    fn the_table_marks_the_rows_that_spread_20_percent_or_more() {
        // 19.9% and 20%: just under and at the mark; 0%: far under.
        let rows = rows_of(&[("std-mpsc", vec![90.0, 100.0, 109.9]), ("crossbeam", vec![90.0, 100.0, 110.0]), ("lesson11", vec![7.0; 3])]);
        let results = Results { machine: Machine { cores: 2, load: None }, messages: 100, results: rows, skipped: vec![] };
        let text = table(&results);
        let spread_of = |name: &str| text.lines().find(|l| l.starts_with(name)).unwrap().split_whitespace().nth(8).unwrap().to_string();
        assert_eq!(spread_of("std-mpsc"), "19.9%");
        assert_eq!(spread_of("crossbeam"), "20.0%*");
        assert_eq!(spread_of("lesson11"), "0.0%");
        assert!(text.lines().any(|l| l.starts_with("* 1 of 3 rows spread 20% or more")), "{text}");
        let narrow = Results { results: rows_of(&[("std-mpsc", vec![90.0, 100.0, 109.9])]), ..results };
        assert!(!table(&narrow).contains("or more"), "no line when no row is marked");
    }

    #[test]
    fn the_table_shows_the_spread_and_the_machine() {
        let results =
            Results { machine: Machine { cores: 3, load: Some([1.25, 0.5, 0.0]) }, messages: 100, results: rows_of(&[("std-mpsc", vec![2e6, 1e6, 1.5e6])]), skipped: vec![] };
        let text = table(&results);
        let header = text.lines().next().unwrap();
        assert!(header.contains("3 cores") && header.contains("load 1.25 0.50 0.00"), "{header}");
        let row = text.lines().find(|l| l.starts_with("std-mpsc")).unwrap();
        assert!(row.split_whitespace().any(|f| f == "66.7%*"), "(2 - 1) / 1.5 as a percentage, marked wide: {row}");
        assert!(text.contains("* 1 of 1 rows spread 20% or more"), "{text}");
        let doc: serde_json::Value = serde_json::from_str(&json(&results)).unwrap();
        assert_eq!(doc["machine"]["load"], serde_json::json!([1.25, 0.5, 0.0]));
        assert!((doc["results"][0]["spread"].as_f64().unwrap() - 1.0 / 1.5).abs() < 1e-12, "{doc}");
        let unknown = Results { machine: Machine { cores: 3, load: None }, ..results };
        assert!(table(&unknown).lines().next().unwrap().contains("load unknown"));
        assert!(serde_json::from_str::<serde_json::Value>(&json(&unknown)).unwrap()["machine"]["load"].is_null());
    }

    #[test]
    fn the_load_averages_are_read() {
        let proc = || std::fs::read_to_string("/proc/loadavg").ok().map(|t| t.split_whitespace().take(3).map(|f| f.parse::<f64>().unwrap()).collect::<Vec<_>>());
        let before = proc();
        let load = load_average().expect("getloadavg answers on Linux and macOS");
        let after = proc();
        assert!(load.iter().all(|l| l.is_finite() && *l >= 0.0), "{load:?}");
        // Where there is a /proc/loadavg, the same figures (read just before or just after).
        if let (Some(before), Some(after)) = (before, after) {
            let same = |proc: &[f64]| load.iter().zip(proc).all(|(got, p)| (got - p).abs() < 0.006);
            assert!(same(&before) || same(&after), "getloadavg {load:?}, /proc/loadavg {before:?} then {after:?}");
        }
    }

    #[test]
    fn every_mode_repeats_at_least_five_times() {
        for quick in [true, false] {
            assert!(Options::new(quick, PathBuf::new()).repetitions >= 5, "quick: {quick}");
        }
    }

    #[test]
    fn reads_only_well_formed_lines() {
        let m = parse_line(Lang::Ocaml, "ocaml-event spsc 1 0 400 0.5").unwrap();
        assert_eq!((m.key.capacity, m.messages, m.seconds), (Some(0), 400, 0.5));
        assert!(parse_line(Lang::Rust, "mystery seq 1 - 10 0.1").is_none(), "unknown implementation");
        assert!(parse_line(Lang::Rust, "std-mpsc seq 1 -").is_none(), "short line");
        assert!(parse_line(Lang::Rust, "std-mpsc mesh 1 - 10 0.1").is_none(), "unknown shape");
    }
}
