//! Fitting text to a terminal's columns: prose is wrapped at spaces, everything
//! else (code, stacks, output) is cut with an ellipsis. Widths are display columns.
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The narrowest a message is ever laid out for: a terminal narrower than this is
/// treated as this wide (and wraps as it must); output that is not a terminal is laid
/// out at least this wide.
pub const MAX_WIDTH: usize = 80;

/// The columns to lay output out for: the terminal's real width when stdout is one
/// (crossterm's `terminal::size()`), else `COLUMNS` when it holds a number; never
/// fewer than [`MAX_WIDTH`].
pub fn terminal_width() -> usize {
    use std::io::IsTerminal;
    let real = std::io::stdout().is_terminal().then(|| crossterm::terminal::size().ok()).flatten().map(|(cols, _)| cols as usize);
    width_from(real, std::env::var("COLUMNS").ok().as_deref())
}

/// [`terminal_width`] from what it found: the terminal's own width, else `COLUMNS`.
pub fn width_from(real: Option<usize>, columns: Option<&str>) -> usize {
    let asked = real.filter(|c| *c > 0).or_else(|| columns.and_then(|c| c.trim().parse::<usize>().ok()));
    asked.unwrap_or(MAX_WIDTH).max(MAX_WIDTH)
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `line` cut to `cols` columns, ending in `…` when something was cut.
pub fn fit(line: &str, cols: usize) -> String {
    if width(line) <= cols {
        return line.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > cols {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` wrapped at spaces into lines of at most `cols` columns; the first line
/// starts with `first`, the others with `rest` (indents). A word longer than a
/// line is cut.
pub fn wrap(text: &str, cols: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut fresh = true;
    for word in text.split_whitespace() {
        if !fresh && width(&line) + 1 + width(word) > cols {
            lines.push(line);
            line = rest.to_string();
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        line.push_str(word);
        fresh = false;
        if width(&line) > cols {
            line = fit(&line, cols);
        }
    }
    if !fresh || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let text = "the consumer is blocked in Receiver::recv: a Sender is still alive; did you drop(tx)?";
        let lines = wrap(text, 30, "", "  ");
        assert!(lines.iter().all(|l| width(l) <= 30), "{lines:?}");
        assert_eq!(lines.join(" ").split_whitespace().collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
        assert!(lines[1].starts_with("  "));
    }

    #[test]
    fn the_real_width_counts_and_80_is_only_a_floor() {
        assert_eq!(width_from(Some(132), Some("100")), 132);
        assert_eq!(width_from(None, Some("150")), 150);
        assert_eq!(width_from(None, Some("60")), 80);
        assert_eq!(width_from(Some(40), None), 80);
        assert_eq!(width_from(None, Some("wide")), 80);
        assert_eq!(width_from(None, None), 80);
    }

    #[test]
    fn cuts_long_words_and_lines() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fit("✓✓✓✓✓", 3), "✓✓…");
        let lines = wrap("x".repeat(50).as_str(), 10, "> ", "  ");
        assert_eq!(lines, vec![format!("> {}…", "x".repeat(7))]);
    }
}
