(* The kit's Atomic (a kit file: not yours to change, and not graded as yours).

   The standard library's [Atomic], with the kit's probe in it (probe.ml). It has the same
   name, so [Atomic] in shared.ml is this one: its functions are the standard ones, and
   two things of the kit's make a mistake show in every run, not once in a million:
   - every [get] is followed by a short pause. It stands for the work a thread does
     between reading a value and writing it back (lesson 02's [work ()]): other threads
     run meanwhile, so a thread that writes back what it read overwrites their updates.
   - the kit's publisher stops after the first write of [publish] (an [Atomic.set], a
     successful [compare_and_set], ...) until the reader has looked once. *)

include Stdlib.Atomic

let get a =
  let v = get a in
  Probe.pause ();
  v

let set a v =
  set a v;
  Probe.wrote ()

let exchange a v =
  let old = exchange a v in
  Probe.wrote ();
  old

let compare_and_set a seen v =
  let ok = compare_and_set a seen v in
  if ok then Probe.wrote ();
  ok

let fetch_and_add a n =
  let old = fetch_and_add a n in
  Probe.wrote ();
  old

let incr a = ignore (fetch_and_add a 1)
let decr a = ignore (fetch_and_add a (-1))
