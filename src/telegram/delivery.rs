//! Delivers the outbox to Telegram: in order per chat, with retries.
//!
//! 429 waits for Telegram's `retry_after`; network errors, timeouts and
//! server errors back off exponentially (0.5 s doubling to 60 s) and are
//! retried without limit; errors Telegram will repeat (the member blocked
//! the bot, the chat is gone) give up on that message and log its kind. A
//! message is marked sent only after Telegram accepted it, so a crash before
//! that resends it on restart (at least once; a crash between Telegram's
//! answer and the mark is the only window for a duplicate).

use std::sync::Arc;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::BotApi;
use crate::storage::{OutboxMessage, Store};

/// How often the worker looks for due retries when nothing wakes it.
const POLL: Duration = Duration::from_millis(500);

/// How long a claimed message is this worker's: longer than any one
/// request to Telegram can take, so no other worker (or instance) sends it
/// meanwhile; a worker that dies holding it frees it when this ends.
const LEASE: Duration = Duration::from_secs(60);

fn lease_until(now: jiff::Timestamp) -> jiff::Timestamp {
    now.checked_add(jiff::SignedDuration::try_from(LEASE).unwrap_or_default())
        .unwrap_or(now)
}

/// Runs until the task is dropped.
pub async fn run<B: BotApi>(bot: B, store: Store, ready: Arc<tokio::sync::Notify>) {
    if let Err(e) = store.release_stale_claims().await {
        tracing::error!(error = %e, "freeing a dead process's outbox claims failed");
    }
    loop {
        delete_due(&bot, &store).await;
        let now = jiff::Timestamp::now();
        match store.claim_outbox(now, lease_until(now), 200).await {
            Ok(due) if !due.is_empty() => {
                // At most one message per chat is due at a time, so they can
                // all go at once without reordering any chat.
                let mut sending = tokio::task::JoinSet::new();
                for message in due {
                    let (bot, store) = (bot.clone(), store.clone());
                    sending.spawn(async move { deliver(&bot, &store, message).await });
                }
                while sending.join_next().await.is_some() {}
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "reading the outbox failed"),
        }
        tokio::select! {
            () = ready.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Whether Telegram may accept the same request later.
fn transient(e: &RequestError) -> bool {
    match e {
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => true,
        // Telegram's 5xx answers arrive as errors teloxide doesn't know.
        RequestError::Api(teloxide::ApiError::Unknown(_)) => true,
        _ => false,
    }
}

/// A short name for an error kind, safe to log and store (no text).
fn kind(e: &RequestError) -> &'static str {
    match e {
        RequestError::Api(_) => "api",
        RequestError::MigrateToChatId(_) => "migrated",
        RequestError::RetryAfter(_) => "retry_after",
        RequestError::Network(_) => "network",
        RequestError::InvalidJson { .. } => "invalid_response",
        RequestError::Io(_) => "io",
    }
}

async fn deliver<B: BotApi>(bot: &B, store: &Store, message: OutboxMessage) {
    let mut request = bot.send_message(ChatId(message.chat_id), message.text.clone());
    if !message.buttons.is_empty() {
        let rows: Vec<Vec<InlineKeyboardButton>> = message
            .buttons
            .iter()
            .map(|(label, data)| vec![InlineKeyboardButton::callback(label.clone(), data.clone())])
            .collect();
        request = request.reply_markup(InlineKeyboardMarkup::new(rows));
    }
    let now = jiff::Timestamp::now();
    let result = match request.await {
        Ok(_) => store.outbox_sent(message.id, now).await,
        Err(e) => {
            let retry = match &e {
                RequestError::RetryAfter(after) => Some(after.duration()),
                e if transient(e) => {
                    let exp = message.attempts.clamp(0, 7) as u32;
                    Some(Duration::from_millis(500 * 2u64.pow(exp)).min(Duration::from_secs(60)))
                }
                _ => None,
            };
            tracing::warn!(
                outbox = message.id,
                error = kind(&e),
                retrying = retry.is_some(),
                "delivery failed"
            );
            let retry_at = retry.map(|d| {
                now.checked_add(jiff::SignedDuration::try_from(d).unwrap_or_default())
                    .unwrap_or(now)
            });
            store
                .outbox_failed(message.id, kind(&e), retry_at, now)
                .await
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %e, outbox = message.id, "recording a delivery failed");
    }
}

/// Deletes members' chat messages they asked to have deleted. A message
/// Telegram will not delete (older than 48 hours, already gone) is given up.
async fn delete_due<B: BotApi>(bot: &B, store: &Store) {
    let now = jiff::Timestamp::now();
    let due = match store.claim_deletions(now, lease_until(now), 50).await {
        Ok(due) => due,
        Err(e) => {
            tracing::error!(error = %e, "reading due deletions failed");
            return;
        }
    };
    for d in due {
        let id = teloxide::types::MessageId(i32::try_from(d.message_id).unwrap_or_default());
        match bot.delete_message(ChatId(d.chat_id), id).await {
            Err(e) if transient(&e) || matches!(e, RequestError::RetryAfter(_)) => {
                tracing::warn!(
                    error = kind(&e),
                    "deleting a chat message failed; will retry"
                );
                return;
            }
            result => {
                if let Err(e) = &result {
                    tracing::warn!(error = kind(e), "a chat message could not be deleted");
                }
                if let Err(e) = store.deletion_done(d.id, jiff::Timestamp::now()).await {
                    tracing::error!(error = %e, "recording a deletion failed");
                }
            }
        }
    }
}
