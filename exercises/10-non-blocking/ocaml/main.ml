(* Non-blocking receives: a look at a channel that never waits, and telling
   "nothing yet" from "nothing ever again".

   1. [poll] A dispatcher on one thread hands out jobs 1..8 to a worker and
      collects the squares it sends back, so it may block on neither: it polls the
      results with [try_recv], prints "got <square>" for each, hands out the next
      job (or closes the jobs channel) while none is ready, and stops when the
      worker has closed the results. Then "collected 8 results, sum 204" and
      "idle polls: <n>" (any n).
   2. [drain] Three values queued, channel open: take them without waiting, then
      look once more: "drained [1, 2, 3], then empty"; two more, channel closed:
      "drained [4, 5], then disconnected".
   3. [timeout] "waited 20 ms: timed out" on an open empty channel; after closing
      it, "waited again: disconnected"; on a channel the kit sends 7 on after 20 ms,
      "waited up to 2 s: got 7", as soon as it comes.
   4. [rendezvous] An Event channel: Event.poll until the sender is there:
      "rendezvous: got 42".
   Grade it with `fearless check non-blocking --lang ocaml`. *)

let jobs = 8

(* [channel] *)
(* Lesson 03's closable channel, with one sender: [close] instead of a count. *)
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

(* [try-recv] *)
(* What a look that never waits can find: Rust's Ok / Empty / Disconnected. *)
type 'a polled = Got of 'a | Empty | Closed

(* TODO: take a value if one is queued right now, without waiting: [Got v];
   if none is, [Empty] while the channel is open and [Closed] once it is closed.
   Mind the order: what was sent before the close must still be taken. *)
let try_recv (ch : 'a chan) : 'a polled =
  ignore ch;
  failwith "TODO: try_recv"

let describe = function Got v -> Printf.sprintf "got %d" v | Empty -> "empty" | Closed -> "disconnected"

let say fmt = Printf.ksprintf (fun s -> print_string (s ^ "\n"); flush stdout) fmt

(* [worker] *)
(* Squares each job it is given; closes the results when the jobs are closed. *)
let rec worker (jobs, results) =
  match recv jobs with
  | Some n ->
      Thread.delay 0.002;           (* the work takes a while *)
      send results (n * n);
      worker (jobs, results)
  | None -> close results

(* [poll-loop] *)
(* A dispatcher on one thread: it hands out jobs and collects results, so it may
   block on neither. Returns (collected, sum, idle). *)
let poll results jobs_ch next collected sum idle =
  (* TODO: [try_recv results]: [Got square]: print "got <square>" and go on;
     [Empty]: other work: hand out job [next] (or [close jobs_ch] once all are
     out), [Thread.yield ()] and go on; [Closed]: stop. *)
  ignore (results, jobs_ch, next, collected, sum, idle);
  failwith "TODO: poll"

(* [drain-loop] *)
(* Takes what is queued right now; says what the last look found. *)
let drain (ch : int chan) (acc : int list) : int list * int polled =
  (* TODO: [try_recv] until it gives something other than [Got]; [acc] holds what
     was taken so far (newest first). *)
  ignore (ch, acc);
  failwith "TODO: drain"

let show l = "[" ^ String.concat ", " (List.map string_of_int l) ^ "]"

(* [deadline] *)
(* TODO: OCaml 4's Condition has no timed wait: look with [try_recv], and
   [Thread.delay] a little, until [Unix.gettimeofday ()] passes the deadline.
   Answer `Got v, `Timeout or `Disconnected. *)
let wait_until (ch : int chan) (deadline : float) : [ `Got of int | `Timeout | `Disconnected ] =
  ignore (ch, deadline);
  failwith "TODO: wait_until"

let recv_timeout ch seconds = wait_until ch (Unix.gettimeofday () +. seconds)

(* Prints what a wait found, under [label]; the kit's probe notes how long a value waited. *)
let waited label = function
  | `Got v -> Probe.received (); say "%s: got %d" label v
  | `Timeout -> say "%s: timed out" label
  | `Disconnected -> say "%s: disconnected" label

let () =
  (* [poll] *)
  let jobs_ch = chan () and results = chan () in
  let helper = Thread.create worker (jobs_ch, results) in
  let collected, sum, idle = poll results jobs_ch 1 0 0 0 in
  say "collected %d results, sum %d" collected sum;
  say "idle polls: %d" idle;
  Thread.join helper;
  (* [drain] *)
  (* TODO: queue 1, 2, 3 and [drain ch []]: "drained [1, 2, 3], then empty"; queue 4
     and 5, close, [drain]: "drained [4, 5], then disconnected". *)
  ignore (drain, show, describe);
  (* [timeout] *)
  (* TODO: [waited "waited 20 ms" (recv_timeout ch 0.020)] on an open empty
     channel; close it; [waited "waited again" ...]. Then a fresh channel [later], with
     [Probe.later (send later) 7] (the kit sends 7 on it 20 ms from now), and
     [waited "waited up to 2 s" (recv_timeout later 2.0)]: the wait must end as soon as
     the value comes. *)
  ignore (recv_timeout, waited);
  (* [rendezvous] *)
  (* TODO: Event.new_channel, a thread doing Event.sync (Event.send ev 42), and
     Event.poll (Event.receive ev) until it gives [Some v]: "rendezvous: got 42". *)
  ()
