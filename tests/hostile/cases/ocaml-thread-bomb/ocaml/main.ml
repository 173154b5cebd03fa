let () =
  while true do
    ignore (Thread.create (fun () -> Thread.delay 3600.) ())
  done
