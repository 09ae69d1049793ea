//! The load benchmark: the fake Bot API server and N simulated members who
//! run whole conversations (routine refills, urgent "send anyway", an
//! emergency that is cancelled, an edit from the review, a cancel) against
//! `careline`'s Telegram adapter, in polling or webhook mode, on SQLite or
//! PostgreSQL.
//!
//! `cargo bench --bench load -- [--members N] [--concurrency C] [--mode polling|webhook]
//!  [--throttle] [--postgres URL] [--rate R]`
//!
//! `--rate R` paces updates to R a second (give a concurrency well above R
//! times the expected latency so a member is always ready to send); the
//! latency figures then answer "how fast at R updates a second".
//!
//! With `--postgres URL` (a server's database that Careline may create
//! databases from, e.g. postgres://postgres@127.0.0.1:5432/test) the run
//! uses a fresh database on that server, dropped afterwards; otherwise a
//! SQLite file in a temporary folder.
//!
//! Reports updates handled per second, p50/p95/p99 from an update's arrival
//! to the bot's first reply, peak RSS and database size.

use std::sync::Arc;
use std::time::{Duration, Instant};

use careline::assistant::Assistant;
use careline::screening::Screener;
use careline::storage::Store;
use careline::telegram::{self, BotApp};

#[allow(dead_code)]
#[path = "../tests/it/fake_telegram.rs"]
mod fake_telegram;

use fake_telegram::{FakeTelegram, Sent};

const SECRET: &str = "load-test-secret-0123456789";

#[derive(Clone)]
enum Send {
    Polling,
    Webhook(reqwest::Client, String),
}

struct Member {
    chat: i64,
    fake: FakeTelegram,
    send: Send,
    replies: tokio::sync::mpsc::UnboundedReceiver<Sent>,
    last: Vec<(String, String)>,
    latencies: Vec<Duration>,
    updates: usize,
    pace: Option<Pace>,
}

/// `--rate R`: one update may start every 1/R s, across all members, so
/// updates arrive at a fixed rate while enough members are waiting to send.
type Pace = Arc<tokio::sync::Mutex<tokio::time::Interval>>;

impl Member {
    async fn push(
        &mut self,
        update: Option<serde_json::Value>,
        text: Option<&str>,
        data: Option<&str>,
    ) {
        if let Some(pace) = &self.pace {
            pace.lock().await.tick().await;
        }
        let t0 = Instant::now();
        match &self.send {
            Send::Polling => match (text, data) {
                (Some(t), _) => {
                    self.fake.text(self.chat, t);
                }
                (_, Some(d)) => self.fake.tap(self.chat, d),
                _ => unreachable!(),
            },
            Send::Webhook(client, endpoint) => {
                let r = client
                    .post(endpoint)
                    .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                    .header("content-type", "application/json")
                    .body(update.unwrap().to_string())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
            }
        }
        self.updates += 1;
        // A turn is over when a message with buttons arrives.
        let mut first = None;
        loop {
            let sent = tokio::time::timeout(Duration::from_secs(60), self.replies.recv())
                .await
                .expect("a reply within 60 s")
                .expect("the fake server is running");
            first.get_or_insert_with(|| t0.elapsed());
            if !sent.buttons.is_empty() {
                self.last = sent.buttons;
                break;
            }
        }
        self.latencies.push(first.unwrap());
    }

    async fn say(&mut self, text: &str) {
        let update =
            matches!(self.send, Send::Webhook(..)).then(|| self.fake.text_update(self.chat, text));
        self.push(update, Some(text), None).await;
    }

    async fn tap(&mut self, label: &str) {
        let data = self
            .last
            .iter()
            .find(|(l, _)| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label:?} in {:?}", self.last))
            .1
            .clone();
        let update =
            matches!(self.send, Send::Webhook(..)).then(|| self.fake.tap_update(self.chat, &data));
        self.push(update, None, Some(&data)).await;
    }

    /// One whole conversation of the kind chosen by the member's number.
    async fn converse(&mut self) {
        self.say("/start").await;
        let script = self.chat % 20;
        if script == 19 {
            self.tap("Pharmacy").await;
            self.say("/cancel").await;
            return;
        }
        self.tap("Dr. Maria Alvarez").await;
        match script {
            0..=1 => {
                self.tap("Symptom").await;
                self.tap("Medical Question").await;
                self.say("crushing chest pressure right now").await;
                self.tap("Cancel this message").await;
            }
            2..=4 => {
                self.tap("Symptom").await;
                self.tap("Medical Question").await;
                self.say("I have had a fever of 103 since yesterday").await;
                self.tap("Send anyway").await;
                self.say("severe, tried tylenol").await;
                self.tap("Done").await;
                self.tap("Send").await;
            }
            _ => {
                self.tap("Prescription refill").await;
                self.tap("Request for Refill").await;
                self.say("Lisinopril 10 mg once daily, CVS on Main Street")
                    .await;
                self.tap("Done").await;
                if script < 8 {
                    self.tap("Change subject").await;
                    self.say("Refill needed this week").await;
                }
                self.tap("Send").await;
            }
        }
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let members: i64 = arg("--members").map_or(500, |v| v.parse().unwrap());
    let concurrency: usize = arg("--concurrency").map_or(100, |v| v.parse().unwrap());
    let mode = arg("--mode").unwrap_or_else(|| "polling".into());
    let rate: Option<f64> = arg("--rate").map(|v| v.parse().unwrap());

    let dir = tempfile::tempdir().unwrap();
    let db = match arg("--postgres") {
        Some(server) => Database::postgres(&server).await,
        None => Database::Sqlite(dir.path().join("load.db")),
    };
    let store = Store::open(&db.url()).await.unwrap();
    // Members and their chat links, in one transaction.
    let mut tx = store.begin().await.unwrap();
    for chat in 1..=members {
        sqlx::query("INSERT INTO members (member_number, name, created_at) VALUES ($1, 'Load', 0)")
            .bind(format!("L-{chat}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO care_team (member_id, recipient_id) SELECT id, 1 FROM members WHERE member_number = $1",
        )
        .bind(format!("L-{chat}"))
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query("INSERT INTO telegram_links (chat_id, member_id, linked_at) SELECT $1, id, 0 FROM members WHERE member_number = $2")
            .bind(chat)
            .bind(format!("L-{chat}"))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let screener = Arc::new(Screener::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).unwrap());
    let fake = FakeTelegram::start().await;
    fake.forget_calls();
    let throttle = std::env::args().any(|a| a == "--throttle");
    let timeout = Duration::from_secs(30);
    let url = Some(fake.url.clone());
    let run = Run {
        throttled: if throttle { "throttled" } else { "unthrottled" },
        store,
        screener,
        fake,
        members,
        concurrency,
        mode,
        rate,
        db,
    };
    if throttle {
        // teloxide's Throttle as in production, opened up to the fake
        // server's capacity (it still releases messages on a 250 ms tick).
        let limits = telegram::RateLimits {
            messages_per_sec_chat: 1_000_000,
            messages_per_min_chat: 1_000_000,
            messages_per_min_channel_or_supergroup: 1_000_000,
            messages_per_sec_overall: 1_000_000,
        };
        run.go(telegram::bot("1:LOAD", url, limits, timeout).unwrap())
            .await;
    } else {
        run.go(telegram::unthrottled_bot("1:LOAD", url, timeout).unwrap())
            .await;
    }
}

struct Run {
    throttled: &'static str,
    store: Store,
    screener: Arc<Screener>,
    fake: FakeTelegram,
    members: i64,
    concurrency: usize,
    mode: String,
    rate: Option<f64>,
    db: Database,
}

/// The database a run uses.
enum Database {
    Sqlite(std::path::PathBuf),
    Postgres { server: String, name: String },
}

impl Database {
    async fn postgres(server: &str) -> Self {
        sqlx::any::install_default_drivers();
        let name = format!("careline_load_{}", std::process::id());
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(server)
            .await
            .unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap();
        Self::Postgres {
            server: server.to_string(),
            name,
        }
    }

    fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres { server, name } => {
                let mut url = url::Url::parse(server).unwrap();
                url.set_path(name);
                url.to_string()
            }
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "SQLite",
            Self::Postgres { .. } => "PostgreSQL",
        }
    }

    /// Bytes on disk (SQLite: the file and its WAL).
    async fn size(&self, store: &Store) -> u64 {
        match self {
            Self::Sqlite(path) => ["", "-wal"]
                .iter()
                .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
                .map(|m| m.len())
                .sum(),
            Self::Postgres { .. } => {
                let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
                    .fetch_one(store.pool())
                    .await
                    .unwrap();
                u64::try_from(size).unwrap_or_default()
            }
        }
    }

    async fn drop_database(&self, store: Store) {
        store.close().await;
        if let Self::Postgres { server, name } = self {
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(server)
                .await
                .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await
            .unwrap();
        }
    }
}

impl Run {
    async fn go<B: telegram::BotApi>(self, bot: B) {
        let Run {
            throttled,
            store,
            screener,
            fake,
            members,
            concurrency,
            mode,
            rate,
            db,
        } = self;
        let assistant = Assistant::new(store.clone(), screener);
        let app = BotApp {
            assistant: assistant.clone(),
            demo_member: None,
            flood: Default::default(),
        };
        let send = if mode == "webhook" {
            tokio::spawn(telegram::delivery::run(
                bot.clone(),
                store.clone(),
                assistant.outbox_ready(),
            ));
            let router = telegram::webhook::router(bot, Arc::new(app), SECRET);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
            Send::Webhook(
                reqwest::Client::new(),
                format!("http://{addr}{}", telegram::webhook::PATH),
            )
        } else {
            tokio::spawn(async move { telegram::run_polling(bot, app).await.unwrap() });
            Send::Polling
        };

        let pace: Option<Pace> = rate.map(|r| {
            let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / r));
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            Arc::new(tokio::sync::Mutex::new(interval))
        });
        let started = Instant::now();
        let gate = Arc::new(tokio::sync::Semaphore::new(concurrency));
        // Finished members are collected as others start, so the driver's
        // own memory stays flat however many members run.
        let mut tasks = tokio::task::JoinSet::new();
        let mut latencies = Vec::new();
        let mut updates = 0;
        for chat in 1..=members {
            while let Some(done) = tasks.try_join_next() {
                let (l, u) = done.unwrap();
                latencies.extend(l);
                updates += u;
            }
            let permit = gate.clone().acquire_owned().await.unwrap();
            let mut m = Member {
                chat,
                fake: fake.clone(),
                send: send.clone(),
                replies: fake.subscribe(chat),
                last: Vec::new(),
                latencies: Vec::new(),
                updates: 0,
                pace: pace.clone(),
            };
            tasks.spawn(async move {
                m.converse().await;
                m.fake.unsubscribe(m.chat);
                drop(permit);
                (m.latencies, m.updates)
            });
        }
        while let Some(done) = tasks.join_next().await {
            let (l, u) = done.unwrap();
            latencies.extend(l);
            updates += u;
        }
        let elapsed = started.elapsed();
        latencies.sort();
        let queued = store.queue_len().await.unwrap();
        let size = db.size(&store).await;
        println!(
            "| database | mode | bot | rate | members | concurrency | updates | updates/s | p50 | p95 | p99 | peak RSS | database | queued |"
        );
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        println!(
            "| {} | {mode} | {throttled} | {} | {members} | {concurrency} | {updates} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} MiB | {:.1} MiB | {queued} |",
            db.label(),
            rate.map_or("open".to_string(), |r| format!("{r:.0}/s")),
            updates as f64 / elapsed.as_secs_f64(),
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.95).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            peak_rss_kib() as f64 / 1024.0,
            size as f64 / 1_048_576.0,
        );
        db.drop_database(store).await;
    }
}
