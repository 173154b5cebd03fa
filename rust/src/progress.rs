//! The student's progress, kept in `.fearless/state.json` in their copy of the kit
//! (ignored by git): hints seen, lessons passed, and the commit their copy started
//! from (where `fearless reset` finds starting points).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::lesson::{Lang, Lesson};
use crate::report::{LessonResult, Status};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Hints shown so far, per lesson id.
    #[serde(default)]
    pub hints_seen: BTreeMap<String, usize>,
    /// `id/lang` -> passed at its last check.
    #[serde(default)]
    pub passed: BTreeMap<String, bool>,
    /// The git commit the copy was at when progress was first saved: the starting
    /// points of the lessons as the student received them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_commit: Option<String>,
}

impl State {
    pub fn path(root: &Path) -> PathBuf {
        root.join(".fearless").join("state.json")
    }
    /// A missing or unreadable state file is an empty state, never an error.
    pub fn load(root: &Path) -> State {
        std::fs::read_to_string(Self::path(root)).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
    }
    /// Written to a temporary file and renamed, so a crash never leaves half a file.
    /// The first save remembers the commit the copy is at (see `start_commit`).
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let mut state = self.clone();
        if state.start_commit.is_none() {
            // Kept from the file when this state was loaded before it was first saved.
            state.start_commit = State::load(root).start_commit.or_else(|| head_commit(root));
        }
        let path = Self::path(root);
        let dir = path.parent().expect("state file has a folder");
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join("state.json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(&state)?)?;
        std::fs::rename(tmp, path)
    }
    pub fn is_passed(&self, id: &str, lang: Lang) -> bool {
        self.passed.get(&format!("{id}/{lang}")).copied().unwrap_or(false)
    }
    /// Hint `index` of lesson `id` was shown: the ladder goes on after it (never back).
    pub fn saw(&mut self, id: &str, index: usize) {
        let seen = self.hints_seen.entry(id.to_string()).or_default();
        *seen = (*seen).max(index + 1);
    }
    pub fn record(&mut self, result: &LessonResult) {
        self.passed.insert(result.key(), result.status == Status::Pass);
    }
    /// (passed, all) over the lessons' languages, only `lang` when given.
    pub fn tally<'a>(&self, lessons: impl IntoIterator<Item = &'a Lesson>, lang: Option<Lang>) -> (usize, usize) {
        let mut done = 0;
        let mut total = 0;
        for l in lessons {
            for lg in l.langs().filter(|lg| lang.is_none_or(|a| a == *lg)) {
                total += 1;
                done += self.is_passed(l.id(), lg) as usize;
            }
        }
        (done, total)
    }
}

/// `git rev-parse HEAD` in `root`, when `root` is a git checkout.
fn head_commit(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git").arg("-C").arg(root).args(["rev-parse", "--verify", "--quiet", "HEAD"]).stderr(std::process::Stdio::null()).output().ok()?;
    let commit = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !commit.is_empty()).then_some(commit)
}

/// "6 of 22 done [█████░░░░░░░░░░░░░░░]"
pub fn done_line(done: usize, total: usize) -> String {
    format!("{done} of {total} done {}", bar(done, total, 20))
}

/// A bar `width` cells wide inside brackets, filled in proportion to done/total.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    format!("[{}{}]", "█".repeat(filled), "░".repeat(width - filled))
}
