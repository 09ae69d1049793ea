//! Crash safety: `careline serve` (webhook mode, SQLite) is killed with
//! SIGKILL at random moments while members write to it and staff reply,
//! and restarted each time. Telegram's side (the test) redelivers every
//! update that was not answered 200, as Telegram does. Afterwards: every
//! member told "sent" has exactly one item, whole (not half-written, not
//! doubled); every conversation resumed and finished; every staff reply
//! reached its member.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use careline::storage::{self, Loaded, Store};

use crate::db::TestDb;
use crate::fake_telegram::FakeTelegram;
use crate::instances::{Instance, REFILL, link_members, post, update_for, wait_for};

const KILLS: usize = 6;
const DETAILS: &str = "Lisinopril 10 mg daily, CVS on Main Street";

/// A small deterministic-per-run generator for kill times (xorshift).
struct Jitter(u64);

impl Jitter {
    fn millis(&mut self, min: u64, max: u64) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Duration::from_millis(min + self.0 % (max - min))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_nothing_confirmed() {
    let db = TestDb::sqlite();
    let url = db.url();
    let chats = link_members(&url, 12).await;
    let fake = FakeTelegram::start().await;
    let seed = jiff::Timestamp::now().as_nanosecond() as u64 | 1;
    let mut jitter = Jitter(seed);
    let mut instance = Instance::start(&url, &fake).await;
    let endpoint = Arc::new(RwLock::new(instance.endpoint.clone()));

    let client = reqwest::Client::new();
    let mut members = tokio::task::JoinSet::new();
    for chat in chats.iter().copied() {
        let (fake, client, endpoint) = (fake.clone(), client.clone(), Arc::clone(&endpoint));
        members.spawn(async move {
            let mut redelivered = 0;
            for step in REFILL {
                let update = update_for(&fake, chat, step).await;
                // Like Telegram: the same update again until it is answered 200.
                loop {
                    let to = endpoint.read().unwrap().clone();
                    if post(&client, &to, &update).await {
                        break;
                    }
                    redelivered += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            wait_for(&fake, chat, "reference", |sent| {
                sent.iter()
                    .any(|s| s.text.contains("Reference: CL-"))
                    .then_some(())
            })
            .await;
            redelivered
        });
    }
    let mut kills = 0;
    while kills < KILLS && !members.is_empty() {
        tokio::time::sleep(jitter.millis(150, 900)).await;
        instance.kill();
        kills += 1;
        instance = Instance::start(&url, &fake).await;
        *endpoint.write().unwrap() = instance.endpoint.clone();
    }
    let mut redelivered = 0;
    while let Some(done) = members.join_next().await {
        redelivered += done.unwrap();
    }

    // Staff reply to every item, and the bot is killed again mid-delivery.
    let store = Store::open(&url).await.unwrap();
    let items = store.open_queue(100).await.unwrap();
    for item in &items {
        store
            .reply_to_item(
                item.id,
                "Dr. Maria Alvarez",
                "Your refill is ready.",
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
    }
    tokio::time::sleep(jitter.millis(5, 60)).await;
    instance.kill();
    kills += 1;
    let _instance = Instance::start(&url, &fake).await;
    for _ in 0..300 {
        if store.outbox_pending().await.unwrap() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        store.outbox_pending().await.unwrap(),
        0,
        "every reply delivered"
    );

    // Every member was told "sent" and has exactly one whole item.
    assert_eq!(store.queue_len().await.unwrap(), chats.len() as i64);
    let mut duplicates = 0;
    for chat in &chats {
        let sent = fake.sent(*chat);
        let references: std::collections::BTreeSet<&str> = sent
            .iter()
            .filter_map(|s| s.text.split("Reference: ").nth(1))
            .map(|r| r.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(references.len(), 1, "chat {chat}: one item, one reference");
        let replies = sent
            .iter()
            .filter(|s| s.text.contains("Your refill is ready."))
            .count();
        assert!(replies >= 1, "chat {chat}: the staff reply never arrived");
        let mut texts: Vec<&str> = sent.iter().map(|s| s.text.as_str()).collect();
        let all = texts.len();
        texts.sort_unstable();
        texts.dedup();
        duplicates += all - texts.len();
        let Loaded::Found(state, _) =
            storage::load_conversation(&store, &format!("telegram:{chat}"))
                .await
                .unwrap()
        else {
            panic!("chat {chat}: conversation lost");
        };
        assert!(
            matches!(state.step, careline::conversation::Step::Idle),
            "chat {chat} ended at {:?}",
            state.step
        );
    }
    for item in &items {
        let whole = store.queue_item(item.id).await.unwrap();
        assert_eq!(
            whole.details, DETAILS,
            "{}: details whole, once",
            whole.summary.reference
        );
        assert_eq!(whole.summary.subject, "Request for Refill");
        assert_eq!(whole.summary.status, "answered");
    }
    // The figures for the README (a SIGKILL between Telegram's answer and
    // the "sent" mark is the one window for a duplicate message).
    let _ = std::io::Write::write_fmt(
        &mut std::io::stderr(),
        format_args!(
            "crash test: {kills} SIGKILLs, {redelivered} updates redelivered, \
             {} items, {duplicates} duplicate messages, seed {seed}\n",
            items.len()
        ),
    );
    store.close().await;
}
