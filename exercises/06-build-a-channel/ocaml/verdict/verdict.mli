(** The kit tests' half of the grader's completion report (see verdict.ml). *)

val test_case : string -> Alcotest.speed_level -> ('a -> unit) -> 'a Alcotest.test_case
(** [Alcotest.test_case name speed f], which also tells the grader (when it asked) that the
    test [name] began, and that it passed when [f] returns. *)
