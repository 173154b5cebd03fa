(* Atomics: a counter that four threads add to with [Atomic.incr], and a value published
   with a flag: a plain field written before an [Atomic.set], read after an [Atomic.get]. *)

(* [counter] *)
type counter = { count : int Atomic.t }

let counter () = { count = Atomic.make 0 }

(* [add] *)
(* One step no other thread can come between ([Atomic.fetch_and_add c.count 1] is the same):
   no update is lost. *)
let add_one c = Atomic.incr c.count

(* [get] *)
let get c = Atomic.get c.count

(* [mailbox] *)
(* [value] is a plain field: the flag, an atomic, publishes it. *)
type mailbox = { mutable value : int; ready : bool Atomic.t }

let mailbox () = { value = 0; ready = Atomic.make false }

(* [publish] *)
(* The value first, then the flag: a reader that sees the flag sees every write made
   before it (OCaml's atomics are sequentially consistent). *)
let publish m v =
  m.value <- v;
  Atomic.set m.ready true

(* [read] *)
(* The flag, then the value. *)
let read m = if Atomic.get m.ready then Some m.value else None
