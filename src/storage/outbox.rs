//! The outbox: messages for members, committed with what caused them and
//! delivered by a worker (see `telegram::delivery`), in order per chat.

use sqlx::{AnyConnection, Row};

use super::{StorageError, Store, Tx, millis};

/// One message waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Row id.
    pub id: i64,
    /// The Telegram chat.
    pub chat_id: i64,
    /// The text.
    pub text: String,
    /// (label, callback data) per button.
    pub buttons: Vec<(String, String)>,
    /// Delivery attempts so far.
    pub attempts: i64,
}

/// Adds a message to the outbox (inside the caller's transaction). A text
/// longer than Telegram allows is split into several messages, each
/// delivered and retried on its own; the buttons go with the last. Returns
/// the last row's id.
pub async fn push_outbox(
    tx: &mut Tx,
    chat_id: i64,
    text: &str,
    buttons: &[(String, String)],
    queue_item: Option<i64>,
    now: jiff::Timestamp,
) -> Result<i64, StorageError> {
    let parts = crate::telegram::split_message(text, crate::telegram::MAX_MESSAGE_CHARS);
    let last = parts.len() - 1;
    let mut id = 0;
    for (i, part) in parts.iter().enumerate() {
        let buttons = if i == last { buttons } else { &[] };
        let buttons = serde_json::to_string(buttons)
            .map_err(|e| StorageError::Corrupt(format!("buttons: {e}")))?;
        id = sqlx::query_scalar(
            "INSERT INTO outbox (chat_id, text, buttons, queue_item_id, created_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(chat_id)
        .bind(tx.keys().seal("outbox.text", part)?)
        .bind(buttons)
        .bind(queue_item)
        .bind(millis(now))
        .bind(millis(now))
        .fetch_one(&mut **tx)
        .await?;
    }
    Ok(id)
}

impl Store {
    /// Claims messages due for delivery until `lease_until`: the oldest
    /// undelivered message of each chat, if its next attempt is due and no
    /// other worker holds it (a later message never overtakes an earlier one
    /// of the same chat, on any instance). A claim that is neither marked
    /// sent nor failed before its lease ends is claimed again.
    pub async fn claim_outbox(
        &self,
        now: jiff::Timestamp,
        lease_until: jiff::Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StorageError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE outbox SET lease_until = $1
             WHERE id IN (
                 SELECT o.id FROM outbox o
                 WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= $2
                   AND (o.lease_until IS NULL OR o.lease_until <= $2)
                   AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id
                       AND p.sent_at IS NULL AND p.failed_at IS NULL AND p.id < o.id)
                 ORDER BY o.id LIMIT $3{})
               AND (lease_until IS NULL OR lease_until <= $2)
             RETURNING id, chat_id, text, buttons, attempts",
            self.backend().skip_locked()
        ));
        let mut rows = self
            .write_returning(
                sqlx::query(sql)
                    .bind(millis(lease_until))
                    .bind(millis(now))
                    .bind(limit),
            )
            .await?;
        // RETURNING gives no order; chats are independent, but tests and
        // logs read better oldest first.
        rows.sort_by_key(|row| row.try_get::<i64, _>("id").unwrap_or_default());
        rows.iter()
            .map(|row| {
                let buttons: String = row.try_get("buttons")?;
                Ok(OutboxMessage {
                    id: row.try_get("id")?,
                    chat_id: row.try_get("chat_id")?,
                    text: self.keys().open("outbox.text", row.try_get("text")?)?,
                    buttons: serde_json::from_str(&buttons)
                        .map_err(|e| StorageError::Corrupt(format!("outbox buttons: {e}")))?,
                    attempts: row.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Frees every outbox and deletion claim. Only for a worker starting on
    /// SQLite: one process serves a SQLite file, so any claim left there was
    /// made by a process that died (on PostgreSQL, other live instances may
    /// hold claims; a dead one's expire with their lease).
    pub async fn release_stale_claims(&self) -> Result<(), StorageError> {
        if self.backend() != super::Backend::Sqlite {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL")
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE chat_messages SET lease_until = NULL WHERE lease_until IS NOT NULL")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a message delivered.
    pub async fn outbox_sent(&self, id: i64, now: jiff::Timestamp) -> Result<(), StorageError> {
        let query = sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, lease_until = NULL WHERE id = $2")
            .bind(millis(now))
            .bind(id);
        self.write(query).await?;
        Ok(())
    }

    /// Records a failed attempt: try again at `retry_at`, or give up (`None`).
    pub async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<jiff::Timestamp>,
        now: jiff::Timestamp,
    ) -> Result<(), StorageError> {
        let query = match retry_at {
            Some(at) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, error = $1, next_attempt_at = $2, lease_until = NULL WHERE id = $3",
            )
            .bind(error)
            .bind(millis(at)),
            None => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, error = $1, failed_at = $2, lease_until = NULL WHERE id = $3",
            )
            .bind(error)
            .bind(millis(now)),
        };
        self.write(query.bind(id)).await?;
        Ok(())
    }

    /// How many messages wait for delivery.
    pub async fn outbox_pending(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(self.pool())
        .await?)
    }

    /// Closes a queue item with an outcome and tells the member (through
    /// the outbox when they use Telegram), in one transaction.
    pub async fn close_item(
        &self,
        item: i64,
        outcome: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<i64>, StorageError> {
        let mut tx = self.begin().await?;
        let (subject, chat) = item_chat(&mut tx, &self.keys, item).await?;
        sqlx::query("UPDATE queue_items SET outcome = $1 WHERE id = $2")
            .bind(outcome)
            .bind(item)
            .execute(&mut *tx)
            .await?;
        let message = crate::conversation::copy::item_closed(&subject, outcome);
        let outbox = set_status_and_tell(&mut tx, item, "closed", chat, &message, now).await?;
        tx.commit().await?;
        Ok(outbox)
    }

    /// Records a staff reply to a queue item, marks the item answered, and,
    /// if the member wrote from Telegram, puts the reply in the outbox, all
    /// in one transaction. Returns the outbox id when there is one.
    pub async fn reply_to_item(
        &self,
        item: i64,
        author: &str,
        text: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<i64>, StorageError> {
        let mut tx = self.begin().await?;
        let (subject, chat) = item_chat(&mut tx, &self.keys, item).await?;
        sqlx::query(
            "INSERT INTO replies (queue_item_id, author, text, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(item)
        .bind(author)
        .bind(tx.keys().seal("replies.text", text)?)
        .bind(millis(now))
        .execute(&mut *tx)
        .await?;
        let message = crate::conversation::copy::staff_reply(author, &subject, text);
        let outbox = set_status_and_tell(&mut tx, item, "answered", chat, &message, now).await?;
        tx.commit().await?;
        Ok(outbox)
    }
}

/// An item's subject and the Telegram chat to tell its member in: the chat
/// they wrote from, else the one their membership is linked to.
async fn item_chat(
    conn: &mut AnyConnection,
    keys: &super::Keyring,
    item: i64,
) -> Result<(String, Option<i64>), StorageError> {
    let row = sqlx::query("SELECT subject, chat_key, member_id FROM queue_items WHERE id = $1")
        .bind(item)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("queue item {}", super::reference(item))))?;
    let subject: String = row.try_get("subject")?;
    let subject = keys.open("queue_items.subject", subject)?;
    let member: i64 = row.try_get("member_id")?;
    let chat_key: String = row.try_get("chat_key")?;
    let chat = match chat_key
        .strip_prefix("telegram:")
        .and_then(|c| c.parse().ok())
    {
        Some(chat) => Some(chat),
        None => {
            sqlx::query_scalar("SELECT chat_id FROM telegram_links WHERE member_id = $1 LIMIT 1")
                .bind(member)
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    Ok((subject, chat))
}

/// Sets an item's status and, when the member has a chat, queues `message` for it.
async fn set_status_and_tell(
    tx: &mut Tx,
    item: i64,
    status: &str,
    chat: Option<i64>,
    message: &str,
    now: jiff::Timestamp,
) -> Result<Option<i64>, StorageError> {
    sqlx::query("UPDATE queue_items SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(millis(now))
        .bind(item)
        .execute(&mut **tx)
        .await?;
    match chat {
        Some(chat) => Ok(Some(
            push_outbox(tx, chat, message, &[], Some(item), now).await?,
        )),
        None => Ok(None),
    }
}

/// A member's chat message to delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deletion {
    /// Row id.
    pub id: i64,
    /// The Telegram chat.
    pub chat_id: i64,
    /// The message in it.
    pub message_id: i64,
}

impl Store {
    /// Remembers that a member's chat message belongs to the draft in progress.
    pub async fn note_chat_message(
        &self,
        chat_id: i64,
        message_id: i64,
        now: jiff::Timestamp,
    ) -> Result<(), StorageError> {
        let query = sqlx::query(
            "INSERT INTO chat_messages (chat_id, message_id, received_at) VALUES ($1, $2, $3)
             ON CONFLICT (chat_id, message_id) DO NOTHING",
        )
        .bind(chat_id)
        .bind(message_id)
        .bind(millis(now));
        self.write(query).await?;
        Ok(())
    }

    /// A draft from this chat was queued: its messages are to be deleted
    /// (`delete` true) or simply forgotten.
    pub async fn draft_queued(&self, chat_id: i64, delete: bool) -> Result<(), StorageError> {
        let query = if delete {
            sqlx::query(
                "UPDATE chat_messages SET delete_due = 1 WHERE chat_id = $1 AND done_at IS NULL",
            )
        } else {
            sqlx::query("DELETE FROM chat_messages WHERE chat_id = $1 AND delete_due = 0")
        };
        self.write(query.bind(chat_id)).await?;
        Ok(())
    }

    /// Claims chat messages due for deletion until `lease_until` (see
    /// [`Store::claim_outbox`]).
    pub async fn claim_deletions(
        &self,
        now: jiff::Timestamp,
        lease_until: jiff::Timestamp,
        limit: i64,
    ) -> Result<Vec<Deletion>, StorageError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "UPDATE chat_messages SET lease_until = $1
             WHERE id IN (
                 SELECT id FROM chat_messages
                 WHERE delete_due = 1 AND done_at IS NULL
                   AND (lease_until IS NULL OR lease_until <= $2)
                 ORDER BY id LIMIT $3{})
               AND (lease_until IS NULL OR lease_until <= $2)
             RETURNING id, chat_id, message_id",
            self.backend().skip_locked()
        ));
        let mut rows: Vec<(i64, i64, i64)> = sqlx::query_as(sql)
            .bind(millis(lease_until))
            .bind(millis(now))
            .bind(limit)
            .fetch_all(self.writer())
            .await?;
        rows.sort_unstable();
        Ok(rows
            .into_iter()
            .map(|(id, chat_id, message_id)| Deletion {
                id,
                chat_id,
                message_id,
            })
            .collect())
    }

    /// A deletion was done (or can never be: too old, already gone).
    pub async fn deletion_done(&self, id: i64, now: jiff::Timestamp) -> Result<(), StorageError> {
        sqlx::query("UPDATE chat_messages SET done_at = $1 WHERE id = $2")
            .bind(millis(now))
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}

/// Records that a Telegram update's turn is being committed (inside that
/// transaction); false when it was recorded before.
pub async fn mark_update_processed(
    conn: &mut AnyConnection,
    update_id: i64,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    let done = sqlx::query(
        "INSERT INTO processed_updates (update_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(update_id)
    .bind(millis(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
