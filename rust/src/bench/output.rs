//! The benchmark's results as a terminal table, JSON and CSV (their contract: docs/DESIGN.md, "The benchmark").
use super::{Results, Row};

fn capacity(r: &Row) -> String {
    match r.capacity {
        None => "unbounded".into(),
        Some(0) => "rendezvous".into(),
        Some(k) => format!("bounded({k})"),
    }
}

fn millions(x: f64) -> String {
    format!("{:.2}", x / 1e6)
}

/// `load 0.52 0.48 0.40` (1, 5 and 15 minutes), or `load unknown`.
fn load(r: &Results) -> String {
    match r.machine.load {
        Some([one, five, fifteen]) => format!("load {one:.2} {five:.2} {fifteen:.2}"),
        None => "load unknown".into(),
    }
}

/// A spread this wide or wider is marked in the table: the repetitions disagree too much
/// for the median to be read closely.
pub const WIDE_SPREAD: f64 = 0.20;

fn wide(row: &Row) -> bool {
    row.spread >= WIDE_SPREAD
}

/// One line per result: median, min and max in millions of messages per second, and
/// the spread of the repetitions (max - min) as a percentage of the median, marked `*`
/// when it is [`WIDE_SPREAD`] or more, and a line under the table that counts those rows.
pub fn table(r: &Results) -> String {
    let mut s = format!(
        "{} cores, {} (1, 5, 15 min) at the start; measurements from {} messages (rendezvous and Event fewer), each grown to last at least 100 ms\n",
        r.machine.cores,
        load(r),
        r.messages
    );
    s.push_str("M msg/s, median of the repetitions; spread: (max - min) / median\n");
    s.push_str(&format!("{:<17} {:<6} {:<5} {:>3} {:<13} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "impl", "lang", "shape", "P", "capacity", "median", "min", "max", "spread ", "vs std"));
    for row in &r.results {
        let ratio = row.ratio_to_std.map(|x| format!("{x:.2}x")).unwrap_or_else(|| "-".into());
        s.push_str(&format!(
            "{:<17} {:<6} {:<5} {:>3} {:<13} {:>8} {:>8} {:>8} {:>8} {:>8}\n",
            row.implementation,
            row.lang.as_str(),
            row.shape,
            row.producers,
            capacity(row),
            millions(row.msgs_per_sec),
            millions(row.min),
            millions(row.max),
            format!("{:.1}%{}", row.spread * 100.0, if wide(row) { "*" } else { " " }),
            ratio
        ));
    }
    let marked = r.results.iter().filter(|row| wide(row)).count();
    if marked > 0 {
        s.push_str(&format!(
            "* {marked} of {} rows spread {:.0}% or more: their repetitions disagree, so read their medians as rough (the ratios still compare figures of the same run)\n",
            r.results.len(),
            WIDE_SPREAD * 100.0
        ));
    }
    for why in &r.skipped {
        s.push_str(&format!("not measured: {why}\n"));
    }
    s
}

pub fn json(r: &Results) -> String {
    serde_json::to_string_pretty(r).expect("results serialise") + "\n"
}

/// The JSON's rows, flat: `impl,lang,shape,producers,capacity,msgs_per_sec,min,max,ratio_to_std,cores,messages`
/// (`capacity` and `ratio_to_std` empty when there is none).
pub fn csv(r: &Results) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["impl", "lang", "shape", "producers", "capacity", "msgs_per_sec", "min", "max", "ratio_to_std", "cores", "messages"]).expect("in memory");
    for row in &r.results {
        let opt = |x: Option<String>| x.unwrap_or_default();
        w.write_record([
            row.implementation.clone(),
            row.lang.as_str().to_string(),
            row.shape.clone(),
            row.producers.to_string(),
            opt(row.capacity.map(|k| k.to_string())),
            format!("{:.0}", row.msgs_per_sec),
            format!("{:.0}", row.min),
            format!("{:.0}", row.max),
            opt(row.ratio_to_std.map(|x| format!("{x:.4}"))),
            r.machine.cores.to_string(),
            row.messages.to_string(),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("csv of utf-8 is utf-8")
}
