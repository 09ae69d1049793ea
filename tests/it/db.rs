//! Databases for tests: a fresh SQLite file, or a fresh PostgreSQL database
//! on the server TEST_DATABASE_URL names (skipped, and said so, when it is
//! not set). `.ci/run` starts PostgreSQL and sets the variable, so CI always
//! runs both.

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

/// Where the PostgreSQL tests find their server.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// A database that lives as long as the test.
pub enum TestDb {
    /// A SQLite file in a temporary folder.
    Sqlite(tempfile::TempDir),
    /// A database created on the test server, dropped afterwards.
    Postgres {
        /// The server's URL (its `test` database) for creating and dropping.
        admin: String,
        /// This test's database.
        name: String,
    },
}

impl TestDb {
    /// A fresh SQLite file.
    pub fn sqlite() -> Self {
        Self::Sqlite(tempfile::tempdir().unwrap())
    }

    /// A fresh PostgreSQL database, or `None` (with a line on the test
    /// output naming the test) when TEST_DATABASE_URL is not set.
    pub async fn postgres(test: &str) -> Option<Self> {
        let Ok(admin) = std::env::var(TEST_DATABASE_URL) else {
            // Written to the real stderr, past the test harness's capture,
            // so a skipped test is visible in `cargo test`'s output.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test} on PostgreSQL: set {TEST_DATABASE_URL} \
                 (e.g. postgres://postgres@127.0.0.1:5432/test) to run it; .ci/run does"
            );
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "careline_t{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            jiff::Timestamp::now().as_millisecond() % 1_000_000
        );
        sqlx::any::install_default_drivers();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("{TEST_DATABASE_URL}={admin}: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap();
        Some(Self::Postgres { admin, name })
    }

    /// The DATABASE_URL for Careline.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(dir) => format!("sqlite://{}", dir.path().join("careline.db").display()),
            Self::Postgres { admin, name } => {
                let mut url = url::Url::parse(admin).unwrap();
                url.set_path(name);
                url.to_string()
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Self::Postgres { admin, name } = self else {
            return;
        };
        let (admin, name) = (admin.clone(), name.clone());
        // Drop runs inside the test's runtime: use a thread with its own.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async move {
                    let mut conn =
                        <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await?;
                    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await
                    .map(|_| ())
                })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            let _ = writeln!(std::io::stderr(), "could not drop test database");
        }
    }
}

/// Runs each named `async fn NAME(db: TestDb)` twice: as `NAME::sqlite` and
/// as `NAME::postgres` (skipped without TEST_DATABASE_URL).
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::db::TestDb::sqlite()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let test = module_path!();
                if let Some(db) = $crate::db::TestDb::postgres(test).await {
                    super::$name(db).await;
                }
            }
        }
    )*};
}
pub(crate) use on_both_backends;
