(* The kit's tests of your channel (the `tests` check). *)

(* How long a correct channel could possibly need to wake a thread, with room to spare. *)
let patience = 5.0

let eventually what cond =
  let start = Unix.gettimeofday () in
  while not (cond ()) do
    if Unix.gettimeofday () -. start > patience then Alcotest.fail what;
    Thread.delay 0.001
  done

(* Starts [f] in a thread; [result ()] waits (within patience) for what it returned. *)
let in_thread what f =
  let out = ref None in
  let _ = Thread.create (fun () -> out := Some (f ())) () in
  fun () ->
    eventually what (fun () -> !out <> None);
    Option.get !out

let until_one_more_waits before =
  eventually "recv never waited on the Condition: wait while the queue is empty and a sender is open"
    (fun () -> !Counted.waiting > before)

let opt = Alcotest.(option int)

(* The seed's three tests. *)
let a_sent_message_is_received () =
  let tx, rx = Chan.create () in
  Chan.send tx 42;
  Alcotest.check opt "recv" (Some 42) (Chan.recv rx)

let recv_on_a_closed_channel_is_none () =
  let tx, rx = Chan.create () in
  Chan.close tx;
  Alcotest.check opt "recv on a closed, empty channel" None (Chan.recv rx)

(* The other way a channel ends: the receiver is gone, and sends fail. *)
let a_send_after_the_receiver_closed_fails () =
  let tx, rx = Chan.create () in
  Chan.send tx 1;
  Alcotest.check opt "recv" (Some 1) (Chan.recv rx);
  let tx2 = Chan.clone tx in
  Chan.close_receiver rx;
  let raises what f =
    match f () with
    | () -> Alcotest.fail (what ^ " returned after close_receiver: nobody will ever take the message, so send must raise Chan.Receiver_closed")
    | exception Chan.Receiver_closed -> ()
  in
  raises "send" (fun () -> Chan.send tx 2);
  raises "a clone's send" (fun () -> Chan.send tx2 3)

(* Joins the producers, closes the last sender, and checks that nothing more arrives.
   Tests with many threads keep the first sender open until every message is in, so that
   the receiver never sleeps through the last close: that has a test of its own. *)
let closed_after producers last rx =
  List.iter Thread.join producers;
  Chan.close last;
  Alcotest.(check bool) "recv after every message and every close" true (Chan.recv rx = None)

let four_producers_one_message_each () =
  let tx, rx = Chan.create () in
  let producers = List.init 4 (fun i -> let tx = Chan.clone tx in Thread.create (fun () -> Chan.send tx i; Chan.close tx) ()) in
  let got = List.init 4 (fun _ -> Chan.recv rx) in
  Alcotest.(check (list opt)) "four messages" [ Some 0; Some 1; Some 2; Some 3 ] (List.sort compare got);
  closed_after producers tx rx

let producers_send count each tx =
  List.init count (fun id ->
      let tx = Chan.clone tx in
      Thread.create (fun () -> for i = 0 to each - 1 do Chan.send tx (id, i) done; Chan.close tx) ())

let each_producer_s_messages_arrive_in_order () =
  let tx, rx = Chan.create () in
  let producers = producers_send 4 2000 tx in
  let next = Array.make 4 0 in
  for _ = 1 to 4 * 2000 do
    match Chan.recv rx with
    | None -> Alcotest.fail "recv returned None while the first sender is open"
    | Some (id, i) ->
        if i <> next.(id) then Alcotest.failf "producer %d's message %d arrived when %d was due" id i next.(id);
        next.(id) <- i + 1
  done;
  closed_after producers tx rx

let many_producers_every_message_exactly_once () =
  let count, each = (16, 2000) in
  let tx, rx = Chan.create () in
  let producers = producers_send count each tx in
  let seen = Hashtbl.create (count * each) in
  for _ = 1 to count * each do
    match Chan.recv rx with
    | None -> Alcotest.fail "recv returned None while the first sender is open"
    | Some m ->
        if Hashtbl.mem seen m then Alcotest.failf "message (%d, %d) arrived twice" (fst m) (snd m);
        Hashtbl.add seen m ()
  done;
  closed_after producers tx rx

let result = Alcotest.testable (fun f r ->
  Format.pp_print_string f (match r with Ok v -> Printf.sprintf "Ok %d" v | Error Chan.Empty -> "Error Empty" | Error Chan.Disconnected -> "Error Disconnected")) ( = )

let try_recv_tells_empty_from_disconnected () =
  let tx, rx = Chan.create () in
  Alcotest.check result "nothing sent yet, the sender open" (Error Chan.Empty) (Chan.try_recv rx);
  Chan.send tx 7;
  Alcotest.check result "a message queued" (Ok 7) (Chan.try_recv rx);
  Alcotest.check result "everything taken, the sender open" (Error Chan.Empty) (Chan.try_recv rx);
  Chan.send tx 8;
  Chan.close tx;
  Alcotest.check result "a closed channel still hands out what it holds" (Ok 8) (Chan.try_recv rx);
  Alcotest.check result "empty, and every sender closed" (Error Chan.Disconnected) (Chan.try_recv rx);
  (* Every answer lets the lock go: asked again, from another thread, try_recv must not wait for it. *)
  let again =
    in_thread "try_recv kept the lock after answering Disconnected: every path through it must Mutex.unlock before it returns"
      (fun () -> Chan.try_recv rx)
  in
  Alcotest.check result "asked again" (Error Chan.Disconnected) (again ())

let a_clone_keeps_the_channel_open () =
  let tx, rx = Chan.create () in
  let tx2 = Chan.clone tx in
  Chan.close tx;
  Alcotest.check result "a clone is still open: count clones, the channel is open" (Error Chan.Empty) (Chan.try_recv rx);
  Chan.send tx2 1;
  Chan.close tx2;
  Alcotest.check opt "the clone's message" (Some 1) (Chan.recv rx);
  Alcotest.check opt "then the end" None (Chan.recv rx)

let closing_twice_counts_once () =
  let tx, rx = Chan.create () in
  let tx2 = Chan.clone tx in
  Chan.close tx;
  Chan.close tx;
  Alcotest.check result "one sender closed twice, its clone still open" (Error Chan.Empty) (Chan.try_recv rx);
  Chan.close tx2

let iter_ends_when_the_channel_closes () =
  let tx, rx = Chan.create () in
  List.iter (Chan.send tx) [ 1; 2; 3 ];
  Chan.close tx;
  let got = ref [] in
  Chan.iter (fun v -> got := v :: !got) rx;
  Alcotest.(check (list int)) "every message, in order" [ 1; 2; 3 ] (List.rev !got)

let a_send_wakes_a_waiting_receiver () =
  let tx, rx = Chan.create () in
  let before = !Counted.waiting in
  let received = in_thread "the receiver still sleeps after a send: signal the Condition when a message arrives" (fun () -> Chan.recv rx) in
  until_one_more_waits before;
  Chan.send tx 5;
  Alcotest.check opt "the message sent while it waited" (Some 5) (received ())

let the_last_close_wakes_a_waiting_receiver () =
  let tx, rx = Chan.create () in
  let tx2 = Chan.clone tx in
  let before = !Counted.waiting in
  let received = in_thread "the receiver still sleeps after the last sender closed: the last close must broadcast" (fun () -> Chan.recv rx) in
  until_one_more_waits before;
  Chan.close tx;
  Chan.close tx2;
  Alcotest.check opt "recv on the closed channel" None (received ())

let built_from_mutex_and_condition () =
  let before = !Counted.locks in
  let tx, rx = Chan.create () in
  Chan.send tx 1;
  ignore (Chan.recv rx);
  if !Counted.locks = before then Alcotest.fail "no lock taken: build the channel from Mutex and Condition"

let () =
  Alcotest.run "chan"
    [ ( "chan",
        [ Verdict.test_case "a sent message is received" `Quick a_sent_message_is_received;
          Verdict.test_case "recv on a closed channel is None" `Quick recv_on_a_closed_channel_is_none;
          Verdict.test_case "four producers, one message each" `Quick four_producers_one_message_each;
          Verdict.test_case "each producer's messages arrive in order" `Quick each_producer_s_messages_arrive_in_order;
          Verdict.test_case "many producers, every message exactly once" `Quick many_producers_every_message_exactly_once;
          Verdict.test_case "try_recv tells Empty from Disconnected" `Quick try_recv_tells_empty_from_disconnected;
          Verdict.test_case "a send after the receiver closed fails" `Quick a_send_after_the_receiver_closed_fails;
          Verdict.test_case "a clone keeps the channel open" `Quick a_clone_keeps_the_channel_open;
          Verdict.test_case "closing a sender twice counts once" `Quick closing_twice_counts_once;
          Verdict.test_case "iter ends when the channel closes" `Quick iter_ends_when_the_channel_closes;
          Verdict.test_case "a send wakes a waiting receiver" `Quick a_send_wakes_a_waiting_receiver;
          Verdict.test_case "the last close wakes a waiting receiver" `Quick the_last_close_wakes_a_waiting_receiver;
          Verdict.test_case "built from Mutex and Condition" `Quick built_from_mutex_and_condition ] ) ]
