//! The screener with the shipped rules (compiled once): any text, as a
//! subject or as details, gives a consistent verdict whose spans lie inside
//! the text, the quick gate never changes a verdict (`explain` screens
//! without it), and classifying gives the verdict's level and rules.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

use careline::screening::{Field, Screener};
use libfuzzer_sys::fuzz_target;

fn screener() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| {
        let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");
        Screener::load_unchecked(rules).unwrap_or_else(|e| panic!("{e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let field = if first & 1 == 0 {
        Field::Details
    } else {
        Field::Subject
    };
    let text = String::from_utf8_lossy(rest);
    let v = screener().screen(&text, field);
    common::check_verdict(&text, &v);
    let explained = screener().explain(&text, field);
    assert_eq!(explained.verdict, v, "the gate changed the verdict");
    let classified = screener().classify(&text, field);
    assert_eq!(classified, (v.level, v.rule_ids()), "classify disagrees");
});
