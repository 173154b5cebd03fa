(* What the benchmark needs of a channel: the lessons' channels (chan06.ml, chan11.ml,
   staged by `fearless bench` from the solutions) have it. *)
module type CHAN = sig
  type 'a sender
  type 'a receiver
  val create : unit -> 'a sender * 'a receiver
  val clone : 'a sender -> 'a sender
  val send : 'a sender -> 'a -> unit
  val close : 'a sender -> unit
  val recv : 'a receiver -> 'a option
end
