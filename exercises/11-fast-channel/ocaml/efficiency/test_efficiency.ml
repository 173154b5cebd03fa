(* The `efficiency` check: how often the channel signals and how often
   the receiver takes the lock, per message, on a fixed workload. Counts, not times. *)
let producers = 4

(* Messages sent: [budget] in the lesson's exercise.toml (given as FEARLESS_BUDGET), else
   1,000,000; a multiple of the producers. The counts are per message: a bigger workload
   gives the same figures, only later. *)
let messages =
  let asked = Option.value ~default:1_000_000 (Option.bind (Sys.getenv_opt "FEARLESS_BUDGET") int_of_string_opt) in
  max asked producers / producers * producers

let per_message () =
  let tx, rx = Chan.create () in
  let notifications = !Counted.notifications in
  let threads =
    List.init producers (fun _ ->
        let tx = Chan.clone tx in
        Thread.create (fun () -> for i = 1 to messages / producers do Chan.send tx i done; Chan.close tx) ())
  in
  Chan.close tx;
  Counted.watched := Thread.id (Thread.self ());
  Counted.watched_locks := 0;
  let received = ref 0 in
  Chan.iter (fun _ -> incr received) rx;
  Counted.watched := -1;
  List.iter Thread.join threads;
  Alcotest.(check int) "every message received" messages !received;
  let per n = float_of_int n /. float_of_int messages in
  (per (!Counted.notifications - notifications), per !Counted.watched_locks)

let few_notifications () =
  let n, _ = per_message () in
  if n > 0.1 then
    Alcotest.failf "%.2f signals per message (at most 0.1): signal only when the receiver sleeps" n

let few_receiver_locks () =
  let _, l = per_message () in
  if l > 0.3 then
    Alcotest.failf "the receiver took the lock %.2f times per message (at most 0.3): take every queued message under one lock (Queue.transfer)" l

let () =
  Alcotest.run "chan efficiency"
    [ ( "efficiency",
        [ Verdict.test_case "few signals per message" `Quick few_notifications;
          Verdict.test_case "few receiver locks per message" `Quick few_receiver_locks ] ) ]
