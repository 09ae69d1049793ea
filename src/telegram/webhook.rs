//! Webhook mode: Telegram POSTs each update to `/telegram/webhook`.
//!
//! Every request must carry the secret token Careline gave Telegram in
//! `setWebhook` (header `X-Telegram-Bot-Api-Secret-Token`, compared in
//! constant time); anything else gets 401 and is not read. An update is
//! answered 200 only after its turn is committed, so if Careline fails or
//! crashes first, Telegram delivers it again.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use subtle::ConstantTimeEq;
use teloxide::prelude::*;

use super::{BotApi, BotApp, register_commands, schema};

/// The path Telegram posts to.
pub const PATH: &str = "/telegram/webhook";

/// The secret header Telegram sends.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Where Telegram reaches Careline.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The public base URL (https://careline.example.org); PATH is appended.
    pub url: url::Url,
    /// The secret token (at least 16 characters; from the environment).
    pub secret: String,
    /// The address to listen on.
    pub listen: SocketAddr,
}

#[derive(Clone)]
struct Hook<B> {
    bot: B,
    app: Arc<BotApp>,
    secret: Arc<str>,
}

/// The webhook route, to serve alone or beside other routes.
pub fn router<B: BotApi>(bot: B, app: Arc<BotApp>, secret: &str) -> Router {
    Router::new()
        .route(PATH, post(receive::<B>))
        .with_state(Hook {
            bot,
            app,
            secret: secret.into(),
        })
}

async fn receive<B: BotApi>(
    State(hook): State<Hook<B>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(given.ct_eq(hook.secret.as_bytes())) {
        tracing::warn!("webhook request without the right secret token refused");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(update) = serde_json::from_slice::<Update>(&body) else {
        // Telegram would only send the same bytes again.
        tracing::warn!("unreadable webhook update ignored");
        return StatusCode::OK;
    };
    let deps = dptree::deps![hook.bot.clone(), update, Arc::clone(&hook.app)];
    match schema::<B>().dispatch(deps).await {
        std::ops::ControlFlow::Break(Err(e)) => {
            tracing::error!(error = %e, "webhook update failed; Telegram will send it again");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::OK,
    }
}

/// Registers the webhook with Telegram and serves it until Ctrl-C, with the
/// outbox delivery worker beside it.
pub async fn run<B: BotApi>(bot: B, app: BotApp, hook: Webhook) -> anyhow::Result<()> {
    anyhow::ensure!(
        hook.secret.len() >= 16,
        "the webhook secret (CARELINE_WEBHOOK_SECRET) must have at least 16 characters"
    );
    register_commands(&bot).await?;
    let endpoint = hook.url.join(PATH.trim_start_matches('/'))?;
    bot.set_webhook(endpoint)
        .secret_token(hook.secret.clone())
        .await?;
    let worker = tokio::spawn(super::delivery::run(
        bot.clone(),
        app.assistant.store().clone(),
        app.assistant.outbox_ready(),
    ));
    let listener = tokio::net::TcpListener::bind(hook.listen).await?;
    tracing::info!(listen = %hook.listen, "webhook listening");
    axum::serve(listener, router(bot, Arc::new(app), &hook.secret))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    worker.abort();
    Ok(())
}
