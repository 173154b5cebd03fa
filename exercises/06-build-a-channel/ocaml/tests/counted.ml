(* The threads library's Mutex and Condition, counted, so that the tests can see how
   the channel uses them: locks taken, notifications sent, threads waiting now.
   (Plain [incr] cannot be interrupted by another thread: it does not allocate.) *)
let locks = ref 0
let notifications = ref 0
let waits = ref 0
let waiting = ref 0

(* Locks taken by one thread, the one the tests watch (the receiver). *)
let watched = ref (-1)
let watched_locks = ref 0
let count_lock () = incr locks; if Thread.id (Thread.self ()) = !watched then incr watched_locks

module Mutex = struct
  type t = Mutex.t
  let create = Mutex.create
  let lock m = count_lock (); Mutex.lock m
  let try_lock m = count_lock (); Mutex.try_lock m
  let unlock = Mutex.unlock
end

module Condition = struct
  type t = Condition.t
  let create = Condition.create
  (* Counted while the lock is held: whoever sees it takes the lock only once this
     thread really sleeps. *)
  let wait c m = incr waits; incr waiting; Condition.wait c m; decr waiting
  let signal c = incr notifications; Condition.signal c
  let broadcast c = incr notifications; Condition.broadcast c
end
