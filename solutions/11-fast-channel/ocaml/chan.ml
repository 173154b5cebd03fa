(* The channel of lesson 06, made fast without losing correctness: a sender signals
   only when the receiver sleeps, and the receiver takes every queued message under
   one lock, then serves them from a queue of its own without locking. *)

(* [state] *)
type 'a chan = {
  queue : 'a Queue.t;
  lock : Mutex.t;
  changed : Condition.t;
  mutable senders : int;
  mutable receiver_waits : bool;  (* the next send must signal *)
  mutable receiving : bool;       (* false once the receiver is closed: sends fail *)
  taken : 'a Queue.t;             (* the last batch; only the receiver touches it *)
}

type 'a sender = { chan : 'a chan; mutable closed : bool }
type 'a receiver = 'a chan

let create () =
  let chan =
    { queue = Queue.create (); lock = Mutex.create (); changed = Condition.create ();
      senders = 1; receiver_waits = false; receiving = true; taken = Queue.create () }
  in
  ({ chan; closed = false }, chan)

(* [count] *)
let clone s =
  Mutex.lock s.chan.lock;
  s.chan.senders <- s.chan.senders + 1;
  Mutex.unlock s.chan.lock;
  { chan = s.chan; closed = false }

let close s =
  Mutex.lock s.chan.lock;
  if not s.closed then begin
    s.closed <- true;
    s.chan.senders <- s.chan.senders - 1;
    if s.chan.senders = 0 then Condition.broadcast s.chan.changed
  end;
  Mutex.unlock s.chan.lock

(* [send] *)
(* Only the first send after the receiver fell asleep signals it. *)
exception Receiver_closed

let send s v =
  let ch = s.chan in
  Mutex.lock ch.lock;
  if not ch.receiving then begin
    Mutex.unlock ch.lock;
    raise Receiver_closed
  end;
  Queue.push v ch.queue;
  let wake = ch.receiver_waits in
  ch.receiver_waits <- false;
  Mutex.unlock ch.lock;
  if wake then Condition.signal ch.changed

(* Nobody will receive: every later send fails, and what is queued goes now. *)
let close_receiver ch =
  Mutex.lock ch.lock;
  ch.receiving <- false;
  Queue.clear ch.queue;
  Queue.clear ch.taken;
  Mutex.unlock ch.lock

(* [recv] *)
let recv ch =
  if not (Queue.is_empty ch.taken) then Some (Queue.pop ch.taken)
  else begin
    Mutex.lock ch.lock;
    while Queue.is_empty ch.queue && ch.senders > 0 do
      ch.receiver_waits <- true;
      Condition.wait ch.changed ch.lock
    done;
    (* The whole queue at once, in constant time: one lock for the batch. *)
    Queue.transfer ch.queue ch.taken;
    Mutex.unlock ch.lock;
    Queue.take_opt ch.taken
  end

type try_recv_error = Empty | Disconnected

let try_recv ch =
  if not (Queue.is_empty ch.taken) then Ok (Queue.pop ch.taken)
  else begin
    Mutex.lock ch.lock;
    Queue.transfer ch.queue ch.taken;
    let closed = ch.senders = 0 in
    Mutex.unlock ch.lock;
    match Queue.take_opt ch.taken with
    | Some v -> Ok v
    | None -> Error (if closed then Disconnected else Empty)
  end

(* [iter] *)
let rec iter f ch = match recv ch with Some v -> f v; iter f ch | None -> ()
