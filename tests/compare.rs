//! `fearless compare`: the terminal view at fixed widths (snapshots, no colour), and
//! the static site opened in a real headless Chromium. Of the test kit's lessons
//! (`tests/fixtures/kit`), not the kit's.
#[path = "common/browser.rs"]
mod browser;
mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use fearless::compare::highlight::Highlighter;
use fearless::compare::terminal::{Colour, Terminal};
use fearless::compare::Comparison;
use predicates::prelude::*;
use rstest::rstest;
use unicode_width::UnicodeWidthStr;

fn fearless() -> Command {
    let mut c = Command::cargo_bin("fearless").unwrap();
    c.env("FEARLESS_ROOT", common::fixture().root).env("NO_COLOR", "1");
    c.timeout(Duration::from_secs(600));
    c
}

/// The test kit's relay lesson's solutions, built, run and checked for real; then the measurements that
/// vary from run to run are fixed, so that the snapshots hold the layout.
fn relay_solutions() -> &'static Comparison {
    static C: OnceLock<Comparison> = OnceLock::new();
    C.get_or_init(|| {
        let kit = common::fixture();
        let from = kit.root.join("solutions");
        let mut c = Comparison::read(&kit, &kit.load("03-relay").unwrap(), &from);
        c.run(&from);
        c.count_code(&Highlighter::default());
        for side in [&mut c.rust, &mut c.ocaml] {
            let run = side.run.as_mut().expect("both sides ran");
            assert!(run.build_time.is_some() && run.run_time.is_some() && run.peak_memory_kib.is_some_and(|k| k > 0), "{:?}", run);
            run.build_time = Some(Duration::from_millis(1250));
            run.run_time = Some(Duration::from_millis(12));
            run.peak_memory_kib = Some(2560);
        }
        c
    })
}

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::default)
}

#[rstest]
#[case::wide(120)]
#[case::narrow(80)]
fn terminal_view_of_relay(#[case] width: usize) {
    let out = Terminal { width, colour: None, highlighter: highlighter() }.render(relay_solutions());
    for line in out.lines() {
        assert!(line.width() <= width, "wider than {width} columns: {line:?}");
    }
    insta::assert_snapshot!(format!("relay_{width}_columns"), out);
}

#[test]
fn colour_is_highlighting_and_nothing_else() {
    let c = relay_solutions();
    let plain = Terminal { width: 120, colour: None, highlighter: highlighter() }.render(c);
    let coloured = Terminal { width: 120, colour: Some(Colour::TrueColour), highlighter: highlighter() }.render(c);
    let escape = regex::Regex::new(r"\x1b\[[0-9;]*m").unwrap();
    assert_eq!(escape.replace_all(&coloured, ""), plain);
    // syntect's theme gives keywords, strings, comments and the rest colours of their own.
    let colours: std::collections::HashSet<&str> = regex::Regex::new(r"\x1b\[38;2;[0-9;]+m").unwrap().find_iter(&coloured).map(|m| m.as_str()).collect();
    assert!(colours.len() >= 6, "only {} colours: {colours:?}", colours.len());
}

#[test]
fn the_students_own_versions_compare_with_their_verdicts() {
    // Run from elsewhere: `exercises` still names the (test) kit's own folder.
    fearless()
        .current_dir(std::env::temp_dir())
        .args(["compare", "relay", "--from", "exercises", "--width", "100"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("fail 2/11: termination: not done yet").count(2))
        .stdout(predicate::str::contains("── spawn "))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn compare_without_a_lesson_is_bad_usage() {
    fearless().arg("compare").assert().code(2).stderr(predicate::str::contains("name a lesson"));
    fearless().args(["compare", "nope"]).assert().code(2).stderr(predicate::str::contains("unknown lesson 'nope'"));
    fearless().args(["compare", "relay", "--from", "/no/such/folder"]).assert().code(2).stderr(predicate::str::contains("no such folder"));
}

/// A benchmark plot as `fearless bench --svg` might leave it.
const BENCH_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120"><rect width="400" height="120" fill="#fff"/><rect x="20" y="20" width="300" height="30" fill="#b7410e"/><rect x="20" y="70" width="180" height="30" fill="#c85a00"/></svg>"##;

/// The site of every lesson, built once for the tests below by `fearless compare --html`
/// into a folder that already holds a benchmark plot.
fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bench.svg"), BENCH_SVG).unwrap();
        fearless().args(["compare", "--html"]).arg(dir.path()).assert().code(0);
        dir
    })
    .path()
}

fn lesson_ids() -> Vec<String> {
    common::fixture().lessons().unwrap().into_iter().map(|l| l.unwrap().exercise.id).collect()
}

#[test]
fn the_site_has_a_page_for_every_lesson() {
    let index = std::fs::read_to_string(site().join("index.html")).unwrap();
    let ids = lesson_ids();
    assert!(!ids.is_empty());
    for id in ids {
        assert!(site().join(format!("{id}.html")).is_file(), "no page for {id}");
        assert!(index.contains(&format!("href=\"{id}.html\"")), "the index does not link {id}");
    }
    assert!(!index.contains("<script"), "the site needs no JavaScript");
    for page in ["index.html", "relay.html"] {
        let html = std::fs::read_to_string(site().join(page)).unwrap();
        assert!(html.contains("<img src=\"bench.svg\""), "{page} does not show the benchmark plot");
    }
}

#[test]
fn the_browser_sees_both_programs_the_differences_and_both_verdicts() {
    let chromium = chromium_or_skip!();
    let dom = browser::browse(&chromium, &site().join("relay.html"), &["--dump-dom"]).stdout_text();
    assert!(dom.contains("<div class=\"code rust\">") && dom.contains("mpsc::channel"), "no Rust code block");
    assert!(dom.contains("<div class=\"code ocaml\">") && dom.contains("Condition.wait"), "no OCaml code block");
    assert!(dom.contains("<table class=\"differences\">") && dom.contains("Channel creation"), "no key-differences table");
    assert_eq!(dom.matches("class=\"verdict pass\">pass 11/11</td>").count(), 2, "not both verdicts");
    let index = browser::browse(&chromium, &site().join("index.html"), &["--dump-dom"]).stdout_text();
    for id in lesson_ids() {
        assert!(index.contains(&format!("href=\"{id}.html\"")), "the index does not link {id}");
    }
}

#[test]
fn a_screenshot_of_the_lesson_page_is_not_blank() {
    let chromium = chromium_or_skip!();
    let shots = tempfile::tempdir().unwrap();
    let png = shots.path().join("relay.png");
    browser::browse(&chromium, &site().join("relay.html"), &[&format!("--screenshot={}", png.display()), "--window-size=1280,800"]);
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 800));
    let channels = info.color_type.samples();
    let mut colours: HashMap<&[u8], usize> = HashMap::new();
    for px in buf[..info.buffer_size()].chunks(channels) {
        *colours.entry(&px[..3]).or_default() += 1;
    }
    let background = colours.values().max().copied().unwrap_or(0);
    let total = (info.width * info.height) as usize;
    // Text, highlighted code and borders: many colours, and a good share of the page not background.
    assert!(colours.len() >= 100, "only {} colours: a blank page?", colours.len());
    assert!(total - background >= total / 10, "{} of {total} pixels are not the background", total - background);
}
