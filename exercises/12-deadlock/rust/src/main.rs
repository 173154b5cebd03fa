//! Deadlock.
//!
//! Two payers and an auditor share two accounts (alice and bob, 100 each) and a ledger,
//! each behind a lock (`Lock<T>`: a `Mutex<T>` with a name, from the kit's `locks.rs`).
//! `alice pays bob` moves 10 from alice to bob three times, `bob pays alice` moves 3 back
//! three times, and each transfer is recorded in the ledger. The auditor closes the books
//! (takes the ledger) and prints both balances' sum, taken at one instant. Then `main`
//! prints the ledger's length and the balances:
//! `audit: 200 in all`, `ledger: 6 transfers`, `alice: 79`, `bob: 121`, every run.
//!
//! Run `fearless check deadlock --lang rust` to grade it, `fearless hint deadlock` when stuck.
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
    // TODO: lock both accounts and move `amount` from `from` to `to`. Every thread must
    // take the locks in one order (whichever way the money goes), or two payers can each
    // hold one account and wait forever for the other's.
    let _ = (from, to, amount);
    todo!("lock both accounts, in one order, and move the money");

    // [record]
    // TODO: push `format!("{} paid {} {amount}", from.name(), to.name())` onto the
    // ledger, without holding an account's lock while you wait for the ledger's.
    #[allow(unreachable_code)]
    let _ = &bank.ledger;
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
