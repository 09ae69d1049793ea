//! Members and how their chats are linked to them.

use super::{StorageError, Store, millis};
use crate::domain::MemberId;

/// How long a link code stays valid.
pub const LINK_CODE_HOURS: i64 = 24;

/// Letters and digits that can't be mistaken for each other (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// What happened to a link code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOutcome {
    /// The chat is now linked to this member.
    Linked(MemberId),
    /// No such code.
    Unknown,
    /// The code is older than [`LINK_CODE_HOURS`].
    Expired,
    /// The code was already used.
    Used,
}

/// Inserts a member row (no care team) and returns its id.
pub(super) async fn insert_member(
    conn: &mut sqlx::AnyConnection,
    number: &str,
    name: &str,
) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO members (member_number, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(number)
    .bind(name)
    .bind(millis(jiff::Timestamp::now()))
    .fetch_one(conn)
    .await?)
}

impl Store {
    /// Registers a member with these doctors (recipient keys) on their care
    /// team; fails if the member number exists or a key is unknown.
    pub async fn add_member(
        &self,
        number: &str,
        name: &str,
        doctors: &[String],
    ) -> Result<MemberId, StorageError> {
        let mut tx = self.begin().await?;
        let id = super::members::insert_member(&mut tx, number, name).await?;
        for key in doctors {
            let added = sqlx::query(
                "INSERT INTO care_team (member_id, recipient_id)
                 SELECT $1, id FROM recipients WHERE key = $2 AND kind = 'doctor'",
            )
            .bind(id)
            .bind(key)
            .execute(&mut *tx)
            .await?;
            if added.rows_affected() == 0 {
                return Err(StorageError::NotFound(format!("doctor {key:?}")));
            }
        }
        tx.commit().await?;
        Ok(MemberId(id))
    }

    /// The member with this number.
    pub async fn member_by_number(&self, number: &str) -> Result<MemberId, StorageError> {
        sqlx::query_scalar("SELECT id FROM members WHERE member_number = $1")
            .bind(number)
            .fetch_optional(self.pool())
            .await?
            .map(MemberId)
            .ok_or_else(|| StorageError::NotFound(format!("member {number}")))
    }

    /// Issues a one-time link code for a member, valid for [`LINK_CODE_HOURS`].
    pub async fn issue_link_code(
        &self,
        member: MemberId,
        now: jiff::Timestamp,
    ) -> Result<String, StorageError> {
        let mut bytes = [0u8; 10];
        getrandom::getrandom(&mut bytes)
            .map_err(|e| StorageError::Corrupt(format!("no randomness: {e}")))?;
        let code: String = bytes
            .iter()
            .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
            .collect();
        let expires = now
            .checked_add(jiff::SignedDuration::from_hours(LINK_CODE_HOURS))
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO link_codes (code, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&code)
        .bind(member.0)
        .bind(millis(now))
        .bind(millis(expires))
        .execute(self.writer())
        .await?;
        Ok(code)
    }

    /// Redeems a link code for a Telegram chat: once, before it expires.
    pub async fn redeem_link_code(
        &self,
        code: &str,
        chat_id: i64,
        now: jiff::Timestamp,
    ) -> Result<LinkOutcome, StorageError> {
        let code = code.trim().to_uppercase();
        let mut tx = self.begin().await?;
        let row: Option<(i64, i64, Option<i64>)> =
            sqlx::query_as("SELECT member_id, expires_at, used_at FROM link_codes WHERE code = $1")
                .bind(&code)
                .fetch_optional(&mut *tx)
                .await?;
        let outcome = match row {
            None => LinkOutcome::Unknown,
            Some((_, _, Some(_))) => LinkOutcome::Used,
            Some((_, expires, None)) if expires <= millis(now) => LinkOutcome::Expired,
            Some((member, _, None)) => {
                sqlx::query("UPDATE link_codes SET used_at = $1 WHERE code = $2")
                    .bind(millis(now))
                    .bind(&code)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO telegram_links (chat_id, member_id, linked_at) VALUES ($1, $2, $3)
                     ON CONFLICT (chat_id) DO UPDATE SET member_id = excluded.member_id,
                     linked_at = excluded.linked_at",
                )
                .bind(chat_id)
                .bind(member)
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
                LinkOutcome::Linked(MemberId(member))
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// The member a Telegram chat is linked to, if any.
    pub async fn member_for_chat(&self, chat_id: i64) -> Result<Option<MemberId>, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT member_id FROM telegram_links WHERE chat_id = $1")
                .bind(chat_id)
                .fetch_optional(self.pool())
                .await?
                .map(MemberId),
        )
    }
}
