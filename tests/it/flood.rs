//! 1,000 messages in a minute from one member: Careline answers every
//! update, runs the first turns of the minute, tells the member once that it
//! is skipping the rest, and still answers an emergency inside the flood.

use careline::telegram::flood::PER_MINUTE;

use crate::db::TestDb;
use crate::fake_telegram::FakeTelegram;
use crate::instances::{Instance, link_members, post, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_messages_a_minute_from_one_member() {
    let db = TestDb::sqlite();
    let url = db.url();
    let chat = link_members(&url, 1).await[0];
    let fake = FakeTelegram::start().await;
    let instance = Instance::start(&url, &fake).await;
    let client = reqwest::Client::new();
    let mut accepted = 0;
    for batch in 0..50 {
        let mut posts = tokio::task::JoinSet::new();
        for i in 0..20 {
            let n = batch * 20 + i;
            let text = if n == 700 {
                "crushing chest pain and my left arm is numb".to_string()
            } else {
                format!("hello {n}")
            };
            let update = fake.text_update(chat, &text);
            let (client, endpoint) = (client.clone(), instance.endpoint.clone());
            posts.spawn(async move { post(&client, &endpoint, &update).await });
        }
        accepted += posts.join_all().await.into_iter().filter(|ok| *ok).count();
    }
    assert_eq!(
        accepted, 1000,
        "every update is answered 200 (none redelivered)"
    );
    // What the bot will say is in the outbox (Telegram's one-message-a-
    // second pace per chat delivers it over the next minute).
    let store = careline::storage::Store::open(&url).await.unwrap();
    let said: Vec<String> = sqlx::query_scalar("SELECT text FROM outbox WHERE chat_id = $1")
        .bind(chat)
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(
        said.iter()
            .any(|t| t.contains("may be a medical emergency")),
        "the emergency inside the flood is answered"
    );
    let notices = said
        .iter()
        .filter(|t| t.contains("faster than I can read"))
        .count();
    assert_eq!(notices, 1, "told once");
    // Each admitted turn says a few things at most; 1,000 turns would say thousands.
    assert!(
        said.len() <= 4 * (PER_MINUTE as usize + 2),
        "{} messages for at most {} admitted turns",
        said.len(),
        PER_MINUTE + 1
    );
    // And they are on their way.
    wait_for(&fake, chat, "first replies", |sent| {
        (sent.len() >= 3).then_some(())
    })
    .await;
    store.close().await;
}
