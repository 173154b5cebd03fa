//! `fearless`: parses the command line, runs the command, and exits with its status:
//! 0 all passed, 1 some failed, 2 bad usage or bad input (said here, once).
use std::process::ExitCode;

use clap::Parser;
use fearless::cli::Cli;
use fearless::exit::Exit;

fn main() -> ExitCode {
    // A reader that closes the pipe early (`fearless solution mpsc | head`) ends the
    // program quietly, as with any Unix tool, instead of a panic on the next print.
    // SAFETY: setting a signal's disposition to its default at the start of main.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { Exit::BadInput } else { Exit::Done }.into();
        }
    };
    match cli.run() {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("fearless: {e}");
            Exit::BadInput.into()
        }
    }
}
