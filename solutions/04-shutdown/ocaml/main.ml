(* Clean shutdown, two ways to close: the logger's mailbox closes with a
   sentinel ([Stop]) sent by the one who knows that everything is over; the
   done channel closes by counting its senders, so that the last worker closes it. *)

let workers = 3
let steps = 4

(* One whole line per call: threads never cut into each other's lines. *)
let say fmt = Printf.ksprintf (fun s -> print_string (s ^ "\n"); flush stdout) fmt

(* [mailbox] *)
type msg = Line of string | Stop

type mailbox = { queue : msg Queue.t; lock : Mutex.t; nonempty : Condition.t }

let put box m =
  Mutex.lock box.lock;
  Probe.put ~stop:(m = Stop);  (* the kit counts lines put after a Stop *)
  Queue.push m box.queue;
  Condition.signal box.nonempty;
  Mutex.unlock box.lock

(* Blocks until a message is there: a mailbox never closes by itself. *)
let take box =
  Mutex.lock box.lock;
  while Queue.is_empty box.queue do Condition.wait box.nonempty box.lock done;
  let m = Queue.pop box.queue in
  Mutex.unlock box.lock;
  m

(* [start] *)
type logger = { box : mailbox; printed : int ref; printer : Thread.t }

let rec print_lines box printed =
  match take box with
  | Line s -> say "log: %s" s; incr printed; print_lines box printed
  | Stop -> ()

let start () =
  let box = { queue = Queue.create (); lock = Mutex.create (); nonempty = Condition.create () } in
  let printed = ref 0 in
  { box; printed; printer = Thread.create (print_lines box) printed }

(* [sender] *)
let log lg s = put lg.box (Line s)

(* [finish] *)
(* The sentinel goes last, after every line: the printer stops when it takes it. *)
let finish lg =
  put lg.box Stop;
  Thread.join lg.printer;
  !(lg.printed)

(* [done] *)
(* The done channel: closed when its count of senders reaches 0. *)
type 'a chan = { items : 'a Queue.t; m : Mutex.t; ready : Condition.t; mutable senders : int }

let create ~senders = { items = Queue.create (); m = Mutex.create (); ready = Condition.create (); senders }

let send ch v =
  Mutex.lock ch.m;
  Queue.push v ch.items;
  Condition.signal ch.ready;
  Mutex.unlock ch.m

let sender_done ch =
  Mutex.lock ch.m;
  ch.senders <- ch.senders - 1;
  if ch.senders = 0 then Condition.broadcast ch.ready;
  Mutex.unlock ch.m

(* [None] once every sender is done and nothing is left. *)
let recv ch =
  Mutex.lock ch.m;
  while Queue.is_empty ch.items && ch.senders > 0 do Condition.wait ch.ready ch.m done;
  let v = Queue.take_opt ch.items in
  Mutex.unlock ch.m;
  v

let rec count_done ch n = match recv ch with Some _ -> count_done ch (n + 1) | None -> n

let worker lg done_ch id =
  Kit_delay.stagger ~workers id;
  for step = 1 to steps do log lg (Printf.sprintf "w%d step %d" id step) done;
  send done_ch id;
  Kit_delay.before_close ();
  sender_done done_ch; Probe.closed ~senders:done_ch.senders

let () =
  let lg = start () in
  (* [spawn] *)
  (* One sender per worker: main only receives, so it is not counted. *)
  let done_ch = create ~senders:workers in
  for id = 0 to workers - 1 do ignore (Thread.create (worker lg done_ch) id) done;
  (* [wait] *)
  let finished = count_done done_ch 0 in
  (* [finish] *)
  let lines = finish lg in
  say "printer saw %d lines" lines;
  say "workers finished: %d" finished
