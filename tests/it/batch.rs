//! `careline screen`: JSON Lines in, one answer line per input line, in order.

use std::io::Write;
use std::process::{Command, Stdio};

use careline::batch::screen_lines;

use crate::helpers::{fixture_screener, root};

fn run_batch(input: &str) -> (Vec<serde_json::Value>, careline::batch::Summary) {
    let mut out = Vec::new();
    let summary = screen_lines(fixture_screener(), input.as_bytes(), &mut out).unwrap();
    let lines = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, summary)
}

#[test]
fn answers_every_line_in_order_with_level_and_rules() {
    let (out, summary) = run_batch(concat!(
        "{\"id\": \"a\", \"text\": \"my chest is so tight\"}\n",
        "{\"id\": 2, \"text\": \"HIV results\", \"field\": \"subject\"}\n",
        "{\"id\": \"c\", \"text\": \"refill please\", \"field\": \"details\"}\n",
    ));
    assert_eq!(summary.lines, 3);
    assert_eq!(summary.rejected, 0);
    assert_eq!(
        out[0],
        serde_json::json!({"id": "a", "level": "emergency", "rules": ["chest"]})
    );
    assert_eq!(
        out[1],
        serde_json::json!({"id": 2, "level": "sensitive", "rules": ["subject.hiv"]})
    );
    assert_eq!(
        out[2],
        serde_json::json!({"id": "c", "level": "routine", "rules": []})
    );
}

#[test]
fn bad_lines_get_an_error_line_and_the_batch_goes_on() {
    let (out, summary) = run_batch(concat!(
        "{\"id\": \"a\", \"text\": \"lol kms\"}\n",
        "{not json\n",
        "\n",
        "{\"id\": \"b\"}\n",
        "{\"id\": \"c\", \"text\": \"hi\", \"field\": \"title\"}\n",
        "{\"id\": \"d\", \"text\": \"heart attack\"}",
    ));
    assert_eq!(out.len(), 6);
    assert_eq!(summary.rejected, 4);
    assert_eq!(out[0]["level"], "crisis");
    for (i, line) in out[1..5].iter().enumerate() {
        assert_eq!(line["line"], i as u64 + 2, "{line}");
        assert!(line["error"].as_str().unwrap().len() > 5, "{line}");
    }
    assert_eq!(out[5]["level"], "emergency");
}

#[test]
fn invalid_utf8_lines_are_rejected_not_fatal() {
    let mut input = b"{\"id\": 1, \"text\": \"caf\xe9\"}\n".to_vec();
    input.extend_from_slice(b"{\"id\": 2, \"text\": \"heart attack\"}\n");
    let mut out = Vec::new();
    let summary = screen_lines(fixture_screener(), input.as_slice(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(summary.rejected, 1);
    assert!(text.lines().next().unwrap().contains("UTF-8"));
    assert!(text.lines().nth(1).unwrap().contains("emergency"));
}

#[test]
fn the_binary_streams_and_exits_non_zero_when_a_line_was_rejected() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_careline"))
        .args(["screen", "--rules"])
        .arg(root().join("tests/fixtures/rules"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"{\"id\": 1, \"text\": \"no chest pain\"}\nnope\n")
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], r#"{"id":1,"level":"routine","rules":[]}"#);
    assert!(
        lines[1].starts_with(r#"{"line":2,"error":"#),
        "{}",
        lines[1]
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 2 lines rejected"));
}
