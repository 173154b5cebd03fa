use std::thread;
use std::time::Duration;

fn main() {
    thread::spawn(|| thread::sleep(Duration::from_millis(300))).join().unwrap();
    println!("done");
}
