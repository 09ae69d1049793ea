//! The rule-file parser and compiler: any text as one rule file (beside the
//! fixture context file, so that context logic runs) must give either a
//! screener or located problems, never a panic. A screener that compiles
//! runs its own examples, and screens the file's text as a message.
#![no_main]

#[path = "common.rs"]
mod common;

use careline::screening::{Field, Screener};
use libfuzzer_sys::fuzz_target;

const CONTEXT: &str = include_str!("../../tests/fixtures/rules/context/en.toml");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files = [("fuzz.toml", &*text), ("context/en.toml", CONTEXT)];
    match Screener::from_texts(files) {
        Ok(screener) => {
            let _ = screener.check_examples();
            for field in [Field::Details, Field::Subject] {
                common::check_verdict(&text, &screener.screen(&text, field));
            }
        }
        Err(e) => {
            assert!(!e.problems.is_empty(), "an error without problems");
            for p in &e.problems {
                assert!(!p.message.is_empty());
                let Some(loc) = &p.location else { continue };
                let file = files
                    .iter()
                    .find(|(path, _)| loc.path.as_os_str() == *path)
                    .map(|(_, text)| *text)
                    .expect("a problem in a file that was read");
                let lines: Vec<&str> = file.split('\n').collect();
                assert!(loc.line >= 1 && loc.line <= lines.len(), "{loc}");
                let chars = lines[loc.line - 1].chars().count();
                assert!(loc.col >= 1 && loc.col <= chars + 1, "{loc}");
            }
        }
    }
});
