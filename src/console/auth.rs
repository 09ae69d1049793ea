//! Sessions: the signed-in staff member as an extractor, sign-in and
//! sign-out, and CSRF checks.

use std::time::Duration;

use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use maud::Markup;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{ConsoleError, ConsoleState, pages};
use crate::storage::{Role, SignIn, StaffSession};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "careline_session";
/// The sign-in form's double-submit CSRF cookie.
const SIGNIN_CSRF_COOKIE: &str = "careline_signin";

/// A signed-in staff member (any role).
pub struct Staff(pub StaffSession);

/// A signed-in admin.
pub struct Admin(pub StaffSession);

impl FromRequestParts<ConsoleState> for Staff {
    type Rejection = ConsoleError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ConsoleState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).ok_or(ConsoleError::SignIn)?;
        let session = state
            .store
            .session(token.value(), jiff::Timestamp::now())
            .await?
            .ok_or(ConsoleError::SignIn)?;
        Ok(Staff(session))
    }
}

impl FromRequestParts<ConsoleState> for Admin {
    type Rejection = ConsoleError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ConsoleState,
    ) -> Result<Self, Self::Rejection> {
        let Staff(session) = Staff::from_request_parts(parts, state).await?;
        if session.role != Role::Admin {
            state
                .store
                .audit(
                    Some(session.staff_id),
                    "admin_refused",
                    None,
                    parts.uri.path(),
                )
                .await?;
            return Err(ConsoleError::Forbidden);
        }
        Ok(Admin(session))
    }
}

/// Refuses a form whose CSRF token is not the session's.
pub fn check_csrf(session: &StaffSession, given: &str) -> Result<(), ConsoleError> {
    if bool::from(given.as_bytes().ct_eq(session.csrf.as_bytes())) {
        Ok(())
    } else {
        Err(ConsoleError::Csrf)
    }
}

/// A browser-session cookie (the server decides when a session expires).
fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build()
}

fn random_token() -> Result<String, ConsoleError> {
    let mut buf = [0u8; 24];
    getrandom::getrandom(&mut buf).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(<base64ct::Base64UrlUnpadded as base64ct::Encoding>::encode_string(&buf))
}

/// GET /signin.
pub async fn signin_page(
    State(state): State<ConsoleState>,
    jar: CookieJar,
) -> Result<(CookieJar, Markup), ConsoleError> {
    let token = random_token()?;
    let jar = jar.add(cookie(
        SIGNIN_CSRF_COOKIE,
        token.clone(),
        state.secure_cookies,
    ));
    Ok((jar, pages::signin(&token, None)))
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// POST /signin.
pub async fn signin(
    State(state): State<ConsoleState>,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Result<Response, ConsoleError> {
    let expected = jar.get(SIGNIN_CSRF_COOKIE).map(|c| c.value().to_string());
    match expected {
        Some(e)
            if !form.csrf.is_empty() && bool::from(form.csrf.as_bytes().ct_eq(e.as_bytes())) => {}
        _ => return Err(ConsoleError::Csrf),
    }
    let outcome = state
        .store
        .sign_in(form.username.trim(), &form.password, jiff::Timestamp::now())
        .await?;
    let again = |message: String| -> Result<Response, ConsoleError> {
        Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            pages::signin(&form.csrf, Some(&message)),
        )
            .into_response())
    };
    match outcome {
        SignIn::Ok(token) => {
            let jar = jar
                .add(cookie(SESSION_COOKIE, token, state.secure_cookies))
                .remove(Cookie::build(SIGNIN_CSRF_COOKIE).path("/"));
            Ok((jar, Redirect::to("/")).into_response())
        }
        SignIn::Wrong => {
            // Slow down guessing; the account locks after repeated failures.
            tokio::time::sleep(Duration::from_millis(400)).await;
            again("Wrong username or password.".to_string())
        }
        SignIn::Locked(until) => {
            tokio::time::sleep(Duration::from_millis(400)).await;
            again(format!(
                "Too many failed sign-ins: this account is locked until {} UTC. Ask an admin if you need it sooner.",
                until.strftime("%H:%M")
            ))
        }
    }
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// POST /signout.
pub async fn signout(
    State(state): State<ConsoleState>,
    Staff(session): Staff,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<(CookieJar, Redirect), ConsoleError> {
    check_csrf(&session, &form.csrf)?;
    if let Some(token) = jar.get(SESSION_COOKIE) {
        state.store.sign_out(token.value()).await?;
    }
    state
        .store
        .audit(Some(session.staff_id), "sign_out", None, "")
        .await?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/signin")))
}
