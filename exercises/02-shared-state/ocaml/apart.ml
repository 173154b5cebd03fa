(* The kit's watch on a read-modify-write (a kit file, shared by the lessons about
   locks): [pause] stands for the work between reading a shared value and writing it
   back, and notes whether two threads were ever inside it at once, which a lock held
   from the read to the write rules out. Without a lock, the pause lets another thread
   in every time, so a missing lock is seen in every run, not now and then. At exit it
   tells the kit on the descriptor FEARLESS_PROBE_FD names: "pauses <n> overlap <0|1>". *)

let lock = Mutex.create ()
let inside = ref 0
let pauses = ref 0
let overlap = ref false

let enter () =
  Mutex.lock lock;
  incr pauses;
  incr inside;
  if !inside > 1 then overlap := true;
  Mutex.unlock lock

let leave () =
  Mutex.lock lock;
  decr inside;
  Mutex.unlock lock

(* The pause itself: [wait ()] (a yield, a short sleep) with the watch around it. *)
let pause wait =
  enter ();
  wait ();
  leave ()

let () = at_exit (fun () -> Roll_call.tell (Printf.sprintf "pauses %d overlap %d" !pauses (if !overlap then 1 else 0)))
