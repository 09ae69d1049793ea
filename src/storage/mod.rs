//! Careline's own storage: the directory of offices and recipients, members,
//! conversation state, the portal queue and safety events, in SQLite (the
//! embedded default). It knows rows, not conversations: state is kept as the
//! JSON the conversation gives it.
//!
//! Writes that belong together (a queue item and the conversation state
//! that says it was sent) go in one transaction ([`Store::begin`]); the
//! functions that take a `&mut SqliteConnection` run inside one.

mod dialogues;
mod directory;
mod members;
mod outbox;
mod queue;
mod safety;
mod staff;
mod work;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqlitePool, Transaction};

pub use dialogues::{Loaded, load_conversation, save_conversation};
pub use members::{LINK_CODE_HOURS, LinkOutcome};
pub use outbox::{Deletion, OutboxMessage, mark_update_processed, push_outbox};
pub(crate) use queue::last_draft_no;
pub use queue::{NewItem, QueueItem, QueueSummary, enqueue, reference};
pub use safety::record_safety_event;
pub use staff::{
    AuditEntry, LOCK_MINUTES, MAX_FAILED_SIGN_INS, Role, SESSION_HOURS, SignIn, StaffAccount,
    StaffSession, hash_password,
};
pub use work::{HistoryEntry, PageAfter, QueueFilter, QueueRow, RecipientRef};

/// The database used when DATABASE_URL is not set: a file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://careline.db";

/// What went wrong in storage. Messages never carry member text.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database could not be opened or a statement failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations could not be applied.
    #[error("could not apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// The named thing does not exist.
    #[error("{0} not found")]
    NotFound(String),
}

/// A handle on the database; cheap to clone.
///
/// Reads use a pool of connections; every write goes through one writer
/// connection, so writers queue in Careline (first come, first served)
/// instead of spinning on SQLite's busy timeout.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    writer: SqlitePool,
}

/// An open transaction.
pub type Tx = Transaction<'static, sqlx::Sqlite>;

impl Store {
    /// Opens (creating if missing) the database at `url` in WAL mode with
    /// full fsync, and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        let store = Self { pool, writer };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations (idempotent).
    pub async fn migrate(&self) -> Result<(), StorageError> {
        sqlx::migrate!("migrations/sqlite")
            .run(&self.writer)
            .await?;
        Ok(())
    }

    /// Begins a write transaction, taking SQLite's write lock at once so that
    /// concurrent turns queue up instead of failing on a lock upgrade.
    pub async fn begin(&self) -> Result<Tx, StorageError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The writer connection, for single-statement writes.
    pub fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// Milliseconds since the Unix epoch, as stored.
pub(crate) fn millis(at: jiff::Timestamp) -> i64 {
    at.as_millisecond()
}

/// A stored millisecond time.
pub(crate) fn from_millis(ms: i64) -> Result<jiff::Timestamp, StorageError> {
    jiff::Timestamp::from_millisecond(ms)
        .map_err(|e| StorageError::Corrupt(format!("time {ms}: {e}")))
}
