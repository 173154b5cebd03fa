(* One worker of the pool fails, and the program says so and still ends cleanly.
   Worker 2 raises on job 8. Nothing is dropped in OCaml: the [sender_done] and the
   [Mutex.unlock] it still owed run only because they are in [Fun.protect ~finally],
   and [main] learns of the failure because [spawn] caught the exception in the thread
   and [join] hands it back, as Rust's [JoinHandle::join] does. *)

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
(* [f ()] with [m] locked, and [m] unlocked however [f] ends, by a value or an
   exception (OCaml 5.1 has it as [Mutex.protect]). *)
let with_lock m f =
  Mutex.lock m;
  Fun.protect ~finally:(fun () -> Mutex.unlock m) f

(* [handle] *)
(* A thread whose outcome [join] returns, like Rust's [JoinHandle]: [Ok] of what it
   returned, or [Error] of the exception that ended it. An exception that leaves a
   thread's function is printed on stderr by the thread library, and lost. *)
type 'a handle = { thread : Thread.t; outcome : ('a, exn) result option ref }

let spawn f x =
  let outcome = ref None in
  let thread = Thread.create (fun () -> outcome := Some (match f x with v -> Ok v | exception e -> Error e)) () in
  { thread; outcome }

let join h =
  Thread.join h.thread;
  Option.get !(h.outcome)

(* [worker] *)
let worker (reports, totals, id) =
  (* However the work ends, this worker is done sending: an exception skips whatever
     comes after it, but not [~finally]. *)
  Fun.protect ~finally:(fun () -> sender_done reports) (fun () ->
      List.iter
        (fun job ->
          (* The totals stay locked while the job runs and is added in. *)
          let square =
            with_lock totals.totals_lock (fun () ->
                let square = run job in
                totals.jobs <- totals.jobs + 1;
                totals.sum <- totals.sum + square;
                square)
          in
          send reports { job; square; worker = id })
        (jobs_of id))

(* [payload] *)
(* What an exception said: [failwith msg] raises [Failure msg]. *)
let why = function Failure msg -> msg | e -> Printexc.to_string e

let () =
  let totals = { totals_lock = Mutex.create (); jobs = 0; sum = 0 } in
  let reports = chan ~senders:workers in
  (* [spawn] *)
  let pool = List.init workers (fun id -> spawn worker (reports, totals, id)) in
  (* [collect] *)
  (* Ends when every worker called [sender_done]: worker 2 too, in its [~finally]. *)
  let rec collect () =
    match recv reports with
    | None -> ()
    | Some { job; square; worker } ->
        Printf.printf "job %d: %s -> %d (worker %d)\n%!" job.id job.input square worker;
        collect ()
  in
  collect ();
  (* [join] *)
  List.iteri
    (fun id h -> match join h with Ok () -> () | Error e -> Printf.printf "worker %d failed: %s\n%!" id (why e))
    pool;
  (* [totals] *)
  let jobs, sum = with_lock totals.totals_lock (fun () -> (totals.jobs, totals.sum)) in
  Printf.printf "done: %d jobs, sum %d\n%!" jobs sum
