(* The kit's tests of your greet.ml (the `tests` check). *)
let says_hello () = Alcotest.(check string) "greet ()" "hello" (Greet.greet ())

let says_it_every_time () =
  for _ = 1 to 3 do
    Alcotest.(check string) "greet () again" "hello" (Greet.greet ())
  done

let () =
  Alcotest.run "greet"
    [ ( "greet",
        [ Verdict.test_case "says hello" `Quick says_hello;
          Verdict.test_case "says it every time" `Quick says_it_every_time ] ) ]
