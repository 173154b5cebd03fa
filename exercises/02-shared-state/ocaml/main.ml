(* Shared state.

   Four workers (ids 0..3) each add 1 to one shared counter 200 times, and
   every 50 steps add the note "t<id>-<step>" to one shared list. Each update
   reads the counter, works a little ([work ()]), then writes back what
   it read plus one. After joining the workers, the main thread prints every
   note as "note: <note>" in the order they were added, then "notes: 16" and
   "counter: 800". The total must be exact, every run.

   Grade it with `fearless check shared-state --lang ocaml`;
   `fearless hint shared-state` when stuck. *)

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
  (* TODO: read [counter], [work ()], write back what you read + 1,
     with no other thread in between. *)
  failwith "TODO: add_one is not written yet"

(* [note] *)
let note s =
  (* TODO: add [s] to [notes] (newest first), with no other thread in between. *)
  ignore s

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
  (* TODO: the notes in the order they were added. *)
  let all = !notes in
  List.iter (say "note: %s") all;
  say "notes: %d" (List.length all);
  say "counter: %d" !counter
