//! Text that came from a student (a submission's name, what its program printed, a
//! panic message, a compiler error quoting its code) made inert for each place it
//! is shown, so that it reaches the reader as text and nothing else: not as a
//! terminal escape (clearing the screen, setting the title), not as bidirectional
//! reordering, not as HTML or Markdown, not as a spreadsheet formula, not as a path.
//!
//! Student text is made [`text`] once where it enters a report (the constructors of a
//! check's result: the report knows this module, not the other way round); each
//! reporter then applies its own format's function here.
//! [`text`], [`line`] and [`file_name`] are idempotent: inert text passed again
//! comes back unchanged, so applying them twice is harmless.

/// Characters that must never reach a reader raw: the C0 and C1 controls and DEL
/// (`char::is_control`), Unicode's bidirectional controls (which reorder what is
/// shown: "Trojan Source"), its line and paragraph separators, and the two
/// non-characters XML cannot carry.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        // `\u{1b}` for ESC, `\u{202e}` for RIGHT-TO-LEFT OVERRIDE, as Rust writes them.
        c => out.extend(c.escape_unicode()),
    }
}

/// Multi-line text (program output, a compiler's errors, thread stacks): every
/// character of [`needs_escape`] shown by its escape (`\u{1b}`, `\r`), but for
/// newlines and tabs, kept. For the terminal, JSON and XML.
pub fn text(s: &str) -> String {
    if !s.chars().any(|c| needs_escape(c) && !matches!(c, '\n' | '\t')) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if needs_escape(c) && !matches!(c, '\n' | '\t') {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// One line (an id, a cell): as [`text`], and newlines and tabs shown as `\n`, `\t` too.
pub fn line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if needs_escape(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for HTML, in an element or a quoted attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in text(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One line of Markdown that renders as exactly the text (a table cell, a heading,
/// a note): newlines become spaces, HTML is escaped as entities, Markdown's inline
/// punctuation (links, code, emphasis, tables, math) is backslash-escaped, and
/// bare `http://` and `www.` are broken so that no link is made of them.
/// Apply it once, to text not already escaped (`&` becomes `&amp;` every time).
pub fn markdown(s: &str) -> String {
    let s = text(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '$' | '@' => {
                out.push('\\');
                out.push(c);
            }
            // GitHub makes links of bare `http://...` and `www....`.
            ':' if chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/') => out.push_str("\\:"),
            '.' if i >= 3 && chars[i - 3..i].iter().all(|w| w.eq_ignore_ascii_case(&'w')) => out.push_str("\\."),
            c => out.push(c),
        }
    }
    out
}

/// Multi-line text as a fenced code block (whose content Markdown shows as is):
/// the fence is longer than any run of backticks in the text, so the text cannot
/// end the block early.
pub fn markdown_block(s: &str) -> String {
    let s = text(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", s.trim_end())
}

/// A CSV field holding text (never a number: write those as they are, so that a
/// spreadsheet reads them as numbers). On one line; a field that would start with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (a formula to a spreadsheet, even
/// after spaces) is prefixed with `'`, as OWASP advises; quoted when it holds more
/// than letters, digits, spaces and `_ . - /`, so that no `,` or `;` (the separator
/// in some locales) can start a new cell.
pub fn csv(s: &str) -> String {
    let shown = line(s);
    let formula = |t: &str| t.trim_start_matches(' ').starts_with(['=', '+', '-', '@', '\t', '\r']);
    let field = if formula(s) || formula(&shown) { format!("'{shown}") } else { shown };
    let plain = field.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-' | '/'));
    if plain && !field.is_empty() {
        field
    } else {
        format!("\"{}\"", field.replace('"', "\"\""))
    }
}

/// The longest file name (in bytes) [`file_name`] makes.
pub const MAX_NAME_BYTES: usize = 150;

/// `raw` as a file name that is also safe to show: unchanged when it is not empty,
/// does not start with a dot (`.`, `..`, a hidden folder), is at most
/// [`MAX_NAME_BYTES`], and holds no character of [`needs_escape`] and no `/` or
/// `\`. Otherwise those characters, a leading dot, and `%` (so that the name can be
/// read back) are percent-encoded as UTF-8 (`%1B` for ESC, `%E2%80%AE` for
/// RIGHT-TO-LEFT OVERRIDE, `%2E` for the dot), an empty name becomes `unnamed`, and
/// a name still too long is cut and ends in `~` and a hash of the whole, so that two
/// long names stay apart.
pub fn file_name(raw: &str) -> String {
    let bad = |c: char| needs_escape(c) || matches!(c, '/' | '\\');
    if !raw.is_empty() && !raw.starts_with('.') && raw.len() <= MAX_NAME_BYTES && !raw.chars().any(bad) {
        return raw.to_string();
    }
    if raw.is_empty() {
        return "unnamed".into();
    }
    let mut out = String::with_capacity(raw.len() * 2);
    for (i, c) in raw.chars().enumerate() {
        out.push_str(&if bad(c) || c == '%' || (i == 0 && c == '.') { percent(c) } else { c.to_string() });
    }
    if out.len() > MAX_NAME_BYTES {
        let keep = MAX_NAME_BYTES - 17;
        let mut cut = keep;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        // Not inside a `%XX`.
        if let Some(p) = out[..cut].rfind('%').filter(|p| cut - p < 3) {
            cut = p;
        }
        out = format!("{}~{:016x}", &out[..cut], fnv1a(raw.as_bytes()));
    }
    out
}

fn percent(c: char) -> String {
    let mut buf = [0; 4];
    c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect()
}

/// FNV-1a, 64 bits: the same in every build (unlike std's hasher), so a cut name
/// stays the same from one run to the next.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::plain("hello from main", "hello from main")]
    #[case::newline_and_tab_kept("a\n\tb", "a\n\tb")]
    #[case::clear_screen("\x1b[2J", "\\u{1b}[2J")]
    #[case::window_title("\x1b]0;pwned\x07", "\\u{1b}]0;pwned\\u{7}")]
    #[case::carriage_return("ok\rFAIL", "ok\\rFAIL")]
    #[case::del_and_nul("a\x7fb\0", "a\\u{7f}b\\u{0}")]
    #[case::c1_csi("\u{9b}31m", "\\u{9b}31m")]
    #[case::bidi_override("abc\u{202e}fdp.exe", "abc\\u{202e}fdp.exe")]
    #[case::bidi_isolates("\u{2066}\u{2067}\u{2068}\u{2069}", "\\u{2066}\\u{2067}\\u{2068}\\u{2069}")]
    #[case::line_separator("a\u{2028}b", "a\\u{2028}b")]
    #[case::non_ascii_kept("héllo → 世界", "héllo → 世界")]
    fn text_shows_controls(#[case] input: &str, #[case] want: &str) {
        assert_eq!(text(input), want);
        assert_eq!(text(want), want, "idempotent");
    }

    #[rstest]
    #[case("a\nb\tc", "a\\nb\\tc")]
    #[case("\x1b[31mred", "\\u{1b}[31mred")]
    fn line_shows_newlines_too(#[case] input: &str, #[case] want: &str) {
        assert_eq!(line(input), want);
        assert_eq!(line(want), want);
    }

    #[rstest]
    #[case::img("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    #[case::link("[link](http://evil)", "\\[link\\](http\\://evil)")]
    #[case::image("![x](y)", "!\\[x\\](y)")]
    #[case::code_and_emphasis("`a` *b* _c_ ~~d~~", "\\`a\\` \\*b\\* \\_c\\_ \\~\\~d\\~\\~")]
    #[case::table("a | b", "a \\| b")]
    #[case::backslash_first("\\|", "\\\\\\|")]
    #[case::entities("&lt; &amp;", "&amp;lt; &amp;amp;")]
    #[case::heading_and_math("# $x$", "\\# \\$x\\$")]
    #[case::www("see www.evil.com", "see www\\.evil.com")]
    #[case::mail("me@evil.com", "me\\@evil.com")]
    #[case::one_line("two\nlines", "two lines")]
    #[case::escapes("\x1b[2J", "\\\\u{1b}\\[2J")]
    #[case::plain("missing p0-msg5 (and 2 more problems)", "missing p0-msg5 (and 2 more problems)")]
    fn markdown_is_inert(#[case] input: &str, #[case] want: &str) {
        assert_eq!(markdown(input), want);
    }

    #[rstest]
    #[case::no_backticks("a\nb", "```text\na\nb\n```\n")]
    #[case::longer_than_any_run("x ```` y", "`````text\nx ```` y\n`````\n")]
    #[case::escapes_shown("\x1b[2J<img>", "```text\n\\u{1b}[2J<img>\n```\n")]
    fn markdown_block_cannot_be_closed_from_inside(#[case] input: &str, #[case] want: &str) {
        assert_eq!(markdown_block(input), want);
    }

    #[rstest]
    #[case::plain("alice", "alice")]
    #[case::spaces_and_dashes("Ada Lovelace-2", "Ada Lovelace-2")]
    #[case::column("mpsc/rust", "mpsc/rust")]
    #[case::formula("=2+5", "\"'=2+5\"")]
    #[case::plus("+1", "\"'+1\"")]
    #[case::minus("-2+3", "\"'-2+3\"")]
    #[case::at("@SUM(A1)", "\"'@SUM(A1)\"")]
    #[case::tab("\t=1", "\"'\\t=1\"")]
    #[case::carriage_return("\r=1", "\"'\\r=1\"")]
    #[case::after_spaces("  =1", "\"'  =1\"")]
    #[case::dde("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"")]
    #[case::separators("a;=1,b", "\"a;=1,b\"")]
    #[case::quotes("say \"hi\"", "\"say \"\"hi\"\"\"")]
    #[case::escape("\x1b[2J", "\"\\u{1b}[2J\"")]
    #[case::newline("a\nb", "\"a\\nb\"")]
    #[case::empty("", "\"\"")]
    fn csv_fields_are_never_formulas(#[case] input: &str, #[case] want: &str) {
        assert_eq!(csv(input), want);
    }

    #[rstest]
    #[case::attribute("\"><script>", "&quot;&gt;&lt;script&gt;")]
    #[case::escape("\x1b[2J&", "\\u{1b}[2J&amp;")]
    fn html_is_inert(#[case] input: &str, #[case] want: &str) {
        assert_eq!(html(input), want);
    }

    #[rstest]
    #[case::plain("alice", "alice")]
    #[case::formula_is_a_fine_name("=2+5", "=2+5")]
    #[case::percent_alone_is_kept("50%", "50%")]
    #[case::escape("a\x1b[2Jb", "a%1B[2Jb")]
    #[case::title("\x1b]0;pwned\x07", "%1B]0;pwned%07")]
    #[case::bidi("abc\u{202e}txt", "abc%E2%80%AEtxt")]
    #[case::percent_with_escape("%\x07", "%25%07")]
    #[case::backslash("..\\x", "%2E.%5Cx")]
    #[case::slash("../x", "%2E.%2Fx")]
    #[case::inner_slash("a/b", "a%2Fb")]
    #[case::dot(".", "%2E")]
    #[case::dot_dot("..", "%2E.")]
    #[case::hidden(".alice", "%2Ealice")]
    #[case::inner_dots_kept("a..b.zip", "a..b.zip")]
    #[case::empty("", "unnamed")]
    fn file_names_are_safe(#[case] raw: &str, #[case] want: &str) {
        assert_eq!(file_name(raw), want);
        assert_eq!(file_name(want), want, "idempotent");
    }

    #[test]
    fn long_file_names_are_cut_and_stay_apart() {
        let a = file_name(&"a".repeat(300));
        let b = file_name(&format!("{}b", "a".repeat(299)));
        assert!(a.len() <= MAX_NAME_BYTES && b.len() <= MAX_NAME_BYTES);
        assert_ne!(a, b);
        assert_eq!(file_name(&a), a);
        // Never cut inside a percent escape or a character.
        let c = file_name(&"é\u{202e}".repeat(60));
        assert!(c.len() <= MAX_NAME_BYTES);
        let head = c.split('~').next().unwrap();
        assert!(head.rsplit('%').next().unwrap().len() >= 2 || !head.contains('%'), "{c}");
        assert_eq!(file_name(&c), c);
    }
}
