//! The comparison in a terminal: the two programs in two columns aligned by section
//! (one column with section headings when the terminal is narrow), the key
//! differences, what was measured, and both outputs side by side.
use std::io::IsTerminal;

use crossterm::style::{Color, Stylize};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::highlight::{Highlighter, TERMINAL_THEME};
use super::{facts, Comparison, Side};
use crate::lesson::Lang;
use crate::report::Status;

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    TrueColour,
    Ansi256,
}

impl Colour {
    /// Colour only on a terminal and never with `NO_COLOR` set; 24-bit when
    /// `COLORTERM` says the terminal has it, else the 256-colour palette.
    pub fn wanted() -> Option<Colour> {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) || !std::io::stdout().is_terminal() {
            return None;
        }
        match std::env::var("COLORTERM").as_deref() {
            Ok("truecolor") | Ok("24bit") => Some(Colour::TrueColour),
            _ => Some(Colour::Ansi256),
        }
    }

    fn of(self, (r, g, b): (u8, u8, u8)) -> Color {
        match self {
            Colour::TrueColour => Color::Rgb { r, g, b },
            Colour::Ansi256 => {
                let six = |v: u8| (v as u16 * 5 + 127) / 255;
                Color::AnsiValue((16 + 36 * six(r) + 6 * six(g) + six(b)) as u8)
            }
        }
    }
}

/// A run of text in one style.
#[derive(Clone, Debug)]
struct Span {
    text: String,
    fg: Option<(u8, u8, u8)>,
    bold: bool,
}

type Line = Vec<Span>;

fn plain(text: &str) -> Line {
    vec![Span { text: text.to_string(), fg: None, bold: false }]
}

fn width(line: &Line) -> usize {
    line.iter().map(|s| s.text.width()).sum()
}

/// Wraps a line to `cols` columns, after a space (or, in code, before a `.` or after
/// a `,`) when one is near the end; the continuation lines hang `hang` columns
/// deeper than the line's own indentation.
fn wrap(line: &Line, cols: usize, hang: usize) -> Vec<Line> {
    let cols = cols.max(8);
    if width(line) <= cols {
        return vec![line.clone()];
    }
    let chars: Vec<(char, usize)> = line.iter().enumerate().flat_map(|(i, s)| s.text.chars().map(move |c| (c, i))).collect();
    let indent = (chars.iter().take_while(|(c, _)| *c == ' ').count() + hang).min(cols / 2);
    let code = hang > 0;
    // A break may come before char `i` when this holds.
    let breaks_before = |i: usize| {
        let prev = chars[i - 1].0;
        prev == ' ' || (code && (chars[i].0 == '.' || prev == ','))
    };
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let room = if out.is_empty() { cols } else { cols - indent };
        // The last char index that fits in `room` columns.
        let mut used = 0;
        let mut end = at;
        while end < chars.len() && used + chars[end].0.width().unwrap_or(0) <= room {
            used += chars[end].0.width().unwrap_or(0);
            end += 1;
        }
        if end < chars.len() {
            if let Some(at_break) = (at + room / 2 + 1..=end).rev().find(|&i| breaks_before(i)) {
                end = at_break;
            }
        }
        let mut piece: Line = Vec::new();
        if !out.is_empty() {
            piece.push(Span { text: " ".repeat(indent), fg: None, bold: false });
        }
        let first = piece.len();
        for &(c, i) in &chars[at..end] {
            let (fg, bold) = (line[i].fg, line[i].bold);
            let same_style = piece.len() > first && piece.last().is_some_and(|l| l.fg == fg && l.bold == bold);
            match piece.last_mut() {
                Some(last) if same_style => last.text.push(c),
                _ => piece.push(Span { text: c.to_string(), fg, bold }),
            }
        }
        if let Some(last) = piece.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        out.push(piece);
        at = end;
        while at < chars.len() && chars[at].0 == ' ' {
            at += 1;
        }
    }
    out
}

/// Word-wraps plain text to `cols` columns.
fn wrap_text(text: &str, cols: usize) -> Vec<String> {
    text.lines().flat_map(|l| wrap(&plain(l), cols, 0)).map(|l| l.into_iter().map(|s| s.text).collect()).collect()
}

pub struct Terminal<'h> {
    /// Columns to lay out in.
    pub width: usize,
    pub colour: Option<Colour>,
    pub highlighter: &'h Highlighter,
}

/// The gutter between two columns.
const GUTTER: &str = " │ ";

impl Terminal<'_> {
    /// The terminal's columns; `COLUMNS`, or 100, when there is no terminal.
    pub fn width_of_terminal() -> usize {
        match crossterm::terminal::size() {
            Ok((w, _)) if w > 0 => w as usize,
            _ => std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100),
        }
    }

    pub fn render(&self, c: &Comparison) -> String {
        let mut out = Vec::new();
        self.title(c, &mut out);
        self.code(c, &mut out);
        self.differences(c, &mut out);
        self.measured(c, &mut out);
        self.outputs(c, &mut out);
        out.into_iter().map(|l| l + "\n").collect()
    }

    fn paint(&self, line: &Line) -> String {
        line.iter()
            .map(|s| match self.colour {
                None => s.text.clone(),
                Some(colour) => {
                    let mut styled = s.text.as_str().stylize();
                    if let Some(fg) = s.fg {
                        styled = styled.with(colour.of(fg));
                    }
                    if s.bold {
                        styled = styled.bold();
                    }
                    styled.to_string()
                }
            })
            .collect()
    }

    fn bold(&self, text: &str) -> String {
        self.paint(&vec![Span { text: text.into(), fg: None, bold: true }])
    }

    fn tint(&self, text: &str, rgb: (u8, u8, u8)) -> String {
        self.paint(&vec![Span { text: text.into(), fg: Some(rgb), bold: false }])
    }

    /// `━━ Title ━━━━━━━` across the width.
    fn heading(&self, title: &str) -> String {
        let rest = self.width.saturating_sub(title.width() + 4);
        format!("{} {} {}", self.tint("━━", CYAN), self.bold(title), self.tint(&"━".repeat(rest), CYAN))
    }

    /// `── name ────` in `cols` columns; no name: a plain rule.
    fn rule(&self, name: Option<&str>, cols: usize) -> String {
        match name {
            Some(n) => {
                let rest = cols.saturating_sub(n.width() + 4);
                format!("{} {} {}", self.tint("──", GREY), self.paint(&vec![Span { text: n.into(), fg: Some(CYAN), bold: true }]), self.tint(&"─".repeat(rest), GREY))
            }
            None => self.tint(&"─".repeat(cols), GREY),
        }
    }

    fn title(&self, c: &Comparison, out: &mut Vec<String>) {
        let ex = &c.lesson.exercise;
        out.push(self.bold(&format!("{}: {}", ex.id, ex.title)));
        out.extend(wrap_text(&ex.summary, self.width));
        for side in c.sides() {
            let files: Vec<&str> = side.files.iter().map(|f| f.name.as_str()).collect();
            out.push(format!("{:<6}{}/{}", lang_name(side.lang), side.dir, files.join(", ")));
            for f in &side.files {
                if let Err(e) = &f.text {
                    out.extend(wrap_text(&format!("note: cannot read {e}"), self.width));
                }
            }
        }
        out.push(String::new());
    }

    /// A section's lines, highlighted when colour is on.
    fn section_lines(&self, side: &Side, section: usize, styled: &[Vec<Vec<Line>>]) -> Vec<Line> {
        let s = &side.sections[section];
        styled[s.file][s.lines.clone()].iter().flatten().cloned().collect()
    }

    /// Each file of a side, line by line, each line wrapped to `cols`.
    fn styled_files(&self, side: &Side, cols: usize) -> Vec<Vec<Vec<Line>>> {
        side.files
            .iter()
            .map(|f| {
                let lines: Vec<Line> = match (&f.text, self.colour) {
                    (Ok(text), Some(_)) => self
                        .highlighter
                        .highlight(std::path::Path::new(&f.name), &text.replace('\t', "    "), TERMINAL_THEME)
                        .into_iter()
                        .map(|l| l.into_iter().map(|(st, t)| Span { text: t, fg: Some((st.foreground.r, st.foreground.g, st.foreground.b)), bold: false }).collect())
                        .collect(),
                    _ => f.lines().iter().map(|l| plain(l)).collect(),
                };
                lines.iter().map(|l| wrap(l, cols, 2)).collect()
            })
            .collect()
    }

    /// Two columns when each is wide enough for code; long lines wrap.
    fn two_columns(&self) -> bool {
        self.column_width() >= 48
    }

    fn column_width(&self) -> usize {
        self.width.saturating_sub(GUTTER.width()) / 2
    }

    fn code(&self, c: &Comparison, out: &mut Vec<String>) {
        out.push(self.heading("The two programs, aligned by section"));
        if self.two_columns() {
            let cols = self.column_width();
            let right_cols = self.width - cols - GUTTER.width();
            let (left, right) = (self.styled_files(&c.rust, cols), self.styled_files(&c.ocaml, right_cols));
            out.push(format!("{}{}{}", self.bold(&pad("Rust", cols)), self.tint(GUTTER, GREY), self.bold("OCaml")));
            for row in &c.rows {
                let l = row.left.map(|i| (c.rust.label(i), self.section_lines(&c.rust, i, &left)));
                let r = row.right.map(|i| (c.ocaml.label(i), self.section_lines(&c.ocaml, i, &right)));
                out.push(format!("{}{}{}", self.rule(l.as_ref().map(|x| x.0), cols), self.tint("─┼─", GREY), self.rule(r.as_ref().map(|x| x.0), right_cols)));
                let (ll, rl) = (l.map(|x| x.1).unwrap_or_default(), r.map(|x| x.1).unwrap_or_default());
                for i in 0..ll.len().max(rl.len()) {
                    let a = ll.get(i).map(|l| (self.paint(l), width(l))).unwrap_or_default();
                    let b = rl.get(i).filter(|l| width(l) > 0).map(|l| format!(" {}", self.paint(l))).unwrap_or_default();
                    out.push(format!("{}{}{}{b}", a.0, " ".repeat(cols.saturating_sub(a.1)), self.tint(GUTTER.trim_end(), GREY)));
                }
            }
        } else {
            let cols = self.width.saturating_sub(2);
            let styled = [self.styled_files(&c.rust, cols), self.styled_files(&c.ocaml, cols)];
            for row in &c.rows {
                let names: Vec<&str> = [row.left.map(|i| c.rust.label(i)), row.right.map(|i| c.ocaml.label(i))].into_iter().flatten().collect();
                let mut name = names.join(" · ");
                if names.len() == 2 && names[0] == names[1] {
                    name = names[0].to_string();
                }
                out.push(self.rule(Some(&name), self.width));
                for (k, (side, section)) in [(&c.rust, row.left), (&c.ocaml, row.right)].into_iter().enumerate() {
                    let Some(i) = section else { continue };
                    out.push(self.bold(lang_name(side.lang)));
                    for l in self.section_lines(side, i, &styled[k]) {
                        out.push(format!("  {}", self.paint(&l)).trim_end().to_string());
                    }
                }
            }
        }
        out.push(String::new());
    }

    /// A table of three columns, cells word-wrapped; the first column at most `first` wide.
    fn table(&self, head: [&str; 3], rows: &[[(String, Option<Status>); 3]], first: usize) -> Vec<String> {
        let sep = "  ";
        let w0 = rows.iter().map(|r| r[0].0.width()).chain([head[0].width()]).max().unwrap_or(0).min(first);
        let rest = self.width.saturating_sub(w0 + 2 * sep.len()).max(20);
        let w1 = rest / 2;
        let w2 = rest - w1;
        let widths = [w0, w1, w2];
        let mut out = vec![format!("{}{sep}{}{sep}{}", self.bold(&pad(head[0], w0)), self.bold(&pad(head[1], w1)), self.bold(head[2])).trim_end().to_string()];
        out.push(self.tint(&format!("{}{sep}{}{sep}{}", "─".repeat(w0), "─".repeat(w1), "─".repeat(w2)), GREY));
        for row in rows {
            let cells: Vec<Vec<String>> = row.iter().zip(widths).map(|((text, _), w)| wrap_text(text, w)).collect();
            for i in 0..cells.iter().map(|c| c.len()).max().unwrap_or(0) {
                let mut line = String::new();
                for (k, cell) in cells.iter().enumerate() {
                    let text = cell.get(i).map(String::as_str).unwrap_or("");
                    let padded = if k < 2 { pad(text, widths[k]) } else { text.to_string() };
                    line.push_str(&match row[k].1 {
                        Some(status) => self.status(&padded, status),
                        None => padded,
                    });
                    if k < 2 {
                        line.push_str(sep);
                    }
                }
                out.push(line.trim_end().to_string());
            }
        }
        out
    }

    fn status(&self, text: &str, status: Status) -> String {
        self.tint(
            text,
            match status {
                Status::Pass => GREEN,
                Status::Fail => RED,
                Status::Error => MAGENTA,
                Status::Skipped => GREY,
            },
        )
    }

    fn differences(&self, c: &Comparison, out: &mut Vec<String>) {
        let rows: Vec<[(String, Option<Status>); 3]> =
            c.lesson.exercise.differences.iter().map(|[concept, ocaml, rust]| [(concept.clone(), None), (rust.clone(), None), (ocaml.clone(), None)]).collect();
        if rows.is_empty() {
            return;
        }
        out.push(self.heading("Key differences"));
        out.extend(self.table(["", "Rust", "OCaml"], &rows, 24));
        out.push(String::new());
    }

    fn measured(&self, c: &Comparison, out: &mut Vec<String>) {
        out.push(self.heading(&format!("Built and run ({})", c.from)));
        let statuses = c.sides().map(|s| s.run.as_ref().map(|r| r.result.status));
        let rows: Vec<[(String, Option<Status>); 3]> = facts(c)
            .into_iter()
            .map(|(what, [rust, ocaml])| {
                let tint = |k: usize| if what == "verdict" { statuses[k] } else { None };
                [(what.to_string(), None), (rust, tint(0)), (ocaml, tint(1))]
            })
            .collect();
        out.extend(self.table(["", "Rust", "OCaml"], &rows, 18));
        out.push(String::new());
    }

    fn outputs(&self, c: &Comparison, out: &mut Vec<String>) {
        if c.sides().iter().all(|s| s.run.is_none()) {
            return;
        }
        out.push(self.heading("Output, normalised"));
        out.extend(wrap_text(
            "Each program's stdout with the concurrent streams' lines grouped by stream; each stream keeps its own order, so two correct runs read alike.",
            self.width,
        ));
        out.push(String::new());
        const MAX: usize = 40;
        let rows = c.output_rows();
        let differing = rows.iter().filter(|r| !r.2).count();
        let widest = rows.iter().flat_map(|r| [r.0, r.1]).flatten().map(|l| l.width()).max().unwrap_or(0);
        if rows.is_empty() {
            // Nothing to lay out: the sentence below says so.
        } else if self.two_columns() || widest <= self.column_width() {
            let cols = self.column_width();
            out.push(format!("{}{}{}", self.bold(&pad("Rust", cols)), self.tint(GUTTER, GREY), self.bold("OCaml")));
            for (a, b, same) in rows.iter().take(MAX) {
                let cut = |s: Option<&str>| s.map(|s| truncate(s, cols)).unwrap_or_default();
                let gutter = if *same { self.tint(GUTTER.trim_end(), GREY) } else { self.tint(" ≠", RED) };
                let b = cut(*b);
                out.push(format!("{}{gutter}{}{b}", pad(&cut(*a), cols), if b.is_empty() { "" } else { " " }));
            }
        } else {
            for (k, side) in c.sides().iter().enumerate() {
                out.push(self.bold(&format!("{} printed:", lang_name(side.lang))));
                for (a, b, same) in rows.iter().take(MAX) {
                    let line = if k == 0 { a } else { b };
                    if let Some(l) = line {
                        let mark = if *same { "  " } else { "≠ " };
                        out.push(format!("{mark}{}", truncate(l, self.width - 2)).trim_end().to_string());
                    }
                }
            }
        }
        if rows.len() > MAX {
            out.push(format!("… {} more lines", rows.len() - MAX));
        }
        out.push(match (rows.len(), differing) {
            (0, _) => "Neither program printed anything.".to_string(),
            (_, 0) => "Both printed the same lines once normalised.".to_string(),
            (_, 1) => "The outputs differ on 1 line (marked ≠).".to_string(),
            (_, n) => format!("The outputs differ on {n} lines (marked ≠)."),
        });
    }
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Rust => "Rust",
        Lang::Ocaml => "OCaml",
    }
}

fn pad(text: &str, cols: usize) -> String {
    format!("{text}{}", " ".repeat(cols.saturating_sub(text.width())))
}

/// Cuts a line to `cols` columns, with `…` where it was cut.
fn truncate(text: &str, cols: usize) -> String {
    if text.width() <= cols {
        return text.to_string();
    }
    let mut out = String::new();
    for ch in text.chars() {
        if out.width() + ch.width().unwrap_or(0) + 1 > cols {
            break;
        }
        out.push(ch);
    }
    out + "…"
}

const CYAN: (u8, u8, u8) = (42, 161, 152);
const GREY: (u8, u8, u8) = (128, 128, 128);
const GREEN: (u8, u8, u8) = (80, 160, 60);
const RED: (u8, u8, u8) = (220, 50, 47);
const MAGENTA: (u8, u8, u8) = (211, 54, 130);

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.iter().map(|s| s.text.as_str()).collect()).collect()
    }

    #[test]
    fn short_lines_stay_whole() {
        assert_eq!(texts(&wrap(&plain("let x = 1;"), 20, 2)), ["let x = 1;"]);
    }

    #[test]
    fn long_lines_break_at_a_space_and_hang_deeper() {
        let got = texts(&wrap(&plain("    // the original Sender must go too"), 24, 2));
        assert_eq!(got, ["    // the original", "      Sender must go too"]);
        assert!(got.iter().all(|l| l.width() <= 24));
    }

    #[test]
    fn code_breaks_before_a_method_call() {
        let got = texts(&wrap(&plain("    tx.send(format!(\"p{id}\")).unwrap();"), 32, 2));
        assert_eq!(got, ["    tx.send(format!(\"p{id}\"))", "      .unwrap();"]);
    }

    #[test]
    fn prose_does_not_hang() {
        assert_eq!(texts(&wrap(&plain("one two three four"), 10, 0)), ["one two", "three four"]);
    }

    #[test]
    fn words_longer_than_the_column_are_cut() {
        let got = texts(&wrap(&plain("abcdefghijklmnopqrstuvwxyz"), 10, 2));
        assert_eq!(got, ["abcdefghij", "  klmnopqr", "  stuvwxyz"]);
    }

    #[test]
    fn wrapping_keeps_the_styles() {
        let line = vec![Span { text: "let ".into(), fg: Some((1, 2, 3)), bold: false }, Span { text: "value = compute ()".into(), fg: Some((4, 5, 6)), bold: false }];
        let got = wrap(&line, 12, 2);
        assert_eq!(got[0][0].fg, Some((1, 2, 3)));
        assert_eq!(got[0][1].fg, Some((4, 5, 6)));
        assert_eq!(texts(&got), ["let value =", "  compute ()"]);
    }

    #[test]
    fn colours_fall_into_the_256_cube_when_24_bit_is_not_known() {
        assert_eq!(Colour::Ansi256.of((255, 0, 0)), Color::AnsiValue(196));
        assert_eq!(Colour::Ansi256.of((0, 0, 0)), Color::AnsiValue(16));
        assert_eq!(Colour::TrueColour.of((1, 2, 3)), Color::Rgb { r: 1, g: 2, b: 3 });
    }
}
