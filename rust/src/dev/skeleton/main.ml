(* {title}.

   TODO: what the program does, for the student: what it starts, what it prints.

   Grade it with `fearless check {id} --lang ocaml`; `fearless hint {id}` when stuck. *)

(* [work] *)
let worker () =
  (* TODO: start the threads the lesson is about. *)
  failwith "TODO: the worker is not started yet"

let () =
  let t = worker () in
  (* [join] *)
  Thread.join t;
  print_endline "done"
