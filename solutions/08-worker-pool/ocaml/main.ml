(* A worker pool: four workers share one job queue (a Queue under a Mutex, the
   shape of Rust's Arc<Mutex<Receiver<Job>>>) and send their reports back over a
   second channel. Every job is done exactly once, and the pool shuts down by
   itself when the jobs run out. *)

let workers = 4
let inputs = [ "2"; "3"; "5"; "7"; "11"; "13"; "17"; "19"; "twenty-three"; "29"; "31"; "37" ]

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
type report = { job : job; worker : int; outcome : (int, string) result }

(* The job queue every worker takes from: [closed] once the last job is in. *)
type jobs = { items : job Queue.t; jobs_lock : Mutex.t; has_job : Condition.t; mutable closed : bool }

let submit q job =
  Mutex.lock q.jobs_lock;
  Queue.push job q.items;
  Condition.signal q.has_job;
  Mutex.unlock q.jobs_lock

let close_jobs q =
  Mutex.lock q.jobs_lock;
  q.closed <- true;
  Condition.broadcast q.has_job;
  Mutex.unlock q.jobs_lock

(* The work itself, the square of the input, done by the kit's probe: jobs 1 to 4 first
   wait at its roll call until four jobs run at once (a pool that cannot run its workers
   side by side never gets past it), and it tells the kit which thread did each job. *)
let run job = Probe.run job.id job.input

(* [worker] *)
let rec worker (q, results, id) =
  Mutex.lock q.jobs_lock;
  while Queue.is_empty q.items && not q.closed do
    Condition.wait q.has_job q.jobs_lock
  done;
  let next = Queue.take_opt q.items in
  (* The lock goes before the job runs: the other workers may take jobs meanwhile. *)
  Mutex.unlock q.jobs_lock;
  match next with
  | None -> sender_done results (* closed and empty: this worker is done *)
  | Some job ->
      send results { job; worker = id; outcome = run job };
      worker (q, results, id)

let () =
  let q = { items = Queue.create (); jobs_lock = Mutex.create (); has_job = Condition.create (); closed = false } in
  let results = chan ~senders:workers in
  (* [spawn] *)
  let pool = List.init workers (fun id -> Thread.create worker (q, results, id)) in
  (* [close] *)
  (* Nothing to drop: the results channel counts the workers, and closes when
     the last of them calls [sender_done]. *)
  (* [submit] *)
  List.iteri (fun i input -> submit q { id = i + 1; input }) inputs;
  close_jobs q;
  (* [collect] *)
  let rec collect squares errors sum =
    match recv results with
    | None -> (squares, errors, sum)
    | Some { job; worker; outcome = Ok square } ->
        Printf.printf "job %d: %S -> %d (worker %d)\n%!" job.id job.input square worker;
        collect (squares + 1) errors (sum + square)
    | Some { job; worker; outcome = Error why } ->
        Printf.printf "job %d: %S -> error: %s (worker %d)\n%!" job.id job.input why worker;
        collect squares (errors + 1) sum
  in
  let squares, errors, sum = collect 0 0 0 in
  (* [join] *)
  List.iter Thread.join pool;
  (* [summary] *)
  Printf.printf "done: %d squares, %d failed, sum %d\n%!" squares errors sum
