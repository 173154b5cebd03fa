(* The kit's tests call [greet ()]. *)
let greet () : string = failwith "TODO: return the greeting"
