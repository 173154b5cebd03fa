use std::io::Write;

fn main() {
    let mut out = std::io::stdout();
    out.write_all(b"hello from a worker\n\xff\xfe\xc3(bad\n").unwrap();
    out.write_all(b"hello from main\n").unwrap();
}
