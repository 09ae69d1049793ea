//! Conversation state, one row per chat, updated optimistically by version.

use sqlx::Row;

use super::{StorageError, Store, Tx, millis};
use crate::conversation::State;
use crate::domain::MemberId;

/// What is stored for a chat.
#[derive(Debug)]
pub enum Loaded {
    /// Never seen: no row yet.
    New,
    /// The state and its version.
    Found(Box<State>, i64),
    /// A row whose state cannot be read back (damaged, or written by a
    /// newer Careline), with its version so that it can be replaced.
    Unreadable(i64),
}

/// The stored state of a chat.
pub async fn load_conversation(store: &Store, chat: &str) -> Result<Loaded, StorageError> {
    let row = sqlx::query("SELECT state, version FROM conversations WHERE chat_key = $1")
        .bind(chat)
        .fetch_optional(store.pool())
        .await?;
    let Some(row) = row else {
        return Ok(Loaded::New);
    };
    let json = store
        .keys()
        .open("conversations.state", row.try_get("state")?)?;
    let version: i64 = row.try_get("version")?;
    Ok(match serde_json::from_str(&json) {
        Ok(state) => Loaded::Found(Box::new(state), version),
        Err(_) => Loaded::Unreadable(version),
    })
}

/// Saves `state` if the stored version is still `version`; false when
/// another turn got there first (the caller reloads and tries again).
pub async fn save_conversation(
    tx: &mut Tx,
    chat: &str,
    member: MemberId,
    state: &State,
    version: i64,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    let json = serde_json::to_string(state)
        .map_err(|e| StorageError::Corrupt(format!("conversation state: {e}")))?;
    let json = tx.keys().seal("conversations.state", &json)?;
    let done = if version == 0 {
        sqlx::query(
            "INSERT INTO conversations (chat_key, member_id, state, version, updated_at)
             VALUES ($1, $2, $3, 1, $4) ON CONFLICT (chat_key) DO NOTHING",
        )
        .bind(chat)
        .bind(member.0)
        .bind(json)
        .bind(millis(now))
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE conversations SET state = $1, version = version + 1, updated_at = $2, member_id = $3
             WHERE chat_key = $4 AND version = $5",
        )
        .bind(json)
        .bind(millis(now))
        .bind(member.0)
        .bind(chat)
        .bind(version)
        .execute(&mut **tx)
        .await?
    };
    Ok(done.rows_affected() == 1)
}
