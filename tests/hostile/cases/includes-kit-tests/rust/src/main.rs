const TESTS: &str = include_str!("@KIT@/tests/hostile.rs");
const OTHER: &str = include_str!("@OTHER@");

fn main() {
    println!("{}", TESTS.len() + OTHER.len());
    println!("hello from a worker");
    println!("hello from main");
}
