(* The kit's tests call [greet ()]. *)
let greet () : string = "hello"
