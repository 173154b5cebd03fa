(* The threads library's Mutex and Condition with the scheduling shaken. OCaml runs
   one thread at a time and switches rarely, so a race that needs a switch at one
   exact point almost never shows; here a thread may yield at every lock, unlock and
   signal (the choices come from a fixed seed), and every other wait on a condition
   (the 1st, 3rd, ...) returns at once, without a signal, as POSIX allows: a spurious wake-up. *)
let rng = ref (Random.State.make [| 0 |])
let reseed n = rng := Random.State.make [| n |]
let maybe_yield () = if Random.State.int !rng 3 = 0 then Thread.yield ()

module Mutex = struct
  type t = Mutex.t
  let create = Mutex.create
  let lock m = maybe_yield (); Mutex.lock m; maybe_yield ()
  let try_lock m = maybe_yield (); Mutex.try_lock m
  let unlock m = Mutex.unlock m; maybe_yield ()
end

module Condition = struct
  type t = { cond : Condition.t; mutable waits : int }
  let create () = { cond = Condition.create (); waits = 0 }
  let wait c m =
    c.waits <- c.waits + 1;
    if c.waits mod 2 = 1 then begin
      Mutex.unlock m; Thread.yield (); Mutex.lock m
    end
    else Condition.wait c.cond m
  let signal c = maybe_yield (); Condition.signal c.cond
  let broadcast c = maybe_yield (); Condition.broadcast c.cond
end
