#[test]
fn says_hello() {
    assert_eq!(greet::greet(), "hello");
}
