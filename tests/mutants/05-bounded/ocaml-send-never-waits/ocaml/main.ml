(* Back-pressure: a bounded queue with two conditions (not full, not empty)
   makes a fast producer wait for a slow consumer. A capacity of 0 is a
   rendezvous, which is what OCaml's [Event] channels are: [Event.sync] on a
   send returns only once a receiver has taken the value. *)

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
  Mutex.lock b.lock;
  while Queue.is_empty b.queue && not b.closed do Condition.wait b.not_empty b.lock done;
  let v = Queue.take_opt b.queue in
  if v <> None then Condition.signal b.not_full;
  Mutex.unlock b.lock;
  v

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
  for i = 1 to items do
    Event.sync (Event.send ch (Some i));     (* returns once the consumer took it *)
    Atomic.incr sent;
    say "%s sent %d" name i
  done;
  Event.sync (Event.send ch None)

let rendezvous name items =
  let ch = Event.new_channel () in
  let sent = Atomic.make 0 in
  let producer = Thread.create (offer name ch sent) items in
  let most = consume name (fun () -> Event.sync (Event.receive ch)) sent in
  Thread.join producer;
  most

(* [verdict] *)
let verdict name capacity most =
  if most <= capacity then say "%s: never more than %d in flight" name capacity
  else say "%s: %d in flight, more than %d" name most capacity

let () =
  verdict "bounded" 2 (bounded "bounded" 2 10);
  verdict "rendezvous" 0 (rendezvous "rendezvous" 5)
