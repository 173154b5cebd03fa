(* The kit's probe (a kit file: not yours to change, and not graded as yours).

   [start id] is the sellers' starting line: each waits there until all four are running
   (a roll call, see roll_call.ml), so that they really do sell at the same time.
   [pause ()] is the pause inside a sale, between reading the count and writing it back
   (where a real program would do some work): it sleeps a moment so that the other
   sellers run meanwhile, and watches that no two are ever inside it at once (see
   apart.ml): the `apart` check. *)

let roll_call = Roll_call.create 4
let start id = Roll_call.attend roll_call (Printf.sprintf "seller %d" id)
let pause () = Apart.pause (fun () -> Thread.delay 0.0002)
