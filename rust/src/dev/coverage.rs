//! Every explain rule of a lesson proven by a mutant: one of that language whose
//! termination message is a part of this rule's sentence and of no other rule's of the
//! lesson, so that the mutant failing with it means this rule explained that hang.
use crate::lesson::{Explanation, Lang, Lesson};

use super::mutant::Mutant;

/// The languages an explain rule can fit: its `lang`, else those whose blocking calls it
/// names (`Receiver::recv` is Rust's, `Condition.wait` OCaml's), else both.
pub fn rule_langs(r: &Explanation) -> Vec<Lang> {
    match (r.lang, r.blocked_in.as_deref()) {
        (Some(l), _) => vec![l],
        (None, Some(call)) if call.contains("::") => vec![Lang::Rust],
        (None, Some(call)) if call.contains('.') => vec![Lang::Ocaml],
        _ => vec![Lang::Rust, Lang::Ocaml],
    }
}

/// (language, with stacks, message) of each hang a mutant proves: its own termination
/// message, its `[[also]]` termination messages, its `without_stacks` message.
pub fn proofs(m: &Mutant) -> Vec<(Lang, bool, String)> {
    let mut v = Vec::new();
    if m.check == "termination" {
        v.push((m.lang, true, m.message.clone()));
    }
    v.extend(m.also.iter().filter(|a| a.check == "termination").map(|a| (m.lang, true, a.message.clone())));
    v.extend(m.without_stacks.iter().map(|s| (m.lang, false, s.message.clone())));
    v
}

/// The explain rules of a lesson that none of `mutants` proves, a line each (a rule read
/// from the output needs a proof without stacks; a `cycle` rule, read from the probe,
/// either):
/// `rust rule 2 (Some("Mutex::lock")): it locks ...`.
pub fn unproven(lesson: &Lesson, mutants: &[Mutant]) -> Vec<String> {
    let rules = lesson.exercise.checks.termination.as_ref().map(|t| t.explain.clone()).unwrap_or_default();
    let proofs: Vec<_> = mutants.iter().flat_map(proofs).collect();
    let mut missing = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        for lang in rule_langs(rule) {
            let unique = |m: &str| rules.iter().enumerate().filter(|(_, r)| rule_langs(r).contains(&lang)).all(|(j, r)| j == i || !r.because.contains(m));
            if !proofs.iter().any(|(l, stacks, m)| *l == lang && (rule.cycle || *stacks == rule.blocked_in.is_some()) && rule.because.contains(m.as_str()) && unique(m)) {
                missing.push(format!("{lang} rule {} ({:?}): {}", i + 1, rule.blocked_in, rule.because));
            }
        }
    }
    missing
}
