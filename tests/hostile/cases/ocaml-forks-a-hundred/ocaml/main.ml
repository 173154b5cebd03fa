let () =
  let forked = ref 0 in
  (try
     while !forked < 100 do
       match Unix.fork () with
       | 0 ->
           Unix.sleep 30;
           exit 0
       | _ -> incr forked
     done
   with Unix.Unix_error _ -> ());
  Printf.printf "forked %d\nhello from a worker\nhello from main\n%!" !forked
