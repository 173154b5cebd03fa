fn main() {
    std::fs::write("/tmp/pwned-@TOKEN@-build-script", "the build script ran").unwrap();
}
