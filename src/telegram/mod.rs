//! The Telegram adapter: updates become conversation inputs, replies become
//! Bot API calls. No wording and no decisions here (those live in
//! `conversation`); only translation, member linking and delivery.
//!
//! Every reply goes through the outbox (committed with the turn that made
//! it) and is delivered by [`delivery`]. It must never log message text,
//! names or phone numbers.

pub mod delivery;
pub mod flood;
pub mod webhook;

use std::sync::Arc;

use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, InlineKeyboardButton, InlineKeyboardMarkup};

use crate::assistant::{Assistant, Outgoing};
use crate::conversation::{Action, Command, Input, copy};
use crate::domain::MemberId;
use crate::storage::LinkOutcome;

/// The bot in production: rate-limited to Telegram's limits.
pub type TgBot = Throttle<Bot>;

/// What the adapter needs of a bot: the Bot API methods it calls, with
/// futures it can send between threads. [`TgBot`] is one; a plain `Bot`
/// (for a load test against a server that is not Telegram) is another.
pub trait BotApi:
    Requester<
        Err = teloxide::RequestError,
        SendMessage: Send,
        AnswerCallbackQuery: Send,
        DeleteMessage: Send,
        SetMyCommands: Send,
        DeleteWebhook: Send,
        SetWebhook: Send,
        GetUpdates: Send,
        GetMe: Send,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<T> BotApi for T where
    T: Requester<
            Err = teloxide::RequestError,
            SendMessage: Send,
            AnswerCallbackQuery: Send,
            DeleteMessage: Send,
            SetMyCommands: Send,
            DeleteWebhook: Send,
            SetWebhook: Send,
            GetUpdates: Send,
            GetMe: Send,
        > + Clone
        + Send
        + Sync
        + 'static
{
}

/// Telegram's longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct BotApp {
    /// Runs conversation turns.
    pub assistant: Assistant,
    /// Demo mode: every unlinked chat writes as this member.
    pub demo_member: Option<MemberId>,
    /// Per-chat flood control (shared by the app's clones).
    pub flood: Arc<flood::FloodGate>,
}

/// How long one Bot API request may take before it counts as failed.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(17);

/// A bot for `token`, talking to `api_url` (Telegram's own when `None`),
/// throttled to `limits` (Telegram's: `Limits::default()`), giving up on a
/// request after `timeout` (long polls add their own wait to it).
///
/// teloxide's Throttle releases queued messages on a 250 ms tick, so each
/// message waits up to a tick: fine for Telegram, whose limits are about 30
/// messages a second in all.
pub fn bot(
    token: &str,
    api_url: Option<url::Url>,
    limits: Limits,
    timeout: std::time::Duration,
) -> anyhow::Result<TgBot> {
    Ok(unthrottled_bot(token, api_url, timeout)?.throttle(limits))
}

/// The same bot without rate limiting: only for a Bot API server that is
/// not Telegram (the load benchmark measures Careline's own capacity).
pub fn unthrottled_bot(
    token: &str,
    api_url: Option<url::Url>,
    timeout: std::time::Duration,
) -> anyhow::Result<Bot> {
    let client = teloxide::net::default_reqwest_settings()
        .timeout(timeout)
        .build()?;
    let mut bot = Bot::with_client(token, client);
    if let Some(url) = api_url {
        bot = bot.set_api_url(url);
    }
    Ok(bot)
}

pub use teloxide::adaptors::throttle::Limits as RateLimits;

/// The whole handler tree: messages, edited messages, button taps.
pub fn schema<B: BotApi>() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message::<B>))
        .branch(Update::filter_edited_message().endpoint(on_edited::<B>))
        .branch(Update::filter_callback_query().endpoint(on_callback::<B>))
}

/// Registers the command menu (setMyCommands).
pub async fn register_commands<B: BotApi>(bot: &B) -> anyhow::Result<()> {
    let commands: Vec<BotCommand> = Command::ALL
        .iter()
        .map(|(_, name, about)| BotCommand::new(*name, *about))
        .collect();
    bot.set_my_commands(commands).await?;
    Ok(())
}

/// Runs the bot with long polling until Ctrl-C (or the token is refused),
/// with the outbox delivery worker beside it.
pub async fn run_polling<B: BotApi>(bot: B, app: BotApp) -> anyhow::Result<()> {
    register_commands(&bot).await?;
    bot.delete_webhook().await?;
    let worker = tokio::spawn(delivery::run(
        bot.clone(),
        app.assistant.store().clone(),
        app.assistant.outbox_ready(),
    ));
    Dispatcher::builder(bot, schema::<B>())
        .dependencies(dptree::deps![Arc::new(app)])
        .enable_ctrlc_handler()
        .build()
        .dispatch()
        .await;
    worker.abort();
    Ok(())
}

fn chat_key(chat: ChatId) -> String {
    format!("telegram:{}", chat.0)
}

/// What kind of non-text message this is, in words.
fn unsupported_kind(msg: &Message) -> &'static str {
    if msg.photo().is_some() {
        "photo"
    } else if msg.sticker().is_some() {
        "sticker"
    } else if msg.voice().is_some() || msg.audio().is_some() {
        "voice message"
    } else if msg.video().is_some() || msg.video_note().is_some() {
        "video"
    } else if msg.animation().is_some() {
        "GIF"
    } else if msg.document().is_some() {
        "file"
    } else if msg.location().is_some() || msg.venue().is_some() {
        "location"
    } else if msg.contact().is_some() {
        "contact card"
    } else {
        "message of this kind"
    }
}

/// The member a chat writes as: its link, else the demo member if on.
async fn member(app: &BotApp, chat: ChatId) -> anyhow::Result<Option<MemberId>> {
    let linked = app.assistant.store().member_for_chat(chat.0).await?;
    Ok(linked.or(app.demo_member))
}

async fn on_message<B: BotApi>(
    bot: B,
    update: Update,
    msg: Message,
    app: Arc<BotApp>,
) -> anyhow::Result<()> {
    if !msg.chat.is_private() {
        return Ok(());
    }
    let chat = msg.chat.id;
    if msg.text().is_some()
        && app
            .assistant
            .store()
            .member_for_chat(chat.0)
            .await?
            .is_some()
    {
        // Only the id, so the message can be deleted later if the member asked.
        app.assistant
            .store()
            .note_chat_message(chat.0, i64::from(msg.id.0), jiff::Timestamp::now())
            .await?;
    }
    let input = match msg.text() {
        Some(text) => {
            if let Some(code) = start_code(text) {
                let outcome = app
                    .assistant
                    .store()
                    .redeem_link_code(code, chat.0, jiff::Timestamp::now())
                    .await?;
                let word = match outcome {
                    LinkOutcome::Linked(_) => "linked",
                    LinkOutcome::Expired => "expired",
                    LinkOutcome::Used => "used",
                    LinkOutcome::Unknown => "unknown",
                };
                tracing::info!(outcome = word, "link code redeemed");
                notify(&app, chat, copy::link_result(word)).await?;
            }
            Input::from_text(text)
        }
        None => Input::Unsupported(unsupported_kind(&msg).to_string()),
    };
    turn(&bot, &app, chat, input, update_id(&update)).await
}

async fn on_edited<B: BotApi>(
    bot: B,
    update: Update,
    msg: Message,
    app: Arc<BotApp>,
) -> anyhow::Result<()> {
    if !msg.chat.is_private() {
        return Ok(());
    }
    let Some(text) = msg.text() else {
        return Ok(());
    };
    let input = Input::Edited(text.to_string());
    turn(&bot, &app, msg.chat.id, input, update_id(&update)).await
}

async fn on_callback<B: BotApi>(
    bot: B,
    update: Update,
    q: CallbackQuery,
    app: Arc<BotApp>,
) -> anyhow::Result<()> {
    // Every tap is answered, so the member's button stops spinning.
    bot.answer_callback_query(q.id.clone()).await?;
    let Some(message) = &q.message else {
        return Ok(());
    };
    let chat = message.chat().id;
    let input = match q.data.as_deref().and_then(Action::decode) {
        Some((draft, action)) => Input::Choice { draft, action },
        None => Input::UnknownButton,
    };
    turn(&bot, &app, chat, input, update_id(&update)).await
}

/// The update's id, the key that makes a redelivered update count once.
fn update_id(update: &Update) -> Option<i64> {
    Some(i64::from(update.id.0))
}

/// "/start CODE" (also what a t.me deep link sends): the code.
fn start_code(text: &str) -> Option<&str> {
    let rest = text.trim().strip_prefix("/start")?;
    let rest = rest.strip_prefix('@').map_or(rest, |r| {
        r.split_once(char::is_whitespace)
            .map_or("", |(_, code)| code)
    });
    let code = rest.trim();
    (!code.is_empty()).then_some(code)
}

/// Runs one turn for a chat; its replies go to the outbox with it.
async fn turn<B: BotApi>(
    bot: &B,
    app: &BotApp,
    chat: ChatId,
    input: Input,
    update: Option<i64>,
) -> anyhow::Result<()> {
    let Some(member) = member(app, chat).await? else {
        return notify(app, chat, copy::not_linked()).await;
    };
    match app.flood.admit(chat.0, std::time::Instant::now()) {
        flood::Admit::Yes => {}
        _ if is_urgent(app, &input) => {}
        flood::Admit::Warn => {
            tracing::warn!("a chat is over the flood limit; its updates are dropped for a minute");
            return notify(app, chat, copy::slow_down()).await;
        }
        flood::Admit::Drop => return Ok(()),
    }
    match app
        .assistant
        .handle_to_outbox(&chat_key(chat), member, input, chat.0, update)
        .await
    {
        Ok(outcome) => {
            if outcome.committed {
                app.assistant
                    .store()
                    .draft_queued(chat.0, outcome.delete_messages)
                    .await?;
                app.assistant.outbox_ready().notify_one();
            }
            Ok(())
        }
        Err(e) => {
            // Nothing was committed; say so directly (storage may be down).
            tracing::error!(error = %e, "turn failed");
            let sorry = Outgoing {
                text: copy::try_again(),
                buttons: Vec::new(),
                draft: 0,
            };
            send(bot, chat, &[sorry]).await
        }
    }
}

/// Whether a text screens as urgent or stronger (let through any flood limit).
fn is_urgent(app: &BotApp, input: &Input) -> bool {
    let text = match input {
        Input::Text(text) | Input::Edited(text) => text,
        _ => return false,
    };
    let verdict = app
        .assistant
        .rules()
        .current()
        .screen(text, crate::screening::Field::Details);
    verdict.level >= crate::screening::Level::Urgent
}

/// Puts one plain message in the outbox for a chat.
async fn notify(app: &BotApp, chat: ChatId, text: String) -> anyhow::Result<()> {
    let store = app.assistant.store();
    let mut tx = store.begin().await?;
    crate::storage::push_outbox(&mut tx, chat.0, &text, &[], None, jiff::Timestamp::now()).await?;
    tx.commit().await?;
    app.assistant.outbox_ready().notify_one();
    Ok(())
}

/// Sends replies in order; long texts are split, buttons go on the last part.
pub async fn send<B: BotApi>(bot: &B, chat: ChatId, replies: &[Outgoing]) -> anyhow::Result<()> {
    for reply in replies {
        let parts = split_message(&reply.text, MAX_MESSAGE_CHARS);
        let last = parts.len() - 1;
        for (i, part) in parts.into_iter().enumerate() {
            let request = bot.send_message(chat, part);
            if i == last && !reply.buttons.is_empty() {
                let rows: Vec<Vec<InlineKeyboardButton>> = reply
                    .buttons
                    .iter()
                    .map(|b| {
                        vec![InlineKeyboardButton::callback(
                            b.label.clone(),
                            b.action.encode(reply.draft),
                        )]
                    })
                    .collect();
                request
                    .reply_markup(InlineKeyboardMarkup::new(rows))
                    .await?;
            } else {
                request.await?;
            }
        }
    }
    Ok(())
}

/// Splits a text into parts of at most `max` characters, at a line break
/// or space where one is near.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while rest.chars().count() > max {
        let cut = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let window = &rest[..cut];
        let at = window
            .rfind('\n')
            .or_else(|| window.rfind(' '))
            .filter(|&i| i > cut / 2)
            .unwrap_or(cut);
        parts.push(rest[..at].trim_end().to_string());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_at_line_breaks_within_the_limit() {
        let text = format!("{}\n{}", "a".repeat(3000), "b".repeat(3000));
        let parts = split_message(&text, MAX_MESSAGE_CHARS);
        assert_eq!(parts, vec!["a".repeat(3000), "b".repeat(3000)]);
        let long = "é".repeat(10_000);
        let parts = split_message(&long, MAX_MESSAGE_CHARS);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_MESSAGE_CHARS));
        assert_eq!(parts.concat(), long);
        assert_eq!(split_message("hi", 10), vec!["hi"]);
    }

    #[test]
    fn start_codes_are_read_from_commands_and_deep_links() {
        assert_eq!(start_code("/start ABCD2345"), Some("ABCD2345"));
        assert_eq!(start_code("/start@careline_bot ABCD2345"), Some("ABCD2345"));
        assert_eq!(start_code("/start"), None);
        assert_eq!(start_code("hello"), None);
    }
}
