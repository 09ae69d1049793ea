//! The data-key commands and production mode, through the binary.

use std::process::Command;

fn careline(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_careline"));
    cmd.args(args)
        .env_remove("CARELINE_DATA_KEYS")
        .env_remove("CARELINE_ENV");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn production_mode_refuses_to_start_without_a_data_key() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let rules = crate::helpers::root().join("rules");
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("CARELINE_ENV", "production"),
        ("TELOXIDE_TOKEN", "1:NOPE"),
        ("TELOXIDE_API_URL", "http://127.0.0.1:9/"),
        ("CARELINE_RULES", rules.to_str().unwrap()),
    ];
    for args in [&["serve"][..], &["console"], &["queue", "list"]] {
        let out = careline(args, &env);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} started without a key");
        assert!(
            err.contains("CARELINE_DATA_KEYS is not set") && err.contains("keys generate"),
            "{args:?}: {err}"
        );
    }
    assert!(!dir.path().join("p.db").exists(), "nothing was written");
}

#[test]
fn a_generated_key_encrypts_and_rotate_reports_per_column() {
    let out = careline(&["keys", "generate", "--id", "k7"], &[]);
    assert!(out.status.success());
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(key.starts_with("k7:"));
    careline::storage::Keyring::parse(&key).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("k.db").display());
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("CARELINE_DATA_KEYS", key.as_str()),
        ("CARELINE_ENV", "production"),
    ];
    let out = careline(&["keys", "rotate"], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains("queue_items.details: 0 re-encrypted"),
        "{said}"
    );
    // Without any key, rotate says why it can't.
    let out = careline(&["keys", "rotate"], &[("DATABASE_URL", url.as_str())]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a key"));
}
