//! Writes the screening benchmark's generated corpus as JSON Lines, for
//! `careline screen` and profilers:
//! `cargo run --release --example corpus > corpus.jsonl`.

#[path = "../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (i, text) in corpus::corpus().iter().enumerate() {
        let line = serde_json::json!({ "id": i, "text": text });
        writeln!(out, "{line}")?;
    }
    out.flush()
}
