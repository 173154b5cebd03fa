//! Which lessons' channels the benchmark compiles in: those of lessons 06 and 11 whose
//! files are in this copy of the kit. Each one present gets a `#[path]` module in
//! `$OUT_DIR/lessons.rs` and its cfg (`lesson06`, `lesson11`); a lesson removed from the
//! kit is left out, and `fearless bench` says so.
use std::path::{Path, PathBuf};

/// The cfg and module name of each lesson, and its folder.
const LESSONS: [(&str, &str); 2] = [("lesson06", "06-build-a-channel"), ("lesson11", "11-fast-channel")];

fn main() {
    let kit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for dir in ["exercises", "solutions"] {
        println!("cargo::rerun-if-changed={}", kit.join(dir).display());
    }
    let mut errors: Option<PathBuf> = None;
    let mut modules = String::new();
    for (name, slug) in LESSONS {
        println!("cargo::rustc-check-cfg=cfg({name})");
        let channel = kit.join("solutions").join(slug).join("rust/src/channel.rs");
        let errs = kit.join("exercises").join(slug).join("rust/src/errors.rs");
        if let (Ok(channel), Ok(errs)) = (channel.canonicalize(), errs.canonicalize()) {
            println!("cargo::rustc-cfg={name}");
            modules.push_str(&format!("#[path = {:?}]\nmod {name};\n", channel.display().to_string()));
            errors.get_or_insert(errs);
        }
    }
    if let Some(errs) = errors {
        modules.insert_str(0, &format!("#[path = {:?}]\nmod errors;\n", errs.display().to_string()));
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("lessons.rs"), modules).expect("OUT_DIR is writable");
}
