fn main() { std::process::exit(fearless::cli::main()); }
