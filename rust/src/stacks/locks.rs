//! Which thread waits for which lock, from what a lesson's probe told the kit: the cycle
//! behind a deadlock, named by threads, locks and the lines that took them.
//!
//! A probed lock (lesson 12's `Lock`) tells the kit one line each, its fields separated
//! by tabs: `lock`, `wants`, the thread, the lock, `file:line` before it blocks; the same
//! with `holds` once it has the lock; `lock`, `releases`, the thread, the lock when it
//! lets go. Stacks show where a thread waits, never which lock it waits for nor where it
//! took the one it holds; these lines do. A program that forges them forges its own
//! explanation only.
use std::collections::BTreeMap;
use std::fmt;

/// One thread in a cycle: it holds `holds` (taken at `taken_at`) and waits for `wants`
/// (at `waits_at`), which the next thread of the cycle holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub thread: String,
    pub holds: String,
    pub taken_at: String,
    pub wants: String,
    pub waits_at: String,
}

/// Threads that wait for each other, each for a lock the next one holds (the last's,
/// the first's), starting from the thread whose name sorts first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle(pub Vec<Link>);

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = match self.0.len() {
            2 => "two threads".to_string(),
            n => format!("{n} threads"),
        };
        write!(f, "{who} waited for each other: ")?;
        let links: Vec<String> =
            self.0.iter().map(|l| format!("`{}` held `{}` (taken at {}) and waited for `{}` ({})", l.thread, l.holds, l.taken_at, l.wants, l.waits_at)).collect();
        write!(f, "{}", links.join("; "))
    }
}

#[derive(Default)]
struct State {
    /// lock → (thread, where it took it).
    owner: BTreeMap<String, (String, String)>,
    /// thread → (lock, where it waits).
    waiting: BTreeMap<String, (String, String)>,
}

/// The cycle of waits that the told lines end in, if any.
pub fn cycle(told: &[String]) -> Option<Cycle> {
    let mut s = State::default();
    for line in told {
        let mut parts = line.split('\t');
        if parts.next() != Some("lock") {
            continue;
        }
        let (Some(event), Some(thread), Some(lock)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let at = short_place(parts.next().unwrap_or(""));
        match event {
            "wants" => {
                s.waiting.insert(thread.to_string(), (lock.to_string(), at));
            }
            "holds" => {
                s.waiting.remove(thread);
                s.owner.insert(lock.to_string(), (thread.to_string(), at));
            }
            "releases" if s.owner.get(lock).is_some_and(|(t, _)| t == thread) => {
                s.owner.remove(lock);
            }
            _ => {}
        }
    }
    // From each waiting thread, in name order, follow "waits for a lock held by" until
    // a thread comes again: the first cycle found is the one named.
    for start in s.waiting.keys() {
        let mut path: Vec<&str> = vec![start];
        loop {
            let current = path[path.len() - 1];
            let Some((lock, _)) = s.waiting.get(current) else { break };
            let Some((holder, _)) = s.owner.get(lock) else { break };
            if let Some(i) = path.iter().position(|t| t == holder) {
                return Some(links(&s, &path[i..]));
            }
            path.push(holder);
        }
    }
    None
}

/// The cycle's links, from the thread whose name sorts first.
fn links(s: &State, threads: &[&str]) -> Cycle {
    let n = threads.len();
    let first = threads.iter().enumerate().min_by_key(|(_, t)| **t).map_or(0, |(i, _)| i);
    Cycle(
        (first..first + n)
            .map(|i| {
                let (t, before) = (threads[i % n], threads[(i + n - 1) % n]);
                let (wants, waits_at) = s.waiting[t].clone();
                // The lock this thread holds is the one the thread before it waits for.
                let holds = s.waiting[before].0.clone();
                let taken_at = s.owner.get(&holds).map(|(_, at)| at.clone()).unwrap_or_default();
                Link { thread: t.to_string(), holds, taken_at, wants, waits_at }
            })
            .collect(),
    )
}

/// `main.rs:31` for `src/main.rs:31:22` or `/tmp/x/main.ml:31`.
fn short_place(at: &str) -> String {
    let file_line: Vec<&str> = at.rsplit('/').next().unwrap_or(at).split(':').take(2).collect();
    file_line.join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn told(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.replace(' ', "\t").replace('_', " ")).collect()
    }

    #[test]
    fn two_threads_that_took_two_locks_in_opposite_orders_are_named_with_their_lines() {
        let t = told(&[
            "lock wants alice_pays_bob alice src/main.rs:30:21",
            "lock holds alice_pays_bob alice src/main.rs:30:21",
            "lock wants bob_pays_alice bob src/main.rs:30:21",
            "lock holds bob_pays_alice bob src/main.rs:30:21",
            "lock wants alice_pays_bob bob src/main.rs:31:19",
            "lock wants bob_pays_alice alice src/main.rs:31:19",
        ]);
        let c = cycle(&t).expect("a cycle");
        assert_eq!(
            c.to_string(),
            "two threads waited for each other: `alice pays bob` held `alice` (taken at main.rs:30) and waited for `bob` (main.rs:31); \
             `bob pays alice` held `bob` (taken at main.rs:30) and waited for `alice` (main.rs:31)"
        );
    }

    #[test]
    fn a_cycle_through_a_third_lock_is_found_from_any_waiting_thread() {
        let t = told(&[
            "lock holds auditor ledger main.ml:40",
            "lock holds alice_pays_bob alice main.ml:20",
            "lock holds alice_pays_bob bob main.ml:21",
            // A thread waiting outside the cycle is not named.
            "lock wants bob_pays_alice alice main.ml:20",
            "lock wants alice_pays_bob ledger main.ml:25",
            "lock wants auditor alice main.ml:42",
        ]);
        let c = cycle(&t).expect("a cycle");
        let names: Vec<(&str, &str, &str)> = c.0.iter().map(|l| (l.thread.as_str(), l.holds.as_str(), l.wants.as_str())).collect();
        assert_eq!(names, [("alice pays bob", "alice", "ledger"), ("auditor", "ledger", "alice")]);
        assert_eq!(c.0[0].taken_at, "main.ml:20");
    }

    #[test]
    fn three_threads_are_named_from_the_first_name_whichever_the_search_met_first() {
        let t = told(&[
            "lock holds a x main.rs:1",
            "lock holds b y main.rs:2",
            "lock holds c z main.rs:3",
            // The search starts from this one, and meets the cycle at `b`.
            "lock wants 0_outsider y main.rs:9",
            "lock wants a y main.rs:4",
            "lock wants b z main.rs:5",
            "lock wants c x main.rs:6",
        ]);
        let c = cycle(&t).expect("a cycle");
        let names: Vec<(&str, &str, &str, &str)> = c.0.iter().map(|l| (l.thread.as_str(), l.holds.as_str(), l.taken_at.as_str(), l.wants.as_str())).collect();
        assert_eq!(names, [("a", "x", "main.rs:1", "y"), ("b", "y", "main.rs:2", "z"), ("c", "z", "main.rs:3", "x")]);
        assert!(c.to_string().starts_with("3 threads waited for each other: `a` held `x`"), "{c}");
    }

    #[test]
    fn waits_that_ended_or_locks_released_make_no_cycle() {
        let t = told(&["lock holds a x main.rs:1", "lock wants b x main.rs:2", "lock releases a x", "lock holds b x main.rs:2", "lock wants a x main.rs:1"]);
        assert_eq!(cycle(&t), None);
        // b waits for a lock that a let go of (and b is about to take): no cycle.
        let t = told(&["lock holds a x main.rs:1", "lock holds b y main.rs:2", "lock releases a x", "lock wants a y main.rs:3", "lock wants b x main.rs:4"]);
        assert_eq!(cycle(&t), None);
        // One thread waiting for a lock nobody holds, and lines of other probes.
        assert_eq!(cycle(&told(&["met 3", "lock wants a y main.rs:1"])), None);
    }
}
