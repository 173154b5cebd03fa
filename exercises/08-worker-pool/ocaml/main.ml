(* A worker pool: four workers share one job queue (a Queue under a Mutex, the
   shape of Rust's Arc<Mutex<Receiver<Job>>>) and send their reports back over a
   second channel.

   Twelve jobs (ids 1..12) each square a number given as text. For each job the
   main thread prints, in whatever order the reports arrive,
   job <id>: "<input>" -> <square> (worker <w>)
   or  job <id>: "<input>" -> error: not a number (worker <w>)
   and at the end "done: 11 squares, 1 failed, sum 4198". Every job must be done
   exactly once, by any worker, and the program must stop by itself when the jobs
   run out. Grade it with `fearless check worker-pool --lang ocaml`. *)

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
let worker (q, results, id) =
  (* TODO: until the queue is closed and empty: lock it, wait (Condition.wait in a
     [while]) while it is empty and open, take a job with Queue.take_opt, unlock
     *before* running the job, then [send results] a report for it, whatever its
     outcome. When no job is left, say so with [sender_done results]. *)
  ignore (q, results, id, run, send, sender_done);
  failwith "TODO: the worker's loop"

let () =
  let q = { items = Queue.create (); jobs_lock = Mutex.create (); has_job = Condition.create (); closed = false } in
  (* [spawn] *)
  (* [close] *)
  (* TODO: a results channel that closes when the last worker is done, and
     [workers] threads running [worker]. *)
  let results : report chan = failwith "TODO: the results channel and the workers" in
  let pool : Thread.t list = [] in
  (* [submit] *)
  List.iteri (fun i input -> submit q { id = i + 1; input }) inputs;
  (* TODO: no more jobs will come: tell the workers. *)
  ignore close_jobs;
  (* [collect] *)
  (* TODO: print a line for every report until the results channel closes, and
     count the squares, the failures and the sum of the squares. *)
  ignore (recv results);
  (* [join] *)
  List.iter Thread.join pool;
  (* [summary] *)
  (* TODO: Printf.printf "done: %d squares, %d failed, sum %d\n%!" ... *)
  ()
