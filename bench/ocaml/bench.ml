(* Throughput of OCaml channels, one line per measurement:
   impl shape producers capacity messages seconds   (capacity "-" when unbounded).
   A measurement starts from the message count on the command line and grows it until
   one run lasts at least 100 ms (`lasting`); the line is that run's.
   `fearless bench` runs this program several times and takes the medians. *)

module type CHAN = Chan_sig.CHAN

let report name shape producers capacity messages secs =
  let cap = match capacity with None -> "-" | Some k -> string_of_int k in
  Printf.printf "%s %s %d %s %d %.9f\n%!" name shape producers cap messages secs

(* A measurement shorter than this is not reported: timer resolution, a page fault or
   one descheduling would weigh too much in it. *)
let min_seconds = 0.1

(* A short run is followed by one this much longer than [min_seconds] would need, so
   that noise rarely costs yet another run. *)
let headroom = 1.25

(* At most this many times the messages from one run to the next. *)
let max_growth = 64

(* Runs [run] with [messages] (made a multiple of [producers], which each send as
   many), then with more and more until a run lasts [min_seconds]: that run's messages
   and seconds. *)
let lasting messages producers run =
  let rec go n =
    let secs = run n in
    if secs >= min_seconds then (n, secs)
    else
      (* [secs] may be 0 on a coarse clock: the growth is then the largest. *)
      let growth = Float.min (Float.of_int max_growth) (Float.ceil (min_seconds *. headroom /. secs)) in
      go (n * max 2 (int_of_float growth))
  in
  go (max 1 (messages / producers) * producers)

(* Measures with [lasting] and prints the line. *)
let measure name shape producers capacity messages run =
  let messages, secs = lasting messages producers run in
  report name shape producers capacity messages secs

(* Each run starts from a compacted heap: it does not pay for the garbage of the runs
   before it, nor find a heap they grew (measured: lesson 06's seq row spread 66% between
   repetitions without it, 4-8% with it). *)
let timed f =
  Gc.compact ();
  let start = Unix.gettimeofday () in
  f ();
  Unix.gettimeofday () -. start

let seq (module C : CHAN) messages =
  timed (fun () ->
      let tx, rx = C.create () in
      for i = 1 to messages do C.send tx i done;
      for _ = 1 to messages do ignore (C.recv rx) done)

let mpsc (module C : CHAN) producers messages =
  timed (fun () ->
      let tx, rx = C.create () in
      let each = messages / producers in
      let threads =
        List.init producers (fun _ ->
            let tx = C.clone tx in
            Thread.create (fun () -> for i = 1 to each do C.send tx i done; C.close tx) ())
      in
      C.close tx;
      for _ = 1 to each * producers do ignore (C.recv rx) done;
      List.iter Thread.join threads)

(* Event channels are synchronous: every message is a rendezvous. *)
let event producers messages =
  timed (fun () ->
      let ch = Event.new_channel () in
      let each = messages / producers in
      let threads =
        List.init producers (fun _ -> Thread.create (fun () -> for i = 1 to each do Event.sync (Event.send ch i) done) ())
      in
      for _ = 1 to each * producers do ignore (Event.sync (Event.receive ch)) done;
      List.iter Thread.join threads)

let queue_limit messages =
  timed (fun () ->
      let q = Queue.create () in
      for i = 1 to messages do Queue.push i q done;
      let sum = ref 0 in
      while not (Queue.is_empty q) do sum := !sum + Queue.pop q done;
      ignore (Sys.opaque_identity !sum))

let shape p = if p = 1 then "spsc" else "mpsc"

let lesson name chan messages =
  measure name "seq" 1 None messages (seq chan);
  List.iter (fun p -> measure name (shape p) p None messages (mpsc chan p)) [ 1; 2; 4 ]

let () =
  let messages = try int_of_string Sys.argv.(1) with _ -> 1_000_000 in
  (* The lessons' channels in this kit: lessons.ml, written by `fearless bench`. *)
  List.iter (fun (name, chan) -> lesson name chan messages) Lessons.all;
  (* Event starts from a fiftieth: every message is a meeting of two threads. *)
  let few = max 4 (messages / 50) in
  List.iter (fun p -> measure "ocaml-event" (shape p) p (Some 0) few (event p)) [ 1; 2; 4 ];
  measure "queue-limit" "seq" 1 None messages queue_limit
