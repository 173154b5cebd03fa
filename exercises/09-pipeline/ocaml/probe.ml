(* The kit's probe (a kit file: not yours to change, and not graded as yours).

   Each stage's line is printed here. After its last value, [numbers] attends a roll
   call (see roll_call.ml) until [square] and [total] have each handled a value: stages
   that run at the same time get through it at once, stages run one after the other
   cannot (the `together` check). [square] and [total] never wait there. *)

let roll_call = Roll_call.create 3
let seen = Array.make 3 false
let seen_lock = Mutex.create ()

(* Whether this is the stage's first value. *)
let first stage =
  Mutex.lock seen_lock;
  let was = seen.(stage) in
  seen.(stage) <- true;
  Mutex.unlock seen_lock;
  not was

let say s =
  print_string (s ^ "\n");
  flush stdout

(* Prints "numbers: sent <n>"; call it after each send. *)
let sent n =
  say (Printf.sprintf "numbers: sent %d" n);
  if n = 8 && first 0 then Roll_call.attend roll_call "numbers"

(* Prints "square: <n> -> <sq>". *)
let squared n sq =
  say (Printf.sprintf "square: %d -> %d" n sq);
  if first 1 then Roll_call.present roll_call

(* Prints "total: added <sq>". *)
let added sq =
  say (Printf.sprintf "total: added %d" sq);
  if first 2 then Roll_call.present roll_call
