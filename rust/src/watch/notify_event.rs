//! Noticing saves: the system's file events (inotify) with debouncing, else a poll
//! watcher where events do not arrive (network and VM-shared file systems such as
//! WSL's /mnt/c or a container's bind mount from another OS), else Enter by hand.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crossbeam_channel::Sender;
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_mini::{new_debouncer_opt, Config, DebounceEventResult, Debouncer};

use super::Event;

/// Saves closer together than this are one save (editors write a file in several steps).
const DEBOUNCE: Duration = Duration::from_millis(250);
const POLL_EVERY: Duration = Duration::from_secs(1);

/// How saves are noticed (and why so, when not by file events); dropping it stops the watching.
pub enum Watching {
    Events { _watcher: Debouncer<RecommendedWatcher> },
    Polling { _watcher: Debouncer<PollWatcher>, why: String },
    Manual { why: String },
}

impl Watching {
    /// What the footer says.
    pub fn describe(&self) -> String {
        match self {
            Watching::Events { .. } => "watching your files: every save re-checks".into(),
            Watching::Polling { why, .. } => {
                format!("checking your files for changes every second ({why})")
            }
            Watching::Manual { why } => format!("press Enter to re-check after saving ({why})"),
        }
    }
}

/// Watches the folders (not recursively: build products never wake the loop).
/// `FEARLESS_WATCH=poll` forces polling, `FEARLESS_WATCH=manual` no watching at all.
pub fn start(folders: &[PathBuf], events: Sender<Event>) -> Watching {
    let forced = std::env::var("FEARLESS_WATCH").unwrap_or_default();
    if forced == "manual" {
        return Watching::Manual { why: "FEARLESS_WATCH=manual".into() };
    }
    let poll_because = if forced == "poll" { Some("FEARLESS_WATCH=poll".to_string()) } else { folders.first().and_then(|f| events_unreliable(f)) };
    let why = match poll_because {
        Some(why) => why,
        None => match watch::<RecommendedWatcher>(folders, events.clone(), notify::Config::default()) {
            Ok(d) => return Watching::Events { _watcher: d },
            Err(e) => format!("file events failed: {e}"),
        },
    };
    // Contents compared, not only times: file times have whole seconds here, and two
    // saves can come within one.
    let config = notify::Config::default().with_poll_interval(POLL_EVERY).with_compare_contents(true);
    match watch::<PollWatcher>(folders, events, config) {
        Ok(d) => Watching::Polling { _watcher: d, why },
        Err(e) => Watching::Manual { why: format!("{why}; polling failed too: {e}") },
    }
}

fn watch<W: Watcher>(folders: &[PathBuf], events: Sender<Event>, config: notify::Config) -> notify::Result<Debouncer<W>> {
    let mut stamps = Stamps::of(folders);
    let handler = move |r: DebounceEventResult| {
        let event = match r {
            Ok(changes) => Event::Saved(changes.into_iter().map(|c| c.path).filter(|p| stamps.changed(p)).collect()),
            Err(e) => Event::WatchError(e.to_string()),
        };
        if !matches!(&event, Event::Saved(paths) if paths.is_empty()) {
            let _ = events.send(event);
        }
    };
    let mut debouncer = new_debouncer_opt::<_, W>(Config::default().with_timeout(DEBOUNCE).with_notify_config(config), handler)?;
    for f in folders {
        debouncer.watcher().watch(f, RecursiveMode::NonRecursive)?;
    }
    Ok(debouncer)
}

/// What each watched file was when last seen: a save changes its time or its contents.
/// File events also come when a file is only opened or read (by an editor, or by the
/// check itself as it copies the student's files: a check would start another for ever).
struct Stamps(HashMap<PathBuf, Option<(SystemTime, u64)>>);

impl Stamps {
    fn of(folders: &[PathBuf]) -> Stamps {
        let files = folders.iter().flat_map(|f| std::fs::read_dir(f).into_iter().flatten().flatten()).map(|e| e.path());
        Stamps(files.map(|p| (p.clone(), stamp(&p))).collect())
    }

    /// Whether `path` changed since last seen (a file gone, or new, has).
    fn changed(&mut self, path: &Path) -> bool {
        let now = stamp(path);
        self.0.insert(path.to_path_buf(), now) != Some(now) || now.is_none()
    }
}

/// A file's time and a hash of its contents; `None` when it cannot be read.
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    use std::hash::{Hash, Hasher};
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(path).ok()?.hash(&mut hasher);
    Some((modified, hasher.finish()))
}

/// Why file events would not arrive for `folder`, when its file system is one where
/// they do not (changes made by another machine or by the host of a VM).
fn events_unreliable(folder: &Path) -> Option<String> {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().to_lowercase();
    if release.contains("microsoft") && folder.starts_with("/mnt/") {
        return Some("a Windows drive under WSL".into());
    }
    let fs = rustix::fs::statfs(folder).ok()?;
    // The magic numbers of statfs(2).
    let name = match fs.f_type as i64 {
        0x0102_1997 => "9p (WSL's Windows drives, VM shares)",
        0x6573_5546 => "FUSE",
        0x6969 => "NFS",
        0x517b => "SMB",
        0xff53_4d42 => "CIFS",
        0xfe53_4d42 => "SMB2",
        0x786f_4256 => "VirtualBox shared folder",
        0x6a65_6a63 => "virtiofs",
        _ => return None,
    };
    Some(format!("{name} file system"))
}
