//! The staff console under a full queue: 100,000 items in SQLite, pages
//! requested over HTTP on loopback, latency percentiles per page kind, and
//! each as a ratio to `/health` (the same server doing no work) measured in
//! the same run. Run: `cargo bench --bench console`.
//!
//! Target (issue 5): the queue page's p99 under 50 ms on a 2-core machine.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use careline::console::{ConsoleState, RulesInfo};
use careline::conversation::Submission;
use careline::domain::{Priority, RequestKind, SafetyFlag, Subject};
use careline::screening::Level;
use careline::storage::{self, NewItem, Role, Store};

const ITEMS: usize = 100_000;
const REQUESTS: usize = 300;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::open(&url).await.unwrap();
    let member = store.ensure_member("M-1", "Bench Member").await.unwrap();
    store
        .add_staff("sam", "Sam", Role::Staff, "correct horse battery")
        .await
        .unwrap();

    let seeded = Instant::now();
    let start: jiff::Timestamp = "2026-01-05T14:00:00Z".parse().unwrap();
    let mut tx = store.begin().await.unwrap();
    for i in 0..ITEMS {
        let flag = match i % 50 {
            0 => Some(Level::Emergency),
            1..=4 => Some(Level::Urgent),
            _ => None,
        };
        let submission = Submission {
            draft_no: i as u32 + 1,
            recipient_id: (i % 5) as i64 + 1,
            kind: RequestKind::ALL[i % 6],
            subject: Subject::parse("Request for Refill").unwrap(),
            details: "Lisinopril 10 mg once daily, CVS on Main Street.".into(),
            priority: flag.map_or(Priority::Normal, Priority::for_level),
            flags: flag
                .map(|level| {
                    vec![SafetyFlag {
                        level,
                        rules: vec!["bench.rule".into()],
                    }]
                })
                .unwrap_or_default(),
        };
        let now = start
            .checked_add(jiff::SignedDuration::from_secs(i as i64 * 30))
            .unwrap();
        storage::enqueue(
            &mut tx,
            NewItem {
                chat: "bench",
                member,
                submission: &submission,
                now,
                due: now,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("UPDATE queue_items SET status = 'closed' WHERE id % 3 = 0")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();
    eprintln!(
        "seeded {ITEMS} items in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );

    let state = ConsoleState {
        store: store.clone(),
        rules: Arc::new(RwLock::new(RulesInfo::default())),
        secure_cookies: false,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, careline::console::router(state))
            .await
            .unwrap()
    });

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token = match store
        .sign_in("sam", "correct horse battery", jiff::Timestamp::now())
        .await
        .unwrap()
    {
        storage::SignIn::Ok(t) => t,
        other => panic!("{other:?}"),
    };
    let cookie = format!("{}={token}", careline::console::SESSION_COOKIE);
    // A cursor near the end of the open queue, for the deepest page.
    let deep = store
        .queue_page(&storage::QueueFilter::default(), None, 66_000)
        .await
        .unwrap()
        .last()
        .unwrap()
        .cursor
        .encode();

    let pages = [
        ("/health (baseline)", "/health".to_string()),
        ("queue, first page", "/".to_string()),
        ("queue, one recipient", "/?recipient=3&status=".to_string()),
        (
            "queue, closed items",
            "/?recipient=&status=closed".to_string(),
        ),
        (
            "queue, deepest page",
            format!("/?recipient=&status=&after={deep}"),
        ),
        ("one item", "/items/50000".to_string()),
    ];
    println!("| page | p50 | p95 | p99 | p99 / baseline p99 |");
    println!("|---|---|---|---|---|");
    let mut baseline = Duration::ZERO;
    for (name, path) in pages {
        let mut times = Vec::with_capacity(REQUESTS);
        for i in 0..REQUESTS + 20 {
            let t = Instant::now();
            let r = client
                .get(format!("{base}{path}"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.bytes().await.unwrap();
            if i >= 20 {
                times.push(t.elapsed());
            }
        }
        times.sort();
        let (p50, p95, p99) = (
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
        );
        if baseline.is_zero() {
            baseline = p99;
        }
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.2} ms | {:.1}× |",
            p50.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            p99.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}
