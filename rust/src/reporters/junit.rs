//! `junit.xml`: one `testsuite` per submission, one `testcase` per lesson, language
//! and check, failures with their messages; what CI systems show.
use quick_xml::events::BytesText;
use quick_xml::Writer;

use super::{submission_name, ClassReporter};
use crate::report::{CheckResult, Class, Report, Status};
use crate::safe_text;

pub struct Junit;

/// XML 1.0 cannot carry most control characters, even escaped, and a reader must
/// not see them act: shown by their escapes (quick-xml escapes `<`, `&` and quotes).
fn xml_text(s: &str) -> String {
    safe_text::text(s)
}

fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

impl ClassReporter for Junit {
    fn render(&self, class: &Class) -> String {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        let count = |s: Status| class.reports.iter().flat_map(|r| &r.results).flat_map(|l| &l.checks).filter(|c| c.status == s).count();
        let total: usize = class.reports.iter().flat_map(|r| &r.results).map(|l| l.checks.len()).sum();
        let ms: u64 = class.reports.iter().flat_map(|r| &r.results).map(|l| l.duration_ms).sum();
        w.create_element("testsuites")
            .with_attribute(("name", "fearless grade"))
            .with_attribute(("tests", total.to_string().as_str()))
            .with_attribute(("failures", count(Status::Fail).to_string().as_str()))
            .with_attribute(("errors", count(Status::Error).to_string().as_str()))
            .with_attribute(("skipped", count(Status::Skipped).to_string().as_str()))
            .with_attribute(("time", seconds(ms).as_str()))
            .write_inner_content(|w| class.reports.iter().try_for_each(|report| write_suite(w, report)))
            .expect("writing to memory");
        let body = String::from_utf8(w.into_inner()).expect("the text is UTF-8");
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n")
    }
}

/// One submission's `testsuite`: a `testcase` per lesson, language and check.
fn write_suite(w: &mut Writer<Vec<u8>>, report: &Report) -> std::io::Result<()> {
    let name = xml_text(submission_name(report));
    let checks = report.results.iter().flat_map(|l| &l.checks);
    let n = |s: Status| checks.clone().filter(|c| c.status == s).count().to_string();
    let ms: u64 = report.results.iter().map(|l| l.duration_ms).sum();
    w.create_element("testsuite")
        .with_attribute(("name", name.as_str()))
        .with_attribute(("tests", checks.clone().count().to_string().as_str()))
        .with_attribute(("failures", n(Status::Fail).as_str()))
        .with_attribute(("errors", n(Status::Error).as_str()))
        .with_attribute(("skipped", n(Status::Skipped).as_str()))
        .with_attribute(("time", seconds(ms).as_str()))
        .write_inner_content(|w| {
            for l in &report.results {
                let classname = format!("{name}.{}.{}", l.exercise, l.lang);
                l.checks.iter().try_for_each(|c| write_case(w, &classname, c))?;
            }
            Ok(())
        })?;
    Ok(())
}

/// One check's `testcase`, with its failure, error or skip and their message.
fn write_case(w: &mut Writer<Vec<u8>>, classname: &str, c: &CheckResult) -> std::io::Result<()> {
    let case = w
        .create_element("testcase")
        .with_attribute(("classname", classname))
        .with_attribute(("name", c.name.as_str()))
        .with_attribute(("points", format!("{}/{}", c.score, c.max_score).as_str()));
    let (tag, message) = match c.status {
        Status::Pass => {
            case.write_empty()?;
            return Ok(());
        }
        Status::Fail => ("failure", xml_text(&c.message)),
        Status::Error => ("error", xml_text(&c.message)),
        Status::Skipped => ("skipped", xml_text(&c.message)),
    };
    case.write_inner_content(|w| {
        let el = w.create_element(tag).with_attribute(("message", message.as_str()));
        if c.details.is_empty() || c.status == Status::Skipped {
            el.write_empty()?;
        } else {
            el.write_text_content(BytesText::new(&xml_text(&c.details)))?;
        }
        Ok(())
    })?;
    Ok(())
}
