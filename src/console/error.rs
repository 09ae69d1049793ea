//! The console's one error type: plain messages for people, details in the
//! log (never message text).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::pages;
use crate::storage::StorageError;

/// Everything a console request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// No valid session: go and sign in.
    #[error("not signed in")]
    SignIn,
    /// Signed in, but not allowed (staff on an admin page).
    #[error("not allowed")]
    Forbidden,
    /// The form's CSRF token is missing or wrong.
    #[error("bad or missing CSRF token")]
    Csrf,
    /// No such item or page.
    #[error("not found")]
    NotFound,
    /// The action can't be done in the item's state (the message says why).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The form was filled in wrongly (the message says how).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Anything else; logged, shown as a plain apology.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StorageError> for ConsoleError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(_) => ConsoleError::NotFound,
            e => ConsoleError::Internal(e.into()),
        }
    }
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            ConsoleError::SignIn => return Redirect::to("/signin").into_response(),
            ConsoleError::Forbidden => (StatusCode::FORBIDDEN, "That page is for admins only.".to_string()),
            ConsoleError::Csrf => (
                StatusCode::FORBIDDEN,
                "That form has expired or did not come from this console. Go back, reload the page and try again."
                    .to_string(),
            ),
            ConsoleError::NotFound => (StatusCode::NOT_FOUND, "There is no such page or item.".to_string()),
            ConsoleError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            ConsoleError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            ConsoleError::Internal(e) => {
                tracing::error!(error = %e, "console request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side; nothing was changed. Please try again.".to_string(),
                )
            }
        };
        (status, pages::message_page(status, &message)).into_response()
    }
}
