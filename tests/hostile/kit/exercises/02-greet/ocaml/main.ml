let () = print_endline (Greet.greet ())
