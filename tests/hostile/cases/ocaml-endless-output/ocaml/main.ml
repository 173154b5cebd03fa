let () =
  while true do
    print_endline "hello from a worker"
  done
