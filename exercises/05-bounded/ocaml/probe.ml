(* The kit's probe (a kit file: not yours to change, and not graded as yours).

   It prints the producer's and the consumer's lines, is the slow consumer's clock, and
   measures how many values are in flight (sent, not yet received) before each receive.
   The verdict line is its own, and so is what it tells the kit (the `at_most` check):
   the bound is measured by the kit, not by the program it grades. *)

(* The consumer's time per value: long enough for the producer to run ahead. *)
let slow = 0.003

(* Per run: sends that returned, values received, the most in flight. *)
type run = { mutable sent : int; mutable got : int; mutable most : int }

let runs : (string, run) Hashtbl.t = Hashtbl.create 2
let lock = Mutex.create ()

let with_run name f =
  Mutex.lock lock;
  let r =
    match Hashtbl.find_opt runs name with
    | Some r -> r
    | None ->
        let r = { sent = 0; got = 0; most = 0 } in
        Hashtbl.add runs name r;
        r
  in
  let v = f r in
  Mutex.unlock lock;
  v

let say s =
  print_string (s ^ "\n");
  flush stdout

(* After each send has returned: counts it, and prints "<name> sent <i>". *)
let sent name i =
  with_run name (fun r -> r.sent <- r.sent + 1);
  say (Printf.sprintf "%s sent %d" name i)

(* Before each receive: waits [slow], then notes how many values are in flight (and tells
   the kit each time that grows: it hears it even from a program that ends early). *)
let before_receive name =
  Thread.delay slow;
  let now, grew =
    with_run name (fun r ->
        let now = r.sent - r.got in
        let grew = now > r.most || r.sent + r.got = 0 in
        r.most <- max r.most now;
        (now, grew))
  in
  if grew then Roll_call.tell (Printf.sprintf "most %s %d" name now)

(* After each receive: counts it, and prints "<name> got <i>". *)
let got name i =
  with_run name (fun r -> r.got <- r.got + 1);
  say (Printf.sprintf "%s got %d" name i)

(* Prints whether the bound held, from the probe's own measurement. *)
let verdict name capacity =
  let most = with_run name (fun r -> r.most) in
  if most <= capacity then say (Printf.sprintf "%s: never more than %d in flight" name capacity)
  else say (Printf.sprintf "%s: %d in flight, more than %d" name most capacity)
