(* Three children each hold 100 MiB, touched, for two seconds. *)
let hold () =
  let b = Bytes.make (100 lsl 20) 'x' in
  Unix.sleep 2;
  Printf.printf "held %d\n%!" (Bytes.length b);
  exit 0

let () =
  let kids = List.init 3 (fun _ -> match Unix.fork () with 0 -> hold () | pid -> pid) in
  List.iter (fun pid -> ignore (Unix.waitpid [] pid)) kids;
  print_endline "hello from a worker";
  print_endline "hello from main"
