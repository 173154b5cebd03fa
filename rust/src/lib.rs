//! fearless: concurrency lessons in Rust and OCaml, graded by what the program does.
//!
//! The way through: find lessons ([`layout`], [`lesson`]), lay out a scratch build and build it
//! ([`lang`]), run it through the one [`runner`], apply the checks ([`check`],
//! [`interleaving`], [`stacks`]), report ([`report`], [`reporters`]).
//! Student text is made inert for each format by [`safe_text`].
//! [`compare`] puts a lesson's two languages side by side; [`bench`] measures channels.
pub mod archive;
pub mod autograder;
pub mod bench;
pub mod check;
pub mod check_command;
pub mod classroom;
pub mod cli;
pub mod columns;
pub mod compare;
pub mod contain;
pub mod dev;
pub mod exit;
pub mod grade;
pub mod hint;
pub mod interleaving;
pub mod lang;
pub mod layout;
pub mod lesson;
pub mod list;
pub mod progress;
pub mod report;
pub mod reporters;
pub mod reset;
pub mod runner;
pub mod safe_text;
pub mod scratch;
pub mod solution;
pub mod stacks;
pub mod units;
pub mod watch;
