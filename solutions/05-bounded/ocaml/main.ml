(* Back-pressure: a bounded queue with two conditions (not full, not empty)
   makes a fast producer wait for a slow consumer. A capacity of 0 is a
   rendezvous, which is what OCaml's [Event] channels are: [Event.sync] on a
   send returns only once a receiver has taken the value. *)

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
  while Queue.length b.queue >= b.capacity do Condition.wait b.not_full b.lock done;
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
(* Receives until [take] says [None]. The kit's probe is the consumer's clock: before
   each receive it waits, and measures what is in flight. *)
let consume name take =
  let rec loop () =
    Probe.before_receive name;
    match take () with
    | Some i -> Probe.got name i; loop ()
    | None -> ()
  in
  loop ()

(* [produce] *)
let produce name b items =
  for i = 1 to items do
    send b i;                   (* waits while the queue is full *)
    Probe.sent name i
  done;
  close b

let bounded name capacity items =
  let b = create capacity in
  let producer = Thread.create (produce name b) items in
  consume name (fun () -> recv b);
  (* [join] *)
  (* Only now: a producer waiting on a full queue can finish only while someone receives. *)
  Thread.join producer

(* [rendezvous] *)
(* An Event channel has no buffer and no close: [None] says "no more". *)
let offer name ch items =
  for i = 1 to items do
    Event.sync (Event.send ch (Some i));     (* returns once the consumer took it *)
    Probe.sent name i
  done;
  Event.sync (Event.send ch None)

let rendezvous name items =
  let ch = Event.new_channel () in
  let producer = Thread.create (offer name ch) items in
  consume name (fun () -> Event.sync (Event.receive ch));
  Thread.join producer

(* [verdict] *)
(* The kit's probe prints whether the bound held, from its own measurement. *)
let () =
  bounded "bounded" 2 10;
  Probe.verdict "bounded" 2;
  rendezvous "rendezvous" 5;
  Probe.verdict "rendezvous" 0
