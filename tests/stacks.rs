//! Hang explanations from real eu-stack output (captured from hung programs), so
//! that the sentence is checked whether or not eu-stack is installed here.
use fearless::lang::backend;
use fearless::lesson::{Arrived, Explanation, Lang};
use fearless::stacks::{explain, parse_eu_stack, parse_lldb, positions, summary, Arrival, Position, Stacks};

fn stacks(fixture: &str) -> Stacks {
    let raw = std::fs::read_to_string(format!("{}/../tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let pid = raw.split_whitespace().nth(1).unwrap().parse().unwrap();
    Stacks { pid, tool: "eu-stack", threads: parse_eu_stack(&raw), raw, ran: vec![] }
}

fn rule(blocked_in: &str, because: &str) -> Explanation {
    Explanation {
        blocked_in: Some(blocked_in.into()),
        arrived: None,
        told: None,
        cycle: false,
        lang: None,
        function: None,
        who: Some("the consumer".into()),
        because: because.into(),
        hint: None,
    }
}

/// The words, and their case as the kit would read it from the output.
fn arr(words: &str) -> Arrival {
    let state = if words.starts_with("all") {
        Arrived::All
    } else if words.starts_with("no ") {
        Arrived::None
    } else {
        Arrived::Some
    };
    Arrival { words: words.into(), state, told: vec![] }
}

#[test]
fn a_consumer_waiting_on_a_live_sender() {
    let st = stacks("eu-stack-rust-recv.txt");
    let pos = positions(&st, backend(Lang::Rust), &["m.rs".to_string()]);
    assert_eq!(pos.len(), 1);
    assert!(pos[0].main_thread);
    assert_eq!(pos[0].call, "Receiver::recv");
    assert_eq!(pos[0].at.as_deref(), Some("m.rs:28"));
    let rules = [rule("Receiver::recv", "a `Sender` is still alive; did you `drop(tx)`?")];
    assert_eq!(
        explain(&pos, backend(Lang::Rust), &rules, &arr("all 15 messages arrived")).unwrap(),
        "all 15 messages arrived, then the consumer stayed blocked in `Receiver::recv` (m.rs:28): a `Sender` is still alive; did you `drop(tx)`?"
    );
    // Without the lesson's words, the kit's own reason for the call.
    assert_eq!(
        explain(&pos, backend(Lang::Rust), &[], &arr("3 of 15 messages arrived")).unwrap(),
        "3 of 15 messages arrived, then the main thread stayed blocked in `Receiver::recv` (m.rs:28): a `Sender` is still alive, so the channel never closes"
    );
}

#[test]
fn an_ocaml_receiver_waiting_on_a_channel_never_closed() {
    let st = stacks("eu-stack-ocaml-wait.txt");
    let pos = positions(&st, backend(Lang::Ocaml), &["main.ml".to_string()]);
    let main = pos.iter().find(|p| p.main_thread).expect("the main thread is in main.ml");
    assert_eq!(main.call, "Condition.wait");
    assert_eq!(main.function.as_deref(), Some("recv"));
    let rules = [rule("Condition.wait", "the channel was never closed")];
    let sentence = explain(&pos, backend(Lang::Ocaml), &rules, &arr("all 15 messages arrived")).unwrap();
    assert!(sentence.starts_with("all 15 messages arrived, then the consumer stayed blocked in `Condition.wait` (main.ml:"), "{sentence}");
    assert!(sentence.ends_with(", in `recv`): the channel was never closed"), "{sentence}");
    let pic = summary(&st, &pos, backend(Lang::Ocaml), &["main.ml".to_string()]);
    assert!(pic.contains("main thread: blocked in Condition.wait"), "{pic}");
    assert!(pic.contains("Main.recv"), "{pic}");
}

/// A thread seen waking just before the stacks were taken is shown waiting its turn.
#[test]
fn a_thread_that_ran_a_moment_before_is_shown_waiting_its_turn() {
    let mut st = stacks("eu-stack-ocaml-wait.txt");
    st.ran = vec![st.pid];
    let pos = positions(&st, backend(Lang::Ocaml), &["main.ml".to_string()]);
    let pic = summary(&st, &pos, backend(Lang::Ocaml), &["main.ml".to_string()]);
    assert!(pic.contains("main thread: waiting its turn in Condition.wait (it ran a moment before)"), "{pic}");
}

#[test]
fn rules_for_another_language_do_not_apply() {
    let st = stacks("eu-stack-rust-recv.txt");
    let pos = positions(&st, backend(Lang::Rust), &["m.rs".to_string()]);
    let mut r = rule("Receiver::recv", "ocaml words");
    r.lang = Some(Lang::Ocaml);
    let s = explain(&pos, backend(Lang::Rust), &[r], &arr("x")).unwrap();
    assert!(!s.contains("ocaml words"), "{s}");
}

fn at(tid: i32, main_thread: bool, call: &str, function: &str) -> Position {
    Position { tid, main_thread, call: call.into(), at: Some(format!("main.ml:{tid}")), function: Some(function.into()), functions: vec![function.into()], ran: false }
}

fn in_function(blocked_in: &str, function: &str, who: &str, because: &str) -> Explanation {
    Explanation {
        blocked_in: Some(blocked_in.into()),
        arrived: None,
        told: None,
        cycle: false,
        lang: None,
        function: Some(function.into()),
        who: Some(who.into()),
        because: because.into(),
        hint: None,
    }
}

#[test]
fn the_first_rule_that_fits_a_thread_explains_the_hang() {
    // A deadlock: the consumer (main) waits in `recv`, the producer (thread 7) in `send`.
    let pos = [at(1, true, "Condition.wait", "recv"), at(7, false, "Condition.wait", "send")];
    let rules = [
        in_function("Condition.wait", "send", "the producer", "`recv` never signals `not_full`"),
        in_function("Condition.wait", "recv", "the consumer", "the queue is never closed"),
    ];
    // The producer's rule comes first, so it wins over the main thread's.
    assert_eq!(
        explain(&pos, backend(Lang::Ocaml), &rules, &arr("4 of 30 messages arrived")).unwrap(),
        "4 of 30 messages arrived, then the producer stayed blocked in `Condition.wait` (main.ml:7, in `send`): `recv` never signals `not_full`"
    );
    // In the other order, the consumer's.
    let reversed = [rules[1].clone(), rules[0].clone()];
    assert!(explain(&pos, backend(Lang::Ocaml), &reversed, &arr("x")).unwrap().contains("the consumer stayed blocked"));
}

#[test]
fn a_rule_for_another_function_does_not_apply() {
    let pos = [at(1, true, "Thread.join", "main"), at(3, false, "Condition.wait", "take")];
    let rules = [in_function("Thread.join", "finish", "the main thread", "`finish` never sent `Stop`")];
    let s = explain(&pos, backend(Lang::Ocaml), &rules, &arr("x")).unwrap();
    assert!(!s.contains("never sent `Stop`"), "{s}");
    // With no rule that fits, the main thread and the kit's own reason.
    assert!(s.contains("the main thread stayed blocked in `Thread.join`"), "{s}");
    assert!(s.ends_with("the thread it waits for never finishes"), "{s}");
}

#[test]
fn v0_mangled_std_frames_are_readable() {
    assert_eq!(fearless::stacks::demangle("_RNvMs_NtNtCsjrHSEGnQ3l9_3std6thread6threadNtB4_6Thread4park"), "<std::thread::thread::Thread>::park");
    assert_eq!(fearless::stacks::demangle("_RNvNtNtCsjrHSEGnQ3l9_3std6thread9functions5sleep"), "std::thread::functions::sleep");
    // Legacy names, half-demangled by eu-stack, keep working.
    assert_eq!(fearless::stacks::demangle("std::sync::mpmc::Receiver$LT$T$GT$::recv::h54854e387478fa98"), "std::sync::mpmc::Receiver<T>::recv");
}

fn from_output(arrived: Arrived, because: &str) -> Explanation {
    Explanation { blocked_in: None, arrived: Some(arrived), told: None, cycle: false, lang: None, function: None, who: None, because: because.into(), hint: None }
}

#[test]
fn without_stacks_a_rule_on_the_output_explains_the_hang() {
    let rules = [rule("Receiver::recv", "a thread's words"), from_output(Arrived::Some, "some, not all"), from_output(Arrived::All, "a `Sender` is still alive: `drop(tx)`")];
    assert_eq!(
        explain(&[], backend(Lang::Rust), &rules, &arr("all 15 messages arrived")).unwrap(),
        "all 15 messages arrived, then it kept running: a `Sender` is still alive: `drop(tx)`"
    );
    assert_eq!(explain(&[], backend(Lang::Rust), &rules, &arr("3 of 15 messages arrived")).unwrap(), "3 of 15 messages arrived, then it kept running: some, not all");
    // No rule for what the output shows, no threads: nothing to say.
    assert_eq!(explain(&[], backend(Lang::Rust), &rules, &arr("no message arrived")), None);
    // With stacks, a thread's rule that comes first still wins.
    let pos = [at(1, true, "Receiver::recv", "main")];
    assert!(explain(&pos, backend(Lang::Rust), &rules, &arr("all 15 messages arrived")).unwrap().ends_with("stayed blocked in `Receiver::recv` (main.ml:1): a thread's words"));
    let mut ocaml_only = from_output(Arrived::All, "ocaml words");
    ocaml_only.lang = Some(Lang::Ocaml);
    assert_eq!(explain(&[], backend(Lang::Rust), &[ocaml_only], &arr("all 15 messages arrived")), None);
}

/// lldb's output (captured here from the same hung programs; on macOS it is the debugger
/// there is) places the threads as eu-stack's does.
#[test]
fn lldb_stacks_place_a_rust_and_an_ocaml_hang() {
    let raw = std::fs::read_to_string(format!("{}/../tests/fixtures/lldb-rust-recv.txt", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let st = Stacks { pid: 4242, tool: "lldb", threads: parse_lldb(&raw, 4242), raw, ran: vec![] };
    // The listing before the backtraces (each thread's top frame) is not a thread of its own.
    assert_eq!(st.threads.len(), 1);
    assert_eq!(st.threads[0].frames[1].function, "std::sys::pal::unix::futex::futex_wait");
    let pos = positions(&st, backend(Lang::Rust), &["src/main.rs".to_string()]);
    assert_eq!(pos.len(), 1);
    assert!(pos[0].main_thread);
    assert_eq!((pos[0].call.as_str(), pos[0].at.as_deref()), ("Receiver::recv", Some("main.rs:31")));

    let raw = std::fs::read_to_string(format!("{}/../tests/fixtures/lldb-ocaml-wait.txt", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let st = Stacks { pid: 7, tool: "lldb", threads: parse_lldb(&raw, 7), raw, ran: vec![] };
    assert_eq!(st.threads.len(), 2);
    let pos = positions(&st, backend(Lang::Ocaml), &["main.ml".to_string()]);
    assert_eq!(pos.len(), 1, "the tick thread runs no student code");
    assert!(pos[0].main_thread);
    assert_eq!((pos[0].call.as_str(), pos[0].at.as_deref()), ("Condition.wait", Some("main.ml:37")));
    assert_eq!(pos[0].functions, ["recv", "consume"]);
}
