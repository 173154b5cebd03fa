(* The seed's three unit tests, against the OCaml solution of the test kit's 03-relay. Linking the
   solution also runs its program once; its output goes to the test log. *)
module C = Mpsc_solution

let send_then_recv () =
  let ch = C.create ~senders:1 in
  C.send ch 42;
  Alcotest.(check (option int)) "recv returns what was sent" (Some 42) (C.recv ch)

let closed_is_none () =
  let ch : int C.chan = C.create ~senders:1 in
  C.sender_done ch;
  Alcotest.(check (option int)) "recv on a closed, empty channel" None (C.recv ch)

let four_senders () =
  let ch = C.create ~senders:4 in
  let ts =
    List.init 4 (fun i -> Thread.create (fun () -> C.send ch i; C.sender_done ch) ())
  in
  let rec all acc = match C.recv ch with Some v -> all (v :: acc) | None -> acc in
  let got = List.sort compare (all []) in
  List.iter Thread.join ts;
  Alcotest.(check (list int)) "every value arrives" [ 0; 1; 2; 3 ] got

let closes_only_after_last_sender () =
  let ch = C.create ~senders:2 in
  C.sender_done ch;
  C.send ch 7;
  Alcotest.(check (option int)) "one sender left: still open" (Some 7) (C.recv ch);
  C.sender_done ch;
  Alcotest.(check (option int)) "no sender left: closed" None (C.recv ch)

let () =
  Alcotest.run "mpsc"
    [ ( "channel",
        [ Alcotest.test_case "send then recv" `Quick send_then_recv;
          Alcotest.test_case "recv on closed" `Quick closed_is_none;
          Alcotest.test_case "four senders" `Quick four_senders;
          Alcotest.test_case "closes after the last sender" `Quick closes_only_after_last_sender ] ) ]
