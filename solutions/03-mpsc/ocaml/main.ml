(* Multi-producer, single-consumer channels, built from Queue + Mutex + Condition.
   The channel closes itself when its last producer is done, so the consumer
   stops by itself: it never needs to know how many messages to expect. *)

(* [channel] *)
type 'a chan = {
  queue : 'a Queue.t;
  lock : Mutex.t;
  nonempty : Condition.t;       (* signalled on every send and on close *)
  mutable senders : int;        (* producers still sending; 0 means closed *)
}

let create ~senders =
  { queue = Queue.create (); lock = Mutex.create ();
    nonempty = Condition.create (); senders }

(* [send] *)
let send ch v =
  Mutex.lock ch.lock;
  Queue.push v ch.queue;
  Condition.signal ch.nonempty;
  Mutex.unlock ch.lock

(* [close] *)
(* A producer that is done says so; the last one closes the channel and wakes
   every waiting receiver. *)
let sender_done ch =
  Mutex.lock ch.lock;
  ch.senders <- ch.senders - 1;
  if ch.senders = 0 then Condition.broadcast ch.nonempty;
  Mutex.unlock ch.lock

(* [recv] *)
(* Blocks while the channel is empty and open; [None] once closed and empty. *)
let recv ch =
  Mutex.lock ch.lock;
  while Queue.is_empty ch.queue && ch.senders > 0 do
    Condition.wait ch.nonempty ch.lock
  done;
  let v = Queue.take_opt ch.queue in
  Mutex.unlock ch.lock;
  v

(* [drain] *)
(* Never blocks: [None] when nothing is queued right now. *)
let try_recv ch =
  Mutex.lock ch.lock;
  let v = Queue.take_opt ch.queue in
  Mutex.unlock ch.lock;
  v

let rec drain ch = match try_recv ch with Some v -> v :: drain ch | None -> []

let () =
  (* [spawn] *)
  let ch = create ~senders:3 in
  let producers =
    List.init 3 (fun id ->
        Thread.create
          (fun () ->
            (* [send] *)
            for i = 1 to 5 do
              send ch (Printf.sprintf "p%d-msg%d" id i)
            done;
            (* [close] *)
            Kit_delay.before_close ();
            sender_done ch; Probe.closed ~senders:ch.senders)
          ())
  in
  (* [recv] *)
  let rec consume () =
    match recv ch with
    | Some msg -> Printf.printf "got: %s\n%!" msg; consume ()
    | None -> ()
  in
  consume ();
  (* [join] *)
  List.iter Thread.join producers;
  (* [drain] *)
  (* Two senders: this one, and the kit's, which it closes after the drain. *)
  let ch2 = create ~senders:2 in
  for i = 0 to 4 do send ch2 i done;
  sender_done ch2;
  let drained = drain ch2 in
  Printf.printf "drained: [%s]\n%!" (String.concat ", " (List.map string_of_int drained));
  Probe.drained ~senders:ch2.senders;
  sender_done ch2
