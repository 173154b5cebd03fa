(* Multi-producer, single-consumer channels, built from Queue + Mutex + Condition.

   Three producers (ids 0, 1, 2) each send "p<id>-msg<i>" for i = 1..5; the
   consumer prints "got: <msg>" for every message and must stop by itself once
   every producer is done. Then a second channel is filled with 0..4, closed,
   and drained without blocking: "drained: [0, 1, 2, 3, 4]".

   The seed version of this program counted to 15 in the consumer. Don't: a
   consumer that counts breaks as soon as a producer sends one message more or
   less. Close the channel instead. Grade it with
   `fearless check mpsc --lang ocaml`; `fearless hint mpsc` when stuck. *)

(* [channel] *)
type 'a chan = {
  queue : 'a Queue.t;
  lock : Mutex.t;
  nonempty : Condition.t;
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
let sender_done ch =
  (* TODO: one producer fewer; when none is left, wake every waiting receiver. *)
  ignore ch

(* [recv] *)
let recv ch =
  (* TODO: wait while the channel is empty *and still open*; return [Some v],
     or [None] once it is closed and empty. *)
  ignore ch;
  failwith "TODO: recv is not written yet"

(* [drain] *)
let try_recv ch =
  (* TODO: take a value if one is queued right now, without waiting. *)
  ignore ch;
  None

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
  (* The second channel has two senders: yours, and the kit's, which it closes after
     the drain (see probe.ml). *)
  let ch2 = create ~senders:2 in
  (* TODO: fill it with 0..4, close it (your sender), drain it with [try_recv]
     and print "drained: [0, 1, 2, 3, 4]". *)
  ignore try_recv;
  Probe.drained ~senders:ch2.senders;
  sender_done ch2
