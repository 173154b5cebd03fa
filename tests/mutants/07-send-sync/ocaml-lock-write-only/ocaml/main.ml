(* Send and Sync, or rather their absence: four sellers share one count, and
   nothing but our own discipline keeps them apart. The Mutex makes each
   read-modify-write whole: a seller that pauses inside it keeps the others out. *)

(* [shared] *)
let sold = ref 0
let lock = Mutex.create ()      (* guards [sold]: take it for every read and write *)

(* [start] *)
(* A starting line: each seller waits here until all four are running, so that
   they really do sell at the same time (and a race shows every time, not now
   and then). Waiting with Thread.yield keeps the waiters ready to run. *)
let started = ref 0
let start_together () =
  incr started;
  while !started < 4 do Thread.yield () done

(* [spawn] *)
let seller id =
  start_together ();
  for _ = 1 to 250 do
    (* [update] *)
    let before = !sold in
    Thread.yield ();
    Mutex.lock lock;
    sold := before + 1;
    Mutex.unlock lock
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
