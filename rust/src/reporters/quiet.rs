//! Details made quiet for a reader: paths inside the toolchains folded to what a
//! reader recognises (`std/...`, `shuttle-0.7.1/src/...`, `main.ml`), a box line
//! that was already drawn not drawn again, and each diagnostic shown once.
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

/// Folds, in the order tried: the standard library (rustup's copy or `/rustc/<hash>/`),
/// a crate from cargo's registry or git checkouts, OCaml's own library in an opam
/// switch, and dune's build folder.
static FOLDS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"(?:/[^\s:'`()]*?)?/(?:rustc/[0-9a-f]{7,}|lib/rustlib/src/rust)/library/", ""),
        (r"/[^\s:'`()]*?/(?:registry/src/[^/\s]+|\.cargo/git/checkouts/[^/\s]+)/", ""),
        (r"/[^\s:'`()]*?/(?:\.opam|opam)/[^/\s]+/lib/", ""),
        (r#"(?:\$TMPDIR/|/[^\s:'`()"]*?/)?_build/default/"#, ""),
    ]
    .into_iter()
    .map(|(re, to)| (Regex::new(re).expect("fold pattern"), to))
    .collect()
});

/// One line with toolchain-internal paths folded:
/// `/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/rustlib/src/rust/library/std/src/thread/mod.rs` → `std/src/thread/mod.rs`.
pub fn fold_paths(line: &str) -> String {
    let mut out = line.to_string();
    for (re, to) in FOLDS.iter() {
        if re.is_match(&out) {
            out = re.replace_all(&out, *to).into_owned();
        }
    }
    out
}

/// A line drawn only with box-drawing characters (alcotest's frames, separators).
fn is_box_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '\u{2500}'..='\u{257f}' | '-' | '=' | ' '))
}

/// A line's words without the frame around them: `│ [FAIL] recv 0 │` and
/// `> [FAIL] recv 0` are both `[FAIL] recv 0`.
fn unframed(line: &str) -> &str {
    line.trim().trim_start_matches('>').trim_matches(|c: char| c == '│' || c == '┃' || c == '|' || c.is_whitespace())
}

/// `details` quieted: paths folded, a box line drawn before dropped, a framed line
/// (`│ ... │`) that says what a line before it said dropped, a line repeated right
/// after itself dropped, and a diagnostic block (a paragraph that starts with
/// `warning` or `File "...` and was printed before: dune prints some twice) shown once.
pub fn quiet(details: &str) -> String {
    let mut boxes = HashSet::new();
    let mut said = HashSet::new();
    let mut blocks = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for block in split_blocks(details) {
        let folded: Vec<String> = block.iter().map(|l| fold_paths(l)).collect();
        let head = folded.first().map(|l| l.trim_start()).unwrap_or("");
        let diagnostic = head.starts_with("warning") || head.starts_with("File \"") || head.starts_with("Warning");
        if diagnostic && !blocks.insert(folded.join("\n").trim_end().to_string()) {
            continue;
        }
        for line in folded {
            if is_box_line(&line) && !boxes.insert(line.trim().to_string()) {
                continue;
            }
            let framed = line.trim_start().starts_with(['│', '┃']);
            if !said.insert(unframed(&line).to_string()) && framed && !unframed(&line).is_empty() {
                continue;
            }
            if out.last().is_some_and(|prev| *prev == line && !line.trim().is_empty()) {
                continue;
            }
            out.push(line);
        }
    }
    let start = out.iter().position(|l| !l.trim().is_empty()).unwrap_or(out.len());
    out[start..].join("\n").trim_end().to_string()
}

/// The text cut into blocks: a block starts at a line that begins a diagnostic
/// (`warning`, `error`, `File "`), or after a blank line.
fn split_blocks(text: &str) -> Vec<Vec<&str>> {
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        let t = line.trim_start();
        let starts = t.starts_with("warning") || t.starts_with("error") || t.starts_with("File \"") || t.starts_with("Warning");
        let last = blocks.last_mut().expect("one block at least");
        if starts && !last.is_empty() && !line.starts_with(' ') {
            blocks.push(vec![line]);
        } else {
            last.push(line);
        }
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolchain_paths_fold_to_what_a_reader_knows() {
        let rustup = "   at /root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/rustlib/src/rust/library/std/src/sync/mpsc/mod.rs:812:9";
        assert_eq!(fold_paths(rustup), "   at std/src/sync/mpsc/mod.rs:812:9");
        assert_eq!(fold_paths("/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/panicking.rs:75:14"), "core/src/panicking.rs:75:14");
        let shuttle = "/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/shuttle-0.7.1/src/runtime/execution.rs:47";
        assert_eq!(fold_paths(shuttle), "shuttle-0.7.1/src/runtime/execution.rs:47");
        assert_eq!(fold_paths("at /usr/local/cargo/registry/src/index.crates.io-1949cf8c6b5b557f/shuttle-engine-0.1.8/src/lib.rs:3"), "at shuttle-engine-0.1.8/src/lib.rs:3");
        assert_eq!(
            fold_paths("Raised at Stdlib__Condition.wait in file \"/root/.opam/default/lib/ocaml/condition.ml\""),
            "Raised at Stdlib__Condition.wait in file \"ocaml/condition.ml\""
        );
        assert_eq!(fold_paths("File \"_build/default/main.ml\", line 12"), "File \"main.ml\", line 12");
        assert_eq!(fold_paths("src/main.rs:3:5"), "src/main.rs:3:5");
    }

    #[test]
    fn a_box_line_and_a_diagnostic_are_shown_once() {
        let alcotest = "┌──────┐\n│ [FAIL] recv 0 │\n└──────┘\nexpected 1\n┌──────┐\n│ [FAIL] recv 1 │\n└──────┘";
        assert_eq!(quiet(alcotest), "┌──────┐\n│ [FAIL] recv 0 │\n└──────┘\nexpected 1\n│ [FAIL] recv 1 │");
        let told = " > [FAIL]        chan          5   try_recv tells Empty from Disconnected.\n │ [FAIL]        chan          5   try_recv tells Empty from Disconnected.      │\nASSERT a message queued";
        assert_eq!(quiet(told), " > [FAIL]        chan          5   try_recv tells Empty from Disconnected.\nASSERT a message queued");
        let twice = "File \"main.ml\", line 3, characters 6-7:\nWarning 26 [unused-var]: unused variable x.\nFile \"main.ml\", line 3, characters 6-7:\nWarning 26 [unused-var]: unused variable x.";
        assert_eq!(quiet(twice), "File \"main.ml\", line 3, characters 6-7:\nWarning 26 [unused-var]: unused variable x.");
        // As dune prints it for the bytecode and the native build: once is enough.
        let framed =
            "File \"main.ml\", line 89, characters 23-24:\n89 | let unused_fn () = let x = 1 in 2\n                            ^\nWarning 26 [unused-var]: unused variable x.\n";
        assert_eq!(quiet(&format!("{framed}\n{framed}")), framed.trim_end());
    }
}
