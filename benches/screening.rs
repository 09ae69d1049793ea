//! Screening speed on a generated, realistic corpus, against a
//! `regex::RegexSet` built from the same patterns in the same run.
//!
//! `cargo bench --bench screening` (rules from `$CARELINE_RULES` or `rules/`).
//! The corpus is generated from member-style templates: mostly plain
//! requests of 40–600 bytes; 12% add a near-miss (negated, past,
//! hypothetical, idiom), 8% a red flag, 3% are long with a buried red flag;
//! some in Spanish, 5% in capitals. The `dev_set` group screens the
//! labelled development set (adversarial: most of its routine messages are
//! near-misses) when `../shared/triage/dev.jsonl` exists.

use std::hint::black_box;
use std::time::Duration;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use careline::screening::{Field, Screener};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regex::RegexSetBuilder;

fn rules_dir() -> String {
    std::env::var("CARELINE_RULES").unwrap_or_else(|_| "rules".into())
}

#[path = "support/corpus.rs"]
mod corpus;
use corpus::{RED_FLAGS, ROUTINE, corpus};

fn bench(c: &mut Criterion) {
    let dir = rules_dir();
    let screener = Screener::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let gated = texts
        .iter()
        .filter(|t| screener.passes_gate(t, Field::Details))
        .count();
    eprintln!(
        "corpus: {} messages, {:.1} MB, {:.0}% pass the gate; rules: {} patterns",
        texts.len(),
        bytes as f64 / 1e6,
        100.0 * gated as f64 / texts.len() as f64,
        screener.patterns().len()
    );

    // The baseline: one RegexSet of the same patterns, whole words, on the
    // lower-cased text (what a careful regex-based screener would do). Built
    // only when its benchmark is selected.
    let baseline = std::sync::OnceLock::new();
    let set = || {
        baseline.get_or_init(|| {
            let regex_patterns: Vec<String> = screener
                .patterns()
                .iter()
                .map(|p| format!(r"\b{}\b", regex::escape(p)))
                .collect();
            RegexSetBuilder::new(&regex_patterns)
                .size_limit(1 << 30)
                .dfa_size_limit(1 << 30)
                .build()
                .expect("the baseline RegexSet builds")
        })
    };

    let mut g = c.benchmark_group("throughput");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("careline", |b| {
        b.iter(|| {
            let mut flagged = 0usize;
            for t in &texts {
                flagged += (screener.screen(black_box(t), Field::Details).level
                    > careline::screening::Level::Routine) as usize;
            }
            flagged
        })
    });
    // what `careline screen` runs: the level and rule ids, no spans
    g.bench_function("careline_classify", |b| {
        b.iter(|| {
            let mut flagged = 0usize;
            for t in &texts {
                flagged += (screener.classify(black_box(t), Field::Details).0
                    > careline::screening::Level::Routine) as usize;
            }
            flagged
        })
    });
    g.bench_function("regexset_baseline", |b| {
        let set = set();
        b.iter(|| {
            let mut flagged = 0usize;
            for t in &texts {
                flagged += set.matches(&black_box(t).to_lowercase()).matched_any() as usize;
            }
            flagged
        })
    });
    g.finish();

    // Floors: work that any engine meeting the issue's brief must do at
    // least, measured on the same corpus in the same run, so that the
    // targets can be read against them. `normalize` is the issue's
    // normalization alone (NFKC, folding, stretched letters, leetspeak;
    // with byte origins); the DFA is aho-corasick's fastest automaton over
    // the same patterns on the raw text, ASCII case-insensitive, reporting
    // every occurrence (no word boundaries, no misspellings, no context).
    let mut g = c.benchmark_group("floor");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("normalize_only", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| careline::screening::normalize(black_box(t)).text.len())
                .sum::<usize>()
        })
    });
    let dfa = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(screener.patterns())
        .expect("the floor's DFA builds");
    g.bench_function("aho_corasick_dfa_every_occurrence", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| dfa.find_overlapping_iter(black_box(t.as_str())).count())
                .sum::<usize>()
        })
    });
    g.finish();

    if let Ok(dev) = std::fs::read_to_string("../shared/triage/dev.jsonl") {
        let texts: Vec<String> = dev
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["text"].as_str().map(str::to_string))
            .collect();
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut g = c.benchmark_group("dev_set");
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        g.bench_function("careline", |b| {
            b.iter(|| {
                texts
                    .iter()
                    .filter(|t| {
                        screener.screen(black_box(t), Field::Details).level
                            > careline::screening::Level::Routine
                    })
                    .count()
            })
        });
        g.bench_function("regexset_baseline", |b| {
            let set = set();
            b.iter(|| {
                texts
                    .iter()
                    .filter(|t| set.matches(&black_box(t).to_lowercase()).matched_any())
                    .count()
            })
        });
        g.finish();
    }

    let mut g = c.benchmark_group("latency");
    let short_routine = "Can I get a refill of my lisinopril 10 mg? I have a week left.";
    let red_flag = "Hi, I need to move my appointment. Also my chest feels tight and heavy since this morning, no fever.";
    let long = format!("{} {}", ROUTINE.join(" ").repeat(20), RED_FLAGS[1]);
    for (name, text) in [
        ("short_routine", short_routine),
        ("red_flag", red_flag),
        ("long_10k", long.as_str()),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| screener.screen(black_box(text), Field::Details))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("compile");
    g.sample_size(20);
    g.bench_function("load_shipped_rules", |b| {
        b.iter_with_large_drop(|| Screener::load_unchecked(black_box(&dir)).expect("rules load"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
