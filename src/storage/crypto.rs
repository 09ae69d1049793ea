//! Encryption at rest for what members and staff write: subjects, details,
//! drafts (conversation state), replies, notes and messages waiting in the
//! outbox.
//!
//! XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`): an authenticated
//! cipher with 24-byte random nonces, so nonces can be drawn at random for
//! every value without a counter shared between instances. The column a
//! value belongs to is the associated data, so a ciphertext copied into
//! another column does not open.
//!
//! Keys come only from the environment: `CARELINE_DATA_KEYS` holds
//! `id:base64key` pairs separated by commas (32-byte keys; `careline keys
//! generate` prints one). The first pair encrypts; every pair decrypts, so
//! rotating is: put a new key first, keep the old ones, run `careline keys
//! rotate` (re-encrypts every value under the first key), then drop the old
//! keys. A stored value names its key:
//!
//! ```text
//! enc:v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>
//! ```
//!
//! Without keys (development, tests, the terminal chat) values are stored
//! as written; a text that itself starts with `enc:` or `plain:` is stored
//! as `plain:` + text so it can never be mistaken for ciphertext. In
//! production mode (`CARELINE_ENV=production`) Careline refuses to start
//! without a key.

use std::collections::HashMap;
use std::fmt;

use base64ct::{Base64, Encoding};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use sqlx::Row;

use super::{StorageError, Store};

/// The environment variable that holds the keys.
pub const KEYS_VAR: &str = "CARELINE_DATA_KEYS";

const PREFIX: &str = "enc:v1:";
const PLAIN: &str = "plain:";
const NONCE: usize = 24;

/// A key setting that can't be used.
#[derive(Debug, thiserror::Error)]
#[error("{KEYS_VAR}: {0}")]
pub struct KeyError(String);

/// The data keys: the first encrypts, all decrypt.
#[derive(Clone, Default)]
pub struct Keyring {
    current: Option<String>,
    keys: HashMap<String, XChaCha20Poly1305>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Key ids only; never key material.
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("Keyring")
            .field("current", &self.current)
            .field("ids", &ids)
            .finish()
    }
}

impl Keyring {
    /// No keys: values are stored as written.
    pub fn none() -> Self {
        Self::default()
    }

    /// The keys in `CARELINE_DATA_KEYS` (none when it is unset or empty).
    pub fn from_env() -> Result<Self, KeyError> {
        match std::env::var(KEYS_VAR) {
            Ok(v) if !v.trim().is_empty() => Self::parse(&v),
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(Self::none()),
            Err(std::env::VarError::NotUnicode(_)) => Err(KeyError("not valid UTF-8".into())),
        }
    }

    /// Reads `id:base64key,id:base64key,...` (the first encrypts).
    pub fn parse(spec: &str) -> Result<Self, KeyError> {
        let mut ring = Self::none();
        for (n, pair) in spec.split(',').map(str::trim).enumerate() {
            let (id, key) = pair
                .split_once(':')
                .ok_or_else(|| KeyError(format!("entry {} is not `id:base64key`", n + 1)))?;
            let id_ok = !id.is_empty()
                && id.len() <= 32
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !id_ok {
                return Err(KeyError(format!(
                    "entry {}: a key id is 1 to 32 letters, digits, '-' or '_'",
                    n + 1
                )));
            }
            let bytes = Base64::decode_vec(key.trim())
                .map_err(|_| KeyError(format!("key {id:?} is not base64")))?;
            if bytes.len() != 32 {
                return Err(KeyError(format!(
                    "key {id:?} has {} bytes; it needs 32 (`careline keys generate` makes one)",
                    bytes.len()
                )));
            }
            let cipher = XChaCha20Poly1305::new_from_slice(&bytes)
                .map_err(|_| KeyError(format!("key {id:?} can't be used")))?;
            if ring.keys.insert(id.to_string(), cipher).is_some() {
                return Err(KeyError(format!("key id {id:?} appears twice")));
            }
            ring.current.get_or_insert_with(|| id.to_string());
        }
        Ok(ring)
    }

    /// A new random key as `id:base64key`.
    pub fn generate(id: &str) -> Result<String, KeyError> {
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).map_err(|e| KeyError(format!("no randomness: {e}")))?;
        Ok(format!("{id}:{}", Base64::encode_string(&key)))
    }

    /// The id of the key that encrypts, if any.
    pub fn current_id(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// The form `text` is stored in, for column `column`.
    pub fn seal(&self, column: &str, text: &str) -> Result<String, StorageError> {
        let Some(id) = &self.current else {
            return Ok(if text.starts_with("enc:") || text.starts_with(PLAIN) {
                format!("{PLAIN}{text}")
            } else {
                text.to_string()
            });
        };
        let mut nonce = [0u8; NONCE];
        getrandom::getrandom(&mut nonce)
            .map_err(|e| StorageError::Corrupt(format!("no randomness: {e}")))?;
        let sealed = self.keys[id]
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: text.as_bytes(),
                    aad: column.as_bytes(),
                },
            )
            .map_err(|_| StorageError::Corrupt("encryption failed".into()))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{id}:{}", Base64::encode_string(&blob)))
    }

    /// The text a stored value of column `column` holds.
    pub fn open(&self, column: &str, stored: String) -> Result<String, StorageError> {
        if let Some(text) = stored.strip_prefix(PLAIN) {
            return Ok(text.to_string());
        }
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored);
        };
        let damaged = || StorageError::Corrupt(format!("an encrypted {column} value is damaged"));
        let (id, blob) = rest.split_once(':').ok_or_else(damaged)?;
        let cipher = self.keys.get(id).ok_or_else(|| {
            StorageError::Corrupt(format!(
                "{column} is encrypted with key {id:?}, which is not in {KEYS_VAR}"
            ))
        })?;
        let blob = Base64::decode_vec(blob).map_err(|_| damaged())?;
        if blob.len() < NONCE {
            return Err(damaged());
        }
        let (nonce, sealed) = blob.split_at(NONCE);
        let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| damaged())?;
        let plain = cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: column.as_bytes(),
                },
            )
            .map_err(|_| damaged())?;
        String::from_utf8(plain).map_err(|_| damaged())
    }

    /// Whether a stored value is already in the form [`Keyring::seal`]
    /// writes now (encrypted under the current key, or plain without keys).
    pub fn is_current(&self, stored: &str) -> bool {
        match &self.current {
            Some(id) => stored
                .strip_prefix(PREFIX)
                .and_then(|r| r.split_once(':'))
                .is_some_and(|(k, _)| k == id),
            None => !stored.starts_with(PREFIX),
        }
    }

    /// The SQL LIKE pattern of values sealed under the current key.
    pub(super) fn current_pattern(&self) -> Option<String> {
        self.current.as_ref().map(|id| format!("{PREFIX}{id}:%"))
    }
}

/// Every sealed column: (table, key column, whether the key is an
/// integer, value column).
const SEALED: &[(&str, &str, bool, &str)] = &[
    ("queue_items", "id", true, "subject"),
    ("queue_items", "id", true, "details"),
    ("conversations", "chat_key", false, "state"),
    ("replies", "id", true, "text"),
    ("notes", "id", true, "text"),
    ("outbox", "id", true, "text"),
];

/// How many values `careline keys rotate` re-sealed, per column.
pub type RotateReport = Vec<(String, u64)>;

impl Store {
    /// Re-seals every stored text that is not under the current key
    /// (older keys, or plain text written before keys were configured), in
    /// batches of `batch` per transaction. A value that changed meanwhile is
    /// left for the next pass (compare and set), so it is safe while
    /// Careline runs.
    pub async fn rotate_keys(&self, batch: i64) -> Result<RotateReport, StorageError> {
        let keys = self.keys();
        let pattern = keys.current_pattern().ok_or_else(|| {
            StorageError::Config(format!(
                "{KEYS_VAR} is not set: rotating needs a key to encrypt with"
            ))
        })?;
        let mut report = Vec::new();
        for (table, key, int_key, column) in SEALED {
            let aad = format!("{table}.{column}");
            let select = format!(
                "SELECT {key} AS k, {column} AS v FROM {table} WHERE {column} NOT LIKE $1 \
                 ORDER BY {key} LIMIT $2"
            );
            let update =
                format!("UPDATE {table} SET {column} = $1 WHERE {key} = $2 AND {column} = $3");
            let mut done = 0;
            loop {
                let mut tx = self.begin().await?;
                let rows = sqlx::query(sqlx::AssertSqlSafe(select.clone()))
                    .bind(&pattern)
                    .bind(batch)
                    .fetch_all(&mut *tx)
                    .await?;
                if rows.is_empty() {
                    tx.rollback().await?;
                    break;
                }
                for row in &rows {
                    let old: String = row.try_get("v")?;
                    let new = keys.seal(&aad, &keys.open(&aad, old.clone())?)?;
                    let query = sqlx::query(sqlx::AssertSqlSafe(update.clone())).bind(new);
                    let query = if *int_key {
                        query.bind(row.try_get::<i64, _>("k")?)
                    } else {
                        query.bind(row.try_get::<String, _>("k")?)
                    };
                    done += query.bind(old).execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
            }
            report.push((aad, done));
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(spec: &str) -> Keyring {
        Keyring::parse(spec).unwrap()
    }

    #[test]
    fn values_round_trip_and_name_their_key() {
        let k1 = Keyring::generate("k1").unwrap();
        let keys = ring(&k1);
        let sealed = keys
            .seal("queue_items.details", "Lisinopril 10 mg")
            .unwrap();
        assert!(sealed.starts_with("enc:v1:k1:"), "{sealed}");
        assert!(!sealed.contains("Lisinopril"));
        assert_eq!(
            keys.open("queue_items.details", sealed.clone()).unwrap(),
            "Lisinopril 10 mg"
        );
        // Random nonces: the same text twice gives two ciphertexts.
        assert_ne!(
            sealed,
            keys.seal("queue_items.details", "Lisinopril 10 mg")
                .unwrap()
        );
    }

    #[test]
    fn tampering_another_column_or_a_missing_key_fail_clearly() {
        let keys = ring(&Keyring::generate("k1").unwrap());
        let sealed = keys.seal("replies.text", "secret").unwrap();
        assert!(
            keys.open("notes.text", sealed.clone()).is_err(),
            "column bound"
        );
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 3;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        assert!(
            keys.open("replies.text", String::from_utf8(bytes).unwrap())
                .is_err()
        );
        let other = ring(&Keyring::generate("k2").unwrap());
        let e = other.open("replies.text", sealed).unwrap_err().to_string();
        assert!(e.contains("\"k1\"") && e.contains(KEYS_VAR), "{e}");
    }

    #[test]
    fn rotation_reads_old_keys_and_writes_the_first() {
        let (k1, k2) = (
            Keyring::generate("k1").unwrap(),
            Keyring::generate("k2").unwrap(),
        );
        let old = ring(&k1).seal("c", "text").unwrap();
        let both = ring(&format!("{k2}, {k1}"));
        assert_eq!(both.current_id(), Some("k2"));
        assert!(!both.is_current(&old));
        assert_eq!(both.open("c", old).unwrap(), "text");
        assert!(both.is_current(&both.seal("c", "text").unwrap()));
    }

    #[test]
    fn without_keys_text_is_kept_and_never_mistaken_for_ciphertext() {
        let none = Keyring::none();
        assert_eq!(none.seal("c", "hello").unwrap(), "hello");
        for tricky in ["enc:v1:k1:AAAA", "plain:x", "enc:"] {
            let stored = none.seal("c", tricky).unwrap();
            assert_eq!(none.open("c", stored).unwrap(), tricky);
        }
        assert_eq!(none.open("c", "legacy text".into()).unwrap(), "legacy text");
    }

    #[test]
    fn bad_settings_are_refused_with_the_reason() {
        for (spec, why) in [
            ("k1", "id:base64key"),
            ("k1:bm90IDMyIGJ5dGVz", "needs 32"),
            ("k 1:AAAA", "key id"),
            ("k1:***", "not base64"),
        ] {
            let e = Keyring::parse(spec).unwrap_err().to_string();
            assert!(e.contains(why), "{spec}: {e}");
        }
        let k = Keyring::generate("k1").unwrap();
        let e = Keyring::parse(&format!("{k},{k}")).unwrap_err().to_string();
        assert!(e.contains("twice"), "{e}");
        assert!(!format!("{:?}", ring(&k)).contains(k.split(':').nth(1).unwrap()));
    }
}
