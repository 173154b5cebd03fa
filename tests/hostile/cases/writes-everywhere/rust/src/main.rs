use std::path::PathBuf;

fn main() {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let places = [
        home.join("pwned-@TOKEN@"),
        PathBuf::from("/tmp/pwned-@TOKEN@"),
        PathBuf::from("/var/tmp/pwned-@TOKEN@"),
        PathBuf::from("@KIT@/pwned-@TOKEN@"),
        PathBuf::from("@KIT@/tests/pwned-@TOKEN@"),
        PathBuf::from("@KIT@/exercises/pwned-@TOKEN@"),
        PathBuf::from("@KIT@/tests/hostile/kit/solutions/01-hello/rust/src/main.rs"),
    ];
    for p in &places {
        match std::fs::write(p, "pwned") {
            Ok(()) => eprintln!("wrote {}", p.display()),
            Err(e) => eprintln!("cannot write {}: {e}", p.display()),
        }
    }
    println!("hello from a worker");
    println!("hello from main");
}
