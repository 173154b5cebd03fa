use std::os::unix::fs::PermissionsExt;

const EARLIER: &[u8] = include_bytes!("@TARGET@/debug/hello");

fn main() {
    let path = std::env::temp_dir().join("earlier-@TOKEN@");
    std::fs::write(&path, EARLIER).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let status = std::process::Command::new(&path).status().unwrap();
    std::process::exit(status.code().unwrap_or(1));
}
