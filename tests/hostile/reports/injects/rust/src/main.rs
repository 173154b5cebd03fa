// A student's 01-hello that prints its two lines, then tries to reach the reader
// through the reports: terminal escapes (clear the screen, set the window title),
// HTML, Markdown links, a code fence, a formula, bidirectional controls, a C1 escape,
// a carriage return. It then panics with the same kind of message.
use std::thread;

fn main() {
    thread::spawn(|| println!("hello from a worker")).join().unwrap();
    println!("hello from main");
    println!("\x1b[2J\x1b]0;pwned\x07<img src=x onerror=alert(1)> [link](http://evil)");
    println!("````");
    println!("</details><script>alert(1)</script> <img src=y>");
    println!("=2+5 \u{202e}gpj.exe \u{9b}31m over\rwritten | fake | cell |");
    eprintln!("\x1b[31mred on stderr\x1b[0m \u{2066}isolated\u{2069}");
    panic!("<img src=x onerror=alert(1)> [link](http://evil) \x1b]0;pwned\x07 \x1b[2J");
}
