//! Safety events: the level, the rules and what the member did. No text.

use sqlx::AnyConnection;

use super::{StorageError, millis};
use crate::conversation::SafetyEvent;
use crate::domain::MemberId;

/// Records one safety event.
pub async fn record_safety_event(
    conn: &mut AnyConnection,
    chat: &str,
    member: MemberId,
    event: &SafetyEvent,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO safety_events (at, member_id, chat_key, level, rules, outcome)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(millis(now))
    .bind(member.0)
    .bind(chat)
    .bind(event.level.as_str())
    .bind(event.rules.join(","))
    .bind(event.outcome.as_str())
    .execute(conn)
    .await?;
    Ok(())
}
