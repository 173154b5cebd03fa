(* Bounded channels: back-pressure and rendezvous.

   [bounded] moves 1..items from a fast producer thread to a slow consumer (the
   calling thread) through a queue that holds at most [capacity] values; the
   producer prints "<name> sent <i>" after each send, the consumer
   "<name> got <i>" after each receive, and the consumer measures how many
   values are in flight (sent, not yet received). [rendezvous] does the same
   through an [Event] channel, which has no buffer at all. The main program
   prints "<name>: never more than <capacity> in flight" when the bound held.

   Grade it with `fearless check bounded --lang ocaml`; `fearless hint bounded`
   when stuck. *)

(* The consumer's time per value: long enough for the producer to run ahead. *)
let slow = 0.003

(* One whole line per call: threads never cut into each other's lines. *)
let say fmt = Printf.ksprintf (fun s -> print_string (s ^ "\n"); flush stdout) fmt

(* [channel] *)
type 'a bounded = {
  queue : 'a Queue.t;
  capacity : int;
  lock : Mutex.t;
  not_empty : Condition.t;      (* signalled by send and by close *)
  not_full : Condition.t;       (* signalled by recv *)
  mutable closed : bool;
}

let create capacity =
  { queue = Queue.create (); capacity; lock = Mutex.create ();
    not_empty = Condition.create (); not_full = Condition.create (); closed = false }

(* [send] *)
let send b v =
  Mutex.lock b.lock;
  (* TODO: while the queue is full, wait until [recv] makes room. *)
  Queue.push v b.queue;
  Condition.signal b.not_empty;
  Mutex.unlock b.lock

let close b =
  Mutex.lock b.lock;
  b.closed <- true;
  Condition.broadcast b.not_empty;
  Mutex.unlock b.lock

(* [recv] *)
(* [None] once the queue is closed and empty. *)
let recv b =
  (* TODO: wait while the queue is empty and still open; take a value, and
     tell a waiting producer that there is room now. *)
  ignore b;
  failwith "TODO: recv is not written yet"

(* [consume] *)
(* Receives until [take] says [None]; returns the most values ever seen in
   flight (sent, not yet received), measured between receives. *)
let consume name take sent =
  let rec loop received most =
    Thread.delay slow;
    let most = max most (Atomic.get sent - received) in
    match take () with
    | Some i -> say "%s got %d" name i; loop (received + 1) most
    | None -> most
  in
  loop 0 0

(* [produce] *)
let produce name b sent items =
  for i = 1 to items do
    send b i;                   (* waits while the queue is full *)
    Atomic.incr sent;
    say "%s sent %d" name i
  done;
  close b

let bounded name capacity items =
  let b = create capacity in
  let sent = Atomic.make 0 in
  let producer = Thread.create (produce name b sent) items in
  let most = consume name (fun () -> recv b) sent in
  (* [join] *)
  (* Only now: a producer waiting on a full queue can finish only while someone receives. *)
  Thread.join producer;
  most

(* [rendezvous] *)
(* An Event channel has no buffer and no close: [None] says "no more". *)
let offer name ch sent items =
  (* TODO: offer [Some i] for each i in 1..items (count it in [sent] and print
     "<name> sent <i>" once it was taken), then [None]. *)
  ignore (name, ch, sent, items)

let rendezvous name items =
  let ch = Event.new_channel () in
  let sent = Atomic.make 0 in
  let producer = Thread.create (offer name ch sent) items in
  (* TODO: receive from [ch]. *)
  let most = consume name (fun () -> failwith "TODO: receive from the Event channel") sent in
  Thread.join producer;
  most

(* [verdict] *)
let verdict name capacity most =
  if most <= capacity then say "%s: never more than %d in flight" name capacity
  else say "%s: %d in flight, more than %d" name most capacity

let () =
  verdict "bounded" 2 (bounded "bounded" 2 10);
  verdict "rendezvous" 0 (rendezvous "rendezvous" 5)
