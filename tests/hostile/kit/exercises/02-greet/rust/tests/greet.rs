// Each test reports its own end to the grader (see verdict/mod.rs, lesson 06's).
mod verdict;

#[test]
fn says_hello() {
    let _v = verdict::begin("says_hello");
    assert_eq!(greet::greet(), "hello");
}
