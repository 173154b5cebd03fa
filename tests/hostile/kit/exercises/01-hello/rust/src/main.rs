fn main() {
    todo!("start a worker that prints `hello from a worker`, join it, then print `hello from main`");
}
