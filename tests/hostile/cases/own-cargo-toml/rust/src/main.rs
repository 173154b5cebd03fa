use std::thread;

fn main() {
    thread::spawn(|| println!("hello from a worker")).join().unwrap();
    println!("hello from main");
}
