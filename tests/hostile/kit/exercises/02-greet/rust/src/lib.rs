pub fn greet() -> String {
    todo!("return the greeting")
}
