//! The staff console: server-rendered pages (axum + maud) for working the
//! portal queue, and for admins, staff accounts, the audit log and the rules
//! in force. No JavaScript is needed for any action; every form carries a
//! CSRF token; every view and action is audited.
//!
//! It must never log message text, member names or phone numbers.

mod auth;
mod error;
mod pages;
mod routes;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;

pub use auth::SESSION_COOKIE;
pub use error::ConsoleError;

use crate::storage::Store;

/// What admins see about the rules in force.
#[derive(Debug, Clone, Default)]
pub struct RulesInfo {
    /// The rules' fingerprint (a hash of the compiled set).
    pub fingerprint: String,
    /// When they were loaded.
    pub loaded_at: Option<jiff::Timestamp>,
    /// The folder they came from.
    pub dir: String,
    /// Counts, in words.
    pub summary: String,
    /// The last reload error (`path:line: what`), if the last reload failed.
    pub last_error: Option<String>,
    /// When the last reload failed (the rules in force are then the last
    /// good set, loaded at `loaded_at`).
    pub last_error_at: Option<jiff::Timestamp>,
}

impl RulesInfo {
    /// What a freshly loaded screener says about itself.
    pub fn of(screener: &crate::screening::Screener, dir: &std::path::Path) -> Self {
        let stats = screener.stats();
        Self {
            fingerprint: screener.fingerprint().to_string(),
            loaded_at: Some(jiff::Timestamp::now()),
            dir: dir.display().to_string(),
            summary: format!(
                "{} rules in {} files, {} examples",
                stats.rules, stats.files, stats.examples
            ),
            last_error: None,
            last_error_at: None,
        }
    }

    /// What a rules handle says about the set in force and the last reload.
    pub fn of_status(status: &crate::rules_watch::RulesStatus, dir: &std::path::Path) -> Self {
        let stats = &status.stats;
        Self {
            fingerprint: status.fingerprint.clone(),
            loaded_at: Some(status.loaded_at),
            dir: dir.display().to_string(),
            summary: format!(
                "{} rules in {} files, {} examples",
                stats.rules, stats.files, stats.examples
            ),
            last_error: status.last_error.as_ref().map(|e| e.lines()),
            last_error_at: status.last_error.as_ref().map(|e| e.at),
        }
    }

    /// Rules info that follows `rules`: updated after every reload, for
    /// [`ConsoleState::rules`].
    pub fn follow(
        rules: &crate::rules_watch::RulesHandle,
        dir: &std::path::Path,
    ) -> Arc<RwLock<Self>> {
        let info = Arc::new(RwLock::new(Self::of_status(&rules.status(), dir)));
        let dir = dir.to_path_buf();
        let shared = Arc::clone(&info);
        rules.on_change(move |status| {
            let fresh = Self::of_status(status, &dir);
            *shared
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        });
        info
    }
}

/// Shared by every console request.
#[derive(Clone)]
pub struct ConsoleState {
    /// The database.
    pub store: Store,
    /// The rules in force (updated by a reload).
    pub rules: Arc<RwLock<RulesInfo>>,
    /// Mark cookies Secure (when served over TLS).
    pub secure_cookies: bool,
}

/// The whole console.
pub fn router(state: ConsoleState) -> Router {
    routes::router().with_state(state)
}

/// Serves the console on `addr` until Ctrl-C.
pub async fn serve(state: ConsoleState, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(listen = %addr, "console listening");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
