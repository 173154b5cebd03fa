(* Deadlock.

   Two payers and an auditor share two accounts (alice and bob, 100 each) and a ledger,
   each behind a lock ([Locks.t]: a [Mutex.t] with a name, from the kit's locks.ml).
   "alice pays bob" moves 10 from alice to bob three times, "bob pays alice" moves 3 back
   three times, and each transfer is recorded in the ledger. The auditor closes the books
   (takes the ledger's lock) and prints both balances' sum, taken at one instant. Then the
   main thread prints the ledger's length and the balances: "audit: 200 in all",
   "ledger: 6 transfers", "alice: 79", "bob: 121", every run.

   Grade it with `fearless check deadlock --lang ocaml`;
   `fearless hint deadlock` when stuck. *)

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
  (* TODO: lock both accounts and move [amount] from [from] to [to_]. Every thread must
     take the locks in one order (whichever way the money goes), or two payers can each
     hold one account and wait forever for the other's. *)
  ignore (from, to_, amount);
  failwith "TODO: lock both accounts, in one order, and move the money"
  (* [record] *)
  (* TODO: add [Printf.sprintf "%s paid %s %d" ...] to [ledger] under [ledger_lock],
     without holding an account's lock while you wait for the ledger's. *)

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
