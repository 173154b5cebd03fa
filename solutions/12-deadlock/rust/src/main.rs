//! Deadlock: two payers and an auditor share two accounts and a ledger, each behind a
//! lock; every thread takes the locks in one order (the ledger, then the accounts by
//! name), so none waits for another that waits for it.
mod locks;

use std::sync::Arc;
use std::thread;

use locks::Lock;

const TRANSFERS: usize = 3;

/// A balance, behind a lock named after its owner.
type Account = Lock<i64>;

struct Bank {
    alice: Account,
    bob: Account,
    /// One line per transfer done.
    ledger: Lock<Vec<String>>,
}

fn transfer(bank: &Bank, from: &Account, to: &Account, amount: i64) {
    // [transfer]
    // One order everywhere: the account whose name sorts first, then the other.
    let from_first = from.name() < to.name();
    let (first, second) = if from_first { (from, to) } else { (to, from) };
    let mut a = first.lock();
    let mut b = second.lock();
    let (payer, payee) = if from_first { (&mut *a, &mut *b) } else { (&mut *b, &mut *a) };
    *payer -= amount;
    *payee += amount;
    drop(b);
    drop(a);

    // [record]
    // The accounts are let go first: the ledger is never waited for while holding one.
    bank.ledger.lock().push(format!("{} paid {} {amount}", from.name(), to.name()));
}

fn audit(bank: &Bank) {
    // [audit]
    // The books closed (no transfer recorded meanwhile), then both balances at one instant.
    let _ledger = bank.ledger.lock();
    let alice = bank.alice.lock();
    let bob = bank.bob.lock();
    println!("audit: {} in all", *alice + *bob);
}

fn main() {
    let bank = Arc::new(Bank { alice: Lock::new("alice", 100), bob: Lock::new("bob", 100), ledger: Lock::new("ledger", Vec::new()) });

    // [spawn]
    let spawn = |name: &str, work: fn(&Bank)| {
        let bank = Arc::clone(&bank);
        thread::Builder::new().name(name.to_string()).spawn(move || work(&bank)).expect("a thread")
    };
    let threads = [
        spawn("alice pays bob", |bank| (0..TRANSFERS).for_each(|_| transfer(bank, &bank.alice, &bank.bob, 10))),
        spawn("auditor", audit),
        spawn("bob pays alice", |bank| (0..TRANSFERS).for_each(|_| transfer(bank, &bank.bob, &bank.alice, 3))),
    ];

    // [join]
    for t in threads {
        t.join().expect("a thread panicked");
    }

    // [report]
    println!("ledger: {} transfers", bank.ledger.lock().len());
    println!("alice: {}", *bank.alice.lock());
    println!("bob: {}", *bank.bob.lock());
}
