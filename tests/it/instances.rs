//! Several `careline serve` processes in webhook mode on one PostgreSQL
//! database, fed by the fake Bot API server: members' updates arrive at
//! either instance (some at both, as after a failover), and still every
//! conversation completes, every queued message exists once and every reply
//! is sent once.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use careline::storage::Store;
use serde_json::Value;

use crate::db::TestDb;
use crate::fake_telegram::{FakeTelegram, Sent};
use crate::helpers::root;

const SECRET: &str = "instances-test-secret-0123";

/// A free port on 127.0.0.1 (free when asked; the child binds it soon after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One `careline serve` child process in webhook mode.
pub struct Instance {
    child: Child,
    /// Where it takes webhook posts.
    pub endpoint: String,
}

impl Instance {
    /// Starts `careline serve` on `database_url` against the fake Bot API
    /// and waits until its webhook answers.
    pub async fn start(database_url: &str, fake: &FakeTelegram) -> Self {
        Self::start_logging(database_url, fake, "warn", Stdio::inherit()).await
    }

    /// Like [`Instance::start`], logging at `level` to `log`.
    pub async fn start_logging(
        database_url: &str,
        fake: &FakeTelegram,
        level: &str,
        log: impl Into<Stdio>,
    ) -> Self {
        let (hook, console) = (free_port(), free_port());
        let mut child = Command::new(env!("CARGO_BIN_EXE_careline"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("TELOXIDE_TOKEN", "123456:TEST")
            .env("TELOXIDE_API_URL", fake.url.as_str())
            .env("CARELINE_WEBHOOK_URL", format!("http://127.0.0.1:{hook}/"))
            .env("CARELINE_WEBHOOK_SECRET", SECRET)
            .env("CARELINE_LISTEN", format!("127.0.0.1:{hook}"))
            .env("CARELINE_CONSOLE_LISTEN", format!("127.0.0.1:{console}"))
            .env("CARELINE_RULES", root().join("rules"))
            .env("RUST_LOG", level)
            .env_remove("CARELINE_DEMO")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let endpoint = format!("http://127.0.0.1:{hook}/telegram/webhook");
        let client = reqwest::Client::new();
        for _ in 0..200 {
            // Without the secret: 401 once it listens, and nothing is read.
            if client.post(&endpoint).send().await.is_ok() {
                return Self { child, endpoint };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("careline serve did not start listening on {endpoint}");
    }

    /// Kills the process at once (SIGKILL: no shutdown, no flush).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Posts an update to a webhook as Telegram does; true on 200.
pub async fn post(client: &reqwest::Client, endpoint: &str, update: &Value) -> bool {
    client
        .post(endpoint)
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .json(update)
        .send()
        .await
        .is_ok_and(|r| r.status() == 200)
}

/// Links chats 7000.. to new members M-7000.. and returns the chat ids.
pub async fn link_members(url: &str, n: i64) -> Vec<i64> {
    let store = Store::open(url).await.unwrap();
    let now = jiff::Timestamp::now();
    let mut chats = Vec::new();
    for i in 0..n {
        let chat = 7000 + i;
        let member = store
            .add_member(&format!("M-{chat}"), "Member", &["dr-alvarez".to_string()])
            .await
            .unwrap();
        let code = store.issue_link_code(member, now).await.unwrap();
        store.redeem_link_code(&code, chat, now).await.unwrap();
        chats.push(chat);
    }
    store.close().await;
    chats
}

/// One step of a member's conversation.
pub enum Step {
    Say(&'static str),
    Tap(&'static str),
}

/// A refill request from /start to Send.
pub const REFILL: &[Step] = &[
    Step::Say("/start"),
    Step::Tap("Dr. Maria Alvarez"),
    Step::Tap("Prescription refill"),
    Step::Tap("Request for Refill"),
    Step::Say("Lisinopril 10 mg daily, CVS on Main Street"),
    Step::Say("done"),
    Step::Tap("Send"),
];

/// Waits (up to 30 s: replies are paced by Telegram's per-chat limit) for
/// a message to `chat` that satisfies `found`, and returns what it gives.
pub async fn wait_for<T>(
    fake: &FakeTelegram,
    chat: i64,
    what: &str,
    found: impl Fn(&[Sent]) -> Option<T>,
) -> T {
    for _ in 0..600 {
        if let Some(t) = found(&fake.sent(chat)) {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("chat {chat}: no {what} after 30 s: {:?}", fake.sent(chat));
}

/// The update for a step: the member's text, or a tap on the newest button
/// starting with the label (waiting for it to be sent).
pub async fn update_for(fake: &FakeTelegram, chat: i64, step: &Step) -> Value {
    match step {
        Step::Say(text) => fake.text_update(chat, text),
        Step::Tap(label) => {
            let data = wait_for(fake, chat, label, |sent| {
                sent.iter()
                    .rev()
                    .flat_map(|s| s.buttons.iter())
                    .find(|(l, _)| l.starts_with(label))
                    .map(|b| b.1.clone())
            })
            .await;
            fake.tap_update(chat, &data)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_serve_every_member_once() {
    let Some(db) = TestDb::postgres(module_path!()).await else {
        return;
    };
    let url = db.url();
    // Migrate once before the instances race to (they would take turns).
    let chats = link_members(&url, 24).await;
    let fake = FakeTelegram::start().await;
    let instances = Arc::new([
        Instance::start(&url, &fake).await,
        Instance::start(&url, &fake).await,
    ]);
    let endpoints: Vec<String> = instances.iter().map(|i| i.endpoint.clone()).collect();
    let client = reqwest::Client::new();
    let mut members = tokio::task::JoinSet::new();
    for (n, chat) in chats.iter().copied().enumerate() {
        let (fake, client, endpoints) = (fake.clone(), client.clone(), endpoints.clone());
        members.spawn(async move {
            // A webhook post is answered once its turn is committed, so the
            // next step may follow at once; taps wait for their button.
            for (s, step) in REFILL.iter().enumerate() {
                let update = update_for(&fake, chat, step).await;
                let first = &endpoints[(n + s) % 2];
                if (n + s) % 3 == 0 {
                    // Delivered to both instances at once (a failover, a
                    // retry that crossed the first answer): applied once.
                    let other = &endpoints[(n + s + 1) % 2];
                    let (a, b) =
                        tokio::join!(post(&client, first, &update), post(&client, other, &update));
                    assert!(a && b, "chat {chat}: an instance refused an update");
                } else {
                    assert!(post(&client, first, &update).await, "chat {chat}");
                }
            }
            wait_for(&fake, chat, "reference", |sent| {
                sent.iter()
                    .any(|s| s.text.contains("Reference: CL-"))
                    .then_some(())
            })
            .await;
            fake.sent(chat)
        });
    }
    let mut conversations = Vec::new();
    while let Some(done) = members.join_next().await {
        conversations.push(done.unwrap());
    }
    // Let the last replies and any stray duplicate arrive before counting.
    tokio::time::sleep(Duration::from_millis(2500)).await;

    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.queue_len().await.unwrap(), 24, "one item per member");
    assert_eq!(store.outbox_pending().await.unwrap(), 0);
    let mut references = HashMap::new();
    for chat in &chats {
        let said = fake.sent(*chat);
        assert_eq!(
            said.len(),
            conversations.iter().map(Vec::len).max().unwrap(),
            "chat {chat}: every reply sent once"
        );
        let texts: Vec<&str> = said.iter().map(|s| s.text.as_str()).collect();
        let mut unique = texts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            texts.len(),
            "chat {chat}: a reply was sent twice"
        );
        let sent = texts.iter().find(|t| t.contains("Reference: ")).unwrap();
        let reference = sent.split("Reference: ").nth(1).unwrap();
        let reference = reference.split_whitespace().next().unwrap().to_string();
        assert!(
            references.insert(reference, chat).is_none(),
            "references are unique"
        );
    }
    store.close().await;
    drop(instances);
}
