(* Send and Sync, or rather their absence: the same program as the Rust one.

   Four sellers (0, 1, 2, 3) sell 250 tickets each from one shared count. Each
   sale is a read-modify-write: read the count, pause ([Probe.pause ()], the kit's
   stand-in for the work a real program would do there), write the count plus one. Each seller prints
   "seller <id> sold 250" when done; at the end the main thread prints
   "tickets sold: 1000".

   OCaml compiles this as it stands, and it runs, and it sells far fewer than
   1000 tickets: while one seller pauses, the others read the same old count,
   and their writes overwrite each other. No compiler stops you: find the race
   and close it with a Mutex. Grade it with `fearless check send-sync --lang ocaml`. *)

(* [shared] *)
let sold = ref 0
(* TODO: a lock that every seller shares. *)

(* [start] *)
(* A starting line: each seller waits here until all four are running, so that
   they really do sell at the same time (the kit's probe holds it). *)

(* [spawn] *)
let seller id =
  Probe.start id;
  for _ = 1 to 250 do
    (* [update] *)
    (* TODO: nobody else may touch [sold] between the read and the write. *)
    let before = !sold in
    Probe.pause ();
    sold := before + 1
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
