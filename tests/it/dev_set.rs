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
    let screener = shipped_screener();
    let mut counts = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    let mut misses = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let item: Item = serde_json::from_str(line).unwrap();
        let level = screener.screen(&item.text, item.field).level;
        let ok = match item.label.as_str() {
            "emergency" => level == Level::Emergency,
            "crisis" => level >= Level::Crisis,
            "urgent" => level >= Level::Urgent,
            _ => level < Level::Urgent,
        };
        let label = match item.label.as_str() {
            "emergency" => "emergency",
            "crisis" => "crisis",
            "urgent" => "urgent",
            _ => "routine",
        };
        let c = counts.entry(label).or_default();
        c.0 += ok as usize;
        c.1 += 1;
        if !ok {
            misses.push(format!("{} {} -> {}", item.id, item.label, level));
        }
    }
    let rate = |k: &str| counts.get(k).map_or(1.0, |(ok, n)| *ok as f64 / *n as f64);
    let false_alarm = 1.0 - rate("routine");
    eprintln!(
        "dev set: emergency {:.3} crisis {:.3} urgent {:.3} routine false alarms {:.3}",
        rate("emergency"),
        rate("crisis"),
        rate("urgent"),
        false_alarm
    );
    let report = misses.join("\n");
    assert!(
        rate("emergency") >= 0.98,
        "emergency recall {:.3}\n{report}",
        rate("emergency")
    );
    assert!(
        rate("crisis") >= 0.98,
        "crisis recall {:.3}\n{report}",
        rate("crisis")
    );
    assert!(
        false_alarm <= 0.05,
        "routine false alarms {false_alarm:.3}\n{report}"
    );
}

/// The quick gate (most texts stop after one small automaton) must never
/// change a verdict: `explain` takes the full path for every text.
#[test]
fn the_quick_gate_never_changes_a_verdict() {
    let screener = shipped_screener();
    let mut texts: Vec<(String, Field)> = Vec::new();
    for path in [
        root().join("../shared/triage/dev.jsonl"),
        root().join("tests/fixtures/triage-holdout.jsonl"),
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
