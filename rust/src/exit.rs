//! How a command ends: with one of the kit's exit statuses ([`Exit`]), or stopped by
//! bad input ([`BadInput`]), which `main` prints as `fearless: ...` before it exits
//! with status 2.
use std::process::ExitCode;

use crate::lesson::LessonError;

/// The exit status of a command that ran to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything asked for was done, and passed.
    Done,
    /// 1: a check failed, or something asked for could not be done (said where it happened).
    Failed,
    /// 2: bad input met on the way (a broken lesson among good ones), said where it was
    /// met; the rest was done.
    BadInput,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Done => 0,
            Exit::Failed => 1,
            Exit::BadInput => 2,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// What stops a command before it could do what it was asked: bad arguments, an
/// unknown or broken lesson, a folder it cannot read or write.
#[derive(Debug, thiserror::Error)]
pub enum BadInput {
    #[error(transparent)]
    Lesson(#[from] LessonError),
    /// What is wrong, in words.
    #[error("{0}")]
    Said(String),
    /// A file or folder that could not be used: what was being done with it, then why.
    #[error("{what}: {source}")]
    File { what: String, source: std::io::Error },
    /// A file or folder that could not be used, with nothing more to say.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<String> for BadInput {
    fn from(said: String) -> BadInput {
        BadInput::Said(said)
    }
}

impl From<&str> for BadInput {
    fn from(said: &str) -> BadInput {
        BadInput::Said(said.to_string())
    }
}

/// What was being done when an I/O error happened, for [`BadInput::File`]:
/// `std::fs::read(p).doing(|| format!("{}: cannot read", p.display()))?`.
pub trait Doing<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, BadInput>;
}

impl<T> Doing<T> for std::io::Result<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, BadInput> {
        self.map_err(|source| BadInput::File { what: what(), source })
    }
}
