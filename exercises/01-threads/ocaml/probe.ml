(* The kit's probe (a kit file: not yours to change, and not graded as yours).

   [takes] prints a worker's line, then holds a roll call: each worker waits there, at
   most a second, until all four are present. Workers that run at the same time pass it
   at once; workers run one after the other cannot all be present, so the first waits
   its second in vain and the `together` check says so. What the roll call saw goes to
   the kit on the descriptor FEARLESS_PROBE_FD names (nothing happens without it). *)

let workers = 4
let patience = 1.0
let roll_call = Mutex.create ()
let present = ref 0

(* Everyone came, or someone waited in vain: nobody waits any more. *)
let over = ref false

(* One line to the kit, if it listens. *)
let tell line =
  match Sys.getenv_opt "FEARLESS_PROBE_FD" with
  | None -> ()
  | Some fd -> (
      try
        let to_kit = open_out_gen [ Open_wronly; Open_append ] 0 ("/dev/fd/" ^ fd) in
        output_string to_kit (line ^ "\n");
        close_out to_kit
      with Sys_error _ -> ())

(* Prints "worker <id> takes <first>..=<last>" and waits at the roll call for the other workers. *)
let takes id first last =
  print_string (Printf.sprintf "worker %d takes %d..=%d\n" id first last);
  flush stdout;
  Mutex.lock roll_call;
  incr present;
  if (not !over) && !present = workers then begin
    over := true;
    tell (Printf.sprintf "met %d" workers)
  end;
  Mutex.unlock roll_call;
  (* OCaml 4's Condition has no timed wait: look every 5 ms. *)
  let start = Unix.gettimeofday () in
  let rec wait () =
    Mutex.lock roll_call;
    let waited = Unix.gettimeofday () -. start in
    if !over then Mutex.unlock roll_call
    else if waited >= patience then begin
      over := true;
      tell (Printf.sprintf "alone worker %d %d %d %d" id (int_of_float (waited *. 1000.)) !present workers);
      Mutex.unlock roll_call
    end
    else begin
      Mutex.unlock roll_call;
      Thread.delay 0.005;
      wait ()
    end
  in
  wait ()
