extern "C" {
    fn signal(signum: i32, handler: usize) -> usize;
}

fn main() {
    // SIGTERM (15) ignored (SIG_IGN is 1), then a busy loop.
    unsafe { signal(15, 1) };
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}
