//! The kit's result snapshots (`tests/snapshots/<name>@<suffix>.snap`), in insta's
//! format: a header between `---` lines, then the stable lines of a result as a YAML
//! list of double-quoted strings. `tests/lessons.rs` compares them with insta;
//! `fearless dev check` reads, compares and writes them here, to the same bytes.
use std::path::{Path, PathBuf};

use similar::{ChangeTag, TextDiff};

use crate::layout::Kit;

/// `tests/snapshots/mutant@03-mpsc-rust-no-drop.snap`, `solution@03-mpsc-rust.snap`.
pub fn path(kit: &Kit, kind: &str, suffix: &str) -> PathBuf {
    kit.root.join("tests/snapshots").join(format!("{kind}@{suffix}.snap"))
}

/// The lines a snapshot file holds, or `None` when there is none (or it is not a list
/// of strings as the kit writes them).
pub fn read(path: &Path) -> Option<Vec<String>> {
    read_str(&std::fs::read_to_string(path).ok()?)
}

/// The lines of a snapshot's text.
pub fn read_str(text: &str) -> Option<Vec<String>> {
    let body = text.strip_prefix("---\n")?.split_once("\n---\n")?.1;
    body.lines().filter(|l| !l.trim().is_empty()).map(|l| l.strip_prefix("- ").and_then(unquote)).collect()
}

/// Writes a snapshot as insta does (its header names the test that compares it).
pub fn write(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let header = "---\nsource: rust/../tests/lessons.rs\nexpression: stable\n---\n";
    std::fs::write(path, format!("{header}{}", body(lines)))
}

/// The YAML list insta writes for these lines: each one double-quoted (every stable
/// line holds a `:`, which insta always quotes), escaped as YAML and JSON do.
pub fn body(lines: &[String]) -> String {
    lines.iter().map(|l| format!("- {}\n", quote(l))).collect()
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            'u' => char::from_u32(u32::from_str_radix(&chars.by_ref().take(4).collect::<String>(), 16).ok()?)?,
            c => c,
        });
    }
    Some(out)
}

/// The lines that differ, as a unified diff of the snapshot (`-`) and the run (`+`).
pub fn diff(old: &[String], new: &[String]) -> Vec<String> {
    let (old, new) = (old.join("\n"), new.join("\n"));
    let d = TextDiff::from_lines(&old, &new);
    d.iter_all_changes()
        .filter(|c| c.tag() != ChangeTag::Equal)
        .map(|c| format!("{}{}", if c.tag() == ChangeTag::Delete { "-" } else { "+" }, c.value().trim_end_matches('\n')))
        .collect()
}
