//! Syntax highlighting with syntect (its default syntaxes hold both Rust and OCaml),
//! and the count of lines of code, told apart from comments by the same parser.
use std::path::Path;

use syntect::easy::HighlightLines;
use syntect::highlighting::{Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// One line as styled pieces of text (no line ending).
pub type StyledLine = Vec<(Style, String)>;

/// The loaded syntaxes and themes; loading takes a moment, so make one and share it.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    themes: ThemeSet,
}

/// The theme for a terminal: Solarized's accents read on dark and light backgrounds alike.
pub const TERMINAL_THEME: &str = "Solarized (dark)";
/// The theme for the light pages of the site.
pub const PAGE_THEME: &str = "InspiredGitHub";

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter { syntaxes: SyntaxSet::load_defaults_newlines(), themes: ThemeSet::load_defaults() }
    }
}

impl Highlighter {
    /// The syntax for a source file, by its extension (`.rs`, `.ml`, `.mli`).
    fn syntax(&self, path: &Path) -> &SyntaxReference {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        self.syntaxes.find_syntax_by_extension(ext).unwrap_or_else(|| self.syntaxes.find_syntax_plain_text())
    }

    pub fn theme(&self, name: &str) -> &Theme {
        self.themes.themes.get(name).unwrap_or_else(|| &self.themes.themes["InspiredGitHub"])
    }

    /// Every line of `text`, highlighted as the whole file (so a comment that spans
    /// lines stays a comment on each of them).
    pub fn highlight(&self, path: &Path, text: &str, theme: &str) -> Vec<StyledLine> {
        let mut h = HighlightLines::new(self.syntax(path), self.theme(theme));
        LinesWithEndings::from(text)
            .map(|line| {
                let ranges = h.highlight_line(line, &self.syntaxes).unwrap_or_else(|_| vec![(Style::default(), line)]);
                ranges.into_iter().map(|(s, t)| (s, t.trim_end_matches(['\n', '\r']).to_string())).filter(|(_, t)| !t.is_empty()).collect()
            })
            .collect()
    }

    /// Lines that hold something besides comments and blanks.
    pub fn code_lines(&self, path: &Path, text: &str) -> usize {
        let comment = Scope::new("comment").expect("a valid scope");
        let mut state = ParseState::new(self.syntax(path));
        let mut stack = ScopeStack::new();
        let mut count = 0;
        for line in LinesWithEndings::from(text) {
            let Ok(ops) = state.parse_line(line, &self.syntaxes) else {
                return text.lines().filter(|l| !l.trim().is_empty()).count();
            };
            let mut code = false;
            let mut at = 0;
            // Each stretch of text between two scope changes is checked under the scopes in force.
            for (end, op) in ops.iter().map(|(i, op)| (*i, Some(op))).chain(std::iter::once((line.len(), None))) {
                let in_comment = stack.as_slice().iter().any(|s| comment.is_prefix_of(*s));
                if !in_comment && !line[at..end].trim().is_empty() {
                    code = true;
                }
                at = end;
                if let Some(op) = op {
                    let _ = stack.apply(op);
                }
            }
            count += code as usize;
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_a_syntax() {
        let h = Highlighter::default();
        assert_eq!(h.syntax(Path::new("main.rs")).name, "Rust");
        assert_eq!(h.syntax(Path::new("main.ml")).name, "OCaml");
        assert_eq!(h.syntax(Path::new("chan.mli")).name, "OCaml");
    }

    #[test]
    fn comments_and_blank_lines_are_not_code() {
        let h = Highlighter::default();
        let rust = "//! doc\nuse std::thread;\n\n// a comment\nfn main() { // trailing\n    /* block\n       more */\n}\n";
        assert_eq!(h.code_lines(Path::new("main.rs"), rust), 3);
        let ocaml = "(* a comment\n   on two lines *)\nlet x = 1 (* trailing *)\n\nlet () = print_int x\n";
        assert_eq!(h.code_lines(Path::new("main.ml"), ocaml), 2);
    }

    #[test]
    fn keywords_and_comments_get_different_colours() {
        let h = Highlighter::default();
        let lines = h.highlight(Path::new("main.ml"), "let x = 1 (* one *)\n", PAGE_THEME);
        let colour_of = |word: &str| lines[0].iter().find(|(_, t)| t.contains(word)).map(|(s, _)| s.foreground).unwrap();
        assert_ne!(colour_of("let"), colour_of("one"));
        assert_eq!(lines[0].iter().map(|(_, t)| t.as_str()).collect::<String>(), "let x = 1 (* one *)");
    }
}
