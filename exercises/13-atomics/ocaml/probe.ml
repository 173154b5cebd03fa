(* The kit's probe (a kit file: not yours to change, and not graded as yours), used by
   atomic.ml and main.ml.

   [pause ()] follows every [Atomic.get]: the work between reading a value and writing it
   back. [Thread.delay] lets the other threads run meanwhile (OCaml 4 runs one at a time),
   so a read-then-write is interleaved with the others' in every run.

   The hand-over between the kit's publisher and its reader (main.ml): the publisher
   starts once the reader has looked once ([looking] is one call of [read]), and stops
   after the first write of [publish] until a look that began after that write has ended.
   A value published in the wrong order (the flag set first) is then seen missing in
   every run, not only when a thread switch falls between the two writes. *)

let pause () = Thread.delay 0.0002

let lock = Mutex.create ()
let begun = ref 0
let ended = ref 0
let over = ref false  (* the reader looks no more *)

(* The publisher, while it is inside [publish] and has not written yet. *)
let publisher = ref None

(* The longest the publisher waits for a look: a reader that stopped looking, or never
   began, does not hang the program. *)
let patience = 2.0

let locked f =
  Mutex.lock lock;
  Fun.protect ~finally:(fun () -> Mutex.unlock lock) f

(* Waits (at most [patience]) until [done_ ()] or the reader looks no more. OCaml 4's
   Condition has no timed wait: a short sleep between tries. *)
let wait_for done_ =
  let until = Unix.gettimeofday () +. patience in
  while (not (locked (fun () -> done_ () || !over))) && Unix.gettimeofday () < until do
    Thread.delay 0.0005
  done

let wrote () =
  let me = Thread.id (Thread.self ()) in
  let first = locked (fun () -> if !publisher = Some me then (publisher := None; true) else false) in
  if first then begin
    let b = locked (fun () -> !begun) in
    wait_for (fun () -> !ended > b)
  end

let publishing publish =
  wait_for (fun () -> !ended > 0);
  locked (fun () -> publisher := Some (Thread.id (Thread.self ())));
  Fun.protect ~finally:(fun () -> locked (fun () -> publisher := None)) publish

let done_looking () = locked (fun () -> over := true)

(* A reader that raises (a [failwith "TODO: ..."]) looks no more. *)
let looking read =
  locked (fun () -> incr begun);
  let r =
    try read ()
    with e ->
      let bt = Printexc.get_raw_backtrace () in
      done_looking ();
      Printexc.raise_with_backtrace e bt
  in
  locked (fun () -> incr ended);
  r
