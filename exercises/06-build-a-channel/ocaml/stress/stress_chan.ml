(* The `stress` check: many rounds of producers and a consumer under shaken scheduling.
   A round that stops making progress means a thread sleeps for ever: the watchdog says
   so and ends the run. *)
(* How many rounds: [budget] in the lesson's exercise.toml (given as FEARLESS_BUDGET), else 200. *)
let rounds = Option.value ~default:200 (Option.bind (Sys.getenv_opt "FEARLESS_BUDGET") int_of_string_opt)
let progress = ref 0
let stall_limit = 5.0

(* Alcotest captures a test's output; the watchdog speaks on the real stderr. *)
let stderr_of_the_run = Unix.out_channel_of_descr (Unix.dup Unix.stderr)

let watchdog () =
  let rec watch last since =
    Thread.delay 0.1;
    let now = Unix.gettimeofday () in
    if !progress <> last then watch !progress now
    else if now -. since > stall_limit then begin
      Printf.fprintf stderr_of_the_run "FAIL no progress for %.0f s: the receiver sleeps for ever in Condition.wait (a lost wake-up: a signal sent before the wait began, or a last close that did not broadcast)\n%!" stall_limit;
      exit 3
    end
    else watch last since
  in
  ignore (Thread.create (fun () -> watch !progress (Unix.gettimeofday ())) ())

(* Producers that each send [each] numbered messages, then close their sender; the
   receiver takes everything until the channel closes. *)
let producers_and_a_consumer ~producers ~each () =
  for round = 1 to rounds do
    Perturbed.reseed round;
    let tx, rx = Chan.create () in
    let threads =
      List.init producers (fun id ->
          let tx = Chan.clone tx in
          Thread.create (fun () -> for i = 0 to each - 1 do Chan.send tx (id, i) done; Chan.close tx) ())
    in
    Chan.close tx;
    let next = Array.make producers 0 in
    (* What iter hands over is checked once it returns: a failure raised in here would
       unwind through your iter, which could catch it. *)
    let wrong = ref None in
    Chan.iter
      (fun (id, i) ->
        incr progress;
        if !wrong = None then
          if id < 0 || id >= producers then wrong := Some (Printf.sprintf "round %d: a message from producer %d, who does not exist" round id)
          else if i <> next.(id) then wrong := Some (Printf.sprintf "round %d: producer %d's message %d arrived when %d was due" round id i next.(id))
          else next.(id) <- i + 1)
      rx;
    Option.iter Alcotest.fail !wrong;
    List.iter Thread.join threads;
    Array.iteri
      (fun _ n -> if n <> each then Alcotest.fail "recv returned None while a sender was still open (wait in a while loop: a wait may end with nothing queued)")
      next
  done

(* A sender that stays open until its message is in: no last close to wake the receiver. *)
let ping_pong () =
  for round = 1 to rounds * 5 do
    Perturbed.reseed round;
    let tx, rx = Chan.create () in
    let ack_tx, ack_rx = Chan.create () in
    let t = Thread.create (fun () -> Chan.send tx round; ignore (Chan.recv ack_rx); Chan.close tx) () in
    (match Chan.recv rx with
     | Some v when v = round -> incr progress
     | Some v -> Alcotest.failf "round %d: recv returned %d" round v
     | None -> Alcotest.fail "recv returned None while a sender was still open (wait in a while loop: a wait may end with nothing queued)");
    Chan.send ack_tx ();
    Thread.join t;
    if Chan.recv rx <> None then Alcotest.failf "round %d: a message after the channel closed" round
  done

let () =
  watchdog ();
  Alcotest.run "chan under stress"
    [ ( "stress",
        [ Verdict.test_case "one producer, one consumer" `Quick (producers_and_a_consumer ~producers:1 ~each:20);
          Verdict.test_case "four producers, one consumer" `Quick (producers_and_a_consumer ~producers:4 ~each:20);
          Verdict.test_case "a sender open until its message is in" `Quick ping_pong ] ) ]
