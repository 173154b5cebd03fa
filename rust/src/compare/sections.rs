//! Sections of a lesson's program: paired marker comments, `// [send]` in Rust and
//! `(* [send] *)` in OCaml, cut each program into named steps, and the two programs'
//! steps are aligned so that the same step sits on the same row. Each program keeps
//! its own order: a step only one language writes out gets a row of its own.
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::lesson::Lang;

/// One named step of one source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The marker's name; empty for the lines before a file's first marker.
    pub name: String,
    /// Which of the side's files.
    pub file: usize,
    /// Line indices (0-based) in that file, marker line excluded, blank edges trimmed.
    pub lines: Range<usize>,
}

/// The marker a whole line stands for, if it is one.
pub fn marker(lang: Lang, line: &str) -> Option<String> {
    static RUST: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*//\s*\[([A-Za-z0-9 _-]+)\]\s*$").unwrap());
    static OCAML: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\(\*\s*\[([A-Za-z0-9 _-]+)\]\s*\*\)\s*$").unwrap());
    let pattern = match lang {
        Lang::Rust => &RUST,
        Lang::Ocaml => &OCAML,
    };
    pattern.captures(line).map(|c| c[1].trim().to_string())
}

/// The sections of one file, in order; sections without any non-blank line are left out.
pub fn sections(lang: Lang, file: usize, text: &str) -> Vec<Section> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut name = String::new();
    let mut start = 0;
    let close = |name: &str, range: Range<usize>, out: &mut Vec<Section>| {
        let mut r = range;
        while r.start < r.end && lines[r.start].trim().is_empty() {
            r.start += 1;
        }
        while r.end > r.start && lines[r.end - 1].trim().is_empty() {
            r.end -= 1;
        }
        if !r.is_empty() {
            out.push(Section { name: name.to_string(), file, lines: r });
        }
    };
    for (i, line) in lines.iter().enumerate() {
        if let Some(m) = marker(lang, line) {
            close(&name, start..i, &mut out);
            name = m;
            start = i + 1;
        }
    }
    close(&name, start..lines.len(), &mut out);
    out
}

/// One row of the side-by-side view: a section of each side, or of one side only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub left: Option<usize>,
    pub right: Option<usize>,
}

/// Aligns two programs' sections by name: the longest common sequence of names is
/// paired row by row; the sections between two pairs come one per row, left side first.
pub fn align(left: &[Section], right: &[Section]) -> Vec<Row> {
    let (n, m) = (left.len(), right.len());
    // common[i][j]: the length of the longest common sequence of left[i..] and right[j..].
    let mut common = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if left[i].name == right[j].name { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let mut rows = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && left[i].name == right[j].name && common[i][j] == common[i + 1][j + 1] + 1 {
            rows.push(Row { left: Some(i), right: Some(j) });
            i += 1;
            j += 1;
        } else if i < n && (j == m || common[i + 1][j] >= common[i][j + 1]) {
            rows.push(Row { left: Some(i), right: None });
            i += 1;
        } else {
            rows.push(Row { left: None, right: Some(j) });
            j += 1;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_whole_comment_lines() {
        assert_eq!(marker(Lang::Rust, "    // [send]"), Some("send".into()));
        assert_eq!(marker(Lang::Ocaml, "  (* [recv] *)"), Some("recv".into()));
        assert_eq!(marker(Lang::Rust, "let v = x[send]; // [send]"), None);
        assert_eq!(marker(Lang::Rust, "(* [send] *)"), None);
        assert_eq!(marker(Lang::Ocaml, "// [send]"), None);
        assert_eq!(marker(Lang::Ocaml, "(* [send] and more *)"), None);
    }

    #[test]
    fn a_file_is_cut_at_its_markers_and_blank_edges_trimmed() {
        let text = "use x;\n\n// [make]\nlet a = 1;\n\n// [empty]\n\n// [use]\nf(a);\n";
        let s = sections(Lang::Rust, 0, text);
        let got: Vec<(&str, Range<usize>)> = s.iter().map(|s| (s.name.as_str(), s.lines.clone())).collect();
        assert_eq!(got, [("", 0..1), ("make", 3..4), ("use", 8..9)]);
    }

    fn named(names: &[&str]) -> Vec<Section> {
        names.iter().enumerate().map(|(i, n)| Section { name: n.to_string(), file: 0, lines: i..i + 1 }).collect()
    }

    #[test]
    fn alignment_keeps_both_orders_and_pairs_the_longest_common_run() {
        // The shape of lesson 03: OCaml defines its channel first, then uses it in the same steps as Rust.
        let rust = named(&["", "spawn", "send", "close", "recv", "join", "drain"]);
        let ocaml = named(&["", "channel", "send", "close", "recv", "drain", "spawn", "send", "close", "recv", "join", "drain"]);
        let rows = align(&rust, &ocaml);
        let pairs: Vec<(Option<usize>, Option<usize>)> = rows.iter().map(|r| (r.left, r.right)).collect();
        assert_eq!(
            pairs,
            [
                (Some(0), Some(0)),
                (None, Some(1)),
                (None, Some(2)),
                (None, Some(3)),
                (None, Some(4)),
                (None, Some(5)),
                (Some(1), Some(6)),
                (Some(2), Some(7)),
                (Some(3), Some(8)),
                (Some(4), Some(9)),
                (Some(5), Some(10)),
                (Some(6), Some(11)),
            ]
        );
    }

    #[test]
    fn a_step_taken_in_another_order_is_left_unpaired_for_the_longer_common_run() {
        // The shape of lesson 07: OCaml defines its update before the start line.
        let rust = named(&["", "shared", "start", "spawn", "update", "join", "print"]);
        let ocaml = named(&["", "shared", "update", "start", "spawn", "join", "print"]);
        let paired: Vec<&str> = align(&rust, &ocaml).iter().filter_map(|r| Some(rust[r.left?].name.as_str()).filter(|_| r.right.is_some())).collect();
        assert_eq!(paired, ["", "shared", "start", "spawn", "join", "print"]);
    }

    #[test]
    fn unmatched_sections_get_rows_of_their_own() {
        let rows = align(&named(&["a", "x", "b"]), &named(&["a", "y", "b"]));
        let pairs: Vec<(Option<usize>, Option<usize>)> = rows.iter().map(|r| (r.left, r.right)).collect();
        assert_eq!(pairs, [(Some(0), Some(0)), (Some(1), None), (None, Some(1)), (Some(2), Some(2))]);
    }
}
