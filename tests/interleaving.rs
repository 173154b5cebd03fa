//! The output comparator: any interleaving that keeps each stream's order passes;
//! each kind of violation fails with its own message.
use fearless::interleaving::{compare, count, lines, normalise, Problem, Streams};
use proptest::prelude::*;
use rstest::rstest;

const EXPECTED: &str = "got: p0-msg1\ngot: p0-msg2\ngot: p0-msg3\ngot: p0-msg4\ngot: p0-msg5\n\
got: p1-msg1\ngot: p1-msg2\ngot: p1-msg3\ngot: p1-msg4\ngot: p1-msg5\n\
got: p2-msg1\ngot: p2-msg2\ngot: p2-msg3\ngot: p2-msg4\ngot: p2-msg5\ndrained: [0, 1, 2, 3, 4]\n";

fn streams() -> Streams {
    Streams::new(&[r"^got: (?P<item>(?P<stream>p\d+)-msg\d+)$".to_string()]).unwrap()
}

fn msg(p: usize, i: usize) -> String {
    format!("got: p{p}-msg{i}")
}

/// Merges the three producers' streams in the order `picks` chooses.
fn interleave(picks: &[usize]) -> String {
    let mut next = [1usize; 3];
    let mut out = Vec::new();
    for &p in picks {
        let mut p = p % 3;
        while next[p] > 5 {
            p = (p + 1) % 3;
        }
        out.push(msg(p, next[p]));
        next[p] += 1;
    }
    out.push("drained: [0, 1, 2, 3, 4]".into());
    out.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn every_order_preserving_interleaving_passes(picks in proptest::collection::vec(0usize..3, 15)) {
        let actual = interleave(&picks);
        prop_assert_eq!(compare(&streams(), EXPECTED, &actual), vec![]);
        prop_assert!(count(&streams(), EXPECTED, &actual).ok());
    }

    #[test]
    fn swapping_two_lines_of_one_stream_fails(picks in proptest::collection::vec(0usize..3, 15), p in 0usize..3, a in 1usize..5) {
        let actual = interleave(&picks);
        let (x, y) = (msg(p, a), msg(p, a + 1));
        let swapped = actual.replace(&x, "@").replace(&y, &x).replace("@", &y);
        let problems = compare(&streams(), EXPECTED, &swapped);
        prop_assert_eq!(problems, vec![Problem::OutOfOrder { later: format!("p{p}-msg{}", a + 1), earlier: format!("p{p}-msg{a}") }]);
    }

    #[test]
    fn every_correct_interleaving_normalises_to_the_expected_output(picks in proptest::collection::vec(0usize..3, 15)) {
        prop_assert_eq!(normalise(&streams(), EXPECTED, &interleave(&picks)), lines(EXPECTED));
    }

    #[test]
    fn normalising_keeps_a_stream_out_of_order(picks in proptest::collection::vec(0usize..3, 15), p in 0usize..3, a in 1usize..5) {
        let (x, y) = (msg(p, a), msg(p, a + 1));
        let swapped = interleave(&picks).replace(&x, "@").replace(&y, &x).replace("@", &y);
        let normal = normalise(&streams(), EXPECTED, &swapped);
        let expected: Vec<String> = lines(&EXPECTED.replace(&x, "@").replace(&y, &x).replace("@", &y)).into_iter().map(String::from).collect();
        prop_assert_eq!(normal, expected);
    }
}

#[test]
fn normalising_keeps_fixed_lines_where_they_stand() {
    let actual = "got: p1-msg1\nhalf way\ngot: p0-msg1\ngot: p9-msg1\ngot: p0-msg2\ndrained: [0, 1, 2, 3, 4]";
    assert_eq!(normalise(&streams(), EXPECTED, actual), ["got: p1-msg1", "half way", "got: p0-msg1", "got: p0-msg2", "got: p9-msg1", "drained: [0, 1, 2, 3, 4]"]);
}

#[rstest]
#[case::in_order(EXPECTED)]
#[case::round_robin("got: p0-msg1\ngot: p1-msg1\ngot: p2-msg1\ngot: p0-msg2\ngot: p1-msg2\ngot: p2-msg2\ngot: p0-msg3\ngot: p1-msg3\ngot: p2-msg3\ngot: p0-msg4\ngot: p1-msg4\ngot: p2-msg4\ngot: p0-msg5\ngot: p1-msg5\ngot: p2-msg5\ndrained: [0, 1, 2, 3, 4]")]
#[case::reversed_producers("got: p2-msg1\ngot: p2-msg2\ngot: p2-msg3\ngot: p2-msg4\ngot: p2-msg5\ngot: p1-msg1\ngot: p1-msg2\ngot: p1-msg3\ngot: p1-msg4\ngot: p1-msg5\ngot: p0-msg1\ngot: p0-msg2\ngot: p0-msg3\ngot: p0-msg4\ngot: p0-msg5\ndrained: [0, 1, 2, 3, 4]")]
#[case::crlf_and_trailing_blank_lines("got: p0-msg1\r\ngot: p0-msg2\r\ngot: p0-msg3\ngot: p0-msg4\ngot: p0-msg5\ngot: p1-msg1\ngot: p1-msg2\ngot: p1-msg3\ngot: p1-msg4\ngot: p1-msg5\ngot: p2-msg1\ngot: p2-msg2\ngot: p2-msg3\ngot: p2-msg4\ngot: p2-msg5\ndrained: [0, 1, 2, 3, 4]\n\n\n")]
fn correct_outputs_pass(#[case] actual: &str) {
    assert_eq!(compare(&streams(), EXPECTED, actual), vec![]);
}

fn without(line: &str) -> String {
    EXPECTED.lines().filter(|l| *l != line).collect::<Vec<_>>().join("\n")
}

#[rstest]
#[case::missing(without("got: p2-msg5"), "missing p2-msg5")]
#[case::twice(EXPECTED.replace("got: p0-msg3\n", "got: p0-msg3\ngot: p0-msg3\n"), "p0-msg3 arrived twice")]
#[case::three_times(EXPECTED.replace("got: p0-msg3\n", "got: p0-msg3\ngot: p0-msg3\ngot: p0-msg3\n"), "p0-msg3 arrived 3 times")]
#[case::out_of_order(EXPECTED.replace("got: p1-msg2\n", "").replace("got: p1-msg4\n", "got: p1-msg4\ngot: p1-msg2\n"), "p1-msg4 came before p1-msg2")]
#[case::unexpected_fixed(format!("consumer starting\n{EXPECTED}"), "unexpected line \"consumer starting\"")]
#[case::unexpected_stream_item(EXPECTED.replace("got: p0-msg5\n", "got: p0-msg5\ngot: p0-msg6\n"), "unexpected line \"p0-msg6\"")]
#[case::unknown_stream(EXPECTED.replace("got: p0-msg5\n", "got: p0-msg5\ngot: p7-msg1\n"), "unexpected line \"p7-msg1\"")]
#[case::last_line_missing(without("drained: [0, 1, 2, 3, 4]"), "last line should be \"drained: [0, 1, 2, 3, 4]\"")]
#[case::last_line_wrong(EXPECTED.replace("drained: [0, 1, 2, 3, 4]", "drained: [4, 3, 2, 1, 0]"), "last line should be \"drained: [0, 1, 2, 3, 4]\"")]
#[case::last_line_too_early(format!("drained: [0, 1, 2, 3, 4]\n{}", without("drained: [0, 1, 2, 3, 4]")), "last line should be \"drained: [0, 1, 2, 3, 4]\"")]
#[case::nothing(String::new(), "the program printed nothing")]
fn each_violation_has_its_message(#[case] actual: String, #[case] message: &str) {
    let problems = compare(&streams(), EXPECTED, &actual);
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(messages.first().map(String::as_str), Some(message), "all problems: {messages:?}");
}

#[test]
fn a_fixed_line_among_the_wrong_stream_lines_is_misplaced() {
    let expected = "start\ngot: p0-msg1\nmiddle\ngot: p0-msg2\nend\n";
    let actual = "start\nmiddle\ngot: p0-msg1\ngot: p0-msg2\nend\n";
    let p = compare(&streams(), expected, actual);
    assert_eq!(p, vec![Problem::Misplaced { line: "middle".into(), expected_after: 1, actual_after: 0 }]);
}

#[rstest]
#[case::all(EXPECTED.to_string(), true, "15 messages in 3 streams")]
#[case::one_lost(without("got: p1-msg4"), false, "p1 received 4 of 5 messages (14 of 15 in all)")]
#[case::one_extra(EXPECTED.replace("got: p2-msg1\n", "got: p2-msg1\ngot: p2-msg1\n"), false, "p2 received 6 of 5 messages (16 of 15 in all)")]
#[case::unknown(EXPECTED.replace("got: p2-msg1\n", "got: p2-msg1\ngot: p9-msg1\n"), false, "1 messages from unknown streams (16 of 15 in all)")]
#[case::none("drained: [0, 1, 2, 3, 4]\n".to_string(), false, "no message arrived (0 of 15 in all)")]
fn counts_per_stream(#[case] actual: String, #[case] ok: bool, #[case] message: &str) {
    let c = count(&streams(), EXPECTED, &actual);
    assert_eq!(c.ok(), ok);
    assert_eq!(c.message(), message);
}
