use std::process::Command;

fn main() {
    Command::new("sh").args(["-c", "(setsid sleep 600 &) & (sleep 600 &) &"]).status().unwrap();
    Command::new("setsid").args(["-f", "sleep", "601"]).status().ok();
    println!("hello from a worker");
    println!("hello from main");
}
