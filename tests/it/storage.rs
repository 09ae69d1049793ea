//! Storage stories, each run on a real SQLite file and on a real PostgreSQL
//! database (see `db`): a draft survives a restart, a confirmation counts
//! once however often it arrives, the queue holds exactly what members were
//! told was sent, and workers (or instances) sharing a database never take
//! the same item or message twice.

use std::sync::Arc;

use careline::assistant::{Assistant, Outgoing};
use careline::conversation::{Action, Command, Input, Step};
use careline::domain::MemberId;
use careline::storage::{self, Loaded, Store};
use sqlx::Row;

use crate::db::{TestDb, on_both_backends};
use crate::helpers::shipped_arc;

/// Wednesday 25 November 2026, 10:00 in New York.
const NOW: &str = "2026-11-25T15:00:00Z";

async fn open(db: &TestDb) -> (Assistant, MemberId) {
    open_keyed(db, storage::Keyring::none()).await
}

async fn open_keyed(db: &TestDb, keys: storage::Keyring) -> (Assistant, MemberId) {
    let store = Store::open_with(&db.url(), keys).await.unwrap();
    let member = store.ensure_member("M-1001", "Test Member").await.unwrap();
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let assistant = Assistant::new(store, Arc::clone(shipped_arc())).with_clock(move || now);
    (assistant, member)
}

/// Feeds typed lines (a number taps that button of the last reply).
async fn chat(a: &Assistant, member: MemberId, lines: &[&str]) -> Vec<Outgoing> {
    let mut last = a
        .handle("test:1", member, Input::Command(Command::Start))
        .await
        .unwrap();
    for line in lines {
        let input = match line.parse::<usize>() {
            Ok(n) => {
                let reply = last.iter().rev().find(|o| !o.buttons.is_empty()).unwrap();
                Input::Choice {
                    draft: reply.draft,
                    action: reply.buttons[n - 1].action.clone(),
                }
            }
            Err(_) => Input::from_text(line),
        };
        last = a.handle("test:1", member, input).await.unwrap();
    }
    last
}

const TO_REVIEW: &[&str] = &[
    "1",
    "refill",
    "1",
    "Lisinopril 10 mg daily, CVS on Main Street",
    "done",
];

fn text(replies: &[Outgoing]) -> String {
    replies
        .iter()
        .map(|o| o.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn a_sent_message_is_in_the_queue_with_its_due_time(db: TestDb) {
    let (a, member) = open(&db).await;
    let mut lines = TO_REVIEW.to_vec();
    lines.push("send");
    let replies = chat(&a, member, &lines).await;
    let said = text(&replies);
    assert!(said.contains("Reference: CL-000001"), "{said}");
    // 16 business hours from Wednesday 10 AM at an 8-to-5 office: 7 h on
    // Wednesday, Thanksgiving closed, 9 h on Friday.
    assert!(said.contains("Friday, November 27, 5 PM EST"), "{said}");
    let items = a.store().open_queue(10).await.unwrap();
    assert_eq!(items.len(), 1);
    let item = a.store().queue_item(items[0].id).await.unwrap();
    assert_eq!(item.summary.subject, "Request for Refill");
    assert_eq!(item.summary.kind, "refill");
    assert_eq!(item.details, "Lisinopril 10 mg daily, CVS on Main Street");
    assert_eq!(item.member_number, "M-1001");
    assert_eq!(item.summary.due_at.to_string(), "2026-11-27T22:00:00Z");
}

async fn a_draft_survives_a_restart_mid_way(db: TestDb) {
    {
        let (a, member) = open(&db).await;
        chat(
            &a,
            member,
            &["1", "refill", "1", "Atorvastatin 20 mg at night"],
        )
        .await;
        a.store().close().await;
    }
    let (a, member) = open(&db).await;
    let Loaded::Found(state, _) = storage::load_conversation(a.store(), "test:1")
        .await
        .unwrap()
    else {
        panic!("the conversation was not stored");
    };
    assert!(matches!(state.step, Step::Details { .. }));
    assert_eq!(state.draft.details, vec!["Atorvastatin 20 mg at night"]);
    // /start resumes where it was instead of starting over.
    let replies = a
        .handle("test:1", member, Input::Command(Command::Start))
        .await
        .unwrap();
    assert!(
        text(&replies).contains("Now the details"),
        "{}",
        text(&replies)
    );
    let replies = chat(&a, member, &["Walgreens on 5th", "done", "send"]).await;
    assert!(text(&replies).contains("CL-000001"));
    let item = a.store().queue_item(1).await.unwrap();
    assert_eq!(
        item.details,
        "Atorvastatin 20 mg at night\nWalgreens on 5th"
    );
}

async fn a_double_tapped_send_creates_one_item(db: TestDb) {
    let (a, member) = open(&db).await;
    let review = chat(&a, member, TO_REVIEW).await;
    let send = review.last().unwrap();
    let tap = Input::Choice {
        draft: send.draft,
        action: Action::Send,
    };
    let first = a.handle("test:1", member, tap.clone()).await.unwrap();
    let second = a.handle("test:1", member, tap).await.unwrap();
    assert!(text(&first).contains("CL-000001"));
    assert!(
        text(&second).contains("earlier message"),
        "{}",
        text(&second)
    );
    assert_eq!(a.store().queue_len().await.unwrap(), 1);
}

async fn concurrent_confirmations_create_one_item(db: TestDb) {
    let (a, member) = open(&db).await;
    let review = chat(&a, member, TO_REVIEW).await;
    let draft = review.last().unwrap().draft;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let a = a.clone();
        tasks.push(tokio::spawn(async move {
            let input = Input::Choice {
                draft,
                action: Action::Send,
            };
            text(&a.handle("test:1", member, input).await.unwrap())
        }));
    }
    let mut sent = 0;
    for t in tasks {
        if t.await.unwrap().contains("Reference: CL-000001") {
            sent += 1;
        }
    }
    assert_eq!(sent, 1, "exactly one tap is told it was sent");
    assert_eq!(a.store().queue_len().await.unwrap(), 1);
}

async fn committing_the_same_draft_twice_returns_the_first_item(db: TestDb) {
    let (a, member) = open(&db).await;
    let submission = careline::conversation::Submission {
        draft_no: 7,
        recipient_id: 1,
        kind: careline::domain::RequestKind::Other,
        subject: careline::domain::Subject::parse("General Question").unwrap(),
        details: "Where do I park?".into(),
        priority: careline::domain::Priority::Normal,
        flags: Vec::new(),
    };
    let now = jiff::Timestamp::now();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let mut tx = a.store().begin().await.unwrap();
        let item = storage::NewItem {
            chat: "test:1",
            member,
            submission: &submission,
            now,
            due: now,
        };
        ids.push(storage::enqueue(&mut tx, item).await.unwrap());
        tx.commit().await.unwrap();
    }
    assert_eq!(ids, vec![(1, true), (1, false)]);
}

async fn a_damaged_conversation_starts_afresh_without_reusing_a_draft_number(db: TestDb) {
    let (a, member) = open(&db).await;
    let mut lines = TO_REVIEW.to_vec();
    lines.push("send");
    chat(&a, member, &lines).await;
    sqlx::query("UPDATE conversations SET state = '{broken'")
        .execute(a.store().pool())
        .await
        .unwrap();
    let replies = chat(&a, member, &lines).await;
    let said = text(&replies);
    assert!(
        said.contains("CL-000002"),
        "a second, separate item: {said}"
    );
    assert_eq!(a.store().queue_len().await.unwrap(), 2);
}

async fn safety_events_are_recorded_without_the_members_words(db: TestDb) {
    let (a, member) = open(&db).await;
    let words = "crushing chest pressure right now";
    let replies = chat(&a, member, &["1", "3", "1", words]).await;
    assert!(text(&replies).contains("911"));
    assert_eq!(a.store().queue_len().await.unwrap(), 0, "nothing queued");
    let rows = sqlx::query("SELECT level, rules, outcome FROM safety_events")
        .fetch_all(a.store().pool())
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let level: String = rows[0].get("level");
    let outcome: String = rows[0].get("outcome");
    let rules: String = rows[0].get("rules");
    assert_eq!(
        (level.as_str(), outcome.as_str()),
        ("emergency", "redirected")
    );
    assert!(rules.starts_with("emergency."));
    assert!(!rules.contains("chest pressure right"));
}

async fn staff_replies_and_closures_reach_telegram_members_through_the_outbox(db: TestDb) {
    let (a, member) = open(&db).await;
    let mut lines = TO_REVIEW.to_vec();
    lines.push("send");
    chat(&a, member, &lines).await;
    let now = jiff::Timestamp::now();
    // Written from the terminal and never linked to Telegram: saved, nothing to deliver.
    assert_eq!(
        a.store()
            .reply_to_item(1, "Dr. A", "ok", now)
            .await
            .unwrap(),
        None
    );
    // Once the member links a Telegram chat, replies and closures go there.
    let code = a.store().issue_link_code(member, now).await.unwrap();
    a.store().redeem_link_code(&code, 77, now).await.unwrap();
    let long = "word ".repeat(1200);
    a.store()
        .reply_to_item(1, "Dr. A", &long, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        a.store().outbox_pending().await.unwrap(),
        2,
        "5,000+ characters: two messages"
    );
    a.store()
        .close_item(1, "Refill sent", now)
        .await
        .unwrap()
        .unwrap();
    let lease = now + jiff::SignedDuration::from_secs(60);
    let due = a.store().claim_outbox(now, lease, 10).await.unwrap();
    assert_eq!(due.len(), 1, "one chat: only its oldest message is due");
    assert!(
        a.store()
            .claim_outbox(now, lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "a claimed message is not handed out again while its lease runs"
    );
    assert!(
        due[0]
            .text
            .starts_with("Reply from Dr. A about \"Request for Refill\"")
    );
    assert!(due[0].text.chars().count() <= careline::telegram::MAX_MESSAGE_CHARS);
    a.store().outbox_sent(due[0].id, now).await.unwrap();
    let due = a.store().claim_outbox(now, lease, 10).await.unwrap();
    a.store().outbox_sent(due[0].id, now).await.unwrap();
    let due = a.store().claim_outbox(now, lease, 10).await.unwrap();
    assert!(due[0].text.contains("closed your message") && due[0].text.contains("Refill sent"));
    assert_eq!(
        a.store().queue_item(1).await.unwrap().summary.status,
        "closed"
    );
}

/// Commits `n` drafts from `n` chats straight into the queue; every third is
/// high priority.
async fn fill_queue(store: &Store, member: MemberId, n: u32) {
    let now: jiff::Timestamp = NOW.parse().unwrap();
    for i in 0..n {
        let submission = careline::conversation::Submission {
            draft_no: 1,
            recipient_id: 1,
            kind: careline::domain::RequestKind::Other,
            subject: careline::domain::Subject::parse("General Question").unwrap(),
            details: "Where do I park?".into(),
            priority: if i % 3 == 0 {
                careline::domain::Priority::High
            } else {
                careline::domain::Priority::Normal
            },
            flags: Vec::new(),
        };
        let mut tx = store.begin().await.unwrap();
        let chat = format!("test:{i}");
        let item = storage::NewItem {
            chat: &chat,
            member,
            submission: &submission,
            now: now + jiff::SignedDuration::from_secs(i64::from(i)),
            due: now,
        };
        storage::enqueue(&mut tx, item).await.unwrap();
        tx.commit().await.unwrap();
    }
}

async fn two_instances_never_take_the_same_item(db: TestDb) {
    // Two instances: two stores (two pools) on one database.
    let (a, member) = open(&db).await;
    let b = Store::open(&db.url()).await.unwrap();
    fill_queue(a.store(), member, 24).await;
    let mut staff = Vec::new();
    for i in 0..6 {
        let role = careline::storage::Role::Staff;
        let id = a
            .store()
            .add_staff(&format!("s{i}"), "S", role, "a long password")
            .await;
        staff.push(id.unwrap());
    }
    let mut takers = tokio::task::JoinSet::new();
    for (i, staff) in staff.into_iter().enumerate() {
        let store = if i % 2 == 0 {
            a.store().clone()
        } else {
            b.clone()
        };
        takers.spawn(async move {
            let mut took = Vec::new();
            while let Some(id) = store
                .claim_next(staff, jiff::Timestamp::now())
                .await
                .unwrap()
            {
                took.push(id);
            }
            took
        });
    }
    let mut all: Vec<i64> = takers.join_all().await.into_iter().flatten().collect();
    assert_eq!(all.len(), 24, "every item taken once: {all:?}");
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 24, "no item taken twice");
    let rows = a
        .store()
        .queue_page(&Default::default(), None, 50)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.summary.status == "claimed" && r.claimed_by.is_some())
    );
    // The first taker of a fresh queue gets its top: high priority, oldest.
    let (c, member) = open(&TestDb::sqlite()).await;
    fill_queue(c.store(), member, 4).await;
    let s = c
        .store()
        .add_staff("x", "X", careline::storage::Role::Staff, "a long password");
    let s = s.await.unwrap();
    let first = c
        .store()
        .claim_next(s, jiff::Timestamp::now())
        .await
        .unwrap();
    assert_eq!(first, Some(1));
    assert_eq!(
        c.store()
            .claim_next(s, jiff::Timestamp::now())
            .await
            .unwrap(),
        Some(4)
    );
}

async fn two_instances_deliver_each_message_once_in_order(db: TestDb) {
    let (a, _) = open(&db).await;
    let b = Store::open(&db.url()).await.unwrap();
    let now = jiff::Timestamp::now();
    let mut tx = a.store().begin().await.unwrap();
    for chat in 0..10 {
        for n in 0..4 {
            storage::push_outbox(&mut tx, chat, &format!("m{n}"), &[], None, now)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..4 {
        let store = if w % 2 == 0 {
            a.store().clone()
        } else {
            b.clone()
        };
        workers.spawn(async move {
            let mut sent = Vec::new();
            loop {
                let now = jiff::Timestamp::now();
                let lease = now + jiff::SignedDuration::from_secs(60);
                let due = store.claim_outbox(now, lease, 3).await.unwrap();
                if due.is_empty() {
                    if store.outbox_pending().await.unwrap() == 0 {
                        return sent;
                    }
                    tokio::task::yield_now().await;
                    continue;
                }
                for m in due {
                    sent.push((m.chat_id, m.text.clone(), m.id));
                    store.outbox_sent(m.id, now).await.unwrap();
                }
            }
        });
    }
    let mut sent: Vec<(i64, String, i64)> =
        workers.join_all().await.into_iter().flatten().collect();
    assert_eq!(sent.len(), 40, "every message sent exactly once");
    let mut ids: Vec<i64> = sent.iter().map(|s| s.2).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 40, "no message sent twice");
    // Per chat, in the order written (claims are serialized per chat: the
    // next message is claimable only once the previous one is sent).
    sent.sort_by_key(|s| (s.0, s.2));
    for chat in sent.chunks(4) {
        let texts: Vec<&str> = chat.iter().map(|s| s.1.as_str()).collect();
        assert_eq!(texts, ["m0", "m1", "m2", "m3"]);
    }
}

async fn two_instances_apply_every_input_to_one_chat_once(db: TestDb) {
    let (a, member) = open(&db).await;
    chat(&a, member, &["1", "refill", "1"]).await;
    let b = Assistant::new(
        Store::open(&db.url()).await.unwrap(),
        Arc::clone(shipped_arc()),
    );
    // Eight detail messages for the same chat at once, half through each
    // instance: every one lands in the draft exactly once.
    let mut turns = tokio::task::JoinSet::new();
    for i in 0..8 {
        let assistant = if i % 2 == 0 { a.clone() } else { b.clone() };
        turns.spawn(async move {
            let input = Input::from_text(&format!("pharmacy note number {i}"));
            assistant.handle("test:1", member, input).await.unwrap();
        });
    }
    turns.join_all().await;
    let Loaded::Found(state, version) = storage::load_conversation(a.store(), "test:1")
        .await
        .unwrap()
    else {
        panic!("no conversation");
    };
    let mut details = state.draft.details.clone();
    details.sort();
    let expected: Vec<String> = (0..8)
        .map(|i| format!("pharmacy note number {i}"))
        .collect();
    assert_eq!(details, expected);
    assert_eq!(
        version,
        4 + 8,
        "one version per turn: nothing applied twice"
    );
}

async fn keyed_store(db: &TestDb, keys: &str) -> Store {
    let keys = storage::Keyring::parse(keys).unwrap();
    Store::open_with(&db.url(), keys).await.unwrap()
}

/// Every sealed value as stored: (column, raw value).
async fn raw_sealed(store: &Store) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (table, column) in [
        ("queue_items", "subject"),
        ("queue_items", "details"),
        ("conversations", "state"),
        ("replies", "text"),
        ("notes", "text"),
        ("outbox", "text"),
    ] {
        let sql = format!("SELECT {column} FROM {table}");
        let values: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(store.pool())
            .await
            .unwrap();
        assert!(!values.is_empty(), "{table}.{column} has rows to check");
        all.extend(values.into_iter().map(|v| (format!("{table}.{column}"), v)));
    }
    all
}

async fn texts_are_encrypted_at_rest_and_keys_rotate(db: TestDb) {
    let k1 = storage::Keyring::generate("k1").unwrap();
    let (a, member) = open_keyed(&db, storage::Keyring::parse(&k1).unwrap()).await;
    let mut lines = TO_REVIEW.to_vec();
    lines.push("send");
    chat(&a, member, &lines).await;
    chat(
        &a,
        member,
        &["1", "refill", "1", "Metformin 500 mg, Walgreens"],
    )
    .await;
    let store = a.store();
    let now = jiff::Timestamp::now();
    let code = store.issue_link_code(member, now).await.unwrap();
    store.redeem_link_code(&code, 4242, now).await.unwrap();
    store
        .reply_to_item(1, "Dr. A", "Sent to CVS", now)
        .await
        .unwrap();
    let staff = store
        .add_staff("n", "Nurse", storage::Role::Staff, "a long password")
        .await
        .unwrap();
    store
        .add_note(1, staff, "Called the pharmacy")
        .await
        .unwrap();

    // As stored: every text sealed under k1; none readable.
    for (column, value) in raw_sealed(store).await {
        assert!(value.starts_with("enc:v1:k1:"), "{column}: {value}");
        for word in [
            "Lisinopril",
            "Metformin",
            "Refill",
            "CVS",
            "pharmacy",
            "Walgreens",
        ] {
            assert!(!value.contains(word), "{column} holds {word:?}");
        }
    }
    // Through the store: the texts as written.
    let item = store.queue_item(1).await.unwrap();
    assert_eq!(item.details, "Lisinopril 10 mg daily, CVS on Main Street");
    assert_eq!(item.summary.subject, "Request for Refill");
    let history = store.item_history(1).await.unwrap();
    let texts: Vec<&str> = history.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(texts, ["Sent to CVS", "Called the pharmacy"]);
    let lease = now + jiff::SignedDuration::from_secs(60);
    let due = store.claim_outbox(now, lease, 10).await.unwrap();
    assert!(due[0].text.contains("Sent to CVS"), "{:?}", due[0].text);
    let Loaded::Found(draft, _) = storage::load_conversation(store, "test:1").await.unwrap() else {
        panic!("draft lost");
    };
    assert_eq!(draft.draft.details, ["Metformin 500 mg, Walgreens"]);
    store.close().await;

    // Rotation: k2 first, k1 still readable; afterwards k2 alone reads all.
    let k2 = storage::Keyring::generate("k2").unwrap();
    let both = keyed_store(&db, &format!("{k2},{k1}")).await;
    let report = both.rotate_keys(2).await.unwrap();
    let rotated: u64 = report.iter().map(|(_, n)| n).sum();
    assert_eq!(
        rotated as usize,
        raw_sealed(&both).await.len(),
        "{report:?}"
    );
    assert!(
        raw_sealed(&both)
            .await
            .iter()
            .all(|(_, v)| v.starts_with("enc:v1:k2:"))
    );
    assert_eq!(
        both.rotate_keys(2)
            .await
            .unwrap()
            .iter()
            .map(|(_, n)| n)
            .sum::<u64>(),
        0
    );
    both.close().await;
    let only_k2 = keyed_store(&db, &k2).await;
    assert_eq!(only_k2.queue_item(1).await.unwrap().details, item.details);
    only_k2.close().await;
    let only_k1 = keyed_store(&db, &k1).await;
    let e = only_k1.queue_item(1).await.unwrap_err().to_string();
    assert!(
        e.contains("\"k2\"") && e.contains("CARELINE_DATA_KEYS"),
        "{e}"
    );
}

async fn texts_written_without_a_key_are_encrypted_by_rotate(db: TestDb) {
    let (a, member) = open(&db).await;
    let mut lines = TO_REVIEW.to_vec();
    lines.push("send");
    chat(&a, member, &lines).await;
    let store = a.store();
    let staff = store.add_staff("n", "N", storage::Role::Staff, "a long password");
    let staff = staff.await.unwrap();
    store.add_note(1, staff, "plain note").await.unwrap();
    let code = store
        .issue_link_code(member, jiff::Timestamp::now())
        .await
        .unwrap();
    store
        .redeem_link_code(&code, 99, jiff::Timestamp::now())
        .await
        .unwrap();
    store
        .reply_to_item(1, "Dr. A", "plain reply", jiff::Timestamp::now())
        .await
        .unwrap();
    assert!(
        raw_sealed(store)
            .await
            .iter()
            .any(|(_, v)| v.contains("Lisinopril"))
    );
    store.close().await;
    let k1 = storage::Keyring::generate("k1").unwrap();
    let keyed = keyed_store(&db, &k1).await;
    keyed.rotate_keys(500).await.unwrap();
    assert!(
        raw_sealed(&keyed)
            .await
            .iter()
            .all(|(_, v)| v.starts_with("enc:v1:k1:"))
    );
    assert_eq!(
        keyed.queue_item(1).await.unwrap().details,
        "Lisinopril 10 mg daily, CVS on Main Street"
    );
}

/// Concurrent writers (on SQLite, turns sharing group commits): a turn that
/// rolls back, or is dropped without finishing, or is cancelled while
/// waiting, undoes only its own writes and never leaves the others hanging.
async fn concurrent_writes_commit_or_undo_each_on_its_own(db: TestDb) {
    let store = Store::open(&db.url()).await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60i64 {
        let store = store.clone();
        tasks.spawn(async move {
            let mut tx = store.begin().await.unwrap();
            sqlx::query("INSERT INTO processed_updates (update_id, at) VALUES ($1, 0)")
                .bind(i)
                .execute(&mut *tx)
                .await
                .unwrap();
            match i % 3 {
                0 => tx.commit().await.unwrap(),
                1 => tx.rollback().await.unwrap(),
                _ => drop(tx),
            }
        });
    }
    // Waiters cancelled while queued for the writer.
    for _ in 0..5 {
        let store = store.clone();
        let waiting = tokio::spawn(async move {
            let _tx = store.begin().await;
            std::future::pending::<()>().await;
        });
        tokio::task::yield_now().await;
        waiting.abort();
    }
    let done = tokio::time::timeout(std::time::Duration::from_secs(30), tasks.join_all()).await;
    assert!(done.is_ok(), "a writer was left waiting");
    // And the writer is free for the next one.
    let last = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        let mut tx = store.begin().await.unwrap();
        sqlx::query("INSERT INTO processed_updates (update_id, at) VALUES (1000, 0)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    })
    .await;
    assert!(last.is_ok(), "the writer is stuck");
    let mut kept: Vec<i64> = sqlx::query_scalar("SELECT update_id FROM processed_updates")
        .fetch_all(store.pool())
        .await
        .unwrap();
    kept.sort_unstable();
    let mut expected: Vec<i64> = (0..60).filter(|i| i % 3 == 0).collect();
    expected.push(1000);
    assert_eq!(kept, expected);
}

/// A turn hands the open batch to the next one waiting, which is then
/// cancelled (its webhook client went away): the first turn's commit still
/// completes.
async fn a_cancelled_waiter_does_not_strand_the_batch(db: TestDb) {
    let store = Store::open(&db.url()).await.unwrap();
    for round in 0..20i64 {
        let mut first = store.begin().await.unwrap();
        sqlx::query("INSERT INTO processed_updates (update_id, at) VALUES ($1, 0)")
            .bind(round)
            .execute(&mut *first)
            .await
            .unwrap();
        let waiter = {
            let store = store.clone();
            tokio::spawn(async move {
                let _tx = store.begin().await;
                std::future::pending::<()>().await;
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let commit = tokio::spawn(first.commit());
        if round % 2 == 1 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        waiter.abort();
        let done = tokio::time::timeout(std::time::Duration::from_secs(20), commit).await;
        assert!(done.is_ok(), "round {round}: the commit never came");
        done.unwrap().unwrap().unwrap();
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM processed_updates")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(n, 20);
}

on_both_backends!(
    a_sent_message_is_in_the_queue_with_its_due_time,
    a_draft_survives_a_restart_mid_way,
    a_double_tapped_send_creates_one_item,
    concurrent_confirmations_create_one_item,
    committing_the_same_draft_twice_returns_the_first_item,
    a_damaged_conversation_starts_afresh_without_reusing_a_draft_number,
    safety_events_are_recorded_without_the_members_words,
    staff_replies_and_closures_reach_telegram_members_through_the_outbox,
    two_instances_never_take_the_same_item,
    two_instances_deliver_each_message_once_in_order,
    two_instances_apply_every_input_to_one_chat_once,
    texts_are_encrypted_at_rest_and_keys_rotate,
    texts_written_without_a_key_are_encrypted_by_rotate,
    concurrent_writes_commit_or_undo_each_on_its_own,
    a_cancelled_waiter_does_not_strand_the_batch,
);

/// The two migration folders are the same schema in two dialects: the
/// same versions and names, so neither backend gets a change the other
/// lacks (the suite above then checks that they behave alike).
#[test]
fn both_backends_have_the_same_migrations() {
    let names = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(crate::helpers::root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = names("migrations/sqlite");
    assert!(sqlite.len() >= 8, "{sqlite:?}");
    assert_eq!(sqlite, names("migrations/postgres"));
}
