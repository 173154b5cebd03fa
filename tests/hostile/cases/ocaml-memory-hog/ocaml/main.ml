let () =
  let hoard = ref [] in
  while true do
    hoard := Bytes.make (16 lsl 20) 'x' :: !hoard
  done
