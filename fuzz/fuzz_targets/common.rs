//! Checks shared by the fuzz targets.

use std::ops::Range;

use careline::screening::{Level, Verdict};

/// A verdict is consistent with the text it was computed for: its level is
/// its strongest hit's (routine without hits), hits come strongest first,
/// and every span lies inside `text` on character boundaries (spans index
/// the text as given, not the normalized text).
pub fn check_verdict(text: &str, v: &Verdict) {
    let top = v.hits.first().map_or(Level::Routine, |h| h.level);
    assert_eq!(v.level, top, "the level is the top hit's");
    assert!(
        v.hits.windows(2).all(|w| w[0].level >= w[1].level),
        "hits strongest first"
    );
    for h in &v.hits {
        assert!(!h.spans.is_empty(), "a hit without spans: {}", h.rule);
        for s in &h.spans {
            check_span(text, s);
        }
    }
    for s in &v.suppressed {
        check_span(text, &s.cue);
        for s in &s.spans {
            check_span(text, s);
        }
    }
}

/// `span` is a range of `text` on character boundaries.
pub fn check_span(text: &str, span: &Range<usize>) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} not on character boundaries"
    );
}
