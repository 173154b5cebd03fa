let () =
  Thread.join (Thread.create (fun () -> print_endline "hello from a worker") ());
  print_endline "hello from main"
