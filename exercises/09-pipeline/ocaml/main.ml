(* A pipeline: three stages, each a thread, joined by channels.

   [numbers] sends 1..8 and prints "numbers: sent <n>" for each; [square] prints
   "square: <n> -> <n*n>" and passes the square on; [total] prints
   "total: added <sq>" and adds them up. When its input ends, each stage prints
   "<stage>: closed after 8" and closes its own output, so that closing the
   first stage shuts the whole pipeline down, stage after stage. At the end,
   main prints "result: 204". Grade it with `fearless check pipeline --lang ocaml`. *)

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
  (* TODO: take the next value with [recv input]: for [Some n], call
     [Probe.squared n (n * n)] (it prints "square: <n> -> <n*n>"), send the square on, and go on; for [None], print
     "square: closed after <seen>" and close [out]. *)
  ignore (input, out, seen, square);
  failwith "TODO: the square stage"

(* [total] *)
(* The sink: adds everything up. Thread.join gives back nothing, so the sum goes
   into a ref that main reads after the join. *)
let total input result sum seen =
  (* TODO: like [square]: [Probe.added sq] (it prints "total: added <sq>") for each value, then
     "total: closed after <seen>", and the sum into [result]. *)
  ignore (input, result, sum, seen);
  failwith "TODO: the total stage"

let () =
  (* [channels] *)
  (* TODO: two channels: numbers -> square, and square -> total. *)
  (* [spawn] *)
  (* TODO: one thread per stage. *)
  ignore (numbers, square, total);
  failwith "TODO: start the three stages"
  (* [join] *)
  (* TODO: join the stages, then print "result: <sum>". *)
