(* Lesson 06's channel, correct and slow: make it fast without losing correctness.
   The `stress` check still runs, and the `efficiency` check counts, per message, the
   signals sent and the locks the receiver takes (see the README's figures). *)

(* [state] *)
type 'a chan = {
  queue : 'a Queue.t;
  lock : Mutex.t;              (* guards every mutable part of the channel *)
  changed : Condition.t;       (* signalled when a message arrives or the last sender closes *)
  mutable senders : int;       (* open senders; 0 means closed *)
  mutable receiving : bool;    (* false once the receiver is closed: sends fail *)
  (* TODO: whether the receiver sleeps (so that a send knows when to signal), and a
     queue of the receiver's own to hand out a whole batch without the lock. *)
}

type 'a sender = { chan : 'a chan; mutable closed : bool }
type 'a receiver = 'a chan

let create () =
  let chan = { queue = Queue.create (); lock = Mutex.create (); changed = Condition.create (); senders = 1; receiving = true } in
  ({ chan; closed = false }, chan)

(* [count] *)
let clone s =
  Mutex.lock s.chan.lock;
  s.chan.senders <- s.chan.senders + 1;
  Mutex.unlock s.chan.lock;
  { chan = s.chan; closed = false }

(* The last sender to close wakes the receiver: nothing else ever will. *)
let close s =
  Mutex.lock s.chan.lock;
  if not s.closed then begin
    s.closed <- true;
    s.chan.senders <- s.chan.senders - 1;
    if s.chan.senders = 0 then Condition.broadcast s.chan.changed
  end;
  Mutex.unlock s.chan.lock

(* [send] *)
exception Receiver_closed

let send s v =
  Mutex.lock s.chan.lock;
  if not s.chan.receiving then begin
    (* Nobody will ever take it: the lock goes first, then the sender hears so. *)
    Mutex.unlock s.chan.lock;
    raise Receiver_closed
  end;
  Queue.push v s.chan.queue;
  (* TODO: signal only when the receiver sleeps, and after unlocking. *)
  Condition.signal s.chan.changed;
  Mutex.unlock s.chan.lock

(* The other way a channel ends: nobody will receive, so every later send fails. *)
let close_receiver ch =
  Mutex.lock ch.lock;
  ch.receiving <- false;
  Queue.clear ch.queue;
  Mutex.unlock ch.lock

(* [recv] *)
let recv ch =
  Mutex.lock ch.lock;
  (* [while], not [if]: a wait may end with nothing to take. *)
  while Queue.is_empty ch.queue && ch.senders > 0 do
    Condition.wait ch.changed ch.lock
  done;
  (* TODO: one lock per message: take every queued message at once (Queue.transfer). *)
  let v = Queue.take_opt ch.queue in
  Mutex.unlock ch.lock;
  v

type try_recv_error = Empty | Disconnected

let try_recv ch =
  Mutex.lock ch.lock;
  let r =
    match Queue.take_opt ch.queue with
    | Some v -> Ok v
    | None -> Error (if ch.senders = 0 then Disconnected else Empty)
  in
  Mutex.unlock ch.lock;
  r

(* [iter] *)
let rec iter f ch = match recv ch with Some v -> f v; iter f ch | None -> ()
