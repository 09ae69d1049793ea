//! The normalizer: never panics, is idempotent, keeps its documented shape,
//! and maps every byte range of its output back to character boundaries of
//! the input.
#![no_main]

use careline::screening::normalize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let n = normalize(&input);
    let t = n.text.as_str();
    assert_eq!(normalize(t).text, t, "not idempotent on {input:?}");
    assert!(!t.bytes().any(|b| b.is_ascii_uppercase()), "{t:?}");
    assert!(!t.contains("  ") && !t.contains('\''), "{t:?}");
    assert!(!t.starts_with([' ', '\n']) && !t.ends_with(' '), "{t:?}");
    assert!(
        !t.chars().any(|c| c.is_control() && c != '\n'),
        "a control character left in {t:?}"
    );
    let check = |start: usize, end: usize| {
        let (s, e) = n.original_span(&input, start, end);
        assert!(s <= e && e <= input.len(), "{start}..{end} -> {s}..{e}");
        assert!(input.is_char_boundary(s) && input.is_char_boundary(e));
    };
    check(0, t.len());
    check(t.len(), t.len() + 3);
    for (i, c) in t.char_indices().take(512) {
        check(i, i + c.len_utf8());
        check(0, i);
    }
});
