(* Shared state: four threads update one counter and one list, each a [ref]
   guarded by a [Mutex]; every update is whole, so the total is exact. *)

let workers = 4
let steps = 200
let note_every = 50

(* Stands for the work between reading the counter and writing it back (a
   computation, a file read): other threads run meanwhile. The kit's probe does it,
   and watches that no two threads are ever inside it at once (the `apart` check). *)
let work = Probe.work

(* One whole line per call. *)
let say fmt = Printf.ksprintf (fun s -> print_string (s ^ "\n"); flush stdout) fmt

(* [shared] *)
(* Nothing ties a lock to its ref but this naming: touch [counter] only while
   holding [counter_lock], and [notes] only while holding [notes_lock]. *)
let counter = ref 0
let counter_lock = Mutex.create ()
let notes = ref []                      (* newest first *)
let notes_lock = Mutex.create ()

(* [update] *)
(* Read, work, write, all under the lock: no other thread can come between. *)
let add_one () =
  Mutex.lock counter_lock;
  let seen = !counter in
  work ();
  counter := seen + 1;
  Mutex.unlock counter_lock

(* [note] *)
let note s =
  Mutex.lock notes_lock;
  notes := s :: !notes;
  Mutex.unlock notes_lock

(* [spawn] *)
let worker id =
  for step = 1 to steps do
    add_one ();
    if step mod note_every = 0 then note (Printf.sprintf "t%d-%d" id step)
  done

let () =
  let threads = List.init workers (Thread.create worker) in
  (* [join] *)
  List.iter Thread.join threads;
  (* [report] *)
  let all = List.rev !notes in
  List.iter (say "note: %s") all;
  say "notes: %d" (List.length all);
  say "counter: %d" !counter
