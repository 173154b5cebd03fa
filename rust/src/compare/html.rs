//! The comparison as a static site: an index of the lessons and one page per lesson,
//! readable offline with no JavaScript (the CSS is inline in each page), two columns
//! on a laptop and one on a phone.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use syntect::html::{styled_line_to_highlighted_html, IncludeBackground};

use super::highlight::{Highlighter, PAGE_THEME};
use super::{facts, Comparison, Side};
use crate::lesson::Lang;
use crate::report::{Status, KIT_VERSION};

pub struct Site<'h> {
    pub highlighter: &'h Highlighter,
    /// A benchmark plot to show on every page, when `fearless bench` has made one.
    pub bench_plot: Option<PathBuf>,
}

/// Text made safe for HTML (and its control characters shown by their escapes):
/// lesson text, and what the programs printed.
pub fn escape(text: &str) -> String {
    crate::safe_text::html(text)
}

/// Escaped prose with its `code spans` set as code.
fn prose(text: &str) -> String {
    escape(text).split('`').enumerate().map(|(i, part)| if i % 2 == 1 { format!("<code>{part}</code>") } else { part.to_string() }).collect()
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Rust => "Rust",
        Lang::Ocaml => "OCaml",
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "error",
        Status::Skipped => "skipped",
    }
}

const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --paper: #f6f8fa; --card: #ffffff;
  --rust: #b7410e; --ocaml: #c85a00; --accent: #0b6bcb; --pass: #1a7f37; --fail: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1440px; margin: 0 auto; padding: 20px 24px 48px; }
a { color: var(--accent); }
header.page { border-bottom: 1px solid var(--line); margin-bottom: 16px; }
header.page nav { font-size: 14px; color: var(--muted); }
h1 { font-size: 28px; margin: 4px 0 4px; }
h1 .id { color: var(--muted); font-weight: 500; }
h2 { font-size: 20px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
p.summary { font-size: 17px; color: var(--muted); margin: 0 0 16px; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; }
code { font-size: 0.88em; background: #eff1f3; border-radius: 4px; padding: 1px 4px; }
pre code { font-size: inherit; background: none; border-radius: 0; padding: 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0 20px; }
.heads { grid-column: 1 / -1; display: grid; grid-template-columns: 1fr 1fr; gap: 0 20px;
  position: sticky; top: 0; z-index: 1; background: var(--paper); padding: 6px 0; border-bottom: 1px solid var(--line); }
.heads div { font-weight: 600; font-size: 15px; }
.heads .path { font-weight: 400; color: var(--muted); font-size: 13px; margin-left: 6px; }
.step { grid-column: 1 / -1; margin: 16px 0 6px; font: 600 14px/1.2 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  color: var(--accent); display: flex; gap: 10px; align-items: center; }
.step::after { content: ""; flex: 1; border-top: 1px solid var(--line); }
.code { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 0; overflow-x: auto; min-width: 0; }
.code pre { margin: 0; font-size: 12.5px; line-height: 1.45; }
.code .l { display: block; white-space: pre-wrap; overflow-wrap: anywhere; padding: 0 12px 0 calc(12px + 2ch); text-indent: -2ch; }
.code .tag { display: none; font: 600 12px/1 system-ui, sans-serif; color: var(--muted); padding: 0 12px 6px; }
.absent { align-self: start; border: 1px dashed var(--line); border-radius: 8px; color: var(--muted); font-size: 13px;
  padding: 10px 12px; font-style: italic; }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; vertical-align: top; padding: 8px 12px; border-bottom: 1px solid var(--line); }
th { background: #eef1f4; font-size: 14px; }
tr:last-child td { border-bottom: 0; }
td:first-child { font-weight: 600; white-space: nowrap; }
td.pass { color: var(--pass); font-weight: 600; }
td.fail, td.error { color: var(--fail); font-weight: 600; }
.out pre { margin: 0; font-size: 12.5px; line-height: 1.45; }
.out .differs { background: #ffebe9; }
p.note { color: var(--muted); font-size: 14px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
ol.lessons { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; }
ol.lessons li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
ol.lessons .slug { color: var(--muted); font-size: 13px; }
ol.lessons a.title { font-weight: 600; font-size: 17px; text-decoration: none; display: block; }
ol.lessons p { margin: 6px 0; color: var(--muted); font-size: 14px; }
ol.lessons p.lines { font-size: 13px; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 1px 8px; margin-right: 6px; }
.badge.pass { background: #dafbe1; color: var(--pass); }
.badge.fail, .badge.error { background: #ffebe9; color: var(--fail); }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media (max-width: 820px) {
  main { padding: 16px 12px 32px; }
  .pair { grid-template-columns: 1fr; }
  .heads { display: none; }
  .code .tag { display: block; }
  .absent { display: none; }
  .pair > .code { margin-bottom: 8px; }
  td:first-child { white-space: normal; }
  table { font-size: 14px; }
  td code { overflow-wrap: anywhere; }
  table.differences thead { display: none; }
  table.differences, table.differences tbody, table.differences tr, table.differences td { display: block; width: 100%; }
  table.differences tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  table.differences tr:last-child { border-bottom: 0; }
  table.differences td { border: 0; padding: 2px 10px; }
  table.differences td[data-lang]::before { content: attr(data-lang) ": "; font-weight: 600; color: var(--muted); }
  th, td { padding: 6px 8px; }
}
"#;

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n<footer>Made by <code>fearless compare --html</code> (fearless {KIT_VERSION}). Both programs were built, run and checked by the kit when this page was made.</footer>\n</main>\n</body>\n</html>\n",
        escape(title)
    )
}

impl Site<'_> {
    /// Writes the index and one page per lesson into `dir`; returns how many pages.
    pub fn write(&self, dir: &Path, comparisons: &[Comparison], broken: &[String]) -> std::io::Result<usize> {
        std::fs::create_dir_all(dir)?;
        let bench = match &self.bench_plot {
            Some(p) => {
                let dest = dir.join("bench.svg");
                if p.canonicalize()? != dest.canonicalize().unwrap_or_default() {
                    std::fs::copy(p, &dest)?;
                }
                true
            }
            None => false,
        };
        for c in comparisons {
            std::fs::write(dir.join(format!("{}.html", c.lesson.id())), self.lesson_page(c, bench))?;
        }
        std::fs::write(dir.join("index.html"), self.index(comparisons, broken, bench))?;
        Ok(comparisons.len() + 1)
    }

    pub fn index(&self, comparisons: &[Comparison], broken: &[String], bench: bool) -> String {
        let mut b = String::new();
        b.push_str("<header class=\"page\"><h1>fearless: the same programs in Rust and OCaml</h1>\n");
        b.push_str("<p class=\"summary\">Each lesson is one concurrent program written twice. Both versions are built, run and held to the same spec; the pages show them side by side, step by step, with what each language checks for you and what was measured.</p></header>\n");
        b.push_str("<ol class=\"lessons\">\n");
        for c in comparisons {
            let ex = &c.lesson.exercise;
            let _ = write!(
                b,
                "<li><span class=\"slug\">{}</span><a class=\"title\" href=\"{}.html\">{}</a><p>{}</p>",
                escape(&c.lesson.slug),
                escape(ex.id.as_str()),
                escape(&ex.title),
                prose(&ex.summary)
            );
            let _ = write!(b, "<p class=\"lines\">{} lines of Rust, {} of OCaml</p>", c.rust.code_lines, c.ocaml.code_lines);
            for side in c.sides() {
                if let Some(run) = &side.run {
                    let _ = write!(b, "<span class=\"badge {}\">{} {}</span>", status_class(run.result.status), lang_name(side.lang), status_class(run.result.status));
                }
            }
            b.push_str("</li>\n");
        }
        for e in broken {
            let _ = writeln!(b, "<li><span class=\"slug\">not shown</span><p>{}</p></li>", escape(e));
        }
        b.push_str("</ol>\n");
        if bench {
            b.push_str("<h2>Benchmark</h2>\n<figure><img src=\"bench.svg\" alt=\"Messages per second of each channel, as measured by fearless bench\"></figure>\n");
        }
        page("fearless: Rust and OCaml side by side", &b)
    }

    /// A section's lines as highlighted HTML, one block line per source line.
    fn code_cell(&self, side: &Side, section: usize, highlighted: &[Vec<String>]) -> String {
        let s = &side.sections[section];
        let mut b = format!("<div class=\"code {}\"><div class=\"tag\">{}</div><pre><code>", side.lang.as_str(), lang_name(side.lang));
        for line in &highlighted[s.file][s.lines.clone()] {
            let _ = write!(b, "<span class=\"l\">{}</span>", if line.is_empty() { " " } else { line });
        }
        b.push_str("</code></pre></div>");
        b
    }

    fn highlighted(&self, side: &Side) -> Vec<Vec<String>> {
        side.files
            .iter()
            .map(|f| match &f.text {
                Ok(text) => self
                    .highlighter
                    .highlight(Path::new(&f.name), &text.replace('\t', "    "), PAGE_THEME)
                    .iter()
                    .map(|l| {
                        let ranges: Vec<_> = l.iter().map(|(s, t)| (*s, t.as_str())).collect();
                        styled_line_to_highlighted_html(&ranges, IncludeBackground::No).unwrap_or_else(|_| escape(&ranges.iter().map(|r| r.1).collect::<String>()))
                    })
                    .collect(),
                Err(_) => Vec::new(),
            })
            .collect()
    }

    pub fn lesson_page(&self, c: &Comparison, bench: bool) -> String {
        let ex = &c.lesson.exercise;
        let mut b = String::new();
        let _ = writeln!(
            b,
            "<header class=\"page\"><nav><a href=\"index.html\">All lessons</a> · {}</nav><h1>{} <span class=\"id\">{}</span></h1><p class=\"summary\">{}</p></header>",
            escape(&c.lesson.slug),
            escape(&ex.title),
            escape(&ex.id),
            prose(&ex.summary)
        );
        self.code_pair(c, &mut b);
        differences(c, &mut b);
        facts_table(c, &mut b);
        output(c, &mut b);
        if bench {
            b.push_str("<h2>Benchmark</h2>\n<figure><img src=\"bench.svg\" alt=\"Messages per second of each channel, as measured by fearless bench\"></figure>\n");
        }
        page(&format!("{}: {} (fearless)", ex.id, ex.title), &b)
    }

    /// The two programs side by side, a row per aligned section.
    fn code_pair(&self, c: &Comparison, b: &mut String) {
        b.push_str("<h2>The two programs, aligned by section</h2>\n");
        for side in c.sides() {
            for f in &side.files {
                if let Err(e) = &f.text {
                    let _ = writeln!(b, "<p class=\"note\">Cannot read {}</p>", escape(e));
                }
            }
        }
        b.push_str("<div class=\"pair code-pair\">\n<div class=\"heads\">");
        for side in c.sides() {
            let files: Vec<&str> = side.files.iter().map(|f| f.name.as_str()).collect();
            let _ = write!(b, "<div>{}<span class=\"path\">{}/{}</span></div>", lang_name(side.lang), escape(&side.dir), escape(&files.join(", ")));
        }
        b.push_str("</div>\n");
        let (rust, ocaml) = (self.highlighted(&c.rust), self.highlighted(&c.ocaml));
        for row in &c.rows {
            let labels: Vec<&str> = [row.left.map(|i| c.rust.label(i)), row.right.map(|i| c.ocaml.label(i))].into_iter().flatten().collect();
            let label = if labels.len() == 2 && labels[0] != labels[1] { labels.join(" · ") } else { labels[0].to_string() };
            let _ = writeln!(b, "<div class=\"step\">{}</div>", escape(&label));
            for (side, section, lines) in [(&c.rust, row.left, &rust), (&c.ocaml, row.right, &ocaml)] {
                match section {
                    Some(i) => b.push_str(&self.code_cell(side, i, lines)),
                    None => {
                        let _ = write!(b, "<div class=\"absent\">no matching section in {}</div>", lang_name(side.lang));
                    }
                }
                b.push('\n');
            }
        }
        b.push_str("</div>\n");
    }
}

/// The lesson's key-differences table, when it has one.
fn differences(c: &Comparison, b: &mut String) {
    let ex = &c.lesson.exercise;
    if !ex.differences.is_empty() {
        b.push_str("<h2>Key differences</h2>\n<table class=\"differences\"><thead><tr><th>Concept</th><th>Rust</th><th>OCaml</th></tr></thead><tbody>\n");
        for [concept, ocaml, rust] in &ex.differences {
            let _ = writeln!(b, "<tr><td>{}</td><td data-lang=\"Rust\">{}</td><td data-lang=\"OCaml\">{}</td></tr>", prose(concept), prose(rust), prose(ocaml));
        }
        b.push_str("</tbody></table>\n");
    }
}

/// What building and running both programs gave, one row per fact.
fn facts_table(c: &Comparison, b: &mut String) {
    let _ = writeln!(b, "<h2>Built and run <span class=\"id\">({})</span></h2>", escape(&c.from));
    b.push_str("<table class=\"facts\"><thead><tr><th></th><th>Rust</th><th>OCaml</th></tr></thead><tbody>\n");
    for (what, cells) in facts(c) {
        let _ = write!(b, "<tr class=\"{}\"><td>{}</td>", what.replace([' ', ','], "-"), escape(what));
        for (side, cell) in c.sides().iter().zip(cells) {
            let class = match (what, &side.run) {
                ("verdict", Some(r)) => {
                    format!(" class=\"verdict {}\"", status_class(r.result.status))
                }
                _ => String::new(),
            };
            let _ = write!(b, "<td{class}>{}</td>", escape(&cell));
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</tbody></table>\n");
}

/// Both programs' normalised output side by side, the lines that differ marked.
fn output(c: &Comparison, b: &mut String) {
    if c.sides().iter().any(|s| s.run.is_some()) {
        b.push_str("<h2>Output, normalised</h2>\n<p class=\"note\">Each program's stdout with the concurrent streams' lines grouped by stream; each stream keeps its own order, so two correct runs read alike. Lines that differ are marked.</p>\n<div class=\"pair out\">\n");
        let rows = c.output_rows();
        for (k, side) in c.sides().iter().enumerate() {
            let _ = write!(b, "<div class=\"code output {}\"><div class=\"tag\" style=\"display:block\">{} printed</div><pre>", side.lang.as_str(), lang_name(side.lang));
            for (a, o, same) in &rows {
                let Some(line) = (if k == 0 { a } else { o }) else {
                    continue;
                };
                let _ = write!(b, "<span class=\"l{}\">{}</span>", if *same { "" } else { " differs" }, if line.is_empty() { " ".into() } else { escape(line) });
            }
            b.push_str("</pre></div>\n");
        }
        b.push_str("</div>\n");
        let differing = rows.iter().filter(|r| !r.2).count();
        let _ = writeln!(
            b,
            "<p class=\"note\">{}</p>",
            match (rows.len(), differing) {
                (0, _) => "Neither program printed anything.".to_string(),
                (_, 0) => "Both printed the same lines once normalised.".to_string(),
                (_, n) => format!("The outputs differ on {n} line{}.", if n == 1 { "" } else { "s" }),
            }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_escapes_and_sets_code() {
        assert_eq!(prose("`a<b>` & `c`"), "<code>a&lt;b&gt;</code> &amp; <code>c</code>");
    }

    #[test]
    fn program_output_is_inert() {
        assert_eq!(escape("<img src=x onerror=alert(1)>\x1b[2J"), "&lt;img src=x onerror=alert(1)&gt;\\u{1b}[2J");
    }
}
