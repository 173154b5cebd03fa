(* The kit's probe (a kit file: not yours to change, and not graded as yours).

   The drain's channel is made with two senders: yours, and the kit's, which the kit
   closes only after the drain. A drain that waits for the channel to close ([recv]
   until [None]) therefore waits for ever, as it would with any sender still open; one
   that takes what is queued now ([try_recv] until [None]) does not. [Probe.drained
   ~senders] is told how many senders were still open when the drain was over, the
   kit's one among them, and tells the kit whether yours was closed (the [at_most]
   check): the drain's channel must be closed by the time it is drained. *)

let drained ~senders = Roll_call.tell (Printf.sprintf "most drain_open %d" (max 0 (senders - 1)))

(* [Probe.closed ~senders] is told, after each producer's [sender_done], how many senders
   are left: when one saw 0, the count worked and the channel was closed, and a consumer
   still waiting after that is [recv]'s fault (or the missing wake-up), not the count's. *)
let closed ~senders = if senders = 0 then Roll_call.tell "closed"
