fn main() {
    // A reader that closes the pipe early (`fearless solution mpsc | head`) ends the
    // program quietly, as with any Unix tool, instead of a panic on the next print.
    // SAFETY: setting a signal's disposition to its default at the start of main.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(fearless::cli::main());
}
