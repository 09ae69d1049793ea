//! `careline screen`: batch screening over JSON Lines, streaming.
//!
//! Reads one `{"id", "text", "field"}` object a line and writes exactly one
//! line back for each, in order: `{"id", "level", "rules"}`, or
//! `{"line", "error"}` for a line that cannot be read. Memory stays
//! constant whatever the input size (one line at a time). Never logs text.

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::screening::{Field, Level, Screener};

/// Counts of one batch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Lines read.
    pub lines: u64,
    /// Lines answered with an error.
    pub rejected: u64,
}

#[derive(Deserialize)]
struct Request {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    field: Field,
}

#[derive(Serialize)]
struct Response<'a> {
    id: &'a serde_json::Value,
    level: Level,
    rules: Vec<&'a str>,
}

#[derive(Serialize)]
struct Rejection {
    line: u64,
    error: String,
}

/// Screens every line of `input`, writing one answer line per input line.
pub fn screen_lines(
    screener: &Screener,
    mut input: impl BufRead,
    output: impl Write,
) -> io::Result<Summary> {
    let mut out = io::BufWriter::new(output);
    let mut summary = Summary::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        summary.lines += 1;
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match parse(line) {
            Ok(req) => {
                // only the level and the rule ids are written
                let (level, rules) = screener.classify(&req.text, req.field);
                let resp = Response {
                    id: &req.id,
                    level,
                    rules,
                };
                serde_json::to_writer(&mut out, &resp)?;
            }
            Err(error) => {
                summary.rejected += 1;
                let rej = Rejection {
                    line: summary.lines,
                    error,
                };
                serde_json::to_writer(&mut out, &rej)?;
            }
        }
        out.write_all(b"\n")?;
        // Answer interactive callers at once; batch callers get big writes.
        if input.fill_buf()?.is_empty() {
            out.flush()?;
        }
    }
    out.flush()?;
    Ok(summary)
}

fn parse(line: &[u8]) -> Result<Request, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("not valid UTF-8: {e}"))?;
    if text.trim().is_empty() {
        return Err("empty line: expected a JSON object".into());
    }
    serde_json::from_str(text).map_err(|e| format!("not a screening request: {e}"))
}
