//! Retention: what Careline forgets, and when.
//!
//! A queue item closed more than the retention age ago is purged with
//! everything that holds its text: the item row (subject, details, outcome),
//! its staff replies and internal notes, and the outbox rows that carried it
//! to the member (its replies and the closing message) once each of them was
//! delivered or given up. An item with a message still waiting for delivery
//! is kept until that message is out: a member is never left without an
//! answer because of a purge. Delivered or failed outbox rows that belong to
//! no item (the conversation's own messages, among them the review that
//! repeats a draft) are purged at the same age. Open items stay however old.
//!
//! The default age is [`DEFAULT_RETENTION_DAYS`], 365 days (env
//! `CARELINE_RETENTION_DAYS`, `careline purge --older-than-days`): long
//! enough for staff to look back at a member's earlier messages and for a
//! complaint about an answer to be checked; short enough that Careline,
//! which is a messaging queue and not the medical record (what matters
//! clinically is charted in the clinic's record system), does not keep
//! health details for ever. A clinic whose policy or state law asks for
//! another period sets it.
//!
//! A draft a member started and left is cleared after
//! [`DRAFT_EXPIRY_DAYS`], 14 days, without activity: a conversation not
//! changed for that long whose state is past the idle step or holds any part
//! of a draft (a subject, details, the text held at a safety stop) gets an
//! idle state that keeps only the draft number (the old draft's buttons stay
//! refused) and the member's choice about deleting chat messages, with a
//! mark that the member's next turn answers first with a note that the draft
//! was cleared. A state that cannot be parsed is reset the same way at that
//! age; one that cannot be opened (its key is not in the key ring) is left
//! alone, and logged as a count. The replacement checks the version as a
//! turn's save does, so a member who writes between the purge's read and
//! its write keeps their draft. Idle conversations are not touched. Two
//! weeks leave time to come back to a message started on a busy day; a
//! longer wait is better served by a new message than by a stale draft
//! holding health details.
//!
//! Kept: safety events and the audit log hold no message text (levels, rule
//! ids, actions, ids); the audit log is append-only (a trigger refuses
//! deletes) and its `queue_item_id` has no foreign key, so its rows outlive
//! the items they name. Conversation state holds no queued text either: a
//! committed draft is cleared in the same transaction that queues it.
//!
//! Bookkeeping with no use past a short time is pruned too: processed
//! Telegram update ids after [`PROCESSED_UPDATE_DAYS`] (Telegram redelivers
//! for at most 24 hours); chat-message ids once deleted or given up (a day
//! later) or, never marked for deletion, after [`PROCESSED_UPDATE_DAYS`]
//! (Telegram lets a bot delete a message for 48 hours only); expired staff
//! sessions and expired or used link codes a day later.
//!
//! Items go in batches of [`PURGE_BATCH`], one transaction each, so a crash
//! mid-purge leaves whole items, never an item without its replies or
//! replies without their item. The item purge reads only ids, statuses and
//! times, never a text column, so it works the same on encrypted texts. The
//! draft expiry has to open the states of conversations untouched for 14
//! days to see whether they hold a draft (idle ones are read again at each
//! purge); it reads them [`PURGE_BATCH`] at a time and clears drafts in
//! transactions of as many. Each purge (not a dry run) appends one audit
//! row, action `purge`, no staff, with counts only; the log line carries
//! counts only as well.
//!
//! Migration `20261125000009_retention` indexes what a purge looks up: closed
//! items by (status, updated_at; an item's updated_at is its closing time,
//! since nothing changes a closed item but a reply, which reopens it) and
//! replies, notes and outbox rows by item, which the foreign-key checks of
//! each deleted item need as well (20,000 items, half purged: 8.4 s without
//! them on SQLite, 0.18 s with; PostgreSQL 16.7 s and 0.73 s).

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use sqlx::{AnyConnection, SqlSafeStr};

use super::dialogues::{Loaded, replace_conversation, unchanged_since};
use super::queue::last_draft_no;
use super::{StorageError, Store, millis};
use crate::conversation::State;

/// How long closed items are kept when nothing else is configured, in days.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// How long a draft in progress is kept without activity, in days.
pub const DRAFT_EXPIRY_DAYS: u32 = 14;
/// Items purged, and drafts cleared, per transaction; conversations read
/// per query.
pub const PURGE_BATCH: usize = 500;
/// How long processed Telegram update ids (and chat-message ids never
/// marked for deletion) are kept, in days.
pub const PROCESSED_UPDATE_DAYS: i64 = 7;
/// How long spent rows (done chat-message deletions, expired sessions,
/// expired or used link codes) are kept, in hours.
pub const SPENT_ROW_HOURS: i64 = 24;
/// How often `careline serve` purges.
pub const PURGE_EVERY: Duration = Duration::from_secs(3600);
/// How long after start `careline serve` purges first.
pub const FIRST_PURGE_AFTER: Duration = Duration::from_secs(60);

/// What a purge removed (or, in a dry run, would remove). Counts only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Closed queue items.
    pub items: u64,
    /// Their staff replies.
    pub replies: u64,
    /// Their internal notes.
    pub notes: u64,
    /// Their delivered or failed outbox messages.
    pub item_messages: u64,
    /// Delivered or failed outbox messages of no item (conversation turns).
    pub other_messages: u64,
    /// Drafts in progress cleared after [`DRAFT_EXPIRY_DAYS`] without activity.
    pub drafts: u64,
    /// Processed Telegram update ids.
    pub processed_updates: u64,
    /// Chat-message ids (deleted, given up, or never to be deleted).
    pub chat_messages: u64,
    /// Expired staff sessions.
    pub sessions: u64,
    /// Expired or used link codes.
    pub link_codes: u64,
}

impl fmt::Display for PurgeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "items={} replies={} notes={} item_messages={} other_messages={} drafts={} \
             processed_updates={} chat_messages={} sessions={} link_codes={}",
            self.items,
            self.replies,
            self.notes,
            self.item_messages,
            self.other_messages,
            self.drafts,
            self.processed_updates,
            self.chat_messages,
            self.sessions,
            self.link_codes
        )
    }
}

/// A closed item past the cutoff (`$n`) with no message waiting for delivery.
fn purgeable(cutoff: &str) -> String {
    format!(
        "q.status = 'closed' AND q.updated_at < {cutoff}
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.queue_item_id = q.id
                         AND o.sent_at IS NULL AND o.failed_at IS NULL)"
    )
}

impl Store {
    /// Purges closed items older than `older_than` (measured from `now` to
    /// their closing) with their replies, notes and delivered or failed
    /// messages, and prunes spent bookkeeping (see the module doc). A dry
    /// run counts the same rows and changes nothing (no audit row either).
    pub async fn purge(
        &self,
        older_than: jiff::SignedDuration,
        now: jiff::Timestamp,
        dry_run: bool,
    ) -> Result<PurgeReport, StorageError> {
        if older_than.is_negative() {
            return Err(StorageError::Config(
                "the retention age cannot be negative".into(),
            ));
        }
        let ago = |d: jiff::SignedDuration| before(now, d);
        let cutoff = ago(older_than);
        let mut report = PurgeReport::default();
        self.purge_items(cutoff, dry_run, &mut report).await?;
        let drafts = self.expired_drafts(now).await?;
        report.drafts = if dry_run {
            drafts.len() as u64
        } else {
            self.clear_drafts(&drafts, now).await?
        };

        let day = ago(jiff::SignedDuration::from_hours(SPENT_ROW_HOURS));
        let week = ago(jiff::SignedDuration::from_hours(PROCESSED_UPDATE_DAYS * 24));
        report.other_messages = self
            .prune(
                dry_run,
                "outbox",
                "id",
                "queue_item_id IS NULL AND COALESCE(sent_at, failed_at) < $1",
                cutoff,
            )
            .await?;
        report.processed_updates = self
            .prune(dry_run, "processed_updates", "update_id", "at < $1", week)
            .await?;
        report.chat_messages = self
            .prune(
                dry_run,
                "chat_messages",
                "id",
                "done_at IS NOT NULL AND done_at < $1",
                day,
            )
            .await?
            + self
                .prune(
                    dry_run,
                    "chat_messages",
                    "id",
                    "done_at IS NULL AND delete_due = 0 AND received_at < $1",
                    week,
                )
                .await?;
        report.sessions = self
            .prune(dry_run, "sessions", "token_hash", "expires_at < $1", day)
            .await?;
        report.link_codes = self
            .prune(
                dry_run,
                "link_codes",
                "code",
                "expires_at < $1 OR used_at < $1",
                day,
            )
            .await?;

        let days = older_than.as_secs() / 86_400;
        tracing::info!(
            dry_run,
            older_than_days = days,
            items = report.items,
            replies = report.replies,
            notes = report.notes,
            item_messages = report.item_messages,
            other_messages = report.other_messages,
            drafts = report.drafts,
            processed_updates = report.processed_updates,
            chat_messages = report.chat_messages,
            sessions = report.sessions,
            link_codes = report.link_codes,
            "purge"
        );
        if !dry_run {
            self.audit(None, "purge", None, &report.to_string()).await?;
        }
        Ok(report)
    }

    /// The conversations not changed for [`DRAFT_EXPIRY_DAYS`] before
    /// `now` whose state holds a draft or cannot be parsed, each with the
    /// state to replace it with (see [`State::cleared`]). Idle ones are
    /// passed over, and so are states that cannot be opened (a key missing
    /// from the key ring, a damaged value): they are logged, counted only.
    pub async fn expired_drafts(
        &self,
        now: jiff::Timestamp,
    ) -> Result<Vec<ExpiredDraft>, StorageError> {
        let days = jiff::SignedDuration::from_hours(i64::from(DRAFT_EXPIRY_DAYS) * 24);
        let cutoff = before(now, days);
        let mut expired = Vec::new();
        let mut unopened = 0_u64;
        let mut after = String::new();
        loop {
            let batch = unchanged_since(self, cutoff, &after, PURGE_BATCH).await?;
            let Some((last, _)) = batch.last() else {
                break;
            };
            after = last.clone();
            let full = batch.len() == PURGE_BATCH;
            for (chat, loaded) in batch {
                let (state, version) = match loaded {
                    Ok(Loaded::Found(state, version)) if state.holds_draft() => (*state, version),
                    Ok(Loaded::Unreadable(version)) => {
                        // As a turn would: numbering goes on after the
                        // chat's last committed draft.
                        let draft_no = last_draft_no(self, &chat).await?;
                        let state = State {
                            draft_no,
                            ..State::default()
                        };
                        (state, version)
                    }
                    Ok(_) => continue,
                    Err(_) => {
                        unopened += 1;
                        continue;
                    }
                };
                expired.push(ExpiredDraft {
                    cleared: state.cleared(DRAFT_EXPIRY_DAYS),
                    chat,
                    version,
                });
            }
            if !full {
                break;
            }
        }
        if unopened > 0 {
            tracing::warn!(
                conversations = unopened,
                "conversations past the draft expiry could not be opened; left as they are"
            );
        }
        Ok(expired)
    }

    /// Replaces each draft of [`Store::expired_drafts`] with its cleared
    /// state, [`PURGE_BATCH`] per transaction, with the version check of a
    /// turn: a conversation that changed since it was read is left alone
    /// (its member is back). Returns how many were cleared.
    pub async fn clear_drafts(
        &self,
        drafts: &[ExpiredDraft],
        now: jiff::Timestamp,
    ) -> Result<u64, StorageError> {
        let mut cleared = 0;
        for batch in drafts.chunks(PURGE_BATCH) {
            let mut tx = self.begin().await?;
            for d in batch {
                if replace_conversation(&mut tx, &d.chat, &d.cleared, d.version, now).await? {
                    cleared += 1;
                }
            }
            tx.commit().await?;
        }
        Ok(cleared)
    }

    /// The items part of [`Store::purge`]: batches in id order, each in
    /// its own transaction.
    async fn purge_items(
        &self,
        cutoff: i64,
        dry_run: bool,
        report: &mut PurgeReport,
    ) -> Result<(), StorageError> {
        // Lock the batch's items (on PostgreSQL; SQLite's write transaction
        // is exclusive already) so that no reply, note or message can be
        // added to them while they go; items someone else holds are left
        // for the next purge.
        let lock = if dry_run {
            ""
        } else {
            self.backend().skip_locked()
        };
        let select = sqlx::AssertSqlSafe(format!(
            "SELECT q.id FROM queue_items q WHERE q.id > $1 AND {}
             ORDER BY q.id LIMIT $3{lock}",
            purgeable("$2")
        ));
        let select = select.into_sql_str();
        let mut after = i64::MIN;
        loop {
            // A dry run too takes a write transaction (and rolls it back), so
            // that it sees and counts exactly what a purge would.
            let mut tx = self.begin().await?;
            let candidates: Vec<i64> = sqlx::query_scalar(select.clone())
                .bind(after)
                .bind(cutoff)
                .bind(PURGE_BATCH as i64)
                .fetch_all(&mut *tx)
                .await?;
            let Some(&last) = candidates.last() else {
                break;
            };
            after = last;
            // With the rows locked, check again in a fresh statement: what
            // changed between the first read and the locks counts now.
            let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT q.id FROM queue_items q WHERE q.id IN ({}) AND {} ORDER BY q.id",
                id_list(&candidates),
                purgeable("$1")
            )))
            .bind(cutoff)
            .fetch_all(&mut *tx)
            .await?;
            if !ids.is_empty() {
                let list = id_list(&ids);
                let of_items = format!("queue_item_id IN ({list})");
                report.replies += remove(&mut tx, dry_run, "replies", &of_items).await?;
                report.notes += remove(&mut tx, dry_run, "notes", &of_items).await?;
                let delivered =
                    format!("{of_items} AND (sent_at IS NOT NULL OR failed_at IS NOT NULL)");
                report.item_messages += remove(&mut tx, dry_run, "outbox", &delivered).await?;
                report.items +=
                    remove(&mut tx, dry_run, "queue_items", &format!("id IN ({list})")).await?;
            }
            if dry_run {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
            if candidates.len() < PURGE_BATCH {
                break;
            }
        }
        Ok(())
    }

    /// Deletes (or counts) the rows of `table` matching `filter` (with `$1`
    /// bound to `at`), [`PURGE_BATCH`] rows per statement.
    async fn prune(
        &self,
        dry_run: bool,
        table: &str,
        key: &str,
        filter: &str,
        at: i64,
    ) -> Result<u64, StorageError> {
        if dry_run {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE {filter}");
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(at)
                .fetch_one(self.pool())
                .await?;
            return Ok(u64::try_from(n).unwrap_or_default());
        }
        let sql = sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE {key} IN
                 (SELECT {key} FROM {table} WHERE {filter} LIMIT {PURGE_BATCH})"
        ))
        .into_sql_str();
        let mut total = 0;
        loop {
            let done = self.write(sqlx::query(sql.clone()).bind(at)).await?;
            total += done;
            if done < PURGE_BATCH as u64 {
                return Ok(total);
            }
        }
    }
}

/// A conversation whose draft has expired, as [`Store::expired_drafts`]
/// read it. Holds no text of the draft.
#[derive(Debug, Clone)]
pub struct ExpiredDraft {
    /// The chat.
    pub chat: String,
    /// The version it was read at.
    version: i64,
    /// What replaces it.
    cleared: State,
}

/// `ago` before `now`, in stored milliseconds.
fn before(now: jiff::Timestamp, ago: jiff::SignedDuration) -> i64 {
    let ms = i64::try_from(ago.as_millis()).unwrap_or(i64::MAX);
    millis(now).saturating_sub(ms)
}

/// Ids read from the database, as an SQL list (integers only).
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Deletes (or, in a dry run, counts) the rows of `table` matching `filter`.
async fn remove(
    conn: &mut AnyConnection,
    dry_run: bool,
    table: &str,
    filter: &str,
) -> Result<u64, StorageError> {
    if dry_run {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {filter}");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
        Ok(u64::try_from(n).unwrap_or_default())
    } else {
        let sql = format!("DELETE FROM {table} WHERE {filter}");
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?
            .rows_affected())
    }
}

/// Purges every [`PURGE_EVERY`] (first after [`FIRST_PURGE_AFTER`]) for
/// as long as the task runs, items closed more than `older_than` ago. A
/// failed purge is logged and tried again at the next one.
pub async fn purge_on_schedule(store: Store, older_than: jiff::SignedDuration) {
    let start = tokio::time::Instant::now() + FIRST_PURGE_AFTER;
    let mut ticks = tokio::time::interval_at(start, PURGE_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(e) = store.purge(older_than, jiff::Timestamp::now(), false).await {
            tracing::error!(error = %e, "purge failed; trying again in an hour");
        }
    }
}
