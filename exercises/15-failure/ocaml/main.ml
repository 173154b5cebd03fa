(* A worker pool in which one worker fails.

   Four workers (ids 0..3) each run three jobs, in order: worker w runs jobs 3w+1,
   3w+2 and 3w+3. A job squares its input; job 8's input is no number, and [run]
   raises on it, so worker 2 dies on its second job and never runs its third. For
   each job that worked, the main thread prints, in whatever order the reports arrive,
   job <id>: <input> -> <square> (worker <w>)
   then, for the worker that failed, "worker 2 failed: bad job 8", then the totals of
   the work that succeeded, "done: 10 jobs, sum 3837". And the program ends by itself.
   Grade it with `fearless check failure --lang ocaml`; `fearless hint failure`. *)

let workers = 4
let jobs_each = 3
let inputs = [| "2"; "3"; "5"; "7"; "11"; "13"; "17"; "nineteen"; "23"; "29"; "31"; "37" |]

(* [results] *)
(* The reports' channel, as built in lesson 03: it closes when its last sender is done. *)
type 'a chan = {
  queue : 'a Queue.t;
  lock : Mutex.t;
  nonempty : Condition.t;
  mutable senders : int;
}

let chan ~senders = { queue = Queue.create (); lock = Mutex.create (); nonempty = Condition.create (); senders }

let send ch v =
  Mutex.lock ch.lock;
  Queue.push v ch.queue;
  Condition.signal ch.nonempty;
  Mutex.unlock ch.lock

let sender_done ch =
  Mutex.lock ch.lock;
  ch.senders <- ch.senders - 1;
  if ch.senders = 0 then Condition.broadcast ch.nonempty;
  Mutex.unlock ch.lock

let recv ch =
  Mutex.lock ch.lock;
  while Queue.is_empty ch.queue && ch.senders > 0 do
    Condition.wait ch.nonempty ch.lock
  done;
  let v = Queue.take_opt ch.queue in
  Mutex.unlock ch.lock;
  v

(* [job] *)
type job = { id : int; input : string }

(* What a worker sends back for a job that worked. *)
type report = { job : job; square : int; worker : int }

(* The work that succeeded, added up by the workers as they go. *)
type totals = { totals_lock : Mutex.t; mutable jobs : int; mutable sum : int }

(* Worker [w]'s jobs, in order: jobs 3w+1, 3w+2 and 3w+3. *)
let jobs_of worker = List.init jobs_each (fun k -> let i = (worker * jobs_each) + k in { id = i + 1; input = inputs.(i) })

(* The work: the square of the input. Job 8's input is no number, and [run] raises on
   it, as a bug would: worker 2 dies on its second job, and never runs its third. *)
let run job =
  match int_of_string_opt job.input with
  | Some n -> n * n
  | None -> failwith (Printf.sprintf "bad job %d" job.id)

(* [lock] *)
(* [f ()] with [m] locked. *)
let with_lock (m : Mutex.t) (f : unit -> 'a) : 'a =
  (* TODO: lock [m], run [f], and unlock [m] however [f] ends: by a value, or by an
     exception, which skips every call after it unless that call is in
     [Fun.protect ~finally]. *)
  ignore (m, f);
  failwith "TODO: with_lock"

(* [handle] *)
(* A thread whose outcome [join] returns, like Rust's [JoinHandle]: [Ok] of what it
   returned, or [Error] of the exception that ended it. *)
type 'a handle = { thread : Thread.t; outcome : ('a, exn) result option ref }

let spawn (f : 'b -> 'a) (x : 'b) : 'a handle =
  (* TODO: a thread that runs [f x] and puts its outcome in a fresh [ref]. Catch the
     exception inside the thread: one that leaves a thread's function is printed on
     stderr by the thread library, and lost. *)
  ignore (f, x);
  failwith "TODO: spawn"

let join (h : 'a handle) : ('a, exn) result =
  (* TODO: wait for the thread, then return its outcome. *)
  ignore h;
  failwith "TODO: join"

(* [worker] *)
let worker (reports, totals, id) =
  (* TODO: for each job of [jobs_of id]: with the totals locked ([with_lock]), [run]
     the job and add it in; then [send reports] its report. Worker 2's [run] raises on
     job 8, and an exception skips everything after it: this worker's
     [sender_done reports] must run however the work ends. *)
  ignore (reports, totals, id, jobs_of, run, send, sender_done);
  failwith "TODO: the worker's loop"

(* [payload] *)
(* What an exception said. *)
let why (e : exn) : string =
  (* TODO: [failwith msg] raises [Failure msg]: its message is [msg]. Other
     exceptions: [Printexc.to_string]. *)
  ignore e;
  failwith "TODO: what the exception said"

let () =
  let totals = { totals_lock = Mutex.create (); jobs = 0; sum = 0 } in
  let reports = chan ~senders:workers in
  (* [spawn] *)
  let pool = List.init workers (fun id -> spawn worker (reports, totals, id)) in
  (* [collect] *)
  (* Ends when every worker called [sender_done], one that failed too. *)
  let rec collect () =
    match recv reports with
    | None -> ()
    | Some { job; square; worker } ->
        Printf.printf "job %d: %s -> %d (worker %d)\n%!" job.id job.input square worker;
        collect ()
  in
  collect ();
  (* [join] *)
  (* TODO: join every worker, in order ([List.iteri]). For one that failed, print
     "worker <id> failed: <what the exception said>" ([why]). *)
  ignore (pool, join, why);
  (* [totals] *)
  (* TODO: read the totals under their lock ([with_lock]), and print
     "done: <jobs> jobs, sum <sum>". *)
  ignore with_lock
