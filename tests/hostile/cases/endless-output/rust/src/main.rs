fn main() {
    loop {
        println!("hello from a worker");
    }
}
