//! Logs keep no health data: a whole conversation and a staff reply run
//! through `careline serve` with every log at debug level (Careline's and
//! its libraries'), and no message text, name or phone number appears.

use std::time::Duration;

use careline::storage::Store;

use crate::db::TestDb;
use crate::fake_telegram::FakeTelegram;
use crate::instances::{Instance, Step, post, update_for, wait_for};

const NAME: &str = "Zebulon Quartermaine";
const DETAILS: &str = "Xylofenac 35 mg twice daily since Tuesday, CVS pharmacy on Elm Street, call me at 555-867-5309";
const REPLY: &str = "Quokka pharmacy has your Xylofenac ready";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_hold_no_message_text_names_or_phone_numbers() {
    let db = TestDb::sqlite();
    let url = db.url();
    let store = Store::open(&url).await.unwrap();
    let member = store
        .add_member("M-5150", NAME, &["dr-alvarez".to_string()])
        .await
        .unwrap();
    let code = store
        .issue_link_code(member, jiff::Timestamp::now())
        .await
        .unwrap();
    let chat = 5150;
    store
        .redeem_link_code(&code, chat, jiff::Timestamp::now())
        .await
        .unwrap();
    let fake = FakeTelegram::start().await;
    let log_path = tempfile::NamedTempFile::new().unwrap();
    let log = log_path.reopen().unwrap();
    let instance = Instance::start_logging(&url, &fake, "debug", log).await;
    let client = reqwest::Client::new();
    let steps = [
        Step::Say("/start"),
        Step::Tap("Dr. Maria Alvarez"),
        Step::Tap("Prescription refill"),
        Step::Tap("Request for Refill"),
        Step::Say(DETAILS),
        Step::Say("done"),
        Step::Tap("Send"),
    ];
    for step in &steps {
        let update = update_for(&fake, chat, step).await;
        assert!(post(&client, &instance.endpoint, &update).await);
    }
    wait_for(&fake, chat, "reference", |sent| {
        sent.iter()
            .any(|s| s.text.contains("Reference: CL-"))
            .then_some(())
    })
    .await;
    store
        .reply_to_item(1, "Dr. Maria Alvarez", REPLY, jiff::Timestamp::now())
        .await
        .unwrap();
    wait_for(&fake, chat, "staff reply", |sent| {
        sent.iter().any(|s| s.text.contains(REPLY)).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(instance);

    let logs = std::fs::read_to_string(log_path.path()).unwrap();
    assert!(
        logs.lines().filter(|l| l.contains("DEBUG")).count() > 20,
        "the test must see debug logs to mean anything:\n{logs}"
    );
    for secret in [
        "Xylofenac",
        "555-867-5309",
        "8675309",
        "Zebulon",
        "Quartermaine",
        "Quokka",
        "twice daily",
    ] {
        let leak = logs.lines().find(|l| l.contains(secret));
        assert!(leak.is_none(), "{secret:?} in the logs: {leak:?}");
    }
}
