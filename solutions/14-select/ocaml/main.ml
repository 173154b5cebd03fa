(* Select: one consumer waits on two inputs, a quit signal and a deadline at once, with
   [Event.select] over events [wrap]ped into one type, and blocks while nothing is ready. *)

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
  (* One timer for the whole wait, made before the loop: a thread that offers one value
     on [timeout], [deadline] seconds from now. *)
  let timeout = Event.new_channel () in
  ignore (Thread.create (fun () -> Thread.delay deadline; Event.sync (Event.send timeout ())) ());
  let rec loop got =
    (* [select] *)
    (* Blocks until one of the four is ready; [wrap] gives each the same type. *)
    match
      Event.select
        [
          Event.wrap (Event.receive a) (fun m -> Message m);
          Event.wrap (Event.receive b) (fun m -> Message m);
          Event.wrap (Event.receive quit) (fun () -> Quit);
          Event.wrap (Event.receive timeout) (fun () -> Deadline);
        ]
    with
    | Message m ->
        say "%s got %s" name m;
        loop (got + 1)
    (* [quit] *)
    | Quit -> say "%s: quit after %d messages" name got
    | Deadline -> say "%s: deadline after %d messages" name got
  in
  loop 0

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
