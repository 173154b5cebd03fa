(* The kit's delay (a kit file: not yours to change, and not graded as yours).

   [before_close ()] waits a moment before a sender closes its channel, so that the
   receiver has taken everything sent and is waiting in [Condition.wait] when the close
   comes. That is the order in which a close that wakes nobody (no [broadcast], or a
   wait that is not woken) loses the wake-up: the receiver then waits for ever. Without
   the delay, that order comes about one run in a few hundred; with it, every run, so
   the kit sees the mistake the first time. A correct channel does not notice. *)

let before_close () = Thread.delay 0.1
