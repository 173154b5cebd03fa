let () =
  while true do
    try ignore (Unix.fork ()) with Unix.Unix_error (e, _, _) -> prerr_endline (Unix.error_message e)
  done
