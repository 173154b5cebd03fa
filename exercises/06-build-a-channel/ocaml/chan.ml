(* An unbounded multi-producer, single-consumer channel, built by hand.
   chan.mli is the contract (the kit's; read it first). Build the channel from the
   threads library's Queue, Mutex and Condition: the kit's checks swap Mutex and
   Condition for counted and shaken versions of their own. *)

(* [state] *)
(* TODO: what does the channel hold? The queued messages, a lock, a condition for
   the receiver to sleep on, the number of senders still open, and whether the
   receiver is (both mutable). *)
type 'a chan = { queue : 'a Queue.t }

(* TODO: a sender must remember whether it was already closed. *)
type 'a sender = { chan : 'a chan }
type 'a receiver = 'a chan

let create () : 'a sender * 'a receiver = failwith "TODO: make a channel with one open sender"

(* [count] *)
let clone (s : 'a sender) : 'a sender = ignore s.chan; failwith "TODO: count one more open sender"

(* TODO: the last sender to close wakes the receiver (Condition.broadcast). *)
let close (_ : 'a sender) : unit = failwith "TODO: one open sender fewer"

(* [send] *)
exception Receiver_closed

let send (_ : 'a sender) (_ : 'a) : unit =
  failwith "TODO: push under the lock and signal; raise Receiver_closed once the receiver is closed"

(* TODO: the other way a channel ends: no later send may succeed. *)
let close_receiver (_ : 'a receiver) : unit = failwith "TODO: mark the receiver closed"

(* [recv] *)
let recv (ch : 'a receiver) : 'a option = ignore ch.queue; failwith "TODO: wait while empty and open, then take"

type try_recv_error = Empty | Disconnected

let try_recv (_ : 'a receiver) : ('a, try_recv_error) result = failwith "TODO: take without waiting, or say why not"

(* [iter] *)
let iter (_ : 'a -> unit) (_ : 'a receiver) : unit = failwith "TODO: recv until None"
