//! The directory (offices, recipients, holidays) and members.

use sqlx::Row;

use super::{StorageError, Store};
use crate::domain::{MemberId, Recipient};
use crate::hours::OfficeHours;

fn hours_of(row: &sqlx::any::AnyRow) -> Result<OfficeHours, StorageError> {
    let key: String = row.try_get("office_key")?;
    OfficeHours::parse(
        &row.try_get::<String, _>("time_zone")?,
        &row.try_get::<String, _>("opens")?,
        &row.try_get::<String, _>("closes")?,
        &row.try_get::<String, _>("days")?,
    )
    .map_err(|e| StorageError::Corrupt(format!("office {key}: {e}")))
}

impl Store {
    /// Who a member can write to: their care team's doctors, then every
    /// department, in the directory's order.
    pub async fn recipients_for(&self, member: MemberId) -> Result<Vec<Recipient>, StorageError> {
        let rows = sqlx::query(
            "SELECT r.id, r.name, r.role, o.phone, o.key AS office_key, o.time_zone, o.opens,
                    o.closes, o.days
             FROM recipients r JOIN offices o ON o.id = r.office_id
             WHERE r.active = 1 AND (r.kind = 'department' OR r.id IN
                   (SELECT recipient_id FROM care_team WHERE member_id = $1))
             ORDER BY r.kind = 'department', r.position, r.id",
        )
        .bind(member.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Recipient {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    role: row.try_get("role")?,
                    phone: row.try_get("phone")?,
                    hours: hours_of(row)?.describe(),
                })
            })
            .collect()
    }

    /// The advice nurse's number, if the directory has one.
    pub async fn advice_line(&self) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar(
            "SELECT phone FROM offices WHERE advice_line = 1 ORDER BY id LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?)
    }

    /// The hours (with holidays) of a recipient's office and its reply
    /// target in business hours.
    pub async fn office_hours(&self, recipient: i64) -> Result<(OfficeHours, u32), StorageError> {
        let row = sqlx::query(
            "SELECT o.id, o.key AS office_key, o.time_zone, o.opens, o.closes, o.days,
                    o.reply_within_hours
             FROM recipients r JOIN offices o ON o.id = r.office_id WHERE r.id = $1",
        )
        .bind(recipient)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("recipient {recipient}")))?;
        let office: i64 = row.try_get("id")?;
        let days: Vec<String> = sqlx::query_scalar(
            "SELECT day FROM holidays WHERE office_id IS NULL OR office_id = $1",
        )
        .bind(office)
        .fetch_all(self.pool())
        .await?;
        let holidays = days
            .iter()
            .map(|d| {
                d.parse::<jiff::civil::Date>()
                    .map_err(|e| StorageError::Corrupt(format!("holiday {d}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let target: i64 = row.try_get("reply_within_hours")?;
        let target = u32::try_from(target)
            .map_err(|_| StorageError::Corrupt(format!("reply_within_hours {target}")))?;
        Ok((hours_of(&row)?.with_holidays(holidays), target))
    }

    /// The member with this member number, created (with every doctor in the
    /// directory on their care team) if missing. Used for the terminal chat's
    /// local member and by tests.
    pub async fn ensure_member(&self, number: &str, name: &str) -> Result<MemberId, StorageError> {
        let mut tx = self.begin().await?;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM members WHERE member_number = $1")
                .bind(number)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(id) = existing {
            tx.commit().await?;
            return Ok(MemberId(id));
        }
        let id = super::members::insert_member(&mut tx, number, name).await?;
        sqlx::query(
            "INSERT INTO care_team (member_id, recipient_id)
             SELECT $1, id FROM recipients WHERE kind = 'doctor' AND active = 1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(MemberId(id))
    }
}
