//! The terminal: keys in (raw mode on a terminal, whole lines otherwise) on a thread
//! of their own so that they always answer, and screens out (redrawn in place on a
//! terminal, printed one after another otherwise).
use std::io::{BufRead, IsTerminal, Write};

use crossbeam_channel::Sender;
use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::style::Stylize;
use crossterm::{cursor, queue, terminal};

use super::screen::{Line, Room, Tone};
use super::{Event, Key};

pub struct Terminal {
    /// Keys arrive one by one (raw mode).
    raw: bool,
    /// Screens are redrawn in place.
    live: bool,
    colour: bool,
    last: Vec<Line>,
}

impl Terminal {
    /// Starts reading keys into `events`.
    pub fn start(events: Sender<Event>) -> Terminal {
        let live = std::io::stdout().is_terminal();
        let raw = std::io::stdin().is_terminal() && terminal::enable_raw_mode().is_ok();
        if raw {
            std::thread::spawn(move || read_keys(events));
        } else {
            std::thread::spawn(move || read_lines(events));
        }
        if live {
            let _ = queue!(std::io::stdout(), cursor::Hide, terminal::Clear(terminal::ClearType::All));
        }
        Terminal { raw, live, colour: crate::reporters::Terminal::colour_wanted(), last: Vec::new() }
    }

    pub fn room(&self) -> Room {
        match (self.live, terminal::size()) {
            (true, Ok((cols, rows))) => Room { cols: cols as usize, rows: rows as usize, live: true },
            _ => Room { cols: crate::columns::MAX_WIDTH, rows: 40, live: false },
        }
    }

    /// Forgets the last screen, so that the next one is drawn whole (after a resize).
    pub fn invalidate(&mut self) {
        self.last.clear();
    }

    /// Draws a screen unless it is the one already shown.
    pub fn draw(&mut self, lines: Vec<Line>) {
        if lines == self.last {
            return;
        }
        let mut out = std::io::stdout().lock();
        let newline = if self.raw { "\r\n" } else { "\n" };
        if self.live {
            let _ = queue!(out, cursor::MoveTo(0, 0));
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    let _ = write!(out, "{newline}");
                }
                let _ = write!(out, "{}", self.paint(l));
                let _ = queue!(out, terminal::Clear(terminal::ClearType::UntilNewLine));
            }
            let _ = queue!(out, terminal::Clear(terminal::ClearType::FromCursorDown));
        } else {
            for l in &lines {
                let _ = write!(out, "{}{newline}", self.paint(l));
            }
        }
        let _ = out.flush();
        self.last = lines;
    }

    fn paint(&self, l: &Line) -> String {
        if !self.colour {
            return l.text.clone();
        }
        match l.tone {
            Tone::Plain => l.text.clone(),
            Tone::Good => l.text.as_str().green().to_string(),
            Tone::Bad => l.text.as_str().red().to_string(),
            Tone::Dim => l.text.as_str().dark_grey().to_string(),
            Tone::Strong => l.text.as_str().bold().to_string(),
        }
    }

    /// Gives the terminal back as it was, then says `last_words` below the screen.
    pub fn finish(mut self, last_words: &str) {
        self.restore();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}{last_words}", if self.live { "\n" } else { "" });
        let _ = out.flush();
    }

    fn restore(&mut self) {
        if self.raw {
            let _ = terminal::disable_raw_mode();
            self.raw = false;
        }
        if self.live {
            let _ = queue!(std::io::stdout(), cursor::Show);
            let _ = std::io::stdout().flush();
        }
    }
}

impl Drop for Terminal {
    /// Also on a panic: never leave the student's terminal in raw mode.
    fn drop(&mut self) {
        self.restore();
    }
}

fn read_keys(events: Sender<Event>) {
    loop {
        let sent = match event::read() {
            Ok(TermEvent::Key(k)) if k.kind == KeyEventKind::Press => {
                let key = match k.code {
                    KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Key::Quit,
                    KeyCode::Char(c) => key_of(c),
                    KeyCode::Enter => Key::Enter,
                    KeyCode::Esc => Key::Back,
                    KeyCode::Up => Key::Up,
                    KeyCode::Down => Key::Down,
                    _ => Key::Other,
                };
                events.send(Event::Key(key))
            }
            Ok(TermEvent::Resize(..)) => events.send(Event::Resized),
            Ok(_) => Ok(()),
            Err(_) => {
                let _ = events.send(Event::InputClosed);
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

/// Without a terminal: one key per line, an empty line is Enter; the end of input quits.
fn read_lines(events: Sender<Event>) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let key = line.trim().chars().next().map(key_of).unwrap_or(Key::Enter);
        if events.send(Event::Key(key)).is_err() {
            return;
        }
    }
    let _ = events.send(Event::InputClosed);
}

fn key_of(c: char) -> Key {
    match c.to_ascii_lowercase() {
        'h' => Key::Hint,
        'l' => Key::List,
        'n' => Key::Next,
        'q' => Key::Quit,
        _ => Key::Other,
    }
}
