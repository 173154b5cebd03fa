use std::io::Write;

fn main() {
    let chunk = vec![7u8; 1 << 20];
    for i in 0..128 {
        let mut f = match std::fs::File::create(format!("fill-{i}")) {
            Ok(f) => f,
            Err(e) => panic!("cannot create fill-{i}: {e}"),
        };
        for _ in 0..16 {
            if let Err(e) = f.write_all(&chunk) {
                panic!("cannot write fill-{i}: {e}");
            }
        }
    }
    println!("hello from a worker");
    println!("hello from main");
}
