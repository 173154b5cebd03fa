fn main() {
    for p in ["@OTHER@", "@KIT@/tests/hostile.rs", "@KIT@/tests/hostile/kit/solutions/01-hello/rust/src/main.rs"] {
        match std::fs::read_to_string(p) {
            Ok(text) => println!("read {p}: {}", text.replace('\n', " | ")),
            Err(e) => println!("cannot read {p}: {e}"),
        }
    }
    println!("hello from a worker");
    println!("hello from main");
}
