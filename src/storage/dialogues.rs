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
    read(store, row.try_get("state")?, row.try_get("version")?)
}

/// A stored state, opened and parsed.
fn read(store: &Store, sealed: String, version: i64) -> Result<Loaded, StorageError> {
    let json = store.keys().open("conversations.state", sealed)?;
    Ok(match serde_json::from_str(&json) {
        Ok(state) => Loaded::Found(Box::new(state), version),
        Err(_) => Loaded::Unreadable(version),
    })
}

/// Up to `limit` conversations not changed since `before` (milliseconds),
/// in chat-key order after `after`: each chat key with what is stored, or
/// why it could not be opened (a missing key, a damaged value).
pub(crate) async fn unchanged_since(
    store: &Store,
    before: i64,
    after: &str,
    limit: usize,
) -> Result<Vec<(String, Result<Loaded, StorageError>)>, StorageError> {
    let rows = sqlx::query(
        "SELECT chat_key, state, version FROM conversations
         WHERE chat_key > $1 AND updated_at < $2 ORDER BY chat_key LIMIT $3",
    )
    .bind(after)
    .bind(before)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(store.pool())
    .await?;
    rows.into_iter()
        .map(|row| {
            let chat: String = row.try_get("chat_key")?;
            let loaded = read(store, row.try_get("state")?, row.try_get("version")?);
            Ok((chat, loaded))
        })
        .collect()
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
    if version == 0 {
        let json = seal(tx, state)?;
        let done = sqlx::query(
            "INSERT INTO conversations (chat_key, member_id, state, version, updated_at)
             VALUES ($1, $2, $3, 1, $4) ON CONFLICT (chat_key) DO NOTHING",
        )
        .bind(chat)
        .bind(member.0)
        .bind(json)
        .bind(millis(now))
        .execute(&mut **tx)
        .await?;
        return Ok(done.rows_affected() == 1);
    }
    update(tx, chat, Some(member), state, version, now).await
}

/// Replaces the state of `chat` if the stored version is still `version`,
/// its member as stored; false when the conversation changed meanwhile.
pub(crate) async fn replace_conversation(
    tx: &mut Tx,
    chat: &str,
    state: &State,
    version: i64,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    update(tx, chat, None, state, version, now).await
}

/// The version-checked update of a stored state (and of its member, if given).
async fn update(
    tx: &mut Tx,
    chat: &str,
    member: Option<MemberId>,
    state: &State,
    version: i64,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    let json = seal(tx, state)?;
    let done = sqlx::query(
        "UPDATE conversations
         SET state = $1, version = version + 1, updated_at = $2,
             member_id = COALESCE($3, member_id)
         WHERE chat_key = $4 AND version = $5",
    )
    .bind(json)
    .bind(millis(now))
    .bind(member.map(|m| m.0))
    .bind(chat)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A state as JSON, sealed for the `conversations.state` column.
fn seal(tx: &Tx, state: &State) -> Result<String, StorageError> {
    let json = serde_json::to_string(state)
        .map_err(|e| StorageError::Corrupt(format!("conversation state: {e}")))?;
    tx.keys().seal("conversations.state", &json)
}
