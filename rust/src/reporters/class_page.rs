//! `index.html`: the class at a glance, for a browser, opened from the out folder as
//! a file. No JavaScript, the CSS and the plots (SVG) inline: the score distribution,
//! per lesson and language the share passed and the check most often failed on, and
//! a line per student linking their reports. Student text (ids, messages) is made
//! inert for HTML ([`safe_text::html`]) and ids in links are percent-encoded.
use std::fmt::Write as _;

use super::tally::{points, Scores, Tally};
use super::{class_plots, submission_name, ClassReporter};
use crate::report::{Class, Report, Status};
use crate::safe_text;

pub struct ClassPage;

const STYLE: &str = "
body { margin: 0; background: #f6f8fa; color: #1f2328; font: 15px/1.5 system-ui, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 16px 24px 48px; }
h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: 4px; }
figure { margin: 12px 0; background: #fff; border: 1px solid #d1d9e0; }
figure svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border: 1px solid #d1d9e0; padding: 4px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.pass { color: #1a7f37; } .fail { color: #cf222e; } .error { color: #9a6700; }
";

/// A student's id as a link's path segment: every byte but letters, digits and `-._~`
/// percent-encoded (ids may hold `%`, `#`, `?`, quotes and spaces).
fn href(id: &str) -> String {
    id.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A plot, or why it is missing.
fn figure(id: &str, svg: Result<String, String>) -> String {
    match svg {
        Ok(svg) => format!("<figure id=\"{id}\">\n{svg}\n</figure>\n"),
        Err(e) => format!("<p>the plot could not be drawn: {}</p>\n", safe_text::html(&e)),
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * part as f64 / whole as f64)
    }
}

/// Per lesson and language: passed, and the check the others failed on most often.
fn lessons_table(tallies: &[Tally]) -> String {
    let mut out = String::from("<table class=\"lessons\">\n<tr><th>lesson</th><th>language</th><th>passed</th><th>most often failed on</th></tr>\n");
    for t in tallies {
        let (lesson, lang) = t.column.split_once('/').unwrap_or((t.column, ""));
        let failed = t.most_often().map_or("-".to_string(), |(check, times)| format!("{} ({times} of {})", safe_text::html(check), t.not_passed()));
        let share = format!("{} ({} of {})", percent(t.passed, t.graded), t.passed, t.graded);
        let _ = writeln!(out, "<tr><td>{}</td><td>{}</td><td class=\"num\">{share}</td><td>{failed}</td></tr>", safe_text::html(lesson), safe_text::html(lang));
    }
    out + "</table>\n"
}

/// What a student's report shows first: the first lesson not passed and why.
fn first_failure(r: &Report) -> String {
    let Some(l) = r.results.iter().find(|l| l.status != Status::Pass) else { return "all passed".into() };
    let why = l.first_failure().map(|c| format!(": {}: {}", c.name, c.message)).unwrap_or_default();
    let mut text = format!("{}{why}", l.key());
    if text.chars().count() > 160 {
        text = text.chars().take(159).collect::<String>() + "…";
    }
    safe_text::html(&text)
}

fn student_row(r: &Report) -> String {
    let id = submission_name(r);
    let (link, name) = (safe_text::html(&href(id)), safe_text::html(id));
    let class = if r.all_passed() {
        "pass"
    } else if r.summary.errors > 0 {
        "error"
    } else {
        "fail"
    };
    format!(
        "<tr><td><a href=\"{link}/report.md\">{name}</a></td><td class=\"num {class}\">{} / {}</td><td class=\"num\">{} of {}</td><td>{}</td><td><a href=\"{link}/report.json\">json</a></td></tr>\n",
        r.summary.score,
        r.summary.max_score,
        r.summary.passed,
        r.results.len(),
        first_failure(r)
    )
}

fn students_table(class: &Class) -> String {
    let mut out = String::from("<table class=\"students\">\n<tr><th>student</th><th>score</th><th>lessons passed</th><th>first failure</th><th></th></tr>\n");
    class.reports.iter().for_each(|r| out.push_str(&student_row(r)));
    out + "</table>\n"
}

fn head(n: usize) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>fearless grade: {n} submission{}</title>\n<style>{STYLE}</style>\n</head>\n",
        if n == 1 { "" } else { "s" }
    )
}

impl ClassReporter for ClassPage {
    fn render(&self, class: &Class) -> String {
        let n = class.reports.len();
        let tallies = Tally::all(class);
        let s = Scores::of(class);
        let mut out = head(n);
        out.push_str("<body>\n<main>\n<h1>The class at a glance</h1>\n");
        let _ = writeln!(
            out,
            "<p class=\"summary\">{n} submission{} graded; score: mean {} / {max}, median {} / {max}.</p>",
            if n == 1 { "" } else { "s" },
            points(s.mean),
            points(s.median),
            max = s.max
        );
        out.push_str("<h2>Scores</h2>\n");
        out.push_str(&figure("scores", class_plots::scores(class)));
        out.push_str("<h2>Lessons</h2>\n");
        out.push_str(&figure("passed", class_plots::passed(&tallies)));
        out.push_str(&lessons_table(&tallies));
        out.push_str("<h2>Students</h2>\n");
        out.push_str(&students_table(class));
        out + "</main>\n</body>\n</html>\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_links_are_percent_encoded() {
        assert_eq!(href("ada-1.b_c~"), "ada-1.b_c~");
        assert_eq!(href("%1B\"<x> #?"), "%251B%22%3Cx%3E%20%23%3F");
        assert_eq!(href("é"), "%C3%A9");
    }
}
