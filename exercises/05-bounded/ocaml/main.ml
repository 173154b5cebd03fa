(* Bounded channels: back-pressure and rendezvous.

   [bounded] moves 1..items from a fast producer thread to a slow consumer (the
   calling thread) through a queue that holds at most [capacity] values; the
   kit's probe prints "<name> sent <i>" after each send ([Probe.sent]) and
   "<name> got <i>" after each receive ([Probe.got]), and measures how many values
   are in flight (sent, not yet received) before each receive
   ([Probe.before_receive]). [rendezvous] does the same through an [Event] channel,
   which has no buffer at all. [Probe.verdict] prints
   "<name>: never more than <capacity> in flight" when the bound held.

   Grade it with `fearless check bounded --lang ocaml`; `fearless hint bounded`
   when stuck. *)

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
  (* TODO: offer [Some i] for each i in 1..items ([Probe.sent name i] once it was
     taken: it prints "<name> sent <i>"), then [None]. *)
  ignore (name, ch, items)

let rendezvous name items =
  let ch = Event.new_channel () in
  let producer = Thread.create (offer name ch) items in
  (* TODO: receive from [ch]. *)
  consume name (fun () -> failwith "TODO: receive from the Event channel");
  Thread.join producer

(* [verdict] *)
(* The kit's probe prints whether the bound held, from its own measurement. *)
let () =
  bounded "bounded" 2 10;
  Probe.verdict "bounded" 2;
  rendezvous "rendezvous" 5;
  Probe.verdict "rendezvous" 0
