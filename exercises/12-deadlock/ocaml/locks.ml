(* The kit's locks (a kit file: not yours to change, and not graded as yours).

   A [Locks.t] is a [Mutex.t] with a name that tells the kit who takes it: before a
   thread waits for it, once it holds it, and when it lets go, with the line of your code
   that took it. That is how the kit names a deadlock's cycle: which thread holds which
   lock, taken where, and waits for which. OCaml's threads have no names: [spawn] gives
   one, which the kit uses.

   It is also a meeting point, so that a wrong order deadlocks in every run instead of now
   and then. The threads named in [order] take their first lock in that order, and each
   one that got its first lock waits (at most two seconds) until every other one holds
   its first lock or is blocked on one. Then they all go on at once. Locks taken in one
   order pass the meeting at once; locks taken in opposite orders are then held by threads
   that all want the other's. *)

let order = [ "alice pays bob"; "auditor"; "bob pays alice" ]
let patience = 2.0

type t = { name : string; mutex : Mutex.t }

let create name = { name; mutex = Mutex.create () }
let name l = l.name

(* Thread names, by [Thread.id]. *)
let names : (int, string) Hashtbl.t = Hashtbl.create 4
let names_lock = Mutex.create ()

let with_lock m f =
  Mutex.lock m;
  Fun.protect ~finally:(fun () -> Mutex.unlock m) f

let thread_name () =
  let id = Thread.id (Thread.self ()) in
  with_lock names_lock (fun () ->
      match Hashtbl.find_opt names id with Some n -> n | None -> Printf.sprintf "thread %d" id)

(* A thread whose name the kit says: [Thread.create f x], named [name]. *)
let spawn name f x =
  Thread.create
    (fun x ->
      with_lock names_lock (fun () -> Hashtbl.replace names (Thread.id (Thread.self ())) name);
      f x)
    x

(* The line of the student's code that called into this module. *)
let caller () =
  let here = __FILE__ in
  match Printexc.backtrace_slots (Printexc.get_callstack 8) with
  | None -> "?"
  | Some slots ->
      Array.to_list slots
      |> List.filter_map Printexc.Slot.location
      |> List.find_opt (fun (l : Printexc.location) -> Filename.basename l.filename <> Filename.basename here)
      |> Option.fold ~none:"?" ~some:(fun (l : Printexc.location) -> Printf.sprintf "%s:%d" (Filename.basename l.filename) l.line_number)

(* Where the threads of [order] meet, holding their first lock. *)
module Meeting = struct
  let lock = Mutex.create ()
  let changed = Condition.create ()
  let started : string list ref = ref []
  let arrived : string list ref = ref []
  let over = ref false
  let timer = ref false

  (* Waits (the lock held) until [done_] holds or the meeting is over. OCaml 4's Condition
     has no timed wait: the first to wait starts a timer thread that ends the meeting
     after [patience]. *)
  let wait_until done_ =
    if (not !over) && not !timer then begin
      timer := true;
      ignore
        (Thread.create
           (fun () ->
             Thread.delay patience;
             with_lock lock (fun () ->
                 over := true;
                 Condition.broadcast changed))
           ())
    end;
    while not (!over || done_ ()) do
      Condition.wait changed lock
    done

  let all_arrived before = List.for_all (fun t -> List.mem t !arrived) before

  (* For a thread of [order] that comes for its first lock: waits until those before it
     have arrived. Whether this is its first lock. *)
  let turn me =
    if not (List.mem me order) then false
    else
      with_lock lock (fun () ->
          if List.mem me !started || !over then false
          else begin
            started := me :: !started;
            let rec before = function [] -> [] | t :: rest -> if t = me then [] else t :: before rest in
            wait_until (fun () -> all_arrived (before order));
            true
          end)

  let arrive me =
    with_lock lock (fun () ->
        if not (List.mem me !arrived) then arrived := me :: !arrived;
        if all_arrived order then over := true;
        Condition.broadcast changed)

  let wait_for_all () = with_lock lock (fun () -> wait_until (fun () -> !over))
end

let tell event me l at =
  Roll_call.tell (String.concat "\t" ([ "lock"; event; me; l.name ] @ if at = "" then [] else [ at ]))

let held l me at first =
  tell "holds" me l at;
  if first then begin
    Meeting.arrive me;
    Meeting.wait_for_all ()
  end

(* Waits until the lock is free and takes it, as [Mutex.lock]. *)
let lock l =
  let me = thread_name () and at = caller () in
  let first = Meeting.turn me in
  tell "wants" me l at;
  if not (Mutex.try_lock l.mutex) then begin
    if first then Meeting.arrive me;
    Mutex.lock l.mutex
  end;
  held l me at first

(* Takes the lock if it is free, as [Mutex.try_lock]: [false] if another thread holds it. *)
let try_lock l =
  let me = thread_name () and at = caller () in
  let first = Meeting.turn me in
  if Mutex.try_lock l.mutex then begin
    held l me at first;
    true
  end
  else begin
    if first then Meeting.arrive me;
    false
  end

let unlock l =
  tell "releases" (thread_name ()) l "";
  Mutex.unlock l.mutex
