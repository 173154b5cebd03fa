//! Interleaving-aware output comparison.
//!
//! Lines that match a stream pattern belong to a stream (one per producer, say):
//! each stream must hold exactly its expected lines in their expected order, but
//! streams may interleave freely. Every other line is fixed: it must appear exactly
//! where the expected output puts it, relative to the stream lines around it.
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use regex::Regex;

/// One way an output can be wrong. Its `Display` is the message a student reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// An expected stream line never arrived.
    Missing { item: String },
    /// A stream line arrived more than once.
    Repeated { item: String, times: usize },
    /// Within one stream, `later` arrived before `earlier`.
    OutOfOrder { later: String, earlier: String },
    /// A line the expected output does not have.
    Unexpected { line: String },
    /// A fixed line that never appeared.
    MissingLine { line: String },
    /// The expected output ends with a fixed line; the actual output does not.
    LastLine { expected: String },
    /// A fixed line that appeared among the wrong stream lines.
    Misplaced { line: String, expected_after: usize, actual_after: usize },
    /// Nothing was printed at all.
    NoOutput,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing { item } => write!(f, "missing {item}"),
            Problem::Repeated { item, times: 2 } => write!(f, "{item} arrived twice"),
            Problem::Repeated { item, times } => write!(f, "{item} arrived {times} times"),
            Problem::OutOfOrder { later, earlier } => write!(f, "{later} came before {earlier}"),
            Problem::Unexpected { line } => write!(f, "unexpected line {line:?}"),
            Problem::MissingLine { line } => write!(f, "missing line {line:?}"),
            Problem::LastLine { expected } => write!(f, "last line should be {expected:?}"),
            Problem::Misplaced { line, expected_after, actual_after } => {
                write!(f, "{line:?} should come after {expected_after} stream lines, but came after {actual_after}")
            }
            Problem::NoOutput => write!(f, "the program printed nothing"),
        }
    }
}

/// The stream patterns of a lesson.
#[derive(Clone, Debug)]
pub struct Streams {
    patterns: Vec<Regex>,
}

/// A line of output, put in its stream or left fixed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Fixed(&'a str),
    Stream { stream: String, item: String },
}

impl Streams {
    pub fn new(patterns: &[String]) -> Result<Streams, regex::Error> {
        Ok(Streams { patterns: patterns.iter().map(|p| Regex::new(p)).collect::<Result<_, _>>()? })
    }

    pub fn classify<'a>(&self, line: &'a str) -> Line<'a> {
        for re in &self.patterns {
            if let Some(c) = re.captures(line) {
                if let Some(stream) = c.name("stream") {
                    let item = c.name("item").map(|m| m.as_str()).unwrap_or(line);
                    return Line::Stream { stream: stream.as_str().to_string(), item: item.to_string() };
                }
            }
        }
        Line::Fixed(line)
    }
}

/// Splits output into lines: `\r` and trailing blanks dropped, trailing empty lines ignored.
pub fn lines(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches(['\r', ' ', '\t'])).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

/// Compares an actual output with the expected one. Empty means it passes.
pub fn compare(streams: &Streams, expected: &str, actual: &str) -> Vec<Problem> {
    let exp: Vec<Line> = lines(expected).into_iter().map(|l| streams.classify(l)).collect();
    let act_lines = lines(actual);
    if act_lines.is_empty() && !exp.is_empty() {
        return vec![Problem::NoOutput];
    }
    let act: Vec<Line> = act_lines.iter().map(|l| streams.classify(l)).collect();
    let mut problems = stream_problems(&exp, &act);
    problems.extend(fixed_problems(&exp, &act));
    problems
}

fn stream_problems(exp: &[Line], act: &[Line]) -> Vec<Problem> {
    // Expected position of each item within its stream.
    let mut rank: HashMap<(&str, &str), usize> = HashMap::new();
    let mut order: Vec<(&str, &str)> = Vec::new();
    for l in exp {
        if let Line::Stream { stream, item } = l {
            let n = rank.iter().filter(|((s, _), _)| *s == stream).count();
            rank.insert((stream, item), n);
            order.push((stream, item));
        }
    }
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    let mut problems = Vec::new();
    let mut latest: HashMap<&str, (usize, &str)> = HashMap::new();
    let mut out_of_order: BTreeMap<&str, Problem> = BTreeMap::new();
    for (i, l) in act.iter().enumerate() {
        let Line::Stream { stream, item } = l else {
            continue;
        };
        let key = (stream.as_str(), item.as_str());
        let Some(&r) = rank.get(&key) else {
            problems.push(Problem::Unexpected { line: raw(act, i) });
            continue;
        };
        let count = seen.entry(key).or_insert(0);
        *count += 1;
        if *count > 1 {
            continue;
        }
        match latest.get(stream.as_str()) {
            Some(&(top, top_item)) if r < top => {
                out_of_order.entry(stream.as_str()).or_insert(Problem::OutOfOrder { later: top_item.to_string(), earlier: item.clone() });
            }
            _ => {
                latest.insert(stream.as_str(), (r, item.as_str()));
            }
        }
    }
    let mut missing = Vec::new();
    let mut repeated = Vec::new();
    for key in &order {
        match seen.get(key).copied().unwrap_or(0) {
            0 => missing.push(Problem::Missing { item: key.1.to_string() }),
            1 => {}
            n => repeated.push(Problem::Repeated { item: key.1.to_string(), times: n }),
        }
    }
    let mut all = missing;
    all.extend(repeated);
    all.extend(out_of_order.into_values());
    all.extend(problems);
    all
}

/// The raw text of a line, for messages.
fn raw(act: &[Line], i: usize) -> String {
    match &act[i] {
        Line::Fixed(s) => s.to_string(),
        Line::Stream { item, .. } => item.clone(),
    }
}

/// Each fixed line with the number of stream lines before it.
fn fixed_lines<'a>(ls: &[Line<'a>]) -> Vec<(&'a str, usize)> {
    let mut before = 0;
    let mut v = Vec::new();
    for l in ls {
        match l {
            Line::Fixed(s) => v.push((*s, before)),
            Line::Stream { .. } => before += 1,
        }
    }
    v
}

/// The last line, when it is a fixed one.
fn last_fixed<'a>(ls: &[Line<'a>]) -> Option<&'a str> {
    match ls.last() {
        Some(Line::Fixed(s)) => Some(*s),
        _ => None,
    }
}

fn fixed_problems(exp: &[Line], act: &[Line]) -> Vec<Problem> {
    let e = fixed_lines(exp);
    let a = fixed_lines(act);
    let e_text: Vec<&str> = e.iter().map(|x| x.0).collect();
    let a_text: Vec<&str> = a.iter().map(|x| x.0).collect();
    let (expected_last, actual_last) = (last_fixed(exp), last_fixed(act));
    let mut problems = Vec::new();
    let mut last_reported = false;
    // An expected fixed line that is not there; the expected last one gets its own message.
    let missing = |k: usize, last_reported: &mut bool| {
        if Some(e[k].0) == expected_last && k == e.len() - 1 {
            *last_reported = true;
            Problem::LastLine { expected: e[k].0.into() }
        } else {
            Problem::MissingLine { line: e[k].0.into() }
        }
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &e_text, &a_text) {
        match op {
            similar::DiffOp::Equal { old_index, new_index, len } => {
                for k in 0..len {
                    let (line, exp_after) = e[old_index + k];
                    let act_after = a[new_index + k].1;
                    if exp_after != act_after && Some(line) != expected_last {
                        problems.push(Problem::Misplaced { line: line.into(), expected_after: exp_after, actual_after: act_after });
                    }
                }
            }
            similar::DiffOp::Delete { old_index, old_len, .. } => {
                for k in old_index..old_index + old_len {
                    problems.push(missing(k, &mut last_reported));
                }
            }
            similar::DiffOp::Insert { new_index, new_len, .. } => {
                for line in &a[new_index..new_index + new_len] {
                    problems.push(Problem::Unexpected { line: line.0.into() });
                }
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                for k in old_index..old_index + old_len {
                    problems.push(missing(k, &mut last_reported));
                }
                for line in &a[new_index..new_index + new_len] {
                    problems.push(Problem::Unexpected { line: line.0.into() });
                }
            }
        }
    }
    if let Some(last) = expected_last {
        if actual_last != Some(last) && !last_reported {
            problems.push(Problem::LastLine { expected: last.into() });
        }
    }
    problems
}

/// Messages per stream, expected against actual.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    /// stream -> (expected, actual), in expected order of first appearance.
    pub per_stream: Vec<(String, usize, usize)>,
    /// Stream lines of streams the expected output does not have.
    pub unknown: usize,
}

impl Counts {
    pub fn expected_total(&self) -> usize {
        self.per_stream.iter().map(|s| s.1).sum()
    }
    pub fn actual_total(&self) -> usize {
        self.per_stream.iter().map(|s| s.2).sum::<usize>() + self.unknown
    }
    pub fn ok(&self) -> bool {
        self.unknown == 0 && self.per_stream.iter().all(|s| s.1 == s.2)
    }
    /// "p1 received 4 of 5 messages (14 of 15 in all)", or the all-good summary.
    pub fn message(&self) -> String {
        let total = format!("{} of {} in all", self.actual_total(), self.expected_total());
        let wrong: Vec<String> = self.per_stream.iter().filter(|s| s.1 != s.2).map(|(name, e, a)| format!("{name} received {a} of {e} messages")).collect();
        if self.actual_total() == 0 && self.expected_total() > 0 {
            // Every stream is empty: listing each one says nothing more.
            format!("no message arrived ({total})")
        } else if wrong.is_empty() && self.unknown == 0 {
            format!("{} messages in {} streams", self.actual_total(), self.per_stream.len())
        } else if wrong.is_empty() {
            format!("{} messages from unknown streams ({total})", self.unknown)
        } else {
            format!("{} ({total})", wrong.join(", "))
        }
    }
}

pub fn count(streams: &Streams, expected: &str, actual: &str) -> Counts {
    let mut per: Vec<(String, usize, usize)> = Vec::new();
    for l in lines(expected) {
        if let Line::Stream { stream, .. } = streams.classify(l) {
            match per.iter_mut().find(|s| s.0 == stream) {
                Some(s) => s.1 += 1,
                None => per.push((stream, 1, 0)),
            }
        }
    }
    let mut unknown = 0;
    for l in lines(actual) {
        if let Line::Stream { stream, .. } = streams.classify(l) {
            match per.iter_mut().find(|s| s.0 == stream) {
                Some(s) => s.2 += 1,
                None => unknown += 1,
            }
        }
    }
    Counts { per_stream: per, unknown }
}

/// The output with only the freedom the spec allows taken out: within each run of
/// stream lines (between fixed lines), the lines are grouped by stream, streams in
/// the order the expected output first shows them; each stream keeps its own order,
/// so everything the spec judges stays visible. Two correct programs normalise alike.
pub fn normalise(streams: &Streams, expected: &str, actual: &str) -> Vec<String> {
    let mut stream_order: Vec<String> = Vec::new();
    for l in lines(expected) {
        if let Line::Stream { stream, .. } = streams.classify(l) {
            if !stream_order.contains(&stream) {
                stream_order.push(stream);
            }
        }
    }
    // Streams the expected output lacks go last, by name.
    let rank = |s: &str| stream_order.iter().position(|o| o == s).map_or((1, s.to_string()), |i| (0, format!("{i:08}")));
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<(usize, &str, String)> = Vec::new();
    let flush = |run: &mut Vec<(usize, &str, String)>, out: &mut Vec<String>| {
        run.sort_by_key(|(i, _, stream)| (rank(stream), *i));
        out.extend(run.drain(..).map(|(_, l, _)| l.to_string()));
    };
    for (i, l) in lines(actual).into_iter().enumerate() {
        match streams.classify(l) {
            Line::Stream { stream, .. } => run.push((i, l, stream)),
            Line::Fixed(_) => {
                flush(&mut run, &mut out);
                out.push(l.to_string());
            }
        }
    }
    flush(&mut run, &mut out);
    out
}
