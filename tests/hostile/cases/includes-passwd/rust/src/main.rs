const PASSWD: &str = include_str!("/etc/passwd");

fn main() {
    for line in PASSWD.lines() {
        println!("passwd: {line}");
    }
    println!("hello from a worker");
    println!("hello from main");
}
