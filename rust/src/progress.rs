//! The student's progress, kept in `.fearless/state.json` in their copy of the kit
//! (ignored by git): hints seen and lessons passed.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Hints shown so far, per lesson id.
    #[serde(default)]
    pub hints_seen: BTreeMap<String, usize>,
    /// `id/lang` -> passed at its last check.
    #[serde(default)]
    pub passed: BTreeMap<String, bool>,
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
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let path = Self::path(root);
        let dir = path.parent().expect("state file has a folder");
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join("state.json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)?)?;
        std::fs::rename(tmp, path)
    }
}
