pub fn greet() -> String {
    let target = option_env!("CARGO_TARGET_DIR").unwrap_or("/nonexistent");
    for p in [format!("{target}/poisoned-@TOKEN@"), format!("{}/poisoned-@TOKEN@", env!("CARGO_MANIFEST_DIR")), format!("{target}/debug/poisoned-@TOKEN@")] {
        match std::fs::write(&p, "poison") {
            Ok(()) => eprintln!("wrote {p}"),
            Err(e) => eprintln!("cannot write {p}: {e}"),
        }
    }
    let mut started = 0;
    for _ in 0..1000 {
        if std::thread::Builder::new().spawn(|| std::thread::sleep(std::time::Duration::from_secs(3600))).is_ok() {
            started += 1;
        }
    }
    eprintln!("started {started} threads");
    "hello".to_string()
}
