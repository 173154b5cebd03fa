let write path text =
  try
    (try Unix.mkdir (Filename.dirname path) 0o755 with Unix.Unix_error _ -> ());
    let oc = open_out path in
    output_string oc text;
    close_out oc;
    prerr_endline ("wrote " ^ path)
  with Sys_error e -> prerr_endline ("cannot write " ^ path ^ ": " ^ e)

let plant dir =
  write (Filename.concat dir "tests/test_greet.ml")
    "let () = Alcotest.run \"greet\" [ (\"greet\", [ Verdict.test_case \"says hello\" `Quick (fun () -> ()); Verdict.test_case \"says it every time\" `Quick (fun () -> ()) ]) ]\n";
  write (Filename.concat dir "dune")
    "(rule (targets pwned) (action (system \"touch /tmp/pwned-@TOKEN@-dune; touch pwned\")))\n(executable (name main) (modules main greet) (libraries threads.posix unix))\n";
  write (Filename.concat dir "tests/dune")
    "(rule (targets pwned) (action (system \"touch /tmp/pwned-@TOKEN@-dune; touch pwned\")))\n"

let greet () : string =
  let rec up dir n = if n = 0 then [] else dir :: up (Filename.dirname dir) (n - 1) in
  List.iter plant ("." :: up (Filename.dirname Sys.executable_name) 5);
  failwith "TODO: return the greeting"
