//! End to end: the `careline chat` binary with piped input, then the queue
//! as `careline queue` shows it.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::root;

fn careline(dir: &tempfile::TempDir, args: &[&str], stdin: &[u8]) -> (String, String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_careline"))
        .args(args)
        .current_dir(dir.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("chat.db").display()),
        )
        .env("CARELINE_RULES", root().join("rules"))
        .env("RUST_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.success(),
    )
}

#[test]
fn a_scripted_terminal_chat_ends_in_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let mut script = Vec::new();
    script.extend_from_slice(b"1\nrefill\n1\n");
    // Bad input on the way: invalid UTF-8 and a 10,000-character message.
    script.extend_from_slice(b"\xff\xfe broken\n");
    script.extend_from_slice(format!("{}\n", "a".repeat(10_000)).as_bytes());
    script.extend_from_slice(b"Lisinopril 10 mg once daily, CVS on Main Street\ndone\nsend\n");
    // A second message that turns out to be an emergency: nothing queued.
    script.extend_from_slice(
        b"/new\n2\n3\n1\nmy chest feels tight and heavy right now\n/cancel\n/status\n",
    );
    let (out, err, ok) = careline(&dir, &["chat"], &script);
    assert!(ok, "chat failed: {err}");
    assert!(
        out.contains("you> refill"),
        "input is echoed when piped:\n{out}"
    );
    assert!(out.contains("isn't valid text"), "{out}");
    assert!(out.contains("the limit is 2000"), "{out}");
    assert!(out.contains("Reference: CL-000001"), "{out}");
    assert!(out.contains("Call 911"), "{out}");
    assert!(
        out.contains("CL-000001 · Dr. Maria Alvarez"),
        "status lists it:\n{out}"
    );
    for secret in ["Lisinopril", "chest", "CVS"] {
        assert!(
            !err.contains(secret),
            "logs carry member text {secret:?}:\n{err}"
        );
    }
    assert!(
        err.contains("draft committed"),
        "logs say what happened:\n{err}"
    );

    let (list, _, ok) = careline(&dir, &["queue", "list", "--json"], b"");
    assert!(ok);
    let items: Vec<serde_json::Value> = list
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(items.len(), 1, "only the refill is queued:\n{list}");
    assert_eq!(items[0]["subject"], "Request for Refill");
    assert_eq!(items[0]["priority"], "normal");

    let (show, _, ok) = careline(&dir, &["queue", "show", "CL-000001"], b"");
    assert!(ok);
    assert!(
        show.contains("Lisinopril 10 mg once daily, CVS on Main Street"),
        "{show}"
    );
    assert!(show.contains("LOCAL-0001"), "{show}");
}

#[test]
fn the_terminal_chat_resumes_a_draft_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (_, err, ok) = careline(&dir, &["chat"], b"1\nsomething else\nParking question\n");
    assert!(ok, "{err}");
    let (out, err, ok) = careline(
        &dir,
        &["chat"],
        b"Where do I park for the clinic on Elm St?\ndone\nsend\n",
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("Now the details"),
        "resumed at the details step:\n{out}"
    );
    assert!(out.contains("Reference: CL-000001"), "{out}");
}

#[test]
fn queue_show_of_a_missing_item_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (_, err, ok) = careline(&dir, &["queue", "show", "CL-000099"], b"");
    assert!(!ok);
    assert!(err.contains("CL-000099 not found"), "{err}");
}

#[test]
fn serve_without_a_token_says_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_careline"))
        .arg("serve")
        .current_dir(dir.path())
        .env_remove("TELOXIDE_TOKEN")
        .env("CARELINE_RULES", root().join("rules"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("TELOXIDE_TOKEN is not set") && err.contains("careline chat"),
        "{err}"
    );
}
