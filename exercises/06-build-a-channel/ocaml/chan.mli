(** Unbounded multi-producer, single-consumer channels, closed by their last sender.

    A channel has one receiver and any number of senders. Every sender is closed
    once, by the producer that holds it; when the last open sender is closed, the
    channel is closed: the receiver still gets every queued message, then [None].
    Messages from one sender arrive in the order they were sent. *)

type 'a sender
(** One producer's end. Make more with {!clone}. *)

type 'a receiver
(** The consumer's end. *)

val create : unit -> 'a sender * 'a receiver
(** A new, open channel with one open sender. *)

val clone : 'a sender -> 'a sender
(** Another open sender of the same channel: the channel stays open until this one
    is closed too. *)

exception Receiver_closed
(** Raised by {!send} once the receiver is closed: nobody would ever take the message. *)

val send : 'a sender -> 'a -> unit
(** Queues a message and wakes the receiver if it waits. Never waits itself
    (beyond taking the lock). Raises {!Receiver_closed} once {!close_receiver} was
    called: the other way a channel ends. *)

val close : 'a sender -> unit
(** This sender is done. Closing the last open sender closes the channel and wakes
    the receiver. Closing a sender that is already closed does nothing. *)

val close_receiver : 'a receiver -> unit
(** The receiver is done: every later {!send} raises {!Receiver_closed}, and what is
    queued is dropped. (Rust does this when the [Receiver] is dropped; OCaml's garbage
    collector tells nobody, so the receiver says it.) *)

val recv : 'a receiver -> 'a option
(** The next message, waiting while the channel is empty and a sender is open;
    [None] once the channel is closed and empty. *)

type try_recv_error =
  | Empty  (** nothing queued now, but a sender is open and may still send *)
  | Disconnected  (** nothing queued, and every sender closed *)

val try_recv : 'a receiver -> ('a, try_recv_error) result
(** The next message if one is queued now; never waits. *)

val iter : ('a -> unit) -> 'a receiver -> unit
(** [iter f r] calls [f] on every message, in order of arrival, until the channel
    is closed and empty. *)
