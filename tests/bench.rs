//! `fearless bench` with a tiny message count: the files it writes have the contract's
//! shape (docs/DESIGN.md, "The benchmark"), and every measurement of the programs it
//! built grew from that count until it lasted 100 ms. Their figures are not checked:
//! speed is not a test's business.
//! A lesson whose channel it measures (06, 11) may be missing from the kit: its rows are
//! then absent and `skipped` says the lesson is missing.
mod common;

use assert_cmd::Command;

/// The `impl`s whose lesson is not in the kit, and what `skipped` must then say of each.
fn missing_here() -> Vec<(&'static str, String)> {
    let exercises = common::kit().exercises();
    let gone = fearless::bench::LESSONS.iter().filter(|l| !exercises.dir().join(l.slug).is_dir());
    gone.flat_map(|l| l.impls.map(|i| (i, format!("{i}: lesson {} ({}) is missing from this kit", &l.slug[..2], l.slug)))).collect()
}

#[test]
fn bench_writes_the_table_json_csv_and_svg() {
    let out = tempfile::tempdir().unwrap();
    let (json, csv, svg) = (out.path().join("b.json"), out.path().join("b.csv"), out.path().join("b.svg"));
    let run = Command::cargo_bin("fearless")
        .unwrap()
        .env("FEARLESS_ROOT", common::kit().root)
        .args(["bench", "--messages", "40", "--repetitions", "2", "--json"])
        .arg(&json)
        .arg("--csv")
        .arg(&csv)
        .arg("--svg")
        .arg(&svg)
        .timeout(std::time::Duration::from_secs(900))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "bench failed: {}\n{stdout}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("vs std") && stdout.contains("spread") && stdout.contains("std-mpsc"), "no table: {stdout}");

    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let cores = v["machine"]["cores"].as_u64().unwrap();
    assert!(cores >= 1);
    let load: Vec<f64> = v["machine"]["load"].as_array().expect("Linux and macOS tell the load").iter().map(|l| l.as_f64().unwrap()).collect();
    assert!(load.len() == 3 && load.iter().all(|l| *l >= 0.0), "{load:?}");
    let header = stdout.lines().next().unwrap();
    assert!(header.contains(&format!("{cores} cores")) && header.contains(&format!("load {:.2} {:.2} {:.2}", load[0], load[1], load[2])), "{header}");
    assert_eq!(v["messages"], 40);
    let results = v["results"].as_array().unwrap();
    let missing = missing_here();
    for name in fearless::bench::IMPLS {
        let said = missing.iter().find(|(i, _)| *i == name).map(|(_, why)| why);
        assert_eq!(results.iter().any(|r| r["impl"] == name), said.is_none(), "{name}: measured, or said missing: {said:?}");
        if let Some(why) = said {
            let skipped = v["skipped"].as_array().unwrap();
            assert!(skipped.iter().any(|s| s.as_str().unwrap().starts_with(why.as_str())), "{why}: {skipped:?}");
            assert!(stdout.contains(&format!("not measured: {why}")), "{why}: {stdout}");
        }
    }
    for r in results {
        assert!(["rust", "ocaml"].contains(&r["lang"].as_str().unwrap()), "{r}");
        assert!(["seq", "spsc", "mpsc"].contains(&r["shape"].as_str().unwrap()), "{r}");
        assert!(r["producers"].as_u64().unwrap() >= 1, "{r}");
        assert!(r["capacity"].is_null() || r["capacity"].is_u64(), "{r}");
        let (med, min, max) = (r["msgs_per_sec"].as_f64().unwrap(), r["min"].as_f64().unwrap(), r["max"].as_f64().unwrap());
        assert!(min > 0.0 && min <= med && med <= max, "{r}");
        assert!((r["spread"].as_f64().unwrap() - (max - min) / med).abs() < 1e-9, "spread is (max - min) / median: {r}");
        assert!(r["ratio_to_std"].is_f64() || r["ratio_to_std"].is_null(), "{r}");
    }
    let std_mpsc = results.iter().find(|r| r["impl"] == "std-mpsc" && r["shape"] == "mpsc" && r["producers"] == 4).unwrap();
    assert_eq!(std_mpsc["ratio_to_std"], 1.0, "std-mpsc is its own baseline");

    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = csv_text.lines();
    assert_eq!(lines.next(), Some("impl,lang,shape,producers,capacity,msgs_per_sec,min,max,ratio_to_std,cores,messages"));
    assert_eq!(lines.count(), results.len(), "one CSV row per result");
    for row in csv_text.lines().skip(1) {
        let moved: u64 = row.rsplit(',').next().unwrap().parse().unwrap();
        assert!(moved > 40, "every measurement grew from the 40 messages asked for: {row}");
    }

    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(svg_text.starts_with("<svg") && svg_text.trim_end().ends_with("</svg>"));
    assert!(svg_text.contains("ocaml-event") && svg_text.contains("queue-limit"), "every implementation is labelled");

    measurements_last_100_ms(&common::kit().root.join("target/bench"));
}

/// The programs `fearless bench` built in `build_dir`, run once each from 40 messages:
/// every line is of a run of at least 100 ms, grown from 40 (from 4 for rendezvous),
/// with a message count its producers share evenly.
fn measurements_last_100_ms(build_dir: &std::path::Path) {
    for program in [build_dir.join("cargo/release/fearless-bench"), build_dir.join("ocaml/_build/default/bench.exe")] {
        let out = std::process::Command::new(&program).arg("40").output().unwrap_or_else(|e| panic!("{}: {e}", program.display()));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}: {}", program.display(), String::from_utf8_lossy(&out.stderr));
        assert!(text.lines().count() >= 10, "{}: {text}", program.display());
        for line in text.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (producers, messages, seconds): (u64, u64, f64) = (f[2].parse().unwrap(), f[4].parse().unwrap(), f[5].parse().unwrap());
            assert!(seconds >= 0.1, "a measurement of less than 100 ms: {line}");
            assert!(messages > 40 && messages % producers == 0, "{line}");
        }
    }
}

#[test]
fn bench_refuses_fewer_messages_than_producers() {
    Command::cargo_bin("fearless").unwrap().env("FEARLESS_ROOT", common::kit().root).args(["bench", "--messages", "2"]).assert().code(2);
}
