//! The portal queue: committed drafts waiting for staff.

use serde::Serialize;
use sqlx::Row;

use super::{Keyring, StorageError, Store, Tx, from_millis, millis};
use crate::conversation::Submission;
use crate::domain::{MemberId, Priority};

/// A draft to commit, with where it came from and when a reply is due.
#[derive(Debug)]
pub struct NewItem<'a> {
    /// The chat it was written in.
    pub chat: &'a str,
    /// The member who wrote it.
    pub member: MemberId,
    /// The draft.
    pub submission: &'a Submission,
    /// When it was committed.
    pub now: jiff::Timestamp,
    /// When a reply is due.
    pub due: jiff::Timestamp,
}

/// The reference members and staff quote for an item.
pub fn reference(id: i64) -> String {
    format!("CL-{id:06}")
}

/// Commits a draft; committing the same draft (chat and draft number)
/// again returns the first item's id. Returns the id and whether it is new.
pub async fn enqueue(tx: &mut Tx, item: NewItem<'_>) -> Result<(i64, bool), StorageError> {
    let s = item.submission;
    let key = format!("{}#{}", item.chat, s.draft_no);
    let strongest = s.flags.iter().max_by_key(|f| f.level);
    let rules: Vec<&str> = s
        .flags
        .iter()
        .flat_map(|f| f.rules.iter().map(String::as_str))
        .collect();
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO queue_items (idempotency_key, draft_no, member_id, chat_key, recipient_id,
                kind, subject, details, priority, safety_level, safety_rules, status,
                created_at, due_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'new', $12, $13, $14)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&key)
    .bind(i64::from(s.draft_no))
    .bind(item.member.0)
    .bind(item.chat)
    .bind(s.recipient_id)
    .bind(s.kind.key())
    .bind(tx.keys().seal("queue_items.subject", s.subject.as_str())?)
    .bind(tx.keys().seal("queue_items.details", &s.details)?)
    .bind(s.priority.rank())
    .bind(strongest.map(|f| f.level.as_str()))
    .bind((!rules.is_empty()).then(|| rules.join(",")))
    .bind(millis(item.now))
    .bind(millis(item.due))
    .bind(millis(item.now))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = inserted {
        return Ok((id, true));
    }
    let id = sqlx::query_scalar("SELECT id FROM queue_items WHERE idempotency_key = $1")
        .bind(&key)
        .fetch_one(&mut **tx)
        .await?;
    Ok((id, false))
}

/// The highest draft number committed from a chat (0 if none): a chat whose
/// state was lost starts numbering after it, so no new draft is mistaken for
/// an old one.
pub(crate) async fn last_draft_no(store: &Store, chat: &str) -> Result<u32, StorageError> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT MAX(draft_no) FROM queue_items WHERE chat_key = $1")
            .bind(chat)
            .fetch_one(store.pool())
            .await?;
    Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueSummary {
    /// Database id.
    pub id: i64,
    /// "CL-000042".
    pub reference: String,
    /// The recipient's name.
    pub recipient: String,
    /// The kind key.
    pub kind: String,
    /// The subject line.
    pub subject: String,
    /// Normal, high or safety.
    pub priority: Priority,
    /// The strongest safety flag, if any.
    pub safety_level: Option<String>,
    /// new, claimed, answered, closed.
    pub status: String,
    /// When it was committed.
    pub created_at: jiff::Timestamp,
    /// When a reply is due.
    pub due_at: jiff::Timestamp,
}

/// A whole item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    /// The line in the queue.
    #[serde(flatten)]
    pub summary: QueueSummary,
    /// The member's number.
    pub member_number: String,
    /// The member's name.
    pub member_name: String,
    /// The details.
    pub details: String,
    /// The rules behind the safety flag.
    pub safety_rules: Vec<String>,
}

const SUMMARY_COLUMNS: &str = "q.id, r.name AS recipient, q.kind, q.subject, q.priority,
     q.safety_level, q.status, q.created_at, q.due_at";

pub(super) fn summary(
    row: &sqlx::any::AnyRow,
    keys: &Keyring,
) -> Result<QueueSummary, StorageError> {
    let id: i64 = row.try_get("id")?;
    let rank: i64 = row.try_get("priority")?;
    Ok(QueueSummary {
        id,
        reference: reference(id),
        recipient: row.try_get("recipient")?,
        kind: row.try_get("kind")?,
        subject: keys.open("queue_items.subject", row.try_get("subject")?)?,
        priority: Priority::from_rank(rank)
            .ok_or_else(|| StorageError::Corrupt(format!("priority {rank}")))?,
        safety_level: row.try_get("safety_level")?,
        status: row.try_get("status")?,
        created_at: from_millis(row.try_get("created_at")?)?,
        due_at: from_millis(row.try_get("due_at")?)?,
    })
}

impl Store {
    /// The queue as staff work it: open items, safety first, then priority,
    /// then oldest first.
    pub async fn open_queue(&self, limit: i64) -> Result<Vec<QueueSummary>, StorageError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM queue_items q JOIN recipients r ON r.id = q.recipient_id
             WHERE q.status <> 'closed' ORDER BY q.priority DESC, q.created_at, q.id LIMIT $1"
        ));
        let rows = sqlx::query(sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(|r| summary(r, self.keys())).collect()
    }

    /// A member's most recent items, newest first.
    pub async fn recent_for_member(
        &self,
        member: MemberId,
        limit: i64,
    ) -> Result<Vec<QueueSummary>, StorageError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM queue_items q JOIN recipients r ON r.id = q.recipient_id
             WHERE q.member_id = $1 ORDER BY q.created_at DESC, q.id DESC LIMIT $2"
        ));
        let rows = sqlx::query(sql)
            .bind(member.0)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| summary(r, self.keys())).collect()
    }

    /// One item by id.
    pub async fn queue_item(&self, id: i64) -> Result<QueueItem, StorageError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS}, q.details, q.safety_rules, m.member_number, m.name AS member_name
             FROM queue_items q JOIN recipients r ON r.id = q.recipient_id
             JOIN members m ON m.id = q.member_id WHERE q.id = $1"
        ));
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("queue item {}", reference(id))))?;
        let rules: Option<String> = row.try_get("safety_rules")?;
        Ok(QueueItem {
            summary: summary(&row, self.keys())?,
            member_number: row.try_get("member_number")?,
            member_name: row.try_get("member_name")?,
            details: self
                .keys()
                .open("queue_items.details", row.try_get("details")?)?,
            safety_rules: rules
                .map(|r| r.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    }

    /// How many items the queue holds in all.
    pub async fn queue_len(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM queue_items")
            .fetch_one(self.pool())
            .await?)
    }
}
