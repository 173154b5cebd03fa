(* Non-blocking receives: a look at a channel that never waits, and telling
   "nothing yet" from "nothing ever again". *)

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

(* Queue.take_opt under the lock; the queue comes first, so that what was sent
   before the close is still taken. *)
let try_recv ch =
  Mutex.lock ch.lock;
  let r = match Queue.take_opt ch.queue with Some v -> Got v | None -> if ch.closed then Closed else Empty in
  Mutex.unlock ch.lock;
  r

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
   block on neither. While no result is ready it does its other work. *)
let rec poll results jobs_ch next collected sum idle =
  match try_recv results with
  | Got square ->
      say "got %d" square;
      poll results jobs_ch next (collected + 1) (sum + square) idle
  | Empty ->
      (* Nothing yet: other work. Hand out the next job, or close the jobs
         channel once they are all out. *)
      if next <= jobs then send jobs_ch next else close jobs_ch;
      Thread.yield ();
      poll results jobs_ch (next + 1) collected sum (idle + 1)
  | Closed -> (collected, sum, idle)   (* nothing ever again *)

(* [drain-loop] *)
(* Takes what is queued right now; says what the last look found. *)
let rec drain ch acc =
  match try_recv ch with Got v -> drain ch (v :: acc) | last -> (List.rev acc, last)

let show l = "[" ^ String.concat ", " (List.map string_of_int l) ^ "]"

(* [deadline] *)
(* OCaml 4's Condition has no timed wait: look, and sleep a little, until the deadline. *)
let rec wait_until ch deadline =
  match try_recv ch with
  | Empty when Unix.gettimeofday () < deadline -> Thread.delay 0.001; wait_until ch deadline
  | Empty -> `Timeout
  | Closed -> `Disconnected
  | Got v -> `Got v

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
  let ch = chan () in
  List.iter (send ch) [ 1; 2; 3 ];
  let now, last = drain ch [] in
  say "drained %s, then %s" (show now) (describe last);
  List.iter (send ch) [ 4; 5 ];
  close ch;
  let rest, last = drain ch [] in
  say "drained %s, then %s" (show rest) (describe last);
  (* [timeout] *)
  let ch : int chan = chan () in
  waited "waited 20 ms" (recv_timeout ch 0.020);
  close ch;
  waited "waited again" (recv_timeout ch 0.020);
  let later : int chan = chan () in
  Probe.later (send later) 7;
  waited "waited up to 2 s" (recv_timeout later 2.0);
  (* [rendezvous] *)
  (* Event channels hold nothing: Event.poll succeeds only while a sender waits in
     Event.sync, so we poll until one is. *)
  let ev = Event.new_channel () in
  let sender = Thread.create (fun () -> Event.sync (Event.send ev 42)) () in
  let rec wait_for_sender () =
    match Event.poll (Event.receive ev) with Some v -> v | None -> Thread.yield (); wait_for_sender ()
  in
  let got = wait_for_sender () in
  Thread.join sender;
  say "rendezvous: got %d" got
