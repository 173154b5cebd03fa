use std::process::Command;
use std::thread;
use std::time::Duration;

fn main() {
    // A spinner reparented away from this program: `setsid -f` forks, and its parent exits at once.
    Command::new("setsid").args(["-f", "sh", "-c", "while :; do :; done"]).status().unwrap();
    thread::sleep(Duration::from_millis(500));
    println!("done");
}
