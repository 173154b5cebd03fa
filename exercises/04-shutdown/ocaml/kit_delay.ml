(* The kit's delay (a kit file: not yours to change, and not graded as yours).

   [before_close ()] waits a moment before a sender closes its channel, so that the
   receiver has taken everything sent and is waiting in [Condition.wait] when the close
   comes. That is the order in which a close that wakes nobody (no [broadcast], or a
   wait that is not woken) loses the wake-up: the receiver then waits for ever. Without
   the delay, that order comes about one run in a few hundred; with it, every run, so
   the kit sees the mistake the first time. A correct channel does not notice. *)

let before_close () = Thread.delay 0.1

(* [stagger ~workers id] holds worker [id] back before it starts, each worker by a
   different time, in an order that turns with the run ([FEARLESS_ROUND]): a lesson that
   runs the program as many times as it has workers sees each worker start last once.
   A worker that ends something the others still use (a [Stop] sent while they are still
   logging) then shows in every grading, whichever worker it is. *)
let stagger ~workers id =
  let round = match Sys.getenv_opt "FEARLESS_ROUND" with Some r -> Option.value (int_of_string_opt r) ~default:0 | None -> 0 in
  Thread.delay (0.03 *. float_of_int ((id + round) mod max 1 workers))
