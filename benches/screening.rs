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

use careline::screening::{Field, Screener};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regex::RegexSetBuilder;

fn rules_dir() -> String {
    std::env::var("CARELINE_RULES").unwrap_or_else(|_| "rules".into())
}

/// A small deterministic generator (xorshift), so every run sees one corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const GREETINGS: &[&str] = &[
    "Hi,",
    "Hello Dr. Patel,",
    "Good morning!",
    "hey",
    "Hola,",
    "",
];
/// Plain requests: most of what members write.
const ROUTINE: &[&str] = &[
    "I need a refill of my lisinopril 10 mg, I have about a week left.",
    "Can you send the prescription to the CVS on Main Street instead of Walgreens?",
    "Are my cholesterol results from Tuesday back yet? I saw something in the app.",
    "I'd like to move my appointment on the 14th to the following week if possible.",
    "My insurance changed in January, do you need a copy of my new card?",
    "Could the nurse call me about the forms for my son's school physical?",
    "I have a question about my A1c, it went from 6.9 to 7.2, should I change anything?",
    "The pharmacy says they never got the refill request for my metformin.",
    "Can I get a referral to dermatology for a mole I want checked, no rush.",
    "quiero saber si ya estan mis resultados de laboratorio de la semana pasada",
    "necesito una cita para mi hija, tiene tos desde hace dos dias pero come bien",
    "thx for the help last time, the new inhaler works great",
    "My knee still clicks after PT, should I book another visit?",
    "i think i need a new CPAP mask, mine is cracked. do u order those",
    "Please fax the FMLA paperwork to my employer, the number is on file.",
    "Do I need to fast before the blood work next Monday?",
    "Can my husband pick up my prescription for me?",
    "me pueden mandar la receta a otra farmacia por favor",
];
/// Near-misses: scary words that are negated, past, hypothetical or idioms.
const NEAR_MISSES: &[&str] = &[
    "I had a stroke in 2019 and I'm due for my yearly follow-up with neurology.",
    "No chest pain or shortness of breath, just want to know if I can exercise again.",
    "this paperwork is killing me lol, which form do I need for FMLA?",
    "What should I do if my son ever has a seizure at school?",
    "My dad died of a heart attack, should I get my cholesterol checked?",
];
const RED_FLAGS: &[&str] = &[
    "My chest feels tight and heavy and I'm sweating.",
    "my dad is slurring his words and his face looks droopy",
    "I took a whole bottle of my sleeping pills",
    "i dont want to be alive anymore",
    "my 2 month old has a fever of 100.8",
    "tengo un dolor muy fuerte en el pecho y no puedo respirar",
    "the cut wont stop bleeding its been 20 minutes",
    "ran out of insulin yesterday",
];

fn message(rng: &mut Rng) -> String {
    let mut m = String::new();
    m.push_str(rng.pick(GREETINGS));
    let sentences = 1 + rng.next() % 4;
    for _ in 0..sentences {
        m.push(' ');
        m.push_str(rng.pick(ROUTINE));
    }
    if rng.chance(12) {
        m.push(' ');
        m.push_str(rng.pick(NEAR_MISSES));
    }
    if rng.chance(8) {
        m.push(' ');
        m.push_str(rng.pick(RED_FLAGS));
    }
    if rng.chance(3) {
        // a long message with a red flag buried in the middle
        for _ in 0..8 {
            m.push(' ');
            m.push_str(rng.pick(ROUTINE));
        }
        m.push(' ');
        m.push_str(rng.pick(RED_FLAGS));
    }
    if rng.chance(5) {
        m = m.to_uppercase();
    }
    m.trim().to_string()
}

fn corpus() -> Vec<String> {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    (0..20_000).map(|_| message(&mut rng)).collect()
}

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
