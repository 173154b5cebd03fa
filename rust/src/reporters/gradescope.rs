//! `results.json` in Gradescope's autograder format: one test per lesson, language
//! and check, so partial credit shows check by check. Student text is made inert
//! ([`safe_text::text`]), and every output is declared plain text, so Gradescope
//! neither renders HTML or Markdown from it nor colours it by its escapes.
use serde::Serialize;

use super::Reporter;
use crate::report::{Report, Status};
use crate::safe_text;

pub struct Gradescope {
    /// Result key (`mpsc/rust`), or lesson id, -> the hint shown under its failure.
    pub hints: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Results<'a> {
    score: u32,
    /// Seconds.
    execution_time: u64,
    output: String,
    /// How Gradescope shows `output`, each test's output and each test's name.
    output_format: &'a str,
    test_output_format: &'a str,
    test_name_format: &'a str,
    visibility: &'a str,
    stdout_visibility: &'a str,
    tests: Vec<Test<'a>>,
}

#[derive(Serialize)]
struct Test<'a> {
    name: String,
    score: u32,
    max_score: u32,
    status: &'a str,
    output: String,
    visibility: &'a str,
}

impl Reporter for Gradescope {
    fn render(&self, report: &Report) -> String {
        let mut tests = Vec::new();
        let mut output = Vec::new();
        output.extend(report.notices.iter().map(|n| format!("note: {}", safe_text::text(n))));
        for r in &report.results {
            for c in &r.checks {
                let mut text = safe_text::text(&c.message);
                if c.status != Status::Pass && !c.details.is_empty() {
                    text.push_str("\n\n");
                    text.push_str(&safe_text::text(&c.details));
                }
                tests.push(Test {
                    name: format!("{} ({}): {}", r.exercise, r.lang, c.name),
                    score: c.score,
                    max_score: c.max_score,
                    status: if c.status == Status::Pass { "passed" } else { "failed" },
                    output: text,
                    visibility: "visible",
                });
            }
            let mut line = format!("{} ({}): {}/{}", r.exercise, r.lang, r.score, r.max_score);
            if let Some(f) = r.first_failure().filter(|_| r.status != Status::Pass) {
                line.push_str(&format!(", {}: {}", f.name, safe_text::text(&f.message)));
                if let Some(h) = self.hints.get(&r.key()).or_else(|| self.hints.get(&r.exercise)) {
                    line.push_str(&format!("\n  hint: {h}"));
                }
            }
            output.push(line);
        }
        output.push(format!("total: {}/{}", report.summary.score, report.summary.max_score));
        let ms: u64 = report.results.iter().map(|r| r.duration_ms).sum();
        let results = Results {
            score: report.summary.score,
            execution_time: ms.div_ceil(1000),
            output: output.join("\n"),
            output_format: "text",
            test_output_format: "text",
            test_name_format: "text",
            visibility: "visible",
            stdout_visibility: "hidden",
            tests,
        };
        serde_json::to_string_pretty(&results).expect("results always serialise") + "\n"
    }
}
