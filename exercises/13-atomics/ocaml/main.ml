(* The kit's program, on your shared.ml (a kit file: shared.ml is yours).

   Four workers, started together, each call [add_one] 250 times on one counter; once
   they are joined, "counter: 1000". Then a reader looks into a mailbox ([read]) until a
   value is there, while a publisher puts 42 in it ([publish]): "read: 42". *)

let workers = 4
let steps = 250

let () =
  let c = Shared.counter () in
  let start = Mutex.create () in
  (* The workers start together: each waits until the main thread lets go of [start]. *)
  Mutex.lock start;
  let worker _ =
    Mutex.lock start;
    Mutex.unlock start;
    for _ = 1 to steps do
      Shared.add_one c
    done
  in
  let threads = List.init workers (Thread.create worker) in
  Thread.delay 0.01;
  Mutex.unlock start;
  List.iter Thread.join threads;
  Printf.printf "counter: %d\n%!" (Shared.get c);
  let m = Shared.mailbox () in
  let result = ref None in
  (* [Sys.opaque_identity]: the calls into shared.ml are not the closures' last, so that a
     backtrace keeps their place in shared.ml. *)
  let rec look () =
    match Probe.looking (fun () -> Sys.opaque_identity (Shared.read m)) with
    | Some v ->
        Probe.done_looking ();
        result := Some v
    | None ->
        Thread.yield ();
        look ()
  in
  let reader = Thread.create look () in
  let published = ref false in
  let publish () =
    Probe.publishing (fun () -> Sys.opaque_identity (Shared.publish m 42));
    published := true
  in
  let publisher = Thread.create publish () in
  Thread.join publisher;
  (* A [publish] that raised published nothing: the reader would look for ever. *)
  if not !published then exit 2;
  Thread.join reader;
  match !result with Some v -> Printf.printf "read: %d\n%!" v | None -> ()
