(* Send and Sync, or rather their absence: four sellers share one count, and
   nothing but our own discipline keeps them apart. The Mutex makes each
   read-modify-write whole: a seller that pauses inside it keeps the others out. *)

(* [shared] *)
let sold = ref 0
let lock = Mutex.create ()      (* guards [sold]: take it for every read and write *)

(* [start] *)
(* A starting line: each seller waits here until all four are running, so that
   they really do sell at the same time (the kit's probe holds it). *)

(* [spawn] *)
let seller id =
  Probe.start id;
  for _ = 1 to 250 do
    (* [update] *)
    Mutex.lock lock;
    (* Fun.protect unlocks even if the body raises, as a Rust guard would on drop. *)
    Fun.protect ~finally:(fun () -> Mutex.unlock lock) (fun () ->
        let before = !sold in
        Probe.pause ();           (* harmless now: the other sellers wait for the lock *)
        sold := before + 1)
  done;
  (* one write per line, so that lines from different threads never mix *)
  print_string (Printf.sprintf "seller %d sold 250\n" id);
  flush stdout

let () =
  let sellers = List.init 4 (fun id -> Thread.create seller id) in
  (* [join] *)
  List.iter Thread.join sellers;
  (* [print] *)
  Printf.printf "tickets sold: %d\n%!" !sold
