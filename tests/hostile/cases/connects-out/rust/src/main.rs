use std::io::Write;
use std::net::TcpStream;

fn main() {
    match TcpStream::connect("127.0.0.1:@PORT@") {
        Ok(mut s) => {
            let _ = s.write_all(b"pwned");
            eprintln!("connected");
        }
        Err(e) => eprintln!("cannot connect: {e}"),
    }
    println!("hello from a worker");
    println!("hello from main");
}
