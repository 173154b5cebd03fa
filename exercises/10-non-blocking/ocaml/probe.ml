(* The kit's probe (a kit file: not yours to change, and not graded as yours).

   [Probe.later send v] has a thread of the kit's call [send v] 20 ms from now;
   [Probe.received ()] (called by [waited] when a wait got a value) tells the kit how long
   the value waited to be taken (the [at_most] check). A wait that looks again every
   millisecond takes it at once; a [Thread.delay] for the whole time followed by one look
   takes it only when the delay is over, whatever came meanwhile. *)

let sent = ref None

let later send v =
  ignore
    (Thread.create
       (fun () ->
         Thread.delay 0.020;
         sent := Some (Unix.gettimeofday ());
         send v)
       ())

let received () =
  match !sent with
  | Some t -> Roll_call.tell (Printf.sprintf "most timeout %d" (int_of_float ((Unix.gettimeofday () -. t) *. 1000.)))
  | None -> ()
