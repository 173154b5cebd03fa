// Without `unsafe` (the build refuses it), SIGTERM is ignored by a shell that spins; the
// program waits for it, spinning too.
fn main() {
    let spinner = std::process::Command::new("sh").args(["-c", "trap '' TERM; while :; do :; done"]).spawn();
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
        if n % (1 << 30) == 0 {
            if let Ok(s) = &spinner {
                eprintln!("spinner {}", s.id());
            }
        }
    }
}
