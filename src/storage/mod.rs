//! Careline's own storage: the directory of offices and recipients, members,
//! conversation state, the portal queue and safety events. It knows rows,
//! not conversations: state is kept as the JSON the conversation gives it.
//!
//! Two backends, chosen by the DATABASE_URL scheme: SQLite (`sqlite://`, the
//! embedded default) and PostgreSQL (`postgres://`, when several Careline
//! instances share one database). Both run the same SQL through sqlx's `Any`
//! driver (placeholders are `$1`, `$2`, ..., which SQLite reads too); each
//! has its own migrations (`migrations/sqlite`, `migrations/postgres`) with
//! the same versions, and the few statements that differ ask [`Backend`].
//! The storage test suite runs on both.
//!
//! Writes that belong together (a queue item and the conversation state
//! that says it was sent) go in one transaction ([`Store::begin`]); the
//! functions that take a `&mut AnyConnection` run inside one.

mod crypto;
mod dialogues;
mod directory;
mod group;
mod members;
mod outbox;
mod queue;
mod retention;
mod safety;
mod staff;
mod work;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::{AnyConnection, AnyPool, Executor, Transaction};

pub use crypto::{KEYS_VAR, KeyError, Keyring};
pub use dialogues::{Loaded, load_conversation, save_conversation};
pub use members::{LINK_CODE_HOURS, LinkOutcome};
pub use outbox::{Deletion, OutboxMessage, mark_update_processed, push_outbox};
pub(crate) use queue::last_draft_no;
pub use queue::{NewItem, QueueItem, QueueSummary, enqueue, reference};
pub use retention::{
    DEFAULT_RETENTION_DAYS, DRAFT_EXPIRY_DAYS, ExpiredDraft, PURGE_BATCH, PurgeReport,
    purge_on_schedule,
};
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
    /// DATABASE_URL names no database Careline supports.
    #[error("{0}")]
    Config(String),
    /// The named thing does not exist.
    #[error("{0} not found")]
    NotFound(String),
}

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file (WAL, full fsync): one machine, one process.
    Sqlite,
    /// A PostgreSQL server, shared by any number of instances.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of(url: &str) -> Result<Self, StorageError> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Ok(Self::Sqlite),
            Some("postgres" | "postgresql") => Ok(Self::Postgres),
            _ => Err(StorageError::Config(
                "DATABASE_URL must start with sqlite:// or postgres://".into(),
            )),
        }
    }

    /// The row-locking clause for "take rows nobody else is taking": on
    /// PostgreSQL a claim skips rows another instance has locked instead of
    /// waiting for it; SQLite has one writer at a time, so a claim there is
    /// atomic as it stands.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// A handle on the database; cheap to clone.
///
/// SQLite: reads use a pool of connections; every write goes through one
/// writer connection, so writers queue in Careline (first come, first
/// served) instead of spinning on SQLite's busy timeout. PostgreSQL: one
/// pool for both; concurrent writers are the server's business.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    writer: AnyPool,
    backend: Backend,
    keys: Arc<Keyring>,
    /// SQLite's group commit on the writer connection.
    group: Option<Arc<group::Group>>,
}

/// An open transaction, with the keys that seal what it writes: its own
/// (PostgreSQL), or a turn's share of a group commit (SQLite, see `group`).
pub struct Tx {
    tx: TxKind,
    keys: Arc<Keyring>,
}

enum TxKind {
    Own(Transaction<'static, sqlx::Any>),
    Group(group::Turn),
}

impl Tx {
    /// Commits; returns once the writes are on disk.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.tx {
            TxKind::Own(tx) => tx.commit().await,
            TxKind::Group(turn) => turn.commit().await,
        }
    }

    /// Rolls back.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.tx {
            TxKind::Own(tx) => tx.rollback().await,
            TxKind::Group(turn) => turn.rollback().await,
        }
    }

    /// The data keys.
    pub fn keys(&self) -> &Keyring {
        &self.keys
    }
}

impl Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match &self.tx {
            TxKind::Own(tx) => tx,
            TxKind::Group(turn) => turn.conn_ref(),
        }
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.tx {
            TxKind::Own(tx) => tx,
            TxKind::Group(turn) => turn.conn(),
        }
    }
}

impl Store {
    /// Opens the database at `url` with the data keys in the environment
    /// (see [`Keyring::from_env`]).
    pub async fn open(url: &str) -> Result<Self, StorageError> {
        let keys = Keyring::from_env().map_err(|e| StorageError::Config(e.to_string()))?;
        Self::open_with(url, keys).await
    }

    /// Opens the database at `url` (creating a missing SQLite file, in WAL
    /// mode with full fsync), sealing texts with `keys`, and applies
    /// pending migrations.
    pub async fn open_with(url: &str, keys: Keyring) -> Result<Self, StorageError> {
        let keys = Arc::new(keys);
        install_default_drivers();
        let backend = Backend::of(url)?;
        let store = match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url);
                let options = || {
                    AnyPoolOptions::new().after_connect(|conn, _| {
                        Box::pin(async move {
                            for pragma in [
                                "PRAGMA journal_mode = WAL",
                                "PRAGMA synchronous = FULL",
                                "PRAGMA busy_timeout = 10000",
                                "PRAGMA foreign_keys = ON",
                            ] {
                                conn.execute(pragma).await?;
                            }
                            Ok(())
                        })
                    })
                };
                let writer = options().max_connections(1).connect(&url).await?;
                let pool = options().max_connections(8).connect(&url).await?;
                Self {
                    pool,
                    group: Some(group::Group::new(writer.clone())),
                    writer,
                    backend,
                    keys,
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Self {
                    writer: pool.clone(),
                    pool,
                    backend,
                    keys,
                    group: None,
                }
            }
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations (idempotent; several instances starting
    /// at once on PostgreSQL take turns on the migrator's lock).
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("migrations/sqlite")
                    .run(&self.writer)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.writer)
                    .await?
            }
        }
        Ok(())
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once
    /// so that concurrent turns queue up instead of failing on a lock
    /// upgrade; on PostgreSQL rows are locked as they are written, and
    /// conversation state is protected by its version column.
    pub async fn begin(&self) -> Result<Tx, StorageError> {
        let tx = match &self.group {
            Some(group) => TxKind::Group(group.begin().await?),
            None => TxKind::Own(self.writer.begin().await?),
        };
        Ok(Tx {
            tx,
            keys: Arc::clone(&self.keys),
        })
    }

    /// Runs one write statement in a transaction of its own: on SQLite a
    /// share of a group commit, so concurrent small writes (delivery marks,
    /// claims) share an fsync with the turns instead of paying one each.
    pub(crate) async fn write(
        &self,
        query: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> Result<u64, StorageError> {
        let mut tx = self.begin().await?;
        let done = query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Like [`Store::write`], for a statement that returns rows.
    pub(crate) async fn write_returning(
        &self,
        query: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> Result<Vec<sqlx::any::AnyRow>, StorageError> {
        let mut tx = self.begin().await?;
        let rows = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// The data keys (texts at rest are sealed and opened with them).
    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The writer, for single-statement writes.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// Closes every connection (checkpointing SQLite's WAL).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// A SQLite URL that creates the file when it is missing.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
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
