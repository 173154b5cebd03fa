const OTHER: &str = include_str!("@TARGET@/src/other-@TOKEN@/src/main.rs");

fn main() {
    println!("{OTHER}");
    println!("hello from a worker");
    println!("hello from main");
}
