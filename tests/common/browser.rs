//! Headless Chromium for the kit's tests of its HTML pages (the compare site, the
//! class page): found where Debian puts it, run through the kit's runner.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::time::Duration;

use fearless::runner::{self, Job, Limits, Outcome};

/// Debian's Chromium, if this machine has it.
pub fn chromium() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).map(|d| d.join("chromium"));
    [PathBuf::from("/usr/bin/chromium")].into_iter().chain(on_path).find(|p| p.is_file())
}

/// Runs headless Chromium on a page through the kit's runner, as a trusted job: a fresh
/// profile, a wall-clock limit, and its whole process group killed when it is done.
pub fn browse(chromium: &Path, page: &Path, args: &[&str]) -> Outcome {
    let profile = tempfile::tempdir().unwrap();
    let job = Job::new(chromium, profile.path(), Limits::build(Duration::from_secs(120)))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-breakpad",
        ])
        .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
        .args(args.iter().copied())
        .arg(format!("file://{}", page.display()))
        .env("HOME", profile.path())
        // The kit's own tool on the kit's own pages: no sandbox (it reads the site and writes screenshots elsewhere).
        .trusted();
    let out = runner::run(&job).expect("chromium starts");
    assert!(out.success(), "chromium ended with {:?}: {}", out.ending, out.stderr_text());
    out
}

/// Chromium, or the test returns saying why it was skipped.
#[macro_export]
macro_rules! chromium_or_skip {
    () => {
        match browser::chromium() {
            Some(c) => c,
            None => {
                eprintln!("SKIPPED: Chromium is not installed (`.ci/install-deps test` installs Debian's chromium)");
                return;
            }
        }
    };
}
