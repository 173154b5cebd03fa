(* The kit's roll call (a kit file, shared by the lessons whose workers or stages must run
   at the same time): each one that attends waits, at most two seconds, until all are
   present. Those that run at the same time pass it at once; those run one after the other
   cannot all be present, so the first waits in vain. What it saw goes to the
   kit on the descriptor FEARLESS_PROBE_FD names (nothing happens without it):
   "met <n>", or "alone <who> <ms waited> <present> <n>". *)

let patience = 2.0

type t = {
  expected : int;
  lock : Mutex.t;
  all_here : Condition.t;
  mutable present : int;
  mutable over : bool;  (* everyone came, or someone waited in vain: nobody waits any more *)
  mutable timer : bool;  (* the timer that ends a roll call nobody completes is running *)
}

let create expected = { expected; lock = Mutex.create (); all_here = Condition.create (); present = 0; over = false; timer = false }

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
    tell (Printf.sprintf "met %d" r.expected);
    Condition.broadcast r.all_here
  end

(* Present, without waiting for the others (one that others depend on, such as a
   pipeline's later stages, must not be held up). *)
let present r =
  Mutex.lock r.lock;
  arrive r;
  Mutex.unlock r.lock

(* [who] is present, and waits for the others (not after the roll call is over).
   OCaml 4's Condition has no timed wait: the first to wait starts a timer thread that
   ends the roll call after [patience]. Waiting on the Condition (not polling) keeps the
   waiters ready to run the moment everyone is there. *)
let attend r who =
  Mutex.lock r.lock;
  arrive r;
  if (not r.over) && not r.timer then begin
    r.timer <- true;
    let start = Unix.gettimeofday () in
    ignore
      (Thread.create
         (fun () ->
           Thread.delay patience;
           Mutex.lock r.lock;
           if not r.over then begin
             r.over <- true;
             let waited = Unix.gettimeofday () -. start in
             tell (Printf.sprintf "alone %s %d %d %d" who (int_of_float (waited *. 1000.)) r.present r.expected);
             Condition.broadcast r.all_here
           end;
           Mutex.unlock r.lock)
         ())
  end;
  while not r.over do
    Condition.wait r.all_here r.lock
  done;
  Mutex.unlock r.lock
