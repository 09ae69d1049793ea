//! Live rule reload: a running assistant keeps screening with the last good
//! rules while an admin breaks and fixes the rules folder, picks up a valid
//! edit by itself, and shows the current problem on the console's admin
//! page. And no command starts without emergency rules.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use careline::assistant::{Assistant, Outgoing};
use careline::console::RulesInfo;
use careline::conversation::Input;
use careline::rules_watch::{RulesHandle, RulesWatcher};
use careline::screening::{Field, Level};
use careline::storage::Store;

use crate::console::Console;
use crate::helpers::{copy_dir, root};

/// The text a member keeps sending while the rules change under them.
const RED_FLAG: &str = "crushing chest pain right now";
/// What the member is told for an emergency.
const CALL_911: &str = "Call 911 or go to the nearest emergency room now.";
/// A phrase no shipped rule knows, and a rule file that makes it an emergency.
const NEW_PHRASE: &str = "my zorblax attack is back";
const NEW_RULE_FILE: &str = "en/zz-reload-test.toml";

fn new_rule(fire_example: &str) -> String {
    format!(
        "lang = \"en\"\n\n[[rule]]\nid = \"emergency.reload-test.zorblax\"\nlevel = \"emergency\"\n\
         reason = \"A zorblax attack needs emergency care. Call 911 now.\"\n\
         phrases = [\"zorblax attack\"]\nfire = [\"{fire_example}\"]\n"
    )
}

/// Saves `text` at `path` as editors do: a temporary file renamed over it.
fn save_atomically(path: &Path, text: &str) {
    let tmp = path.with_extension("toml.tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn text(replies: &[Outgoing]) -> String {
    replies
        .iter()
        .map(|o| o.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Polls `done` every 50 ms for up to 60 s (a bound, not a speed target:
/// a reload compiles the whole rule set, slowly in a debug build on a busy
/// machine). Fails early if the screening task has stopped.
async fn wait_for(
    what: &str,
    screening: &tokio::task::JoinHandle<()>,
    mut done: impl FnMut() -> bool,
) {
    let started = Instant::now();
    while !done() {
        assert!(
            !screening.is_finished(),
            "screening stopped while waiting for {what}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "gave up waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the screening task has screened more texts than now.
async fn screened_more(count: &AtomicU64, screening: &tokio::task::JoinHandle<()>) {
    let seen = count.load(Ordering::SeqCst);
    wait_for("more texts screened", screening, || {
        count.load(Ordering::SeqCst) > seen
    })
    .await;
}

fn last_error(rules: &RulesHandle) -> String {
    rules
        .status()
        .last_error
        .map(|e| e.lines())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_reload_live_and_a_broken_edit_keeps_the_last_good_set() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("rules");
    copy_dir(&root().join("rules"), &dir);
    let (rules, watcher) = RulesWatcher::load(&dir).unwrap();
    let first = rules.status();
    assert!(first.last_error.is_none());

    let url = format!("sqlite://{}", work.path().join("reload.db").display());
    let store = Store::open(&url).await.unwrap();
    let member = store.ensure_member("M-7", "Reload Member").await.unwrap();
    let assistant = Assistant::with_rules(store, rules.clone());
    let console = Console::start_with_rules(RulesInfo::follow(&rules, &dir)).await;
    let admin = console.sign_in("admin").await;

    // A member keeps writing the same red flag, each time in a new chat: it
    // must be called an emergency every time, whatever the folder holds.
    let stop = Arc::new(AtomicBool::new(false));
    let screened = Arc::new(AtomicU64::new(0));
    let screening = tokio::spawn({
        let (assistant, stop, screened) = (assistant.clone(), stop.clone(), screened.clone());
        async move {
            while !stop.load(Ordering::SeqCst) {
                let n = screened.load(Ordering::SeqCst);
                let replies = assistant
                    .handle(&format!("reload:{n}"), member, Input::from_text(RED_FLAG))
                    .await
                    .unwrap();
                assert!(text(&replies).contains(CALL_911), "turn {n}: {replies:?}");
                let verdict = assistant.rules().current().screen(RED_FLAG, Field::Details);
                assert_eq!(verdict.level, Level::Emergency, "turn {n}");
                screened.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    screened_more(&screened, &screening).await;

    // 1. Invalid TOML, saved atomically: refused, reported with its line.
    let edited = dir.join("en/urgent-other.toml");
    let original = std::fs::read_to_string(&edited).unwrap();
    save_atomically(&edited, &format!("{original}\n[[rule]\nid = \"x\"\n"));
    wait_for("the TOML error", &screening, || {
        last_error(&rules).contains("urgent-other.toml:")
    })
    .await;
    let broken_line = original.lines().count() + 2;
    let error = last_error(&rules);
    assert!(
        error.contains(&format!("urgent-other.toml:{broken_line}:")),
        "path:line of the problem: {error}"
    );
    let status = rules.status();
    assert_eq!(
        status.fingerprint, first.fingerprint,
        "the last good set stays"
    );
    assert_eq!(status.loaded_at, first.loaded_at);
    screened_more(&screened, &screening).await;
    let (code, page) = console.get(&admin, "/admin").await;
    assert_eq!(code, 200);
    assert!(page.contains("urgent-other.toml:"), "the error is shown");
    assert!(
        page.contains("the last good set"),
        "and that it is not in force"
    );
    assert!(
        page.contains(&first.fingerprint),
        "the set in force is shown"
    );

    // 2. The file restored, and a new rule whose example does not fire.
    save_atomically(&edited, &original);
    save_atomically(&dir.join(NEW_RULE_FILE), &new_rule("nothing to see here"));
    wait_for("the failing example", &screening, || {
        let e = last_error(&rules);
        e.contains("zz-reload-test.toml:") && !e.contains("urgent-other.toml")
    })
    .await;
    assert!(
        last_error(&rules).contains("example should fire rule `emergency.reload-test.zorblax`"),
        "{}",
        last_error(&rules)
    );
    assert_eq!(rules.status().fingerprint, first.fingerprint);
    let replies = assistant
        .handle(
            "reload:new-phrase-early",
            member,
            Input::from_text(NEW_PHRASE),
        )
        .await
        .unwrap();
    assert!(
        !text(&replies).contains(CALL_911),
        "the refused rule is not in force"
    );
    screened_more(&screened, &screening).await;

    // 3. The folder emptied (as by a careless deploy): refused too.
    let aside = work.path().join("aside");
    std::fs::rename(&dir, &aside).unwrap();
    std::fs::create_dir(&dir).unwrap();
    wait_for("the empty-folder error", &screening, || {
        last_error(&rules).contains("holds no rule")
    })
    .await;
    assert_eq!(rules.status().fingerprint, first.fingerprint);
    screened_more(&screened, &screening).await;
    std::fs::remove_dir(&dir).unwrap();
    std::fs::rename(&aside, &dir).unwrap();

    // 4. The example fixed: the new set is swapped in and the error cleared.
    save_atomically(
        &dir.join(NEW_RULE_FILE),
        &new_rule("a zorblax attack right now"),
    );
    wait_for("the fixed rules", &screening, || {
        let s = rules.status();
        s.last_error.is_none() && s.fingerprint != first.fingerprint
    })
    .await;
    let status = rules.status();
    assert_eq!(status.stats.rules, first.stats.rules + 1);
    assert!(status.loaded_at > first.loaded_at);
    let replies = assistant
        .handle("reload:new-phrase", member, Input::from_text(NEW_PHRASE))
        .await
        .unwrap();
    assert!(
        text(&replies).contains(CALL_911),
        "the new phrase is in force"
    );
    screened_more(&screened, &screening).await;
    let (_, page) = console.get(&admin, "/admin").await;
    assert!(page.contains(&status.fingerprint), "the new set is shown");
    assert!(!page.contains("the last good set"), "no reload problem now");

    stop.store(true, Ordering::SeqCst);
    screening.await.unwrap();
    watcher.stop();
}

/// Runs the binary with a bounded wait; its exit status and standard error.
fn careline(cwd: &Path, args: &[&str]) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_careline"))
        .args(args)
        .current_dir(cwd)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", cwd.join("c.db").display()),
        )
        .env("TELOXIDE_TOKEN", "123456:not-a-real-token")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9/")
        .env("CARELINE_CONSOLE_LISTEN", "127.0.0.1:0")
        .env_remove("CARELINE_RULES")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("careline {args:?} did not exit");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn no_command_runs_without_emergency_rules() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let no_emergency = work.path().join("no-emergency");
    std::fs::create_dir(&no_emergency).unwrap();
    std::fs::write(
        no_emergency.join("urgent.toml"),
        "[[rule]]\nid = \"ear\"\nlevel = \"urgent\"\nphrases = [\"ear ache\"]\n\
         reason = \"r\"\nfire = [\"ear ache\"]\n",
    )
    .unwrap();
    for (dir, why) in [
        (&empty, "holds no rule"),
        (&no_emergency, "no emergency rule"),
    ] {
        let rules = dir.to_str().unwrap();
        for command in ["serve", "chat", "console"] {
            let (ok, err) = careline(work.path(), &[command, "--rules", rules]);
            assert!(!ok, "careline {command} started on {rules}");
            assert!(
                err.contains(why) && err.contains("careline rules check"),
                "careline {command}: {err}"
            );
        }
    }
}
