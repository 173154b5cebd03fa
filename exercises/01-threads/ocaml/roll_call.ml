(* The kit's roll call (a kit file, shared by the lessons whose workers or stages must run
   at the same time): each one that attends waits, at most two seconds, until all are
   present. Those that run at the same time pass it at once; those run one after the other
   cannot all be present, so the first waits in vain. What it saw goes to the
   kit on the descriptor FEARLESS_PROBE_FD names (nothing happens without it):
   "met <n>", or "alone <who> <ms waited> <present> <n>". *)

let patience = 2.0

type t = { expected : int; lock : Mutex.t; mutable present : int; mutable over : bool }

let create expected = { expected; lock = Mutex.create (); present = 0; over = false }

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

(* The roll call is over when the last one arrives (the lock held). *)
let arrive r =
  r.present <- r.present + 1;
  if (not r.over) && r.present = r.expected then begin
    r.over <- true;
    tell (Printf.sprintf "met %d" r.expected)
  end

(* Present, without waiting for the others (one that others depend on, such as a
   pipeline's later stages, must not be held up). *)
let present r =
  Mutex.lock r.lock;
  arrive r;
  Mutex.unlock r.lock

(* [who] is present, and waits for the others (not after the roll call is over). *)
let attend r who =
  Mutex.lock r.lock;
  arrive r;
  Mutex.unlock r.lock;
  (* OCaml 4's Condition has no timed wait: look every 5 ms. *)
  let start = Unix.gettimeofday () in
  let rec wait () =
    Mutex.lock r.lock;
    let waited = Unix.gettimeofday () -. start in
    if r.over then Mutex.unlock r.lock
    else if waited >= patience then begin
      r.over <- true;
      tell (Printf.sprintf "alone %s %d %d %d" who (int_of_float (waited *. 1000.)) r.present r.expected);
      Mutex.unlock r.lock
    end
    else begin
      Mutex.unlock r.lock;
      Thread.delay 0.005;
      wait ()
    end
  in
  wait ()
