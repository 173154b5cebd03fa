(* Deadlock: two payers and an auditor share two accounts and a ledger, each behind a
   lock; every thread takes the locks in one order (the ledger, then the accounts by
   name), so none waits for another that waits for it. *)

let transfers = 3

(* A balance, behind a lock named after its owner. *)
type account = { lock : Locks.t; mutable balance : int }

let alice = { lock = Locks.create "alice"; balance = 100 }
let bob = { lock = Locks.create "bob"; balance = 100 }

(* One line per transfer done. *)
let ledger : string list ref = ref []
let ledger_lock = Locks.create "ledger"

let transfer from to_ amount =
  (* [transfer] *)
  (* One order everywhere: the account whose name sorts first, then the other. *)
  let first, second = if Locks.name from.lock < Locks.name to_.lock then (from, to_) else (to_, from) in
  Locks.lock first.lock;
  Locks.lock second.lock;
  from.balance <- from.balance - amount;
  to_.balance <- to_.balance + amount;
  Locks.unlock second.lock;
  Locks.unlock first.lock;
  (* [record] *)
  (* The accounts are let go first: the ledger is never waited for while holding one. *)
  Locks.lock ledger_lock;
  ledger := Printf.sprintf "%s paid %s %d" (Locks.name from.lock) (Locks.name to_.lock) amount :: !ledger;
  Locks.unlock ledger_lock

let audit () =
  (* [audit] *)
  (* The books closed (no transfer recorded meanwhile), then both balances at one instant. *)
  Locks.lock ledger_lock;
  Locks.lock alice.lock;
  Locks.lock bob.lock;
  Printf.printf "audit: %d in all\n%!" (alice.balance + bob.balance);
  Locks.unlock bob.lock;
  Locks.unlock alice.lock;
  Locks.unlock ledger_lock

let () =
  (* [spawn] *)
  let pays from to_ amount () =
    for _ = 1 to transfers do
      transfer from to_ amount
    done
  in
  let threads =
    [ Locks.spawn "alice pays bob" (pays alice bob 10) (); Locks.spawn "auditor" audit (); Locks.spawn "bob pays alice" (pays bob alice 3) () ]
  in
  (* [join] *)
  List.iter Thread.join threads;
  (* [report] *)
  Printf.printf "ledger: %d transfers\n" (List.length !ledger);
  Printf.printf "alice: %d\n" alice.balance;
  Printf.printf "bob: %d\n" bob.balance
