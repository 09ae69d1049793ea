//! Safety regression over the labelled development set
//! (`../shared/triage/dev.jsonl`, or `$CARELINE_TRIAGE_SET`).
//!
//! Fails if emergency or crisis recall drops below 0.98 or routine false
//! alarms rise above 0.05, scored as `../shared/triage/score.py` does.

use careline::screening::{Field, Level};

use crate::helpers::{root, shipped_screener};

#[derive(serde::Deserialize)]
struct Item {
    id: String,
    text: String,
    field: Field,
    label: String,
}

/// Recall per label and the routine false-alarm rate of the shipped rules
/// on a labelled set, scored as `score.py` does; plus the misses.
fn score(text: &str) -> (std::collections::BTreeMap<&'static str, f64>, f64, String) {
    let screener = shipped_screener();
    let mut counts = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    let mut misses = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let item: Item = serde_json::from_str(line).unwrap();
        let level = screener.screen(&item.text, item.field).level;
        let (label, ok) = match item.label.as_str() {
            "emergency" => ("emergency", level == Level::Emergency),
            "crisis" => ("crisis", level >= Level::Crisis),
            "urgent" => ("urgent", level >= Level::Urgent),
            _ => ("routine", level < Level::Urgent),
        };
        let c = counts.entry(label).or_default();
        c.0 += ok as usize;
        c.1 += 1;
        if !ok {
            misses.push(format!("{} {} -> {}", item.id, item.label, level));
        }
    }
    let rates = counts
        .iter()
        .map(|(k, (ok, n))| (*k, *ok as f64 / *n as f64))
        .collect::<std::collections::BTreeMap<_, _>>();
    let false_alarm = 1.0 - rates.get("routine").copied().unwrap_or(1.0);
    (rates, false_alarm, misses.join("\n"))
}

#[test]
fn shipped_rules_meet_the_safety_floor_on_the_dev_set() {
    let path = std::env::var("CARELINE_TRIAGE_SET")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("../shared/triage/dev.jsonl"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have the dev set at {}",
            path.display()
        );
        eprintln!("SKIPPED: dev-set regression: {} not found", path.display());
        return;
    };
    let (rates, false_alarm, misses) = score(&text);
    eprintln!("dev set: {rates:?}, routine false alarms {false_alarm:.3}");
    assert!(
        rates["emergency"] >= 0.98,
        "emergency recall {rates:?}\n{misses}"
    );
    assert!(rates["crisis"] >= 0.98, "crisis recall {rates:?}\n{misses}");
    assert!(
        false_alarm <= 0.05,
        "routine false alarms {false_alarm:.3}\n{misses}"
    );
}

/// Floors on the held-out sets whose misses have been read and tuned on
/// (see tests/fixtures/README.md), a little below their figures after
/// tuning: a rule change that loses what was learned from them is caught.
/// Their misses are printed: they are no longer unseen.
#[test]
fn shipped_rules_keep_what_the_tuning_sets_taught() {
    // (file, emergency, crisis, urgent recall floors, false-alarm ceiling)
    let sets = [
        ("triage-holdout.jsonl", 0.97, 0.95, 0.95, 0.06),
        ("triage-holdout-2.jsonl", 0.97, 0.97, 0.95, 0.03),
        ("triage-holdout-3.jsonl", 0.97, 0.97, 0.95, 0.03),
        ("triage-holdout-4.jsonl", 0.97, 0.97, 0.95, 0.05),
        ("triage-holdout-5.jsonl", 0.97, 0.97, 0.95, 0.07),
        ("triage-holdout-6.jsonl", 0.97, 0.97, 0.95, 0.03),
        ("triage-holdout-7.jsonl", 0.97, 0.97, 0.95, 0.03),
        ("triage-holdout-8.jsonl", 0.97, 0.97, 0.95, 0.03),
        ("triage-holdout-9.jsonl", 0.97, 0.97, 0.95, 0.03),
        ("triage-holdout-10.jsonl", 0.97, 0.97, 0.95, 0.03),
        ("triage-holdout-11.jsonl", 0.97, 0.97, 0.95, 0.05),
        ("triage-holdout-12.jsonl", 0.97, 0.97, 0.95, 0.03),
        // tuned on its misses but not yet on its false alarms
        ("triage-holdout-13.jsonl", 0.97, 0.97, 0.95, 0.10),
        ("triage-holdout-14.jsonl", 0.97, 0.97, 0.95, 0.05),
        ("triage-holdout-15.jsonl", 0.97, 0.97, 0.95, 0.05),
        ("triage-holdout-16.jsonl", 0.97, 0.97, 0.95, 0.04),
        // false alarms the review's probes showed too risky to fix as context
        ("triage-holdout-17.jsonl", 0.97, 0.97, 0.95, 0.10),
        ("triage-holdout-18.jsonl", 0.97, 0.97, 0.95, 0.04),
        // false alarms left: care already given ("urgent care checked her")
        // and mistaken beliefs, where a context cue would also silence a
        // real emergency told the same way
        ("triage-holdout-19.jsonl", 0.97, 0.97, 0.95, 0.05),
        // tuned on 2026-12-06 after set 21 was written; left: care already given
        // (no cue for it silences only what is over, see rules/context/en.toml),
        // a watch AFib alert felt as nothing (urgent on purpose) and a Spanish
        // "si ... que hago?" side-effect question
        ("triage-holdout-20.jsonl", 0.97, 0.97, 0.95, 0.08),
        // tuned on 2026-12-07 (its misses read after set 22 was written): left are
        // care already given, a resolved past fever, a hypothetical told over "and"
        ("triage-holdout-21.jsonl", 0.97, 0.97, 0.95, 0.06),
        // tuned on 2026-12-07 after its one measurement (79/80, 48/50, 66/70, 1/100)
        ("triage-holdout-22.jsonl", 0.97, 0.97, 0.95, 0.03),
        // coverage sets: written to widen the rules, tuned on from the start
        ("triage-coverage-crisis.jsonl", 1.0, 0.95, 1.0, 0.05),
        ("triage-coverage-emergency.jsonl", 0.95, 1.0, 0.92, 0.08),
        // a third coverage set: wording breadth, 36% Spanish (2026-12-04)
        // (its hearsay and "theyre gone" false alarms came back: those cues hid real reports)
        ("triage-coverage-3.jsonl", 0.97, 0.97, 0.95, 0.14),
        // a fourth: crisis language a keyword list would not anticipate, 40% Spanish
        ("triage-coverage-4.jsonl", 0.97, 0.97, 0.95, 0.08),
    ];
    for (file, emergency, crisis, urgent, alarms) in sets {
        let text = std::fs::read_to_string(root().join("tests/fixtures").join(file))
            .expect("the held-out sets ship with the repository");
        let (rates, false_alarm, misses) = score(&text);
        eprintln!("{file}: {rates:?}, routine false alarms {false_alarm:.3}");
        // (a coverage set may hold no item of a level)
        let rate = |level: &str| rates.get(level).copied().unwrap_or(1.0);
        assert!(
            rate("emergency") >= emergency,
            "{file}: {rates:?}\n{misses}"
        );
        assert!(rate("crisis") >= crisis, "{file}: {rates:?}\n{misses}");
        assert!(rate("urgent") >= urgent, "{file}: {rates:?}\n{misses}");
        assert!(
            false_alarm <= alarms,
            "{file}: false alarms {false_alarm:.3}\n{misses}"
        );
    }
}

/// A floor on the newest held-out set, never tuned on (see
/// tests/fixtures/README.md), a little below its one measurement, so that a
/// rule change that generalizes worse is caught. Its misses are not printed
/// on purpose: reading them would make it a tuning set.
#[test]
fn shipped_rules_hold_up_on_messages_nobody_tuned_on() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/triage-holdout-23.jsonl"))
        .expect("the held-out set ships with the repository");
    let (rates, false_alarm, _) = score(&text);
    eprintln!("held-out set 23: {rates:?}, routine false alarms {false_alarm:.3}");
    assert!(
        rates["emergency"] >= 0.95,
        "emergency recall {:.3}",
        rates["emergency"]
    );
    assert!(
        rates["crisis"] >= 0.78,
        "crisis recall {:.3}",
        rates["crisis"]
    );
    assert!(
        rates["urgent"] >= 0.88,
        "urgent recall {:.3}",
        rates["urgent"]
    );
    assert!(false_alarm <= 0.12, "routine false alarms {false_alarm:.3}");
}

/// The quick gate (most texts stop after one look at their words) must never
/// change a verdict: `explain` takes the full path for every text
/// (7,897 texts with the dev set).
#[test]
fn the_quick_gate_never_changes_a_verdict() {
    let screener = shipped_screener();
    let mut texts: Vec<(String, Field)> = Vec::new();
    for path in [
        root().join("../shared/triage/dev.jsonl"),
        root().join("tests/fixtures/triage-holdout.jsonl"),
        root().join("tests/fixtures/triage-holdout-2.jsonl"),
        root().join("tests/fixtures/triage-holdout-3.jsonl"),
        root().join("tests/fixtures/triage-holdout-4.jsonl"),
        root().join("tests/fixtures/triage-holdout-5.jsonl"),
        root().join("tests/fixtures/triage-holdout-6.jsonl"),
        root().join("tests/fixtures/triage-holdout-7.jsonl"),
        root().join("tests/fixtures/triage-holdout-8.jsonl"),
        root().join("tests/fixtures/triage-holdout-9.jsonl"),
        root().join("tests/fixtures/triage-holdout-10.jsonl"),
        root().join("tests/fixtures/triage-holdout-11.jsonl"),
        root().join("tests/fixtures/triage-holdout-12.jsonl"),
        root().join("tests/fixtures/triage-holdout-13.jsonl"),
        root().join("tests/fixtures/triage-holdout-14.jsonl"),
        root().join("tests/fixtures/triage-holdout-15.jsonl"),
        root().join("tests/fixtures/triage-holdout-16.jsonl"),
        root().join("tests/fixtures/triage-holdout-17.jsonl"),
        root().join("tests/fixtures/triage-holdout-18.jsonl"),
        root().join("tests/fixtures/triage-holdout-19.jsonl"),
        root().join("tests/fixtures/triage-holdout-20.jsonl"),
        root().join("tests/fixtures/triage-holdout-21.jsonl"),
        root().join("tests/fixtures/triage-holdout-22.jsonl"),
        root().join("tests/fixtures/triage-holdout-23.jsonl"),
        root().join("tests/fixtures/triage-coverage-3.jsonl"),
        root().join("tests/fixtures/triage-coverage-4.jsonl"),
    ] {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("SKIPPED part: {} not found", path.display());
            continue;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let item: Item = serde_json::from_str(line).unwrap();
            texts.push((item.text, item.field));
        }
    }
    assert!(!texts.is_empty(), "no texts to compare");
    for (text, field) in &texts {
        let quick = screener.screen(text, *field);
        let full = screener.explain(text, *field).verdict;
        assert_eq!(quick, full, "{text:?}");
    }
}
