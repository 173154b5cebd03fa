fn main() {
    println!("{}", greet::greet());
}
