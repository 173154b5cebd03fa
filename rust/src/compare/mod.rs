//! `fearless compare`: a lesson's Rust and OCaml programs side by side, aligned by
//! section, with the lesson's key differences; then both programs built, run and
//! judged by the same spec through the kit's one checking path, with what was
//! measured. Rendered for the terminal ([`terminal`]) or as a static site ([`html`]).
pub mod highlight;
pub mod html;
pub mod sections;
pub mod terminal;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::check::{self, Context};
use crate::exit::{BadInput, Doing, Exit};
use crate::interleaving::{self, Streams};
use crate::lang;
use crate::layout::{Kit, Tree};
use crate::lesson::{Lang, Lesson, LessonError};
use crate::report::LessonResult;
use highlight::Highlighter;
use sections::{Row, Section};

/// `fearless compare`'s arguments.
#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Lesson ids (one or more in the terminal; default with --html: all).
    pub ids: Vec<String>,
    /// A folder laid out like `exercises/` (default: the kit's `solutions`);
    /// `--from exercises` compares your own two versions.
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// Write a static site (an index and one page per lesson) to this folder instead.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// Columns to lay the terminal view out in (default: the terminal's width).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
}

/// One student file of one side, as read from the compared folder.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The file as exercise.toml names it (`src/main.rs`).
    pub name: String,
    /// Its text, or why it could not be read.
    pub text: Result<String, String>,
}

impl SourceFile {
    pub fn lines(&self) -> Vec<String> {
        match &self.text {
            Ok(t) => t.lines().map(|l| l.replace('\t', "    ")).collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// One language's side of the comparison.
#[derive(Clone, Debug)]
pub struct Side {
    pub lang: Lang,
    /// Where the files were read from, as the reader knows it (`solutions/03-mpsc/rust`).
    pub dir: String,
    pub files: Vec<SourceFile>,
    pub sections: Vec<Section>,
    /// Lines that hold code, not only comments or blanks, over all files.
    pub code_lines: usize,
    /// The program built, run and checked; `None` until [`Comparison::run`].
    pub run: Option<Run>,
}

impl Side {
    /// A section's heading: its marker's name, or its file's name for the lines
    /// before the first marker.
    pub fn label(&self, section: usize) -> &str {
        let s = &self.sections[section];
        if s.name.is_empty() {
            &self.files[s.file].name
        } else {
            &s.name
        }
    }
}

/// What building and running one side gave.
#[derive(Clone, Debug)]
pub struct Run {
    /// The verdict of the lesson's spec, as `fearless check` gives it.
    pub result: LessonResult,
    /// The program's stdout, normalised (see [`interleaving::normalise`]).
    pub output: Vec<String>,
    /// How the build was done, for the reader.
    pub build_command: String,
    pub build_time: Option<Duration>,
    pub run_time: Option<Duration>,
    pub peak_memory_kib: Option<u64>,
}

/// A lesson's two programs, aligned.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub lesson: Lesson,
    /// The compared folder as the reader knows it (`solutions`).
    pub from: String,
    pub rust: Side,
    pub ocaml: Side,
    /// Rows of (Rust section, OCaml section).
    pub rows: Vec<Row>,
}

impl Comparison {
    /// Reads both programs of `lesson` from `from` (a folder laid out like `exercises/`)
    /// and aligns their sections.
    pub fn read(kit: &Kit, lesson: &Lesson, from: &Path) -> Comparison {
        let tree = Tree::new(from);
        let side = |lang: Lang| {
            let dir = tree.lang(lesson, lang);
            let mut files = Vec::new();
            let mut sections = Vec::new();
            for (i, name) in lesson.student_files(lang).iter().enumerate() {
                let path = dir.join(name);
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", shown(kit, &path)));
                if let Ok(t) = &text {
                    sections.extend(sections::sections(lang, i, t));
                }
                files.push(SourceFile { name: name.clone(), text });
            }
            Side { lang, dir: shown(kit, &dir), files, sections, code_lines: 0, run: None }
        };
        let (rust, ocaml) = (side(Lang::Rust), side(Lang::Ocaml));
        let rows = sections::align(&rust.sections, &ocaml.sections);
        Comparison { lesson: lesson.clone(), from: shown(kit, from), rust, ocaml, rows }
    }

    /// Builds, runs and checks both programs through [`check::check_measured`], one
    /// after the other so that neither's measurements pay for the other's work.
    /// Builds go to a fresh target folder: build times are from clean in both languages.
    pub fn run(&mut self, from: &Path) {
        let target = crate::scratch::dir("compare");
        for side in [&mut self.rust, &mut self.ocaml] {
            if !self.lesson.exercise.files.contains_key(&side.lang) {
                continue;
            }
            let (result, measured) = match &target {
                Ok(t) => check::check_measured(&Context::new(t.path().to_path_buf()), &self.lesson, side.lang, from),
                Err(e) => (LessonResult::error(self.lesson.id(), side.lang, format!("cannot make a build folder: {e}")), Default::default()),
            };
            let stdout = measured.run.as_ref().map(|o| o.stdout_text()).unwrap_or_default();
            let output = match &self.lesson.exercise.checks.output {
                Some(spec) => {
                    let streams = Streams::new(&spec.streams).expect("validated when the lesson was loaded");
                    interleaving::normalise(&streams, &spec.expected, &stdout)
                }
                None => interleaving::lines(&stdout).into_iter().map(String::from).collect(),
            };
            // Shown on the terminal and in the site: what the program printed, inert.
            let output = output.iter().map(|l| crate::safe_text::line(l)).collect();
            side.run = Some(Run {
                result,
                output,
                build_command: lang::backend(side.lang).build_command().to_string(),
                build_time: measured.build_time,
                run_time: measured.run.as_ref().map(|o| o.duration),
                peak_memory_kib: measured.run.as_ref().map(|o| o.max_rss_kib),
            });
        }
    }

    /// Counts the lines of code of both sides (comments and blank lines left out).
    pub fn count_code(&mut self, highlighter: &Highlighter) {
        for side in [&mut self.rust, &mut self.ocaml] {
            side.code_lines = side.files.iter().filter_map(|f| f.text.as_ref().ok().map(|t| highlighter.code_lines(Path::new(&f.name), t))).sum();
        }
    }

    pub fn sides(&self) -> [&Side; 2] {
        [&self.rust, &self.ocaml]
    }

    /// The normalised outputs, row by row, and whether each row is the same in both.
    pub fn output_rows(&self) -> Vec<(Option<&str>, Option<&str>, bool)> {
        let r: &[String] = self.rust.run.as_ref().map(|r| r.output.as_slice()).unwrap_or(&[]);
        let o: &[String] = self.ocaml.run.as_ref().map(|r| r.output.as_slice()).unwrap_or(&[]);
        (0..r.len().max(o.len()))
            .map(|i| {
                let (a, b) = (r.get(i).map(|s| s.as_str()), o.get(i).map(|s| s.as_str()));
                (a, b, a == b)
            })
            .collect()
    }
}

/// A path as the reader knows it: relative to the kit when inside it.
fn shown(kit: &Kit, path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let root = kit.root.canonicalize().unwrap_or_else(|_| kit.root.clone());
    abs.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// "1.42 s", "38 ms", "<1 ms".
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        "<1 ms".into()
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// "2.1 MiB", "900 KiB".
pub fn memory(kib: u64) -> String {
    if kib >= 1024 {
        format!("{:.1} MiB", kib as f64 / 1024.0)
    } else {
        format!("{kib} KiB")
    }
}

/// "pass 10/10", or "fail 4/10: termination: killed after 5 s: ...".
pub fn verdict(r: &LessonResult) -> String {
    let head = format!("{} {}/{}", status_word(r.status), r.score, r.max_score);
    match r.first_failure() {
        Some(f) if r.status != crate::report::Status::Pass => {
            format!("{head}: {}: {}", f.name, f.message)
        }
        _ => head,
    }
}

fn status_word(s: crate::report::Status) -> &'static str {
    use crate::report::Status::*;
    match s {
        Pass => "pass",
        Fail => "fail",
        Error => "error",
        Skipped => "skipped",
    }
}

/// The measured facts, one row per fact: (what, Rust, OCaml).
pub fn facts(c: &Comparison) -> Vec<(&'static str, [String; 2])> {
    let per = |f: &dyn Fn(&Side) -> String| [f(&c.rust), f(&c.ocaml)];
    let run = |s: &Side, f: &dyn Fn(&Run) -> Option<String>| s.run.as_ref().and_then(f).unwrap_or_else(|| "-".into());
    vec![
        ("verdict", per(&|s| s.run.as_ref().map(|r| verdict(&r.result)).unwrap_or_else(|| "not run".into()))),
        ("lines of code", per(&|s| s.code_lines.to_string())),
        ("build, from clean", per(&|s| run(s, &|r| r.build_time.map(|d| format!("{} with {}", duration(d), r.build_command))))),
        ("run time", per(&|s| run(s, &|r| r.run_time.map(duration)))),
        ("peak memory", per(&|s| run(s, &|r| r.peak_memory_kib.map(memory)))),
    ]
}

/// Where a benchmark plot may be: `bench.svg` in the site's folder, or where
/// `fearless bench --svg` leaves it in the kit.
pub fn bench_plot(kit: &Kit, site: &Path) -> Option<PathBuf> {
    [site.join("bench.svg"), kit.root.join("target/fearless-bench/bench.svg"), kit.root.join("target/bench/bench.svg")].into_iter().find(|p| p.is_file())
}

/// `fearless compare`: exit 0 when every comparison was made, 2 on bad input.
pub fn run(kit: &Kit, args: &CompareArgs) -> Result<Exit, BadInput> {
    let mut from = args.from.clone().unwrap_or_else(|| kit.solutions().dir().to_path_buf());
    // `--from exercises` means the kit's own folder wherever the command is run from.
    if !from.is_dir() && from.is_relative() && kit.root.join(&from).is_dir() {
        from = kit.root.join(&from);
    }
    if !from.is_dir() {
        return Err(LessonError::MissingFolder(from).into());
    }
    if args.html.is_none() && args.ids.is_empty() {
        return Err("name a lesson to compare (e.g. `fearless compare mpsc`), or build the site with `--html DIR`".into());
    }
    let lessons = kit.select(&args.ids)?;
    let (mut comparisons, failures) = compare_all(kit, lessons, &from, args.html.is_some());
    // Loaded only now: a program's peak memory, as the kernel counts it, includes the
    // memory of the process that started it, which the highlighter's tables would swell.
    let highlighter = Highlighter::default();
    for c in &mut comparisons {
        c.count_code(&highlighter);
    }
    match &args.html {
        Some(dir) => {
            let site = html::Site { highlighter: &highlighter, bench_plot: bench_plot(kit, dir) };
            let pages = site.write(dir, &comparisons, &failures).doing(|| dir.display().to_string())?;
            eprintln!("compare: wrote {} page{} to {}", pages, if pages == 1 { "" } else { "s" }, dir.display());
        }
        None => {
            let term =
                terminal::Terminal { width: args.width.unwrap_or_else(terminal::Terminal::width_of_terminal), colour: terminal::Colour::wanted(), highlighter: &highlighter };
            for c in &comparisons {
                print!("{}", term.render(c));
            }
        }
    }
    Ok(if failures.is_empty() { Exit::Done } else { Exit::BadInput })
}

/// Each lesson read from `from`, built and run; a broken lesson is said, and kept as
/// its error for the site's index.
fn compare_all(kit: &Kit, lessons: Vec<Result<Lesson, LessonError>>, from: &Path, site: bool) -> (Vec<Comparison>, Vec<String>) {
    let mut comparisons = Vec::new();
    let mut failures = Vec::new();
    for lesson in lessons {
        match lesson {
            Ok(lesson) => {
                if site {
                    eprintln!("compare: building and running {} in both languages", lesson.slug);
                }
                let mut c = Comparison::read(kit, &lesson, from);
                c.run(from);
                comparisons.push(c);
            }
            Err(e) => {
                eprintln!("fearless: {e}");
                failures.push(e.to_string());
            }
        }
    }
    (comparisons, failures)
}
