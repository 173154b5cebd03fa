//! `fearless grade`: a whole class in one command. Each submission is opened
//! ([`submission`]), checked lesson by lesson by a pool of workers that each keep a
//! warm cargo target folder, and its reports written atomically; then the gradebook is
//! rebuilt from the reports on disk ([`gradebook`]).
pub mod gradebook;
pub mod merge;
pub mod shard;
pub mod submission;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::check::{self, Context};
use crate::exit::{BadInput, Doing, Exit};
use crate::layout::Kit;
use crate::lesson::{Lang, Lesson};
use crate::report::{LessonResult, Report};
use crate::reporters::{self, ClassReporter};
use crate::safe_text;
use submission::Submission;

#[derive(clap::Args, Debug)]
pub struct GradeArgs {
    /// Submissions: folders (a copy of the kit, or of its exercises/ folder) or .zip,
    /// .tar.gz or .tgz archives of one. The name less its extension is the student's id.
    pub submissions: Vec<PathBuf>,
    /// The folder for the reports and the gradebook (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Submissions graded at once (default: the number of cores); each checks its Rust and OCaml lessons side by side.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Only this language.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Only these lessons (repeat the option, or separate ids with commas).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Grade again the submissions that already have a report in --out.
    #[arg(long)]
    pub force: bool,
    /// Only shard K of N (1 <= K <= N): the submissions sorted by id, dealt out in turn
    /// (the 1st to shard 1, the 2nd to shard 2, ...). Merge the shards' --out folders
    /// with `fearless gradebook`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<shard::Shard>,
    /// Build every submission's lessons anew, even where the same bytes were built before
    /// in this run (by default such a build is made once and its programs copied).
    #[arg(long)]
    pub rebuild: bool,
}

/// What every submission is graded against: the kit's lessons and languages.
pub struct Plan {
    pub lessons: Vec<Lesson>,
    pub lang: Option<Lang>,
}

impl Plan {
    /// The lessons named by `only` (all when empty), each once and in the kit's order
    /// whatever the order of `only`; a lesson whose metadata is broken is left out with
    /// a warning, so that it never stops the others.
    pub fn new(kit: &Kit, only: &[String], lang: Option<Lang>) -> Result<Plan, BadInput> {
        let selected = kit.select(only)?;
        let mut lessons = Vec::new();
        for l in selected {
            match l {
                Ok(l) => lessons.push(l),
                Err(e) => eprintln!("fearless: left out of grading: {e}"),
            }
        }
        // Folder names start with the lesson's number: sorted, they are the kit's order.
        lessons.sort_by(|a, b| a.slug.cmp(&b.slug));
        lessons.dedup_by(|a, b| a.slug == b.slug);
        if lessons.is_empty() {
            return Err(format!("no lesson to grade in {}", kit.exercises().dir().display()).into());
        }
        Ok(Plan { lessons, lang })
    }

    fn pairs(&self) -> impl Iterator<Item = (&Lesson, Lang)> {
        self.lessons.iter().flat_map(move |l| l.langs().filter(move |g| self.lang.is_none_or(|a| a == *g)).map(move |g| (l, g)))
    }

    /// `mpsc/rust`, ...: the gradebook's columns.
    pub fn columns(&self) -> Vec<String> {
        self.pairs().map(|(l, g)| format!("{}/{g}", l.id())).collect()
    }

    /// `mpsc/rust` -> the hint shown under that failing result: the one that fits its
    /// mistake, where the lesson says which (as `check` shows it), else the lesson's first.
    pub fn hints_for(&self, report: &Report) -> BTreeMap<String, String> {
        let lesson = |id: &str| self.lessons.iter().find(|l| l.id() == id);
        report
            .results
            .iter()
            .filter_map(|r| {
                let l = lesson(&r.exercise)?;
                let i = crate::hint::fitting(l, r).unwrap_or(0);
                Some((r.key(), l.exercise.hints.get(i)?.clone()))
            })
            .collect()
    }

    pub fn markdown(&self, report: &Report) -> reporters::Markdown {
        reporters::Markdown { hints: self.hints_for(report), detail_lines: 40 }
    }

    pub fn gradescope(&self, report: &Report) -> reporters::Gradescope {
        reporters::Gradescope { hints: self.hints_for(report) }
    }

    /// Grades one submission; whatever happens, every lesson gets a result.
    pub fn grade(&self, ctx: &Context, sub: &Submission) -> Report {
        let (results, notices) = match submission::open(sub) {
            Ok(opened) => (self.check_each(ctx, &opened.exercises), opened.notices),
            Err(why) => (self.unchecked(&why), vec![why]),
        };
        let mut report = Report::new(results);
        report.submission = Some(sub.id.clone());
        // After the runner's own notices (how the code was contained), the submission's.
        report.notices.extend(sub.renamed.iter().cloned());
        report.notices.extend(notices);
        report.make_inert();
        report
    }

    /// Every lesson of the plan checked in `exercises`, in the plan's order: the Rust
    /// lessons one after the other and, at the same time, the OCaml ones. They share no
    /// build folder (cargo's target folder; dune's, one per lesson), and while a program
    /// of one language waits (a sleep, a deadline, a hang until its time limit) the other
    /// language builds. A panic goes on to the caller ([`Plan::grade_caught`]).
    fn check_each(&self, ctx: &Context, exercises: &Path) -> Vec<LessonResult> {
        let pairs: Vec<(&Lesson, Lang)> = self.pairs().collect();
        let mut results: Vec<Option<LessonResult>> = pairs.iter().map(|_| None).collect();
        std::thread::scope(|scope| {
            let lanes: Vec<_> = Lang::ALL
                .into_iter()
                .map(|lang| {
                    let pairs = &pairs;
                    scope.spawn(move || pairs.iter().enumerate().filter(|(_, (_, g))| *g == lang).map(|(i, (l, g))| (i, check::check(ctx, l, *g, exercises))).collect::<Vec<_>>())
                })
                .collect();
            for lane in lanes {
                let done = lane.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                for (i, r) in done {
                    results[i] = Some(r);
                }
            }
        });
        results.into_iter().map(|r| r.expect("each lesson is checked in its language's lane")).collect()
    }

    /// Grades one submission as [`Plan::grade`] does; a fault of the grader's own is said
    /// in every lesson's result.
    fn grade_caught(&self, ctx: &Context, sub: &Submission) -> Report {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.grade(ctx, sub))).unwrap_or_else(|panic| {
            let why = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            let mut r = Report::new(self.unchecked(&format!("the grader failed on this submission: {why}")));
            r.submission = Some(sub.id.clone());
            r.make_inert();
            r
        })
    }

    /// Every lesson as not checked, with the reason.
    pub fn unchecked(&self, why: &str) -> Vec<LessonResult> {
        self.pairs().map(|(l, g)| check::unchecked(l, g, why)).collect()
    }
}

/// Worker `i`'s cargo target folder: the first uses the kit's usual one, so it stays warm between runs.
pub fn worker_target(base: &Path, i: usize) -> PathBuf {
    if i == 0 {
        return base.to_path_buf();
    }
    let mut s = base.as_os_str().to_owned();
    s.push(format!("-{}", i + 1));
    PathBuf::from(s)
}

/// Runs `grade`; the exit status is 0 whenever every submission's reports and the gradebook were written.
pub fn run(kit: &Kit, args: GradeArgs) -> Result<Exit, BadInput> {
    // What the terminal shows may quote a student's file name: it is made inert.
    grade(kit, &args).map_err(|e| BadInput::Said(safe_text::text(&e.to_string())))
}

fn grade(kit: &Kit, args: &GradeArgs) -> Result<Exit, BadInput> {
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if jobs == 0 {
        return Err("--jobs must be at least 1".into());
    }
    if args.out.exists() && !args.out.is_dir() {
        return Err(format!("--out {}: is a file, not a folder", args.out.display()).into());
    }
    let plan = Plan::new(kit, &args.only, args.lang)?;
    let subs = submission::collect(&args.submissions, &args.out).map_err(|e| BadInput::Said(e.to_string()))?;
    let subs = match args.shard {
        Some(s) => s.take(subs),
        None => subs,
    };
    std::fs::create_dir_all(&args.out).doing(|| format!("--out {}: cannot create", args.out.display()))?;
    let out = args.out.as_path();
    gradebook::sweep(out);
    let columns = plan.columns();
    shard::note(out, args.shard, &columns, &subs).doing(|| format!("{}: cannot write", out.join(shard::MANIFEST).display()))?;
    let writer = Writer { out, plan: &plan };
    let todo = writer.unfinished(&subs, &columns, args.force);
    let ran = writer.grade_all(kit, &plan, &todo, jobs, !args.rebuild);

    let ids: Vec<String> = subs.iter().map(|s| s.id.clone()).collect();
    let (class, missing) = gradebook::load(out, &ids, &columns);
    gradebook::write_class(out, &class).doing(|| format!("{}: cannot write the gradebook", out.display()))?;
    print!("{}", gradebook::SUMMARY_OF.render(&class));
    // Once for the run (each report has it too): how the students' code was contained.
    for n in ran.notices() {
        eprintln!("note: {}", safe_text::text(&n));
    }
    println!("reports in {}/ (grades.csv, junit.xml, summary.txt, index.html, and per submission report.md, report.json, results.json)", submission::shown(out));
    if !missing.is_empty() {
        return Err(format!("no report for {}", missing.join(", ")).into());
    }
    Ok(Exit::Done)
}

/// Writes each submission's reports into the out folder.
struct Writer<'a> {
    out: &'a Path,
    plan: &'a Plan,
}

impl Writer<'_> {
    fn write(&self, report: &Report) -> std::io::Result<()> {
        gradebook::write_submission(self.out, report, &self.plan.markdown(report), &self.plan.gradescope(report))
    }

    /// The submissions to grade. One with a finished report from an earlier run is not
    /// graded again (unless `force`); its other files are written again from that
    /// report, in case the run died between them.
    fn unfinished<'s>(&self, subs: &'s [Submission], columns: &[String], force: bool) -> Vec<&'s Submission> {
        let mut todo = Vec::new();
        let mut reused = 0;
        for s in subs {
            match gradebook::finished(self.out, &s.id, columns).filter(|_| !force) {
                Some(report) => {
                    reused += 1;
                    if let Err(e) = self.write(&report) {
                        eprintln!("fearless: {}: cannot write its reports: {e}", safe_text::line(&s.id));
                    }
                }
                None => todo.push(s),
            }
        }
        if reused > 0 {
            eprintln!("reusing {reused} report{} from an earlier run into {} (--force grades them again)", if reused == 1 { "" } else { "s" }, submission::shown(self.out));
        }
        todo
    }

    /// Grades `todo` on `jobs` workers, each with a warm cargo target folder of its own,
    /// writing each report as it is done. Returns how all their jobs were contained.
    fn grade_all(&self, kit: &Kit, plan: &Plan, todo: &[&Submission], jobs: usize, share: bool) -> crate::runner::Ran {
        let mut ran = crate::runner::Ran::default();
        let base = kit.default_target();
        let mut progress = Progress::new(todo.len() as u64);
        let (work_tx, work_rx) = crossbeam_channel::unbounded::<&Submission>();
        for s in todo {
            work_tx.send(s).expect("the receiver is alive");
        }
        drop(work_tx);
        let (done_tx, done_rx) = crossbeam_channel::unbounded::<(String, Result<Report, String>)>();
        // Builds of the same bytes are made once for the whole run; without a folder for
        // them, each is made where it is needed.
        let reused = match share.then(crate::lang::reused::Reused::new) {
            Some(Ok(r)) => Some(std::sync::Arc::new(r)),
            Some(Err(e)) => {
                eprintln!("fearless: every build is made anew: no folder to keep them: {e}");
                None
            }
            None => None,
        };
        std::thread::scope(|scope| {
            for w in 0..jobs.min(todo.len()) {
                let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
                let ctx = Context::new(worker_target(&base, w));
                let ctx = match &reused {
                    Some(r) => ctx.sharing(r.clone()),
                    None => ctx,
                };
                scope.spawn(move || {
                    for sub in work_rx.iter() {
                        let report = plan.grade_caught(&ctx, sub);
                        let written = self.write(&report).map(|_| report).map_err(|e| format!("cannot write its reports: {e}"));
                        let _ = done_tx.send((sub.id.clone(), written));
                    }
                });
            }
            drop(done_tx);
            for (id, result) in done_rx.iter() {
                result.iter().flat_map(|r| &r.results).for_each(|r| ran.merge(&r.ran));
                progress.finished(&id, &result);
            }
        });
        progress.clear();
        if let Some((made, taken)) = reused.map(|r| r.counts()).filter(|&(_, taken)| taken > 0) {
            eprintln!("builds: {made} made, {taken} copied from a build of the same files earlier in this run (--rebuild makes each anew)");
        }
        ran
    }
}

/// A bar with an ETA on a terminal, one plain line per submission otherwise.
enum Progress {
    Bar(indicatif::ProgressBar),
    Lines { done: u64, total: u64 },
}

impl Progress {
    fn new(total: u64) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total)
                .with_style(indicatif::ProgressStyle::with_template("grading [{bar:30}] {pos}/{len} {wide_msg} eta {eta}").expect("a valid template").progress_chars("=> "));
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
            Progress::Bar(bar)
        } else {
            Progress::Lines { done: 0, total }
        }
    }

    fn finished(&mut self, id: &str, result: &Result<Report, String>) {
        let id = safe_text::line(id);
        let what = match result {
            Ok(r) => format!("{id} {}/{}", r.summary.score, r.summary.max_score),
            Err(e) => format!("{id}: {}", safe_text::line(e)),
        };
        match self {
            Progress::Bar(bar) => {
                if result.is_err() {
                    bar.println(format!("fearless: {what}"));
                }
                bar.set_message(what);
                bar.inc(1);
            }
            Progress::Lines { done, total } => {
                *done += 1;
                eprintln!("[{done}/{total}] {what}");
            }
        }
    }

    fn clear(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
