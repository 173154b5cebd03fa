fn main() {
    todo!("start a worker that sleeps 300 ms, wait for it without spinning, then print `done`");
}
