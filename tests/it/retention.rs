//! Retention (`Store::purge`, `careline purge`): closed items past the age go
//! with every row that holds their text; open, recent and undelivered ones
//! stay; safety events and the audit log stay; spent bookkeeping is pruned;
//! drafts untouched for 14 days are cleared, and their member is told once;
//! a dry run counts the same and changes nothing. On both backends.

use std::process::Command;
use std::sync::Arc;

use careline::assistant::{Assistant, Outgoing};
use careline::conversation::{self, Action, Input, SafetyEvent, SafetyOutcome, State, Step};
use careline::conversation::{Draft, Submission, copy};
use careline::domain::{MemberId, Priority, RequestKind, Subject};
use careline::screening::Level;
use careline::storage::{self, DRAFT_EXPIRY_DAYS, PURGE_BATCH, PurgeReport, Role, SignIn, Store};
use jiff::{SignedDuration, Timestamp};

use crate::db::{TestDb, on_both_backends};
use crate::helpers::shipped_arc;

const DAY: SignedDuration = SignedDuration::from_hours(24);
const PASSWORD: &str = "a long password";

/// Commits a draft from `chat` at `at` and returns its id.
async fn item(store: &Store, member: MemberId, chat: &str, draft_no: u32, at: Timestamp) -> i64 {
    let submission = Submission {
        draft_no,
        recipient_id: 1,
        kind: RequestKind::Other,
        subject: Subject::parse("General Question").unwrap(),
        details: "Where do I park?".into(),
        priority: Priority::Normal,
        flags: Vec::new(),
    };
    let mut tx = store.begin().await.unwrap();
    let new = storage::NewItem {
        chat,
        member,
        submission: &submission,
        now: at,
        due: at,
    };
    let (id, _) = storage::enqueue(&mut tx, new).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn ids(store: &Store, sql: &'static str) -> Vec<i64> {
    sqlx::query_scalar(sql)
        .fetch_all(store.pool())
        .await
        .unwrap()
}

/// How many rows every table that a purge may touch (or must not) holds.
async fn row_counts(store: &Store) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in [
        "queue_items",
        "replies",
        "notes",
        "outbox",
        "processed_updates",
        "chat_messages",
        "sessions",
        "link_codes",
        "safety_events",
        "audit_log",
        "conversations",
    ] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(store.pool())
            .await
            .unwrap();
        counts.push((table, n));
    }
    counts
}

/// A dry run at `now` (that changes nothing `look` sees), then the purge;
/// returns the purge's report, which is the dry run's.
async fn dry_run_then_purge<T, Seen>(
    store: &Store,
    now: Timestamp,
    look: impl Fn() -> Seen,
) -> PurgeReport
where
    Seen: std::future::Future<Output = T>,
    T: PartialEq + std::fmt::Debug,
{
    let before = look().await;
    let dry = store.purge(DAY * 365, now, true).await.unwrap();
    assert_eq!(look().await, before, "a dry run changes nothing");
    let purged = store.purge(DAY * 365, now, false).await.unwrap();
    assert_eq!(purged, dry, "a purge removes what its dry run counted");
    purged
}

async fn old_closed_items_go_with_their_texts_and_nothing_else_does(db: TestDb) {
    let store = Store::open(&db.url()).await.unwrap();
    let now = Timestamp::now();
    let long_ago = now - DAY * 400;
    let member = store.ensure_member("M-1001", "Test Member").await.unwrap();
    let staff = store
        .add_staff("nurse", "Nurse Kim", Role::Staff, PASSWORD)
        .await
        .unwrap();

    // Closed long ago, from Telegram: a reply (delivered), a note, the
    // closing message (given up: the member blocked the bot).
    let a = item(&store, member, "telegram:100", 1, long_ago - DAY).await;
    let reply = store.reply_to_item(a, "Dr. A", "Take it with food", long_ago);
    let reply = reply.await.unwrap().unwrap();
    store
        .add_note(a, staff, "called the pharmacy")
        .await
        .unwrap();
    let closing = store.close_item(a, "Refill sent", long_ago).await.unwrap();
    store.outbox_sent(reply, long_ago).await.unwrap();
    let closing = closing.unwrap();
    store
        .outbox_failed(closing, "blocked", None, long_ago)
        .await
        .unwrap();
    store
        .audit(Some(staff), "close", Some(a), "")
        .await
        .unwrap();
    // Closed long ago, from the terminal: a reply, no messages.
    let e = item(&store, member, "terminal:local", 1, long_ago - DAY).await;
    store
        .reply_to_item(e, "Dr. A", "ok", long_ago)
        .await
        .unwrap();
    store.close_item(e, "Done", long_ago).await.unwrap();

    // Closed long ago, but its closing message is still undelivered: kept whole.
    let b = item(&store, member, "telegram:101", 1, long_ago - DAY).await;
    let sent = store.reply_to_item(b, "Dr. A", "Noted", long_ago).await;
    store
        .outbox_sent(sent.unwrap().unwrap(), long_ago)
        .await
        .unwrap();
    store.add_note(b, staff, "left a voicemail").await.unwrap();
    store.close_item(b, "Done", long_ago).await.unwrap();
    // Closed ten days ago: kept.
    let c = item(&store, member, "telegram:102", 1, now - DAY * 20).await;
    let sent = store.close_item(c, "Done", now - DAY * 10).await;
    store
        .outbox_sent(sent.unwrap().unwrap(), now)
        .await
        .unwrap();
    // Open (answered) however old: kept.
    let d = item(&store, member, "telegram:103", 1, long_ago - DAY).await;
    let sent = store.reply_to_item(d, "Dr. A", "Call us", long_ago).await;
    store
        .outbox_sent(sent.unwrap().unwrap(), long_ago)
        .await
        .unwrap();

    // Conversation messages of no item: old and delivered (purged), recent
    // and delivered, old and undelivered (both kept).
    let mut tx = store.begin().await.unwrap();
    let review = "Please review your message: Where do I park?";
    let old_sent = storage::push_outbox(&mut tx, 100, review, &[], None, long_ago);
    let old_sent = old_sent.await.unwrap();
    let recent = storage::push_outbox(&mut tx, 100, review, &[], None, now - DAY);
    let recent = recent.await.unwrap();
    let pending = storage::push_outbox(&mut tx, 104, review, &[], None, long_ago);
    let pending = pending.await.unwrap();
    let event = SafetyEvent {
        level: Level::Emergency,
        rules: vec!["emergency.chest_pain".into()],
        outcome: SafetyOutcome::Redirected,
    };
    storage::record_safety_event(&mut tx, "telegram:100", member, &event, long_ago)
        .await
        .unwrap();
    assert!(
        storage::mark_update_processed(&mut tx, 1, now - DAY * 8)
            .await
            .unwrap()
    );
    assert!(
        storage::mark_update_processed(&mut tx, 2, now - DAY)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    store.outbox_sent(old_sent, long_ago).await.unwrap();
    store.outbox_sent(recent, now - DAY).await.unwrap();

    // Chat-message ids: deleted two days ago (pruned), never to be deleted
    // and ten days old (pruned), recent (kept), waiting for deletion (kept).
    store
        .note_chat_message(200, 1, now - DAY * 3)
        .await
        .unwrap();
    store.draft_queued(200, true).await.unwrap();
    let lease = now + SignedDuration::from_secs(60);
    let due = store.claim_deletions(now, lease, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    store.deletion_done(due[0].id, now - DAY * 2).await.unwrap();
    store
        .note_chat_message(201, 1, now - DAY * 10)
        .await
        .unwrap();
    store.note_chat_message(202, 1, now).await.unwrap();
    store
        .note_chat_message(203, 1, now - DAY * 10)
        .await
        .unwrap();
    store.draft_queued(203, true).await.unwrap();

    // Sessions: one expired two days ago (pruned), one current.
    let old = store
        .sign_in("nurse", PASSWORD, now - DAY * 2)
        .await
        .unwrap();
    assert!(matches!(old, SignIn::Ok(_)));
    let current = store.sign_in("nurse", PASSWORD, now).await.unwrap();
    let SignIn::Ok(token) = current else {
        panic!("no session: {current:?}");
    };
    // Link codes (another member, so that no chat of the first is linked
    // meanwhile): expired two days ago and used 29 hours ago (pruned), fresh.
    let other = store.ensure_member("M-1002", "Other Member").await.unwrap();
    store.issue_link_code(other, now - DAY * 3).await.unwrap();
    let used = store
        .issue_link_code(other, now - SignedDuration::from_hours(30))
        .await
        .unwrap();
    let linked = store
        .redeem_link_code(&used, 500, now - SignedDuration::from_hours(29))
        .await
        .unwrap();
    assert_eq!(linked, storage::LinkOutcome::Linked(other));
    store.issue_link_code(other, now).await.unwrap();

    let expected = PurgeReport {
        items: 2,
        replies: 2,
        notes: 1,
        item_messages: 2,
        other_messages: 1,
        drafts: 0,
        processed_updates: 1,
        chat_messages: 2,
        sessions: 1,
        link_codes: 2,
    };
    let purged = dry_run_then_purge(&store, now, || row_counts(&store)).await;
    assert_eq!(purged, expected);

    assert_eq!(
        ids(&store, "SELECT id FROM queue_items ORDER BY id").await,
        [b, c, d]
    );
    assert!(matches!(
        store.queue_item(a).await,
        Err(storage::StorageError::NotFound(_))
    ));
    assert_eq!(
        ids(&store, "SELECT queue_item_id FROM replies ORDER BY id").await,
        [b, d]
    );
    assert_eq!(
        ids(&store, "SELECT queue_item_id FROM notes ORDER BY id").await,
        [b]
    );
    let item_messages = ids(
        &store,
        "SELECT queue_item_id FROM outbox WHERE queue_item_id IS NOT NULL ORDER BY id",
    );
    assert_eq!(item_messages.await, [b, b, c, d]);
    assert_eq!(
        store.outbox_pending().await.unwrap(),
        2,
        "b's closing, chat 104's"
    );
    assert_eq!(
        ids(
            &store,
            "SELECT id FROM outbox WHERE queue_item_id IS NULL ORDER BY id"
        )
        .await,
        [recent, pending]
    );
    assert_eq!(
        ids(&store, "SELECT COUNT(*) FROM safety_events").await,
        [1],
        "safety events stay"
    );
    assert_eq!(
        ids(&store, "SELECT update_id FROM processed_updates").await,
        [2]
    );
    assert_eq!(
        ids(&store, "SELECT chat_id FROM chat_messages ORDER BY chat_id").await,
        [202, 203]
    );
    assert!(store.session(&token, now).await.unwrap().is_some());
    assert_eq!(ids(&store, "SELECT COUNT(*) FROM sessions").await, [1]);
    assert_eq!(ids(&store, "SELECT COUNT(*) FROM link_codes").await, [1]);

    // The audit log keeps its rows about the purged item, and has one row
    // for the purge (none for the dry run): no staff, counts only.
    let audit = store.audit_log(None, 50).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "close" && e.item == Some(a))
    );
    let purges: Vec<_> = audit.iter().filter(|e| e.action == "purge").collect();
    assert_eq!(purges.len(), 1, "{audit:?}");
    assert_eq!((purges[0].who.as_deref(), purges[0].item), (None, None));
    assert_eq!(purges[0].detail, purged.to_string());
    assert!(purges[0].detail.starts_with("items=2 replies=2 notes=1 "));

    // Nothing left to purge.
    let again = store.purge(DAY * 365, now, false).await.unwrap();
    assert_eq!(again, PurgeReport::default());
}

async fn a_purge_larger_than_a_batch_takes_every_purgeable_item(db: TestDb) {
    let store = Store::open(&db.url()).await.unwrap();
    let now = Timestamp::now();
    let long_ago = now - DAY * 400;
    let member = store.ensure_member("M-1001", "Test Member").await.unwrap();
    let n = PURGE_BATCH + 100;
    let submission = Submission {
        draft_no: 0,
        recipient_id: 1,
        kind: RequestKind::Other,
        subject: Subject::parse("General Question").unwrap(),
        details: "Where do I park?".into(),
        priority: Priority::Normal,
        flags: Vec::new(),
    };
    let mut tx = store.begin().await.unwrap();
    let mut waiting = Vec::new();
    for i in 0..n {
        let draft_no = u32::try_from(i).unwrap() + 1;
        let submission = Submission {
            draft_no,
            ..submission.clone()
        };
        let new = storage::NewItem {
            chat: "telegram:300",
            member,
            submission: &submission,
            now: long_ago,
            due: long_ago,
        };
        let (id, _) = storage::enqueue(&mut tx, new).await.unwrap();
        // Every hundredth item still has a message on its way.
        if i % 100 == 7 {
            storage::push_outbox(&mut tx, 300, "Closed", &[], Some(id), long_ago)
                .await
                .unwrap();
            waiting.push(id);
        }
    }
    tx.commit().await.unwrap();
    sqlx::query("UPDATE queue_items SET status = 'closed', updated_at = $1")
        .bind(long_ago.as_millisecond())
        .execute(store.writer())
        .await
        .unwrap();
    let open = item(&store, member, "telegram:301", 1, long_ago).await;

    let report = store.purge(DAY * 365, now, true).await.unwrap();
    let purgeable = u64::try_from(n - waiting.len()).unwrap();
    assert_eq!(report.items, purgeable, "dry run: {report}");
    assert_eq!(
        store.queue_len().await.unwrap(),
        i64::try_from(n).unwrap() + 1
    );
    let report = store.purge(DAY * 365, now, false).await.unwrap();
    assert_eq!(report.items, purgeable, "{report}");
    assert_eq!(report.item_messages, 0, "{report}");
    waiting.push(open);
    assert_eq!(
        ids(&store, "SELECT id FROM queue_items ORDER BY id").await,
        waiting
    );
}

/// A member's conversations run with the clock at `at`.
fn member_at(store: &Store, at: Timestamp) -> Assistant {
    Assistant::new(store.clone(), Arc::clone(shipped_arc())).with_clock(move || at)
}

/// Sends /start and then each line to `chat`; the last turn's replies.
async fn write(a: &Assistant, member: MemberId, chat: &str, lines: &[&str]) -> Vec<Outgoing> {
    let start = Input::Command(conversation::Command::Start);
    let mut last = a.handle(chat, member, start).await.unwrap();
    for line in lines {
        last = a
            .handle(chat, member, Input::from_text(line))
            .await
            .unwrap();
    }
    last
}

/// A draft left at the details, a medication in them.
const DRAFT: &[&str] = &[
    "Alvarez",
    "refill",
    "Refill request",
    "Atorvastatin 20 mg at night",
];

/// Leaves [`DRAFT`] in chat `telegram:1` at `at`; the last turn's replies.
async fn abandon(store: &Store, member: MemberId, at: Timestamp) -> Vec<Outgoing> {
    write(&member_at(store, at), member, "telegram:1", DRAFT).await
}

/// Words of the drafts above that no cleared state may hold.
const DRAFT_WORDS: &[&str] = &["Atorvastatin", "Refill request", "chest", "Alvarez"];

/// Every conversation row as stored: chat key, state, version, updated_at.
async fn conversation_rows(store: &Store) -> Vec<(String, String, i64, i64)> {
    let rows = sqlx::query_as(
        "SELECT chat_key, state, version, updated_at FROM conversations ORDER BY chat_key",
    );
    rows.fetch_all(store.pool()).await.unwrap()
}

/// The stored state of `chat`.
async fn state_of(store: &Store, chat: &str) -> State {
    match storage::load_conversation(store, chat).await.unwrap() {
        storage::Loaded::Found(state, _) => *state,
        other => panic!("{chat}: {other:?}"),
    }
}

fn texts(replies: &[Outgoing]) -> Vec<&str> {
    replies.iter().map(|o| o.text.as_str()).collect()
}

async fn abandoned_drafts_are_cleared_and_recent_or_idle_ones_stay(db: TestDb) {
    // Stored as written, so that the raw rows show what they hold.
    let store = Store::open_with(&db.url(), storage::Keyring::none())
        .await
        .unwrap();
    let member = store.ensure_member("M-1001", "Test Member").await.unwrap();
    let now = Timestamp::now();
    let old = member_at(&store, now - DAY * 15);

    // Abandoned at the details, after asking for chat messages to be deleted.
    let last = write(&old, member, "telegram:1", DRAFT).await;
    let draft_no = last[0].draft;
    let delete = Input::Choice {
        draft: draft_no,
        action: Action::DeleteMessages(true),
    };
    old.handle("telegram:1", member, delete).await.unwrap();
    // Abandoned at a safety stop that holds the text that fired.
    let mut held = DRAFT.to_vec();
    held[3] = "crushing chest pain right now";
    write(&old, member, "telegram:2", &held).await;
    let Step::Hold(hold) = state_of(&store, "telegram:2").await.step else {
        panic!("no safety stop");
    };
    assert!(hold.held.is_some_and(|t| t.contains("chest")));
    // Written to 13 days ago: kept.
    let recent = member_at(&store, now - DAY * 13);
    write(&recent, member, "telegram:3", DRAFT).await;
    // Cancelled long ago, so idle: kept.
    write(&old, member, "telegram:4", &["Alvarez", "/cancel"]).await;
    // Damaged long ago: reset.
    write(&old, member, "telegram:5", DRAFT).await;
    sqlx::query("UPDATE conversations SET state = '{broken' WHERE chat_key = 'telegram:5'")
        .execute(store.writer())
        .await
        .unwrap();

    let before = conversation_rows(&store).await;
    assert_eq!(before.len(), 5);
    assert!(before[0].1.contains("Atorvastatin"), "{}", before[0].1);
    let purged = dry_run_then_purge(&store, now, || conversation_rows(&store)).await;
    assert_eq!(purged.drafts, 3, "{purged}");

    let after = conversation_rows(&store).await;
    for (was, is) in before.iter().zip(&after) {
        let chat = is.0.as_str();
        if ["telegram:3", "telegram:4"].contains(&chat) {
            assert_eq!(is, was, "{chat} is kept as it was");
            continue;
        }
        for word in DRAFT_WORDS {
            assert!(
                !is.1.contains(word),
                "{chat} still holds {word:?}: {}",
                is.1
            );
        }
        assert_eq!((is.2, is.3), (was.2 + 1, now.as_millisecond()), "{chat}");
    }
    let expected = State {
        draft_no,
        delete_messages: true,
        cleared_after_days: Some(DRAFT_EXPIRY_DAYS),
        ..State::default()
    };
    assert_eq!(state_of(&store, "telegram:1").await, expected);
    let cleared = state_of(&store, "telegram:2").await;
    assert_eq!(
        (&cleared.step, &cleared.draft),
        (&Step::Idle, &Draft::default())
    );
    assert!(!cleared.delete_messages);
    let reset = state_of(&store, "telegram:5").await;
    assert_eq!(reset.draft_no, 0, "numbered after the last committed draft");
    assert_eq!(reset.cleared_after_days, Some(DRAFT_EXPIRY_DAYS));
    assert!(state_of(&store, "telegram:3").await.holds_draft());

    let audit = store.audit_log(None, 10).await.unwrap();
    let purge = audit.iter().find(|e| e.action == "purge").unwrap();
    assert!(purge.detail.contains(" drafts=3 "), "{}", purge.detail);

    // Cleared drafts are idle now; the recent one expires in its turn.
    let again = store.purge(DAY * 365, now, false).await.unwrap();
    assert_eq!(again.drafts, 0, "{again}");
    let later = store.purge(DAY * 365, now + DAY * 30, true).await.unwrap();
    assert_eq!(later.drafts, 1, "only telegram:3: {later}");
}

async fn the_member_is_told_once_and_the_draft_number_goes_on(db: TestDb) {
    let store = Store::open(&db.url()).await.unwrap();
    let member = store.ensure_member("M-1001", "Test Member").await.unwrap();
    let now = Timestamp::now();
    let stale = abandon(&store, member, now - DAY * 20).await;
    let old_draft = stale[0].draft;
    let old_done = Input::Choice {
        draft: old_draft,
        action: Action::Done,
    };
    assert_eq!(store.purge(DAY * 365, now, false).await.unwrap().drafts, 1);

    let a = member_at(&store, now);
    let first = a.handle("telegram:1", member, Input::from_text("Hello"));
    let first = first.await.unwrap();
    let said = texts(&first);
    assert_eq!(said[0], copy::draft_cleared(DRAFT_EXPIRY_DAYS), "{said:?}");
    assert_eq!(
        said[1],
        copy::start_hint(),
        "then the turn goes on: {said:?}"
    );
    assert_eq!(first[1].draft, old_draft + 1, "a new draft, numbered on");
    assert_eq!(
        state_of(&store, "telegram:1").await.cleared_after_days,
        None
    );

    // The old draft's buttons stay refused, and the note is not repeated.
    let second = a.handle("telegram:1", member, old_done).await.unwrap();
    let said = texts(&second);
    assert_eq!(said[0], copy::stale_button(), "{said:?}");
    let lines = [
        "Alvarez",
        "refill",
        "Refill request",
        "Lisinopril 10 mg daily, CVS on Main Street",
        "done",
        "send",
    ];
    let mut all = Vec::new();
    for line in lines {
        let replies = a.handle("telegram:1", member, Input::from_text(line));
        all.extend(replies.await.unwrap());
    }
    let said = texts(&all).join("\n");
    assert!(said.contains("Reference: CL-000001"), "{said}");
    assert!(!said.contains("cleared"), "{said}");
    let item = store.queue_item(1).await.unwrap();
    assert_eq!(item.details, "Lisinopril 10 mg daily, CVS on Main Street");
    assert_eq!(state_of(&store, "telegram:1").await.draft_no, old_draft + 1);
}

async fn a_member_back_between_the_purges_read_and_write_keeps_their_draft(db: TestDb) {
    let store = Store::open(&db.url()).await.unwrap();
    let member = store.ensure_member("M-1001", "Test Member").await.unwrap();
    let now = Timestamp::now();
    abandon(&store, member, now - DAY * 15).await;
    let expired = store.expired_drafts(now).await.unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].chat, "telegram:1");

    // The member writes again after the purge read the row.
    let back = Input::from_text("Walgreens on 5th");
    let a = member_at(&store, now);
    a.handle("telegram:1", member, back).await.unwrap();
    assert_eq!(store.clear_drafts(&expired, now).await.unwrap(), 0);
    let state = state_of(&store, "telegram:1").await;
    assert_eq!(
        state.draft.details,
        ["Atorvastatin 20 mg at night", "Walgreens on 5th"]
    );
    assert_eq!(state.cleared_after_days, None);

    // Read and written with nothing in between, the same draft goes.
    let later = now + DAY * 15;
    let expired = store.expired_drafts(later).await.unwrap();
    assert_eq!(store.clear_drafts(&expired, later).await.unwrap(), 1);
    assert!(!state_of(&store, "telegram:1").await.holds_draft());
}

on_both_backends!(
    old_closed_items_go_with_their_texts_and_nothing_else_does,
    a_purge_larger_than_a_batch_takes_every_purgeable_item,
    abandoned_drafts_are_cleared_and_recent_or_idle_ones_stay,
    the_member_is_told_once_and_the_draft_number_goes_on,
    a_member_back_between_the_purges_read_and_write_keeps_their_draft,
);

/// Runs `careline purge` on the SQLite file at `url`.
fn careline_purge(url: &str, args: &[&str], days_env: Option<&str>) -> (String, String, bool) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_careline"));
    cmd.arg("purge")
        .args(args)
        .env("DATABASE_URL", url)
        .env_remove("CARELINE_RETENTION_DAYS");
    if let Some(days) = days_env {
        cmd.env("CARELINE_RETENTION_DAYS", days);
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.success(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn careline_purge_purges_a_sqlite_file_and_its_dry_run_does_not() {
    let db = TestDb::sqlite();
    let url = db.url();
    let now = Timestamp::now();
    let (old, recent) = {
        let store = Store::open(&url).await.unwrap();
        let member = store.ensure_member("M-1001", "Test Member").await.unwrap();
        let old = item(&store, member, "terminal:local", 1, now - DAY * 60).await;
        store
            .reply_to_item(old, "Dr. A", "ok", now - DAY * 50)
            .await
            .unwrap();
        store.close_item(old, "Done", now - DAY * 40).await.unwrap();
        let recent = item(&store, member, "terminal:local", 2, now - DAY * 60).await;
        store
            .close_item(recent, "Done", now - DAY * 5)
            .await
            .unwrap();
        abandon(&store, member, now - DAY * 20).await;
        store.close().await;
        (old, recent)
    };
    let remaining = || async {
        let store = Store::open(&url).await.unwrap();
        let left = ids(&store, "SELECT id FROM queue_items ORDER BY id").await;
        let purges = ids(
            &store,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'purge'",
        )
        .await;
        store.close().await;
        (left, purges[0])
    };

    let (out, err, ok) = careline_purge(&url, &["--dry-run", "--older-than-days", "30"], None);
    assert!(ok, "{err}");
    assert!(
        out.contains("would purge") && out.contains("items=1 replies=1"),
        "{out}"
    );
    assert!(
        out.contains("drafts untouched for 14 days") && out.contains(" drafts=1 "),
        "{out}"
    );
    assert_eq!(remaining().await, (vec![old, recent], 0));

    // The age comes from CARELINE_RETENTION_DAYS when not given.
    let (out, err, ok) = careline_purge(&url, &[], Some("45"));
    assert!(ok, "{err}");
    assert!(
        out.contains("more than 45 days") && out.contains("items=0 "),
        "{out}"
    );
    assert!(
        out.contains(" drafts=1 "),
        "drafts expire at 14 days: {out}"
    );
    assert_eq!(remaining().await, (vec![old, recent], 1));

    let (out, err, ok) = careline_purge(&url, &["--older-than-days", "30"], Some("45"));
    assert!(ok, "{err}");
    assert!(
        out.contains("purged") && out.contains("items=1 replies=1"),
        "{out}"
    );
    assert!(out.contains(" drafts=0 "), "cleared before: {out}");
    assert_eq!(remaining().await, (vec![recent], 2));

    let (_, err, ok) = careline_purge(&url, &["--older-than-days", "0"], None);
    assert!(!ok, "an age of 0 days is refused");
    assert!(err.contains("older-than-days"), "{err}");
}
