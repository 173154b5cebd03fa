//! Injection into what the instructor reads: a class graded by the real `fearless
//! grade` whose students' ids hold terminal escapes, bidirectional controls, a
//! formula and a path separator, and whose program (lesson 01-hello of the test kit,
//! `tests/hostile/reports/injects/`) prints and panics with escapes, HTML, Markdown
//! links and a code fence. No control character may reach the terminal or any file
//! written, no cell of the gradebook may be a formula, no HTML may be live in a
//! report.md, and the honest students graded alongside get exactly their own score.
mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The ids as the file system has them: each one a folder of `subs/`.
const HONEST: &str = "honest";
const INJECTS: &str = "injects";
const ESCAPES: &str = "\x1b]0;pwned\x07\x1b[2Jevil";
const BIDI: &str = "bidi\u{202e}gpj.exe";
const FORMULA: &str = "=2+5";
const AT: &str = "@SUM(A1)";
const MINUS: &str = "-2+3";
const BACKSLASH: &str = "..\\x";
/// A plain file, neither a folder nor an archive: graded as not checkable, under
/// its name less the extension.
const UNKNOWN_FILE: &str = "notes\x1b[2J.txt";
const UNKNOWN: &str = "notes\x1b[2J";

/// The files of the class as a whole, beside the submissions' folders.
const CLASS_FILES: [&str; 4] = ["grades.csv", "junit.xml", "summary.txt", "index.html"];

/// Submissions that hold the kit's solution, and what they must score.
const SOLVED: &[&str] = &[HONEST, BIDI, FORMULA, AT, MINUS, BACKSLASH];

struct Graded {
    out: PathBuf,
    subs: PathBuf,
    /// The terminal: stdout then stderr.
    terminal: Vec<u8>,
}

fn repo() -> PathBuf {
    common::kit().root
}

fn test_kit() -> PathBuf {
    repo().join("tests/hostile/kit")
}

fn lay_out(root: &Path, main_rs: &Path) {
    let dir = root.join("01-hello/rust/src");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(main_rs, dir.join("main.rs")).unwrap();
}

/// Grades the class once for every test of this file.
fn graded() -> &'static Graded {
    static GRADED: OnceLock<Graded> = OnceLock::new();
    GRADED.get_or_init(|| {
        let root = repo().join("target/hostile-reports-run");
        let _ = std::fs::remove_dir_all(&root);
        let subs = root.join("subs");
        let solution = test_kit().join("solutions/01-hello/rust/src/main.rs");
        let injects = repo().join("tests/hostile/reports/injects/rust/src/main.rs");
        for id in SOLVED {
            lay_out(&subs.join(id), &solution);
        }
        for id in [INJECTS, ESCAPES] {
            lay_out(&subs.join(id), &injects);
        }
        std::fs::write(subs.join(UNKNOWN_FILE), "not a submission\n").unwrap();
        let out = root.join("out");
        let mut paths: Vec<PathBuf> = SOLVED.iter().chain(&[INJECTS, ESCAPES, UNKNOWN_FILE]).map(|id| subs.join(id)).collect();
        paths.sort();
        let run = assert_cmd::Command::cargo_bin("fearless")
            .unwrap()
            .env("FEARLESS_ROOT", test_kit())
            .env("FEARLESS_TARGET", repo().join("target/lessons-hostile-reports"))
            .env("FEARLESS_UID_BASE", "1710000000")
            .env("NO_COLOR", "1")
            .timeout(std::time::Duration::from_secs(600))
            .arg("grade")
            .args(&paths)
            .arg("--out")
            .arg(&out)
            .args(["--only", "hello", "--lang", "rust", "--jobs", "2"])
            .output()
            .unwrap();
        let mut terminal = run.stdout.clone();
        terminal.extend_from_slice(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "grade failed:\n{}", String::from_utf8_lossy(&terminal));
        Graded { out, subs, terminal }
    })
}

/// The first character a reader must never get raw: a control character other than
/// newline and tab, a bidirectional control, a line or paragraph separator.
fn first_forbidden(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        (c.is_control() && !matches!(c, '\n' | '\t'))
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    })
}

fn assert_inert(what: &str, bytes: &[u8]) {
    assert!(!bytes.contains(&0x1b), "{what}: holds an ESC byte:\n{}", String::from_utf8_lossy(bytes));
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    if let Some((at, c)) = first_forbidden(text) {
        panic!("{what}: holds {c:?} at byte {at}: ...{}...", &text[at.saturating_sub(60)..(at + 60).min(text.len())].escape_debug());
    }
}

/// Every file grading wrote.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The submission folders in the out folder, by name.
fn report_dirs(g: &Graded) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(&g.out).unwrap().map(|e| e.unwrap()).filter(|e| e.path().is_dir()).map(|e| e.file_name().into_string().unwrap()).collect();
    v.sort();
    v
}

fn report(g: &Graded, dir: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(g.out.join(dir).join("report.json")).unwrap()).unwrap()
}

/// The report folder whose report.json names this submission's escaped id.
fn dir_of(g: &Graded, raw_id: &str) -> String {
    let (id, _) = fearless::grade::submission::student_id(raw_id);
    assert!(g.out.join(&id).join("report.json").is_file(), "no report for {raw_id:?} at {id}; out holds {:?}", report_dirs(g));
    id
}

#[test]
fn nothing_raw_reaches_the_terminal() {
    let g = graded();
    assert_inert("the terminal", &g.terminal);
    let terminal = String::from_utf8_lossy(&g.terminal);
    // Said, and shown by the escapes.
    assert!(terminal.contains("graded as '%1B]0;pwned%07%1B[2Jevil'"), "{terminal}");
    assert!(terminal.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2Jevil"), "{terminal}");
}

#[test]
fn nothing_raw_reaches_any_file_written() {
    let g = graded();
    let all = files(&g.out);
    let names: Vec<String> = all.iter().map(|p| p.strip_prefix(&g.out).unwrap().display().to_string()).collect();
    for want in CLASS_FILES {
        assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
    }
    // One folder per submission, each with its three reports, and nothing else.
    let dirs = report_dirs(g);
    assert_eq!(dirs.len(), SOLVED.len() + 3, "{dirs:?}");
    for d in &dirs {
        assert!(!d.starts_with('.'), "a hidden report folder: {d}");
        for f in ["report.md", "report.json", "results.json"] {
            assert!(g.out.join(d).join(f).is_file(), "{d}/{f} missing");
        }
    }
    assert_eq!(all.len(), CLASS_FILES.len() + 3 * dirs.len(), "{names:?}");
    for (path, name) in all.iter().zip(&names) {
        assert_inert(&format!("the file name {name:?}"), name.as_bytes());
        assert!(!name.contains('\\'), "{name}");
        assert_inert(name, &std::fs::read(path).unwrap());
    }
    // Nothing was written beside the submissions (an id naming `..`).
    let mut beside: Vec<String> = std::fs::read_dir(g.subs.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    beside.sort();
    assert_eq!(beside, ["out", "subs"]);
    // The student's text is there, shown by its escapes rather than dropped.
    let r = report(g, &dir_of(g, INJECTS));
    let termination = r["results"][0]["checks"].as_array().unwrap().iter().find(|c| c["name"] == "termination").unwrap().clone();
    assert!(termination["message"].as_str().unwrap().contains("\\u{1b}]0;pwned\\u{7} \\u{1b}[2J"), "{termination}");
    assert!(termination["details"].as_str().unwrap().contains("\\u{1b}[31mred on stderr"), "{termination}");
}

#[test]
fn no_cell_of_the_gradebook_is_a_formula() {
    let g = graded();
    let text = std::fs::read_to_string(g.out.join("grades.csv")).unwrap();
    let mut rows = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1 + SOLVED.len() + 3, "{text}");
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a formula: {cell:?} in\n{text}");
        }
    }
    // Scores stay numbers, and the ids are all there, neutralised.
    for row in &rows[1..] {
        for cell in row.iter().skip(1) {
            assert!(cell.parse::<u32>().is_ok(), "not a number: {cell:?} in\n{text}");
        }
    }
    let ids: Vec<&str> = rows[1..].iter().map(|r| &r[0]).collect();
    for want in ["'=2+5", "'@SUM(A1)", "'-2+3", HONEST, "bidi%E2%80%AEgpj.exe", "%2E.%5Cx"] {
        assert!(ids.contains(&want), "{want:?} not in {ids:?}");
    }
}

/// Lines of a report.md outside its fenced code blocks; panics when a block is not closed.
fn outside_fences(md: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut fence: Option<usize> = None;
    for line in md.lines() {
        let ticks = line.len() - line.trim_start_matches('`').len();
        match fence {
            None if ticks >= 3 => fence = Some(ticks),
            None => out.push(line),
            Some(n) if ticks >= n && line.trim_start_matches('`').trim().is_empty() => fence = None,
            Some(_) => {}
        }
    }
    assert!(fence.is_none(), "a code block is never closed:\n{md}");
    out
}

/// Whether `pat` occurs in `line` with its first character not backslash-escaped.
fn unescaped(line: &str, pat: &str) -> bool {
    line.match_indices(pat).any(|(i, _)| line[..i].chars().rev().take_while(|&c| c == '\\').count() % 2 == 0)
}

#[test]
fn no_html_or_link_is_live_in_report_md() {
    let g = graded();
    for d in report_dirs(g) {
        let md = std::fs::read_to_string(g.out.join(&d).join("report.md")).unwrap();
        for line in outside_fences(&md) {
            for live in ["<img", "<script", "</details", "](", "http://"] {
                assert!(!unescaped(line, live), "{d}/report.md: {live} is live in: {line}\n\n{md}");
            }
        }
    }
    let md = std::fs::read_to_string(g.out.join(dir_of(g, INJECTS)).join("report.md")).unwrap();
    // The panic message, escaped where Markdown reads it...
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt; \\[link\\](http\\://evil)"), "{md}");
    // ...and what the program printed, in a block the printed fence cannot close.
    assert!(md.contains("\n`````text\n"), "{md}");
    // Gradescope is told its outputs are plain text: it renders no HTML from them.
    let results: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(g.out.join(dir_of(g, INJECTS)).join("results.json")).unwrap()).unwrap();
    for key in ["output_format", "test_output_format", "test_name_format"] {
        assert_eq!(results[key], "text", "{key}");
    }
}

/// The class page shows every id and the first failure's message: all as text.
#[test]
fn no_html_is_live_in_the_class_page() {
    let g = graded();
    let html = std::fs::read_to_string(g.out.join("index.html")).unwrap();
    for live in ["<img", "<script", "</details", "onerror=alert(1)>"] {
        assert!(!html.contains(live), "{live} is live in index.html:\n{html}");
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the injecting program's message is not shown:\n{html}");
    assert!(html.contains(">%1B]0;pwned%07%1B[2Jevil</a>") && html.contains("href=\"%251B%5D0%3Bpwned%2507%251B%5B2Jevil/report.md\""), "{html}");
    assert!(html.contains(">bidi%E2%80%AEgpj.exe</a>"), "{html}");
}

#[test]
fn honest_submissions_get_exactly_their_own_score() {
    let g = graded();
    for raw in SOLVED {
        let r = report(g, &dir_of(g, raw));
        assert_eq!((r["summary"]["score"].as_u64(), r["summary"]["max_score"].as_u64()), (Some(10), Some(10)), "{raw:?}: {r:#}");
    }
    let text = std::fs::read_to_string(g.out.join("grades.csv")).unwrap();
    assert!(text.lines().any(|l| l == "honest,10,10,10"), "{text}");
    // The injecting program scores what it earned: it builds; its output and exit are wrong.
    let r = report(g, &dir_of(g, INJECTS));
    assert_eq!(r["summary"]["score"].as_u64(), Some(2), "{r:#}");
    // The file that is no submission is reported, by its escaped name.
    let r = report(g, &dir_of(g, UNKNOWN));
    let notices = r["notices"].to_string();
    assert!(notices.contains("notes\\\\u{1b}[2J.txt: neither a folder nor"), "{notices}");
}

#[test]
fn an_escaped_id_is_said_in_its_report() {
    let g = graded();
    let d = dir_of(g, ESCAPES);
    assert_eq!(d, "%1B]0;pwned%07%1B[2Jevil");
    let r = report(g, &d);
    assert_eq!(r["submission"], d.as_str());
    let notices = r["notices"].to_string();
    assert!(notices.contains("holds control characters") && notices.contains("graded as '%1B]0;pwned%07%1B[2Jevil'"), "{notices}");
}
