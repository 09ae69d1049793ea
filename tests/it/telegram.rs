//! The Telegram bot against a fake Bot API server: the real teloxide
//! client, long polling, scripted members.

use std::sync::Arc;

use careline::assistant::Assistant;
use careline::storage::Store;
use careline::telegram::{self, BotApp};

use crate::fake_telegram::{FakeTelegram, Fault, Sent};
use crate::helpers::shipped_arc;

struct Harness {
    fake: FakeTelegram,
    store: Store,
    bot: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

fn test_bot(fake: &FakeTelegram) -> telegram::TgBot {
    // Telegram allows one message a second per chat; the fake server is
    // not Telegram, so the test runs with the throttle opened up.
    let limits = telegram::RateLimits {
        messages_per_sec_chat: 1000,
        messages_per_min_chat: 100_000,
        messages_per_min_channel_or_supergroup: 100_000,
        messages_per_sec_overall: 1000,
    };
    telegram::bot(
        "123:TEST",
        Some(fake.url.clone()),
        limits,
        std::time::Duration::from_secs(2),
    )
    .unwrap()
}

async fn start_bot(fake: &FakeTelegram, store: &Store) -> tokio::task::JoinHandle<()> {
    let app = BotApp {
        assistant: Assistant::new(store.clone(), Arc::clone(shipped_arc())),
        demo_member: None,
        flood: Default::default(),
    };
    let bot = test_bot(fake);
    tokio::spawn(async move { telegram::run_polling(bot, app).await.unwrap() })
}

impl Harness {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        let store = Store::open(&url).await.unwrap();
        let fake = FakeTelegram::start().await;
        let bot = start_bot(&fake, &store).await;
        Self {
            fake,
            store,
            bot,
            _dir: dir,
        }
    }

    async fn link(&self, chat: i64, number: &str) {
        let member = self
            .store
            .add_member(number, "Test Member", &["dr-alvarez".to_string()])
            .await
            .unwrap();
        let code = self
            .store
            .issue_link_code(member, jiff::Timestamp::now())
            .await
            .unwrap();
        let seen = self.fake.sent(chat).len();
        self.fake.text(chat, &format!("/start {code}"));
        let replies = self.fake.replies(chat, seen).await;
        assert!(replies[0].text.contains("now linked"), "{replies:?}");
    }

    /// The member types; returns the replies.
    async fn say(&self, chat: i64, text: &str) -> Vec<Sent> {
        let seen = self.fake.sent(chat).len();
        self.fake.text(chat, text);
        self.fake.replies(chat, seen).await
    }

    /// The member taps the button labelled `label` in the last message with buttons.
    async fn tap(&self, chat: i64, label: &str) -> Vec<Sent> {
        let data = self.button(chat, label);
        let seen = self.fake.sent(chat).len();
        self.fake.tap(chat, &data);
        self.fake.replies(chat, seen).await
    }

    /// The newest button labelled `label` (prefix) sent to the chat.
    fn button(&self, chat: i64, label: &str) -> String {
        let sent = self.fake.sent(chat);
        sent.iter()
            .rev()
            .flat_map(|s| s.buttons.iter())
            .find(|(l, _)| l.starts_with(label))
            .unwrap_or_else(|| panic!("no button {label:?} sent to chat {chat}"))
            .1
            .clone()
    }
}

fn all(replies: &[Sent]) -> String {
    replies
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_member_sends_a_refill_request_through_telegram() {
    let h = Harness::new().await;
    let chat = 4242;
    // Unlinked: an explanation, nothing else.
    let replies = h.say(chat, "hello").await;
    assert!(all(&replies).contains("link code"), "{replies:?}");
    h.link(chat, "M-2001").await;
    let replies = h.say(chat, "/start").await;
    assert!(
        all(&replies).contains("Who is your message for?"),
        "{replies:?}"
    );

    h.tap(chat, "Dr. Maria Alvarez").await;
    h.tap(chat, "Prescription refill").await;
    h.tap(chat, "Request for Refill").await;
    // A sticker gets a reply and the step goes on.
    let seen = h.fake.sent(chat).len();
    h.fake.sticker(chat);
    let replies = h.fake.replies(chat, seen).await;
    assert!(all(&replies).contains("sticker"), "{replies:?}");

    h.say(chat, "Lisinopril 10 mg daily, CVS on Main Street")
        .await;
    let review = h.tap(chat, "Done").await;
    assert!(
        all(&review).contains("Subject: Request for Refill"),
        "{review:?}"
    );
    // Keep the review's Send button: after sending it is stale.
    let send = h.button(chat, "Send");
    let sent = h.tap(chat, "Send").await;
    assert!(all(&sent).contains("Reference: CL-000001"), "{sent:?}");
    let seen = h.fake.sent(chat).len();
    h.fake.tap(chat, &send);
    let stale = h.fake.replies(chat, seen).await;
    assert!(all(&stale).contains("earlier message"), "{stale:?}");
    assert_eq!(
        h.store.queue_len().await.unwrap(),
        1,
        "one item for two taps"
    );

    // Every tap was answered.
    let taps = h.fake.calls("answerCallbackQuery").len();
    assert_eq!(taps, 6, "every callback query is answered");
    // The command menu was registered.
    let commands = h.fake.calls("setMyCommands");
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].params["commands"].as_array().unwrap().len(), 6);
    assert!(
        h.fake.calls("deleteMessage").is_empty(),
        "not asked to delete"
    );
    h.bot.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_mid_draft_in_telegram_is_sent_to_911_and_a_restart_resumes() {
    let mut h = Harness::new().await;
    let chat = 5151;
    h.link(chat, "M-2002").await;
    h.say(chat, "/start").await;
    h.tap(chat, "Dr. Maria Alvarez").await;
    h.tap(chat, "Symptom").await;
    h.tap(chat, "Medical Question").await;
    // Restart the bot mid-draft: the conversation resumes.
    h.bot.abort();
    let _ = (&mut h.bot).await;
    h.bot = start_bot(&h.fake, &h.store).await;
    let replies = h
        .say(chat, "my chest feels tight and heavy right now")
        .await;
    assert!(all(&replies).contains("Call 911"), "{replies:?}");
    // An edited message is screened again.
    let seen = h.fake.sent(chat).len();
    h.fake.edited(chat, "I want to end it all");
    let replies = h.fake.replies(chat, seen).await;
    assert!(all(&replies).contains("988"), "{replies:?}");
    assert_eq!(h.store.queue_len().await.unwrap(), 0, "nothing queued");
    h.bot.abort();
}

#[tokio::test]
async fn link_codes_work_once_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("link.db").display());
    let store = Store::open(&url).await.unwrap();
    let member = store.add_member("M-3001", "A", &[]).await.unwrap();
    let now = jiff::Timestamp::now();
    let code = store.issue_link_code(member, now).await.unwrap();
    use careline::storage::LinkOutcome;
    assert_eq!(
        store
            .redeem_link_code(&code.to_lowercase(), 1, now)
            .await
            .unwrap(),
        LinkOutcome::Linked(member)
    );
    assert_eq!(
        store.redeem_link_code(&code, 2, now).await.unwrap(),
        LinkOutcome::Used
    );
    assert_eq!(store.member_for_chat(1).await.unwrap(), Some(member));
    assert_eq!(store.member_for_chat(2).await.unwrap(), None);
    let old = store.issue_link_code(member, now).await.unwrap();
    let later = now
        .checked_add(jiff::SignedDuration::from_hours(25))
        .unwrap();
    assert_eq!(
        store.redeem_link_code(&old, 3, later).await.unwrap(),
        LinkOutcome::Expired
    );
    assert_eq!(
        store.redeem_link_code("NOPE", 3, now).await.unwrap(),
        LinkOutcome::Unknown
    );
    assert!(
        store
            .add_member("M-3002", "B", &["dr-nobody".into()])
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_survive_429_500_and_timeouts_and_arrive_once_in_order() {
    let h = Harness::new().await;
    let chat = 6161;
    h.link(chat, "M-2003").await;
    h.fake
        .fail_next(&[Fault::RetryAfter(1), Fault::ServerError, Fault::Hang(4)]);
    // Two turns' replies wait behind the failing first one, in order.
    let seen = h.fake.sent(chat).len();
    h.fake.text(chat, "/help");
    h.fake.text(chat, "/privacy");
    for _ in 0..150 {
        if h.fake.sent(chat).len() >= seen + 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Let any duplicate show itself.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let replies = h.fake.sent(chat)[seen..].to_vec();
    let texts: Vec<&str> = replies.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts.len(), 4, "each reply once: {texts:?}");
    assert!(texts[0].starts_with("I'll walk you through"), "{texts:?}");
    assert!(texts[1].contains("Who is your message for?"));
    assert!(texts[2].starts_with("Privacy:"));
    assert!(texts[3].contains("Who is your message for?"));
    assert_eq!(h.fake.calls("sendMessage(failed)").len(), 3);
    assert_eq!(h.store.outbox_pending().await.unwrap(), 0);
    h.bot.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_reply_reaches_the_member_once_even_across_a_restart() {
    let mut h = Harness::new().await;
    let chat = 7171;
    h.link(chat, "M-2004").await;
    h.say(chat, "/start").await;
    h.tap(chat, "Dr. Maria Alvarez").await;
    h.tap(chat, "Prescription refill").await;
    h.tap(chat, "Request for Refill").await;
    h.say(chat, "Lisinopril 10 mg daily, CVS on Main Street")
        .await;
    h.tap(chat, "Done").await;
    let sent = h.tap(chat, "Send").await;
    assert!(all(&sent).contains("CL-000001"));
    // The bot is down when staff reply; the reply waits in the outbox.
    h.bot.abort();
    let _ = (&mut h.bot).await;
    let seen = h.fake.sent(chat).len();
    let outbox = h
        .store
        .reply_to_item(
            1,
            "Dr. Maria Alvarez",
            "Sent to your pharmacy.",
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    assert!(outbox.is_some());
    assert_eq!(h.store.outbox_pending().await.unwrap(), 1);
    h.fake.fail_next(&[Fault::ServerError]);
    h.bot = start_bot(&h.fake, &h.store).await;
    let replies = h.fake.replies(chat, seen).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(
        replies[0]
            .text
            .starts_with("Reply from Dr. Maria Alvarez about \"Request for Refill\"")
    );
    assert!(replies[0].text.contains("Sent to your pharmacy."));
    let item = h.store.queue_item(1).await.unwrap();
    assert_eq!(item.summary.status, "answered");
    // /status shows it answered.
    let status = h.say(chat, "/status").await;
    assert!(all(&status).contains("answered"), "{status:?}");
    h.bot.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_updates_need_the_secret_token() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hook.db").display());
    let store = Store::open(&url).await.unwrap();
    let fake = FakeTelegram::start().await;
    let member = store.add_member("M-4001", "W", &[]).await.unwrap();
    let code = store
        .issue_link_code(member, jiff::Timestamp::now())
        .await
        .unwrap();
    store
        .redeem_link_code(&code, 8181, jiff::Timestamp::now())
        .await
        .unwrap();
    let assistant = Assistant::new(store.clone(), Arc::clone(shipped_arc()));
    let bot = test_bot(&fake);
    tokio::spawn(telegram::delivery::run(
        bot.clone(),
        store.clone(),
        assistant.outbox_ready(),
    ));
    let app = Arc::new(BotApp {
        assistant,
        demo_member: None,
        flood: Default::default(),
    });
    let secret = "s3cret-token-for-tests";
    let router = telegram::webhook::router(bot, app, secret);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let endpoint = format!("http://{addr}{}", telegram::webhook::PATH);
    let client = reqwest::Client::new();
    let post = |secret: Option<&str>, body: String| {
        let mut request = client
            .post(&endpoint)
            .header("content-type", "application/json")
            .body(body);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        request.send()
    };

    let update = fake.text_update(8181, "/start").to_string();
    let missing = post(None, update.clone()).await.unwrap();
    assert_eq!(missing.status(), 401);
    let wrong = post(Some("s3cret-token-for-tesTS"), update.clone())
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(fake.sent(8181).is_empty(), "nothing was processed");
    assert_eq!(store.outbox_pending().await.unwrap(), 0);

    let right = post(Some(secret), update.clone()).await.unwrap();
    assert_eq!(right.status(), 200);
    let replies = fake.replies(8181, 0).await;
    assert!(
        all(&replies).contains("Who is your message for?"),
        "{replies:?}"
    );
    // Telegram delivers the same update again (say its 200 was lost): it
    // is acknowledged and not applied twice.
    let again = post(Some(secret), update).await.unwrap();
    assert_eq!(again.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        fake.sent(8181).len(),
        replies.len(),
        "no second set of replies"
    );

    let garbage = post(Some(secret), "{not json".into()).await.unwrap();
    assert_eq!(garbage.status(), 200, "an unreadable update is not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_opts_in_has_their_messages_deleted_once_queued() {
    let h = Harness::new().await;
    let chat = 9191;
    h.link(chat, "M-2005").await;
    let privacy = h.say(chat, "/privacy").await;
    assert!(
        all(&privacy).contains("not a secure medical channel"),
        "{privacy:?}"
    );
    let set = h.tap(chat, "Delete my messages after sending").await;
    assert!(all(&set).contains("I'll delete"), "{set:?}");
    h.tap(chat, "Dr. Maria Alvarez").await;
    h.tap(chat, "Prescription refill").await;
    h.tap(chat, "Request for Refill").await;
    let seen = h.fake.sent(chat).len();
    let detail = h
        .fake
        .text(chat, "Lisinopril 10 mg daily, CVS on Main Street");
    h.fake.replies(chat, seen).await;
    let seen = h.fake.sent(chat).len();
    let done = h.fake.text(chat, "done");
    h.fake.replies(chat, seen).await;
    let deleted = |h: &Harness| -> Vec<i64> {
        h.fake
            .calls("deleteMessage")
            .iter()
            .map(|c| c.params["message_id"].as_i64().unwrap())
            .collect()
    };
    assert!(
        deleted(&h).is_empty(),
        "nothing deleted before the message is queued"
    );
    let sent = h.tap(chat, "Send").await;
    assert!(all(&sent).contains("CL-000001"));
    for _ in 0..50 {
        if deleted(&h).contains(&done) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let deleted = deleted(&h);
    assert!(
        deleted.contains(&detail) && deleted.contains(&done),
        "{deleted:?}"
    );
    h.bot.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn used_and_unknown_codes_are_refused_and_demo_mode_links_everyone() {
    let h = Harness::new().await;
    h.link(1001, "M-2006").await;
    // Another chat tries the same member's code again: refused, not linked.
    let member = h.store.member_by_number("M-2006").await.unwrap();
    let code = h
        .store
        .issue_link_code(member, jiff::Timestamp::now())
        .await
        .unwrap();
    h.say(1002, &format!("/start {code}")).await;
    let replies = h.say(1003, &format!("/start {code}")).await;
    assert!(all(&replies).contains("already used"), "{replies:?}");
    assert!(
        all(&replies).contains("must first be linked"),
        "{replies:?}"
    );
    let replies = h.say(1004, "/start NOPE2345").await;
    assert!(all(&replies).contains("don't recognise"), "{replies:?}");
    h.bot.abort();

    // Demo mode: an unlinked chat writes as the demo member.
    let demo = h.store.ensure_member("DEMO-0001", "Demo").await.unwrap();
    let app = BotApp {
        assistant: Assistant::new(h.store.clone(), Arc::clone(shipped_arc())),
        demo_member: Some(demo),
        flood: Default::default(),
    };
    let bot = test_bot(&h.fake);
    let task = tokio::spawn(async move { telegram::run_polling(bot, app).await.unwrap() });
    let replies = h.say(2001, "/start").await;
    assert!(
        all(&replies).contains("Who is your message for?"),
        "{replies:?}"
    );
    task.abort();
}
