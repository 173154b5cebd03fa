(* What the kit's program (main.ml) calls in your shared.ml (a kit file: the contract). *)

(** A count that many threads add to at once. *)
type counter

val counter : unit -> counter

(** Adds one. No update may be lost, however many threads add at once. *)
val add_one : counter -> unit

(** The count. The kit calls it once every thread that added was joined. *)
val get : counter -> int

(** One value, put in by a publisher and taken by a reader that looks until it is there. *)
type mailbox

val mailbox : unit -> mailbox

(** Puts the value in the mailbox, for [read] to find. *)
val publish : mailbox -> int -> unit

(** [Some value] once it is published, [None] before. *)
val read : mailbox -> int option
