//! What staff do to queue items: the queue page, claims, notes,
//! reassignment, and an item's history.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;

use super::queue::summary;
use super::{QueueSummary, StorageError, Store, from_millis, millis};
use crate::hours::OfficeHours;

/// Which items a queue page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only this recipient.
    pub recipient: Option<i64>,
    /// Only this status ("new", "claimed", "answered", "closed"); open items
    /// (all but closed) when `None`.
    pub status: Option<String>,
}

/// Where a page starts: after this (priority, created_at, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageAfter {
    /// Priority rank.
    pub priority: i64,
    /// Created at, in milliseconds.
    pub created_ms: i64,
    /// Id.
    pub id: i64,
}

impl PageAfter {
    /// "p.created.id", as used in page links.
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.priority, self.created_ms, self.id)
    }

    /// Reads [`PageAfter::encode`].
    pub fn decode(s: &str) -> Option<Self> {
        let mut parts = s.split('.').map(|p| p.parse::<i64>().ok());
        let (priority, created_ms, id) = (parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(Self {
            priority,
            created_ms,
            id,
        })
    }
}

/// One row of the staff queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueRow {
    /// The item as members' lists show it.
    #[serde(flatten)]
    pub summary: QueueSummary,
    /// The recipient's id (for office hours).
    pub recipient_id: i64,
    /// Who claimed it.
    pub claimed_by: Option<String>,
    /// Where the next page starts if this is the last row.
    #[serde(skip)]
    pub cursor: PageAfter,
}

/// One event in an item's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// When.
    pub at: jiff::Timestamp,
    /// Who.
    pub who: String,
    /// "reply", "note", or an audit action.
    pub what: String,
    /// Reply or note text (shown to staff only).
    pub text: String,
}

/// A recipient as staff pick one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

impl Store {
    /// A page of the queue: safety-flagged first, then priority, then oldest;
    /// keyset pagination, so every page costs the same however deep.
    pub async fn queue_page(
        &self,
        filter: &QueueFilter,
        after: Option<PageAfter>,
        limit: i64,
    ) -> Result<Vec<QueueRow>, StorageError> {
        let (p, c, i) = after.map_or((None, None, None), |a| {
            (Some(a.priority), Some(a.created_ms), Some(a.id))
        });
        let rows = sqlx::query(
            "SELECT q.id, q.recipient_id, r.name AS recipient, q.kind, q.subject, q.priority,
                    q.safety_level, q.status, s.display_name AS claimed_by, q.created_at, q.due_at
             FROM queue_items q JOIN recipients r ON r.id = q.recipient_id
             LEFT JOIN staff s ON s.id = q.claimed_by
             WHERE ($1 IS NULL OR q.recipient_id = $1)
               AND (CASE WHEN $2 IS NULL THEN q.status <> 'closed' ELSE q.status = $2 END)
               AND ($3 IS NULL OR q.priority < $3 OR (q.priority = $3 AND
                    (q.created_at > $4 OR (q.created_at = $4 AND q.id > $5))))
             ORDER BY q.priority DESC, q.created_at, q.id LIMIT $6",
        )
        .bind(filter.recipient)
        .bind(filter.status.as_deref())
        .bind(p)
        .bind(c)
        .bind(i)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let summary = summary(r, self.keys())?;
                let cursor = PageAfter {
                    priority: summary.priority.rank(),
                    created_ms: millis(summary.created_at),
                    id: summary.id,
                };
                Ok(QueueRow {
                    summary,
                    recipient_id: r.try_get("recipient_id")?,
                    claimed_by: r.try_get("claimed_by")?,
                    cursor,
                })
            })
            .collect()
    }

    /// Claims an item for a staff member: exactly one of several claimers
    /// wins (true); closed or already-claimed items are not claimed.
    pub async fn claim(
        &self,
        item: i64,
        staff: i64,
        now: jiff::Timestamp,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE queue_items SET claimed_by = $1, claimed_at = $2, updated_at = $3,
                    status = CASE WHEN status = 'new' THEN 'claimed' ELSE status END
             WHERE id = $4 AND claimed_by IS NULL AND status <> 'closed'",
        )
        .bind(staff)
        .bind(millis(now))
        .bind(millis(now))
        .bind(item)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims the item staff should take next (the top of the queue's
    /// unclaimed new items: safety first, then priority, then oldest) for
    /// `staff`, or `None` when there is none. Many staff (on any number of
    /// instances) can take at once: each gets a different item, and on
    /// PostgreSQL none waits for another's claim (`FOR UPDATE SKIP LOCKED`).
    pub async fn claim_next(
        &self,
        staff: i64,
        now: jiff::Timestamp,
    ) -> Result<Option<i64>, StorageError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE queue_items SET claimed_by = $1, claimed_at = $2, updated_at = $2,
                    status = 'claimed'
             WHERE id = (SELECT id FROM queue_items WHERE claimed_by IS NULL AND status = 'new'
                         ORDER BY priority DESC, created_at, id LIMIT 1{})
               AND claimed_by IS NULL AND status = 'new'
             RETURNING id",
            self.backend().skip_locked()
        ));
        Ok(sqlx::query_scalar(sql)
            .bind(staff)
            .bind(millis(now))
            .fetch_optional(self.writer())
            .await?)
    }

    /// Releases a claim held by `staff` (any claim when `any` is true, for admins).
    pub async fn release(&self, item: i64, staff: i64, any: bool) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE queue_items SET claimed_by = NULL, claimed_at = NULL,
                    status = CASE WHEN status = 'claimed' THEN 'new' ELSE status END
             WHERE id = $1 AND claimed_by IS NOT NULL AND ($2 = 1 OR claimed_by = $3)",
        )
        .bind(item)
        .bind(i64::from(any))
        .bind(staff)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Who holds the claim on an item.
    pub async fn claimed_by(&self, item: i64) -> Result<Option<i64>, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT claimed_by FROM queue_items WHERE id = $1")
                .bind(item)
                .fetch_optional(self.pool())
                .await?
                .flatten(),
        )
    }

    /// Adds an internal note (staff only; never sent to the member).
    pub async fn add_note(&self, item: i64, staff: i64, text: &str) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO notes (queue_item_id, staff_id, text, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(item)
        .bind(staff)
        .bind(self.keys().seal("notes.text", text)?)
        .bind(millis(jiff::Timestamp::now()))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Moves an item to another recipient and releases its claim.
    pub async fn reassign(&self, item: i64, recipient: i64) -> Result<(), StorageError> {
        let done = sqlx::query(
            "UPDATE queue_items SET recipient_id = $1, claimed_by = NULL, claimed_at = NULL,
                    status = CASE WHEN status = 'claimed' THEN 'new' ELSE status END
             WHERE id = $2 AND EXISTS (SELECT 1 FROM recipients WHERE id = $3)",
        )
        .bind(recipient)
        .bind(item)
        .bind(recipient)
        .execute(self.writer())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound(format!(
                "item {item} or recipient {recipient}"
            )));
        }
        Ok(())
    }

    /// Replies and notes on an item, oldest first (two written in the same
    /// millisecond: notes first, so that the order never flips between
    /// two reads).
    pub async fn item_history(&self, item: i64) -> Result<Vec<HistoryEntry>, StorageError> {
        let rows = sqlx::query(
            "SELECT created_at AS at, author AS who, 'reply' AS what, text FROM replies
               WHERE queue_item_id = $1
             UNION ALL
             SELECT n.created_at, s.display_name, 'note', n.text FROM notes n
               JOIN staff s ON s.id = n.staff_id WHERE n.queue_item_id = $1
             ORDER BY at, what",
        )
        .bind(item)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let what: String = r.try_get("what")?;
                let column = if what == "reply" {
                    "replies.text"
                } else {
                    "notes.text"
                };
                Ok(HistoryEntry {
                    at: from_millis(r.try_get("at")?)?,
                    who: r.try_get("who")?,
                    text: self.keys().open(column, r.try_get("text")?)?,
                    what,
                })
            })
            .collect()
    }

    /// Every active recipient, in directory order.
    pub async fn all_recipients(&self) -> Result<Vec<RecipientRef>, StorageError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM recipients WHERE active = 1 ORDER BY kind = 'department', position, id",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| RecipientRef { id, name })
            .collect())
    }

    /// Each recipient's office hours (with holidays), for due-time arithmetic.
    pub async fn recipient_hours(&self) -> Result<HashMap<i64, OfficeHours>, StorageError> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM recipients")
            .fetch_all(self.pool())
            .await?;
        let mut map = HashMap::new();
        for id in ids {
            map.insert(id, self.office_hours(id).await?.0);
        }
        Ok(map)
    }
}
