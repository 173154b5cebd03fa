(* Select.

   [serve] is one consumer that waits on two inputs, a quit signal and a deadline at once.
   It prints every message as "<name> got <message>", until the quit signal comes or the
   deadline passes, and then says which: "<name>: quit after <n> messages" or
   "<name>: deadline after <n> messages". The main thread runs it twice: two inputs of
   three messages each and then the quit signal; then one input with a message every
   200 ms and a deadline of 500 ms. While nothing is ready, [serve] must wait without
   using the CPU.

   Grade it with `fearless check select --lang ocaml`;
   `fearless hint select` when stuck. *)

(* The first run's deadline: far, since its quit signal comes first. *)
let far = 2.0

(* The second run's deadline: between its third and fourth message. *)
let deadline = 0.5

(* The second run's messages come this far apart (and the first ones as fast as they can). *)
let tick = 0.2

let say fmt = Printf.ksprintf (fun s -> print_string (s ^ "\n"); flush stdout) fmt

(* What woke [serve]. *)
type woke = Message of string | Quit | Deadline

(* Prints every message of [a] and [b] as "<name> got <message>", until [quit] says to stop
   or [deadline] seconds have passed since the start; then "<name>: quit after <n>
   messages" or "<name>: deadline after <n> messages". *)
let serve name a b quit deadline =
  (* [deadline] *)
  (* TODO: one timer for the whole wait, made before the loop: a thread that waits
     [deadline] seconds, then sends one value on an Event channel. *)
  (* [select] *)
  (* TODO: loop, waiting on [a], [b], [quit] and the timer at once with [Event.select]
     ([Event.wrap] each into a [woke]): print each message and count it; on [Quit] or
     [Deadline], print the last line and return. *)
  ignore (name, a, b, quit, deadline);
  failwith "TODO: wait on the two inputs, the quit signal and the deadline at once"

let () =
  (* [spawn] *)
  (* The first run: two inputs of three messages each, then the quit signal. *)
  let a = Event.new_channel () and b = Event.new_channel () and quit = Event.new_channel () in
  let producer (input, ch) =
    Thread.create
      (fun () ->
        for i = 1 to 3 do
          Event.sync (Event.send ch (Printf.sprintf "%s%d" input i));
          Thread.delay 0.01
        done)
      ()
  in
  let producers = List.map producer [ ("a", a); ("b", b) ] in
  let quitter = Thread.create (fun () -> List.iter Thread.join producers; Event.sync (Event.send quit ())) () in
  serve "both" a b quit far;
  Thread.join quitter;
  (* The second run: one input, a message every [tick], six in all, and no quit signal.
     Nobody sends on [nothing]. *)
  let ticks = Event.new_channel () and nothing = Event.new_channel () and no_quit = Event.new_channel () in
  let start = Unix.gettimeofday () in
  ignore
    (Thread.create
       (fun () ->
         for i = 1 to 6 do
           (* On a schedule from the start, not after each delay: late delays do not add up. *)
           Thread.delay (max 0. (start +. (tick *. float_of_int (i - 1)) -. Unix.gettimeofday ()));
           Event.sync (Event.send ticks (Printf.sprintf "t%d" i))
         done)
       ());
  serve "ticks" ticks nothing no_quit deadline
