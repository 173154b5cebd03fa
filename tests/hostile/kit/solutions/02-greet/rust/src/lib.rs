pub fn greet() -> String {
    "hello".to_string()
}
