(* The kit's probe (a kit file: not yours to change, and not graded as yours).

   [run] does a job, and tells the kit which thread did it: the pool's four workers must
   share the twelve jobs (the `together` check counts the threads). Jobs 1 to 4 first
   attend a roll call (see roll_call.ml) that four workers running side by side pass at
   once, and workers run one after the other cannot. *)

let workers = 4
let roll_call = Roll_call.create workers

(* The square of [input], or why there is none. *)
let run id input =
  Roll_call.tell (Printf.sprintf "thread %d" (Thread.id (Thread.self ())));
  if id <= workers then Roll_call.attend roll_call (Printf.sprintf "job %d" id);
  match int_of_string_opt input with Some n -> Ok (n * n) | None -> Error "not a number"
