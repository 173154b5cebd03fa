(* Threads: each worker computes its share of the work; [Thread.join] returns
   unit, so each worker writes its result into a ref of its own, which [main]
   reads only after joining that worker. *)

let workers = 4
let per_worker = 250

(* One whole line per call: threads never cut into each other's lines. *)
let say fmt = Printf.ksprintf (fun s -> print_string (s ^ "\n"); flush stdout) fmt

(* [work] *)
let work id chunk =
  Probe.takes id (List.hd chunk) (List.nth chunk (List.length chunk - 1));
  List.fold_left ( + ) 0 chunk

let () =
  (* [spawn] *)
  let spawn id =
    let chunk = List.init per_worker (fun k -> id * per_worker + 1 + k) in
    let result = ref 0 in                (* this worker's slot: written by it alone *)
    let thread = Thread.create (fun () -> result := work id chunk) () in
    (id, thread, result)
  in
  let started = List.init workers spawn in
  (* [join] *)
  (* Joined in spawn order; a slot is read only after its worker is joined. *)
  let total = ref 0 in
  List.iter
    (fun (id, thread, result) ->
      Thread.join thread;
      say "joined worker %d: %d" id !result;
      total := !total + !result)
    started;
  (* [total] *)
  say "total: %d" !total
