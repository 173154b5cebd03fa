(* Lesson 03's program, on your channel: three producers, one consumer, then a drain. *)
let string_of_error = function Chan.Empty -> "Empty" | Chan.Disconnected -> "Disconnected"

let () =
  let tx, rx = Chan.create () in
  let producers =
    List.init 3 (fun id ->
        let tx = Chan.clone tx in
        Thread.create
          (fun () ->
            for i = 1 to 5 do
              Chan.send tx (Printf.sprintf "p%d-msg%d" id i)
            done;
            Chan.close tx)
          ())
  in
  Chan.close tx;
  Chan.iter (fun msg -> Printf.printf "got: %s\n%!" msg) rx;
  List.iter Thread.join producers;
  let tx2, rx2 = Chan.create () in
  for i = 0 to 4 do Chan.send tx2 i done;
  let rec drain acc =
    match Chan.try_recv rx2 with Ok v -> drain (v :: acc) | Error e -> (List.rev acc, e)
  in
  let drained, why = drain [] in
  Printf.printf "drained: [%s]\n" (String.concat ", " (List.map string_of_int drained));
  Printf.printf "then: %s\n" (string_of_error why);
  Chan.close tx2;
  let last = match Chan.try_recv rx2 with Ok _ -> "a message" | Error e -> string_of_error e in
  Printf.printf "after the last drop: %s\n%!" last
