//! `grade --shard K/N`: one machine's share of a class, and the note it leaves in its
//! out folder (`shard.json`) so that `fearless gradebook` can tell a missing share.
//!
//! The share is decided by the ids alone: the submissions named on the command line,
//! sorted by id (as [`super::submission::collect`] returns them), are dealt out in
//! turn, the first to shard 1, the second to shard 2, ..., the N+1st to shard 1 again.
//! Every job of a matrix that is given the same submissions therefore grades its own
//! share and no other, whatever the machine, the order of the arguments or the run.
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::submission::Submission;

/// The note a sharded run leaves in its out folder.
pub const MANIFEST: &str = "shard.json";

/// Shard `k` of `n`, counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}': a shard is K/N, 1 <= K <= N (such as 2/3)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n) = (k.trim().parse::<usize>().map_err(|_| bad())?, n.trim().parse::<usize>().map_err(|_| bad())?);
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// This shard's share of `subs`, which are sorted by id: every `n`th, from the `k`th.
    pub fn take(self, subs: Vec<Submission>) -> Vec<Submission> {
        subs.into_iter().enumerate().filter(|(i, _)| i % self.n == self.k - 1).map(|(_, s)| s).collect()
    }
}

/// `shard.json`: which shard this folder holds, of how many, graded for which
/// columns, and the ids that it must hold a report for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub shard: usize,
    pub of: usize,
    pub columns: Vec<String>,
    pub submissions: Vec<String>,
}

/// Writes the manifest of `shard` into `out`, or, for a run that is not sharded,
/// removes one that an earlier run left there.
pub fn note(out: &Path, shard: Option<Shard>, columns: &[String], subs: &[Submission]) -> std::io::Result<()> {
    let path = out.join(MANIFEST);
    let Some(s) = shard else {
        return std::fs::remove_file(&path).or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) });
    };
    let m = Manifest { shard: s.k, of: s.n, columns: columns.to_vec(), submissions: subs.iter().map(|s| s.id.clone()).collect() };
    let text = serde_json::to_string_pretty(&m).expect("a manifest serialises") + "\n";
    super::gradebook::write_atomic(&path, &text)
}

/// The manifest in `dir`, if there is one.
pub fn read(dir: &Path) -> Result<Option<Manifest>, String> {
    let path = dir.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| format!("{}: not a shard's note: {e}", super::submission::shown(&path))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot read: {e}", super::submission::shown(&path))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn subs(ids: &[&str]) -> Vec<Submission> {
        ids.iter().map(|id| Submission { id: id.to_string(), path: PathBuf::from(id), form: super::super::submission::Form::Folder, renamed: None }).collect()
    }

    #[test]
    fn shards_parse() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { k: 2, n: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn sorted_ids_are_dealt_out_in_turn_and_each_lands_once() {
        let all = ["a", "b", "c", "d", "e", "f", "g"];
        let ids = |k| Shard { k, n: 3 }.take(subs(&all)).into_iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!([ids(1), ids(2), ids(3)], [vec!["a", "d", "g"], vec!["b", "e"], vec!["c", "f"]]);
        assert!(Shard { k: 5, n: 9 }.take(subs(&["a", "b"])).is_empty());
    }
}
