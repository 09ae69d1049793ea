//! Staff accounts, sign-in with lockout, sessions and the audit log.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64ct::{Base64UrlUnpadded, Encoding};
use blake2::{Blake2s256, Digest};
use serde::Serialize;
use sqlx::Row;

use super::{StorageError, Store, from_millis, millis};

/// Failed sign-ins in a row before an account is locked.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a locked account stays locked, in minutes.
pub const LOCK_MINUTES: i64 = 15;
/// How long a session lasts, in hours.
pub const SESSION_HOURS: i64 = 8;

/// A staff member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Works the queue.
    Staff,
    /// Also manages staff and sees the audit log and rules.
    Admin,
}

impl Role {
    /// Parses "staff" or "admin".
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "staff" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    /// Staff id.
    pub staff_id: i64,
    /// Sign-in name.
    pub username: String,
    /// The name members and colleagues see.
    pub display_name: String,
    /// Staff or admin.
    pub role: Role,
    /// The session's CSRF token, required in every form.
    pub csrf: String,
}

/// What a sign-in attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the session token for the cookie.
    Ok(String),
    /// Wrong name or password.
    Wrong,
    /// Too many failures: locked until then.
    Locked(jiff::Timestamp),
}

/// A staff account as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffAccount {
    /// Id.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Locked until, if locked.
    pub locked_until: Option<jiff::Timestamp>,
    /// Whether the account may sign in.
    pub active: bool,
}

/// One audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// When.
    pub at: jiff::Timestamp,
    /// Who (username), if a signed-in person.
    pub who: Option<String>,
    /// What ("view_item", "claim", "reply", ...).
    pub action: String,
    /// Which item.
    pub item: Option<i64>,
    /// Extra facts (never message text).
    pub detail: String,
}

fn random_token(bytes: usize) -> Result<String, StorageError> {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf)
        .map_err(|e| StorageError::Corrupt(format!("no randomness: {e}")))?;
    Ok(Base64UrlUnpadded::encode_string(&buf))
}

fn token_hash(token: &str) -> String {
    Base64UrlUnpadded::encode_string(&Blake2s256::digest(token.as_bytes()))
}

/// An argon2id hash of a password, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, StorageError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt)
        .map_err(|e| StorageError::Corrupt(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| StorageError::Corrupt(e.to_string()))?
        .to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Store {
    /// Adds a staff account (the password is hashed with argon2id).
    pub async fn add_staff(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
    ) -> Result<i64, StorageError> {
        let hash = hash_password(password)?;
        Ok(sqlx::query_scalar(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(role.as_str())
        .bind(hash)
        .bind(millis(jiff::Timestamp::now()))
        .fetch_one(self.writer())
        .await?)
    }

    /// Checks a sign-in; counts failures and locks the account after
    /// [`MAX_FAILED_SIGN_INS`] in a row for [`LOCK_MINUTES`].
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        now: jiff::Timestamp,
    ) -> Result<SignIn, StorageError> {
        let row: Option<(i64, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, password_hash, failed_attempts, locked_until FROM staff
             WHERE username = $1 AND active = 1",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        let Some((id, hash, failed, locked_until)) = row else {
            // Spend the same time as a real check, so names can't be probed.
            let _ = verify_password(password, DUMMY_HASH);
            return Ok(SignIn::Wrong);
        };
        if let Some(until) = locked_until
            && until > millis(now)
        {
            return Ok(SignIn::Locked(from_millis(until)?));
        }
        if !verify_password(password, &hash) {
            let failed = failed + 1;
            let lock = (failed >= MAX_FAILED_SIGN_INS).then(|| millis(now) + LOCK_MINUTES * 60_000);
            sqlx::query("UPDATE staff SET failed_attempts = $1, locked_until = $2 WHERE id = $3")
                .bind(if lock.is_some() { 0 } else { failed })
                .bind(lock)
                .bind(id)
                .execute(self.writer())
                .await?;
            self.audit(Some(id), "sign_in_failed", None, "").await?;
            return Ok(match lock {
                Some(until) => SignIn::Locked(from_millis(until)?),
                None => SignIn::Wrong,
            });
        }
        sqlx::query("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .execute(self.writer())
            .await?;
        let token = random_token(32)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, staff_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(random_token(24)?)
        .bind(millis(now))
        .bind(millis(now) + SESSION_HOURS * 3_600_000)
        .execute(self.writer())
        .await?;
        self.audit(Some(id), "sign_in", None, "").await?;
        Ok(SignIn::Ok(token))
    }

    /// The session for a cookie token, if it exists and has not expired.
    pub async fn session(
        &self,
        token: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<StaffSession>, StorageError> {
        let row = sqlx::query(
            "SELECT s.id, s.username, s.display_name, s.role, x.csrf FROM sessions x
             JOIN staff s ON s.id = x.staff_id
             WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.active = 1",
        )
        .bind(token_hash(token))
        .bind(millis(now))
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let role: String = row.try_get("role")?;
            Ok(StaffSession {
                staff_id: row.try_get("id")?,
                username: row.try_get("username")?,
                display_name: row.try_get("display_name")?,
                role: Role::parse(&role)
                    .ok_or_else(|| StorageError::Corrupt(format!("role {role}")))?,
                csrf: row.try_get("csrf")?,
            })
        })
        .transpose()
    }

    /// Ends a session.
    pub async fn sign_out(&self, token: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Appends to the audit log.
    pub async fn audit(
        &self,
        staff: Option<i64>,
        action: &str,
        item: Option<i64>,
        detail: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO audit_log (at, staff_id, action, queue_item_id, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(millis(jiff::Timestamp::now()))
        .bind(staff)
        .bind(action)
        .bind(item)
        .bind(detail)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The newest audit rows, optionally for one item.
    pub async fn audit_log(
        &self,
        item: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StorageError> {
        let rows = sqlx::query(
            "SELECT a.at, s.username, a.action, a.queue_item_id, a.detail FROM audit_log a
             LEFT JOIN staff s ON s.id = a.staff_id
             WHERE ($1 IS NULL OR a.queue_item_id = $1) ORDER BY a.id DESC LIMIT $2",
        )
        .bind(item)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: from_millis(r.try_get("at")?)?,
                    who: r.try_get("username")?,
                    action: r.try_get("action")?,
                    item: r.try_get("queue_item_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Unlocks an account (and clears its failure count).
    pub async fn unlock_staff(&self, id: i64) -> Result<bool, StorageError> {
        let done =
            sqlx::query("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
                .bind(id)
                .execute(self.writer())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Turns an account off or on; turning it off ends its sessions.
    pub async fn set_staff_active(&self, id: i64, active: bool) -> Result<bool, StorageError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE staff SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every staff account.
    pub async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, username, display_name, role, locked_until, active FROM staff ORDER BY username",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                let locked: Option<i64> = r.try_get("locked_until")?;
                Ok(StaffAccount {
                    id: r.try_get("id")?,
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    role: Role::parse(&role)
                        .ok_or_else(|| StorageError::Corrupt(format!("role {role}")))?,
                    locked_until: locked.map(from_millis).transpose()?,
                    active: r.try_get::<i64, _>("active")? != 0,
                })
            })
            .collect()
    }
}

/// A valid argon2id hash of a random password, checked against when a name
/// does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Zx3u0hFvUWZfRkQ3Pr8dCkC1u5vQm9GdW8w3oS1r3yE";
