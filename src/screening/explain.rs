//! Plain-text rendering of an [`Explanation`] for `careline rules explain`.

use std::fmt::Write;

use super::Explanation;

/// Renders an explanation of `text` for a person at a terminal.
pub fn render_explanation(text: &str, e: &Explanation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "normalized: {}", e.normalized);
    if e.matches.is_empty() {
        let _ = writeln!(s, "matches:    none");
    } else {
        let _ = writeln!(s, "matches:");
        for m in &e.matches {
            let _ = writeln!(s, "  {:<28} {}", format!("`{}`", m.text), m.role);
        }
    }
    if !e.verdict.suppressed.is_empty() {
        let _ = writeln!(s, "suppressed:");
        for x in &e.verdict.suppressed {
            let words: Vec<&str> = x.spans.iter().map(|r| &text[r.clone()]).collect();
            let by = match x.by {
                Some(kind) => format!("{kind:?} cue").to_lowercase(),
                None => "the rule's exception".to_string(),
            };
            let _ = writeln!(
                s,
                "  {} ({}) on `{}`: cancelled by {by} `{}`",
                x.rule,
                x.level,
                words.join(" … "),
                &text[x.cue.clone()]
            );
        }
    }
    if !e.verdict.hits.is_empty() {
        let _ = writeln!(s, "fired:");
        for h in &e.verdict.hits {
            let words: Vec<&str> = h.spans.iter().map(|r| &text[r.clone()]).collect();
            let _ = writeln!(
                s,
                "  {} ({}) on `{}`: {}",
                h.rule,
                h.level,
                words.join(" … "),
                h.reason
            );
        }
    }
    let _ = writeln!(s, "verdict:    {}", e.verdict.level);
    s
}
