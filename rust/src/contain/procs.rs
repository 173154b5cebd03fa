//! The one reader of `/proc` (Linux): the processes there are, their parents, users
//! and threads. The portable path never calls it (off Linux every list is empty).
use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;

/// One process, as `/proc/PID` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    pub uid: u32,
    /// `R`, `S`, `D`, `Z` (a zombie: ended, waiting for its parent to collect it), ...
    pub state: char,
    pub threads: u64,
}

/// Every process there is now.
pub fn all() -> Vec<Proc> {
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if let Some(p) = read(pid) {
            v.push(p);
        }
    }
    v
}

/// Process `pid`, if it exists.
pub fn read(pid: i32) -> Option<Proc> {
    let dir = format!("/proc/{pid}");
    let uid = std::fs::metadata(&dir).ok()?.uid();
    let stat = std::fs::read_to_string(format!("{dir}/stat")).ok()?;
    // The command may hold spaces and parentheses: the fields start after the last ')'.
    let (_, rest) = stat.rsplit_once(')')?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(Proc { pid, ppid: f.get(1)?.parse().ok()?, uid, state: f.first()?.chars().next()?, threads: f.get(17).and_then(|t| t.parse().ok()).unwrap_or(1) })
}

/// Each thread of `pid` with the times it was switched out so far (it blocked, or was
/// preempted): `/proc/PID/task/TID/status`.
fn switches(pid: i32) -> HashMap<i32, u64> {
    let mut out = HashMap::new();
    for e in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
        let Some(tid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let status = std::fs::read_to_string(e.path().join("status")).unwrap_or_default();
        out.insert(tid, switch_count(&status));
    }
    out
}

/// The times a thread was switched out, from its `status`: only the kernel's own lines
/// count (a thread's name, which the program sets, is on a line of its own: `Name:`).
fn switch_count(status: &str) -> u64 {
    let counted = |l: &&str| l.starts_with("voluntary_ctxt_switches:") || l.starts_with("nonvoluntary_ctxt_switches:");
    status.lines().filter(counted).filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()).sum()
}

/// The threads of `pid` that ran during `span`: a thread blocked in a lock before and
/// after, but woken in between, is waiting its turn, not stuck for ever.
pub fn threads_that_ran(pid: i32, span: std::time::Duration) -> Vec<i32> {
    let before = switches(pid);
    std::thread::sleep(span);
    let mut ran: Vec<i32> = switches(pid).into_iter().filter(|(tid, n)| before.get(tid).is_none_or(|b| b != n)).map(|(tid, _)| tid).collect();
    ran.sort();
    ran
}

/// A process that has ended and waits for its parent (often init) to collect it.
pub fn zombie(pid: i32) -> bool {
    read(pid).is_some_and(|p| p.state == 'Z')
}

/// Every live process of `uid` (the job's own user): what is left of a job.
pub fn processes_of(uid: u32) -> Vec<i32> {
    all().into_iter().filter(|p| p.uid == uid && p.state != 'Z').map(|p| p.pid).collect()
}

/// Threads `uid` runs now (a process limit counts them).
pub fn tasks_of(uid: u32) -> u64 {
    all().iter().filter(|p| p.uid == uid).map(|p| p.threads).sum()
}

/// Every process's children, oldest first.
fn children() -> HashMap<i32, Vec<i32>> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for p in all() {
        children.entry(p.ppid).or_default().push(p.pid);
    }
    for kids in children.values_mut() {
        kids.sort();
    }
    children
}

/// Every descendant of `pid`, nearest first.
pub fn descendants(pid: i32) -> Vec<i32> {
    let children = children();
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([pid]);
    while let Some(p) = queue.pop_front() {
        for k in children.get(&p).into_iter().flatten() {
            out.push(*k);
            queue.push_back(*k);
        }
    }
    out
}

/// The host pid of the program inside a sandbox started as `pid`: the first
/// descendant that is not bubblewrap itself or the helper that becomes the job's user.
pub fn program_pid(pid: i32) -> i32 {
    let wrapper = |p: i32| {
        std::fs::read_link(format!("/proc/{p}/exe"))
            .ok()
            .and_then(|e| e.file_name().map(|n| n.to_string_lossy().into_owned()))
            .is_some_and(|n| matches!(n.as_str(), "bwrap" | "setpriv" | "prlimit"))
    };
    descendants(pid).into_iter().find(|p| !wrapper(*p)).unwrap_or(pid)
}

/// Processes whose environment carries the job's token (those that left its session).
pub fn holding_token(token: &str) -> Vec<i32> {
    let needle = format!("FEARLESS_JOB={token}\0");
    let holds = |pid: i32| std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| env.windows(needle.len()).any(|w| w == needle.as_bytes()));
    all().into_iter().map(|p| p.pid).filter(|p| holds(*p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A program names its threads: a name shaped like the kernel's counts is not one.
    #[test]
    fn only_the_kernel_s_switch_counts_are_read() {
        let status = "Name:\t7 ctxt_switches:\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n";
        assert_eq!(switch_count(status), 15);
        assert_eq!(switch_count("Name:\tvoluntary_ctxt\n"), 0);
    }
}
