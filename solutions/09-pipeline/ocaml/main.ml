(* A pipeline: three stages, each a thread, joined by channels. Closing the first
   stage's output shuts the whole pipeline down, stage after stage. *)

let count = 8

(* [channel] *)
(* A closable channel, as in lesson 03 with a single sender: [close] says that
   nothing more will come, and [recv] answers [None] once it is closed and empty. *)
type 'a chan = { queue : 'a Queue.t; lock : Mutex.t; nonempty : Condition.t; mutable closed : bool }

let chan () = { queue = Queue.create (); lock = Mutex.create (); nonempty = Condition.create (); closed = false }

let send ch v =
  Mutex.lock ch.lock;
  Queue.push v ch.queue;
  Condition.signal ch.nonempty;
  Mutex.unlock ch.lock

let close ch =
  Mutex.lock ch.lock;
  ch.closed <- true;
  Condition.broadcast ch.nonempty;
  Mutex.unlock ch.lock

let recv ch =
  Mutex.lock ch.lock;
  while Queue.is_empty ch.queue && not ch.closed do
    Condition.wait ch.nonempty ch.lock
  done;
  let v = Queue.take_opt ch.queue in
  Mutex.unlock ch.lock;
  v

(* One write per line, so that lines from different stages never mix. *)
let say fmt = Printf.ksprintf (fun s -> print_string (s ^ "\n"); flush stdout) fmt

(* [numbers] *)
(* The source: sends 1..count, then closes its output. *)
let numbers out =
  for n = 1 to count do
    send out n;
    Probe.sent n
  done;
  say "numbers: closed after %d" count;
  close out

(* [square] *)
(* The middle stage: squares what comes in, in the order it comes; when its
   input ends, it closes its own output. *)
let rec square input out seen =
  match recv input with
  | Some n ->
      Probe.squared n (n * n);
      send out (n * n);
      square input out (seen + 1)
  | None ->
      say "square: closed after %d" seen;
      close out

(* [total] *)
(* The sink: adds everything up. Thread.join gives back nothing, so the sum goes
   into a ref that main reads after the join. *)
let rec total input result sum seen =
  match recv input with
  | Some sq ->
      Probe.added sq;
      total input result (sum + sq) (seen + 1)
  | None ->
      say "total: closed after %d" seen;
      result := sum

let () =
  (* [channels] *)
  let numbers_ch = chan () and squares_ch = chan () in
  let result = ref 0 in
  (* [spawn] *)
  let stages =
    [ Thread.create numbers numbers_ch;
      Thread.create (fun () -> square numbers_ch squares_ch 0) ();
      Thread.create (fun () -> total squares_ch result 0 0) () ]
  in
  (* [join] *)
  List.iter Thread.join stages;
  say "result: %d" !result
