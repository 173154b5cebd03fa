//! The `build` check as a student reads it: one line, and a warning told once, even
//! when the kit's test suites compile the student's file again.
mod common;

use fearless::lesson::Lang;
use fearless::report::Status;
use rstest::rstest;

#[rstest]
#[case::rust(Lang::Rust, "src/lib.rs", "\npub fn helper(x: u32) -> u32 {\n    let y = 1;\n    x\n}\n")]
#[case::ocaml(Lang::Ocaml, "greet.ml", "\nlet helper x = let y = 1 in x\n")]
fn a_warning_in_a_file_compiled_several_times_is_told_once(#[case] lang: Lang, #[case] file: &str, #[case] extra: &str) {
    // The test kit's library lesson: the program and the `tests` suite each compile the
    // student's file, and in Rust the `model` suite again, in release.
    let slug = "02-greet";
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixture().root.join("solutions").join(slug).join(lang.as_str()), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}{extra}")).unwrap();
    let r = common::check_dir_of(&common::context(), &common::fixture(), slug, lang, dir.path());
    let build = r.checks.iter().find(|c| c.name == "build").unwrap();
    assert_eq!((build.status, build.message.as_str()), (Status::Pass, "built with 1 warning"), "{:#?}", r.checks);
}
