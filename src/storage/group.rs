//! Group commit for SQLite: turns that arrive while another is writing
//! share one transaction and one fsync.
//!
//! SQLite has one writer, and with `synchronous=FULL` every commit waits
//! for the disk; one commit per turn caps Careline at about one turn per
//! fsync. Here the writer connection keeps one transaction open while
//! turns queue for it: each turn runs inside its own savepoint (so a turn
//! that rolls back undoes only its own writes), and the last turn of a
//! burst, the one that finds nobody waiting behind it, commits for all.
//! Every turn waits for that commit before [`super::Tx::commit`] returns,
//! so nothing is reported done (no reply, no webhook answer) before it is
//! on disk, exactly as with one transaction per turn; if the shared commit
//! fails, every turn in it gets the error and none of them was saved.
//!
//! A turn's writes are visible to later turns of the same batch (same
//! connection) but not to readers on other connections until the commit;
//! the per-chat turn lock in the assistant keeps a chat's next turn from
//! starting before its previous one is committed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use super::StorageError;

type Outcome = Option<Result<(), String>>;

/// The shared writer: its open batch and how many turns wait for it.
#[derive(Debug)]
pub(super) struct Group {
    writer: AnyPool,
    batch: Arc<Mutex<Batch>>,
    waiting: AtomicUsize,
}

#[derive(Debug, Default)]
pub(super) struct Batch {
    tx: Option<Transaction<'static, sqlx::Any>>,
    /// Tells the batch's turns how its commit went.
    done: Option<watch::Sender<Outcome>>,
}

/// One turn's share of a batch (holds the writer until it commits or
/// rolls back).
#[derive(Debug)]
pub(super) struct Turn {
    guard: Option<OwnedMutexGuard<Batch>>,
    group: Arc<Group>,
}

impl Group {
    pub(super) fn new(writer: AnyPool) -> Arc<Self> {
        Arc::new(Self {
            writer,
            batch: Arc::default(),
            waiting: AtomicUsize::new(0),
        })
    }

    /// Joins (or opens) the batch and starts this turn's savepoint.
    pub(super) async fn begin(self: &Arc<Self>) -> Result<Turn, StorageError> {
        let mut waiter = Waiter::new(self);
        let mut guard = Arc::clone(&self.batch).lock_owned().await;
        waiter.acquired = true;
        drop(waiter);
        if guard.tx.is_none() {
            guard.tx = Some(self.writer.begin_with("BEGIN IMMEDIATE").await?);
            guard.done = Some(watch::channel(None).0);
        }
        let mut turn = Turn {
            guard: Some(guard),
            group: Arc::clone(self),
        };
        turn.conn().execute("SAVEPOINT turn").await?;
        Ok(turn)
    }

    /// Commits the batch if no turn waits to join it; otherwise the next
    /// turn carries it on. Releases the writer either way.
    async fn finish(&self, mut guard: OwnedMutexGuard<Batch>) {
        if self.waiting.load(Ordering::SeqCst) > 0 {
            return;
        }
        let (Some(tx), Some(done)) = (guard.tx.take(), guard.done.take()) else {
            return;
        };
        let outcome = tx.commit().await.map_err(|e| e.to_string());
        if let Err(e) = &outcome {
            tracing::error!(error = %e, "a group commit failed; its turns are told");
        }
        done.send_replace(Some(outcome));
        drop(guard);
    }
}

/// Counts a turn waiting for the writer. If the wait is cancelled (a
/// webhook request whose client went away), the batch the turn would have
/// carried on is finished by a task, so the turns before it are not left
/// waiting for a commit nobody makes.
struct Waiter {
    group: Arc<Group>,
    acquired: bool,
}

impl Waiter {
    fn new(group: &Arc<Group>) -> Self {
        group.waiting.fetch_add(1, Ordering::SeqCst);
        Self {
            group: Arc::clone(group),
            acquired: false,
        }
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.group.waiting.fetch_sub(1, Ordering::SeqCst);
        if self.acquired {
            return;
        }
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            let group = Arc::clone(&self.group);
            handle.spawn(async move {
                let guard = Arc::clone(&group.batch).lock_owned().await;
                group.finish(guard).await;
            });
        }
    }
}

impl Turn {
    /// The writer connection, inside this turn's savepoint.
    pub(super) fn conn(&mut self) -> &mut AnyConnection {
        self.guard
            .as_mut()
            .and_then(|g| g.tx.as_mut())
            .expect("a turn holds the open batch")
    }

    /// The connection, for reading.
    pub(super) fn conn_ref(&self) -> &AnyConnection {
        self.guard
            .as_ref()
            .and_then(|g| g.tx.as_ref())
            .expect("a turn holds the open batch")
    }

    /// Keeps this turn's writes and waits until the batch is on disk.
    pub(super) async fn commit(mut self) -> Result<(), sqlx::Error> {
        let released = self.conn().execute("RELEASE turn").await;
        let mut guard = self.guard.take().expect("a turn holds the open batch");
        if let Err(e) = released {
            // This turn's writes can't be kept: undo them, keep the batch.
            if let Some(tx) = guard.tx.as_mut() {
                let _ = tx.execute("ROLLBACK TO turn; RELEASE turn").await;
            }
            self.group.finish(guard).await;
            return Err(e);
        }
        let mut outcome = guard
            .done
            .as_ref()
            .expect("an open batch has its outcome channel")
            .subscribe();
        self.group.finish(guard).await;
        let result = outcome.wait_for(Option::is_some).await;
        match result.as_deref() {
            Ok(Some(Ok(()))) => Ok(()),
            Ok(Some(Err(e))) => Err(sqlx::Error::Protocol(format!("group commit failed: {e}"))),
            _ => Err(sqlx::Error::Protocol("group commit abandoned".into())),
        }
    }

    /// Undoes this turn's writes (the rest of the batch stands).
    pub(super) async fn rollback(mut self) -> Result<(), sqlx::Error> {
        let undone = self.conn().execute("ROLLBACK TO turn; RELEASE turn").await;
        let guard = self.guard.take().expect("a turn holds the open batch");
        self.group.finish(guard).await;
        undone.map(|_| ())
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        // Dropped without commit or rollback (an error, a cancelled task):
        // undo this turn's writes and let the batch go on, off this thread.
        let Some(mut guard) = self.guard.take() else {
            return;
        };
        let group = Arc::clone(&self.group);
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move {
                    if let Some(tx) = guard.tx.as_mut() {
                        let _ = tx.execute("ROLLBACK TO turn; RELEASE turn").await;
                    }
                    group.finish(guard).await;
                });
            }
            Err(_) => {
                // No runtime: drop the whole batch (its turns are told it
                // was abandoned; nothing of it is committed).
                guard.tx = None;
                guard.done = None;
            }
        }
    }
}
