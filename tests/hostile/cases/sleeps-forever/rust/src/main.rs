use std::thread;
use std::time::Duration;

fn main() {
    println!("hello from a worker");
    thread::sleep(Duration::from_secs(1 << 30));
}
