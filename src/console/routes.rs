//! The console's routes: the queue, an item and its actions, admin.

use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::Markup;
use serde::Deserialize;

use super::auth::{self, Admin, Staff, check_csrf};
use super::{ConsoleError, ConsoleState, pages};
use crate::storage::{PageAfter, QueueFilter, Role, StaffSession};

/// Items per queue page.
pub const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<ConsoleState> {
    Router::new()
        .route("/", get(queue))
        .route("/signin", get(auth::signin_page).post(auth::signin))
        .route("/signout", post(auth::signout))
        .route("/next", post(take_next))
        .route("/items/{id}", get(item))
        .route("/items/{id}/claim", post(claim))
        .route("/items/{id}/release", post(release))
        .route("/items/{id}/reply", post(reply))
        .route("/items/{id}/note", post(note))
        .route("/items/{id}/reassign", post(reassign))
        .route("/items/{id}/close", post(close))
        .route("/admin", get(admin))
        .route("/admin/staff", post(add_staff))
        .route("/admin/staff/{id}/{change}", post(change_staff))
        .route("/health", get(|| async { "ok" }))
}

#[derive(Debug, Deserialize)]
struct QueueQuery {
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    after: String,
}

async fn queue(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Markup, ConsoleError> {
    let filter = QueueFilter {
        recipient: q.recipient.parse().ok(),
        status: (!q.status.is_empty()).then(|| q.status.clone()),
    };
    let after = PageAfter::decode(&q.after);
    let rows = state.store.queue_page(&filter, after, PAGE_SIZE).await?;
    let recipients = state.store.all_recipients().await?;
    let hours = state.store.recipient_hours().await?;
    let next = (rows.len() as i64 == PAGE_SIZE).then(|| {
        format!(
            "/?recipient={}&status={}&after={}",
            q.recipient,
            q.status,
            rows.last().map(|r| r.cursor.encode()).unwrap_or_default()
        )
    });
    record(&state, &staff, "view_queue", None, "").await?;
    Ok(pages::queue(&pages::QueueView {
        staff: &staff,
        rows: &rows,
        filter: &filter,
        recipients: &recipients,
        hours: &hours,
        next,
        now: jiff::Timestamp::now(),
    }))
}

async fn item(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Path(id): Path<i64>,
) -> Result<Markup, ConsoleError> {
    let item = state.store.queue_item(id).await?;
    record(&state, &staff, "view_item", Some(id), "").await?;
    let history = state.store.item_history(id).await?;
    let audit = state.store.audit_log(Some(id), 100).await?;
    let recipients = state.store.all_recipients().await?;
    let claimed_by = state.store.claimed_by(id).await?;
    Ok(pages::item(&pages::ItemView {
        staff: &staff,
        item: &item,
        claimed_by,
        history: &history,
        audit: &audit,
        recipients: &recipients,
    }))
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

#[derive(Debug, Deserialize)]
struct TextForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

/// Appends an audit row for what `staff` just did.
async fn record(
    state: &ConsoleState,
    staff: &StaffSession,
    action: &str,
    item: Option<i64>,
    detail: &str,
) -> Result<(), ConsoleError> {
    Ok(state
        .store
        .audit(Some(staff.staff_id), action, item, detail)
        .await?)
}

fn back(id: i64) -> Redirect {
    Redirect::to(&format!("/items/{id}"))
}

/// Makes sure `staff` holds the claim: claims an unclaimed item; refuses
/// one a colleague holds.
async fn hold_claim(
    state: &ConsoleState,
    staff: &StaffSession,
    id: i64,
) -> Result<(), ConsoleError> {
    match state.store.claimed_by(id).await? {
        Some(holder) if holder == staff.staff_id => Ok(()),
        Some(_) => Err(ConsoleError::Conflict(
            "A colleague has claimed this message. Ask them, or an admin, to release it first."
                .into(),
        )),
        None => {
            if state
                .store
                .claim(id, staff.staff_id, jiff::Timestamp::now())
                .await?
            {
                record(state, staff, "claim", Some(id), "").await?;
                Ok(())
            } else {
                Err(ConsoleError::Conflict(
                    "This message was just claimed by a colleague, or is closed.".into(),
                ))
            }
        }
    }
}

async fn claim(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    state.store.queue_item(id).await?;
    if !state
        .store
        .claim(id, staff.staff_id, jiff::Timestamp::now())
        .await?
    {
        return Err(ConsoleError::Conflict(
            "This message is already claimed by a colleague, or closed.".into(),
        ));
    }
    record(&state, &staff, "claim", Some(id), "").await?;
    Ok(back(id))
}

/// Claims the next unclaimed message for the signed-in staff member and
/// opens it.
async fn take_next(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Form(form): Form<CsrfOnly>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    let Some(id) = state
        .store
        .claim_next(staff.staff_id, jiff::Timestamp::now())
        .await?
    else {
        return Err(ConsoleError::Conflict(
            "No unclaimed new messages are waiting.".into(),
        ));
    };
    record(&state, &staff, "claim", Some(id), "next").await?;
    Ok(back(id))
}

async fn release(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    let any = staff.role == Role::Admin;
    if !state.store.release(id, staff.staff_id, any).await? {
        return Err(ConsoleError::Conflict(
            "Only the colleague who claimed this message, or an admin, can release it.".into(),
        ));
    }
    record(&state, &staff, "release", Some(id), "").await?;
    Ok(back(id))
}

async fn reply(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    let text = form.text.trim();
    if text.is_empty() {
        return Err(ConsoleError::BadRequest("A reply needs some text.".into()));
    }
    hold_claim(&state, &staff, id).await?;
    let outbox = state
        .store
        .reply_to_item(id, &staff.display_name, text, jiff::Timestamp::now())
        .await?;
    let detail = if outbox.is_some() {
        "delivered via Telegram"
    } else {
        "no Telegram chat"
    };
    record(&state, &staff, "reply", Some(id), detail).await?;
    Ok(back(id))
}

async fn note(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    let text = form.text.trim();
    if text.is_empty() {
        return Err(ConsoleError::BadRequest("A note needs some text.".into()));
    }
    state.store.queue_item(id).await?;
    state.store.add_note(id, staff.staff_id, text).await?;
    record(&state, &staff, "note", Some(id), "").await?;
    Ok(back(id))
}

#[derive(Debug, Deserialize)]
struct ReassignForm {
    #[serde(default)]
    csrf: String,
    recipient: i64,
}

async fn reassign(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ReassignForm>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    hold_claim(&state, &staff, id).await?;
    state.store.reassign(id, form.recipient).await?;
    let detail = format!("to recipient {}", form.recipient);
    record(&state, &staff, "reassign", Some(id), &detail).await?;
    Ok(back(id))
}

#[derive(Debug, Deserialize)]
struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
}

async fn close(
    State(state): State<ConsoleState>,
    Staff(staff): Staff,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    let outcome = form.outcome.trim();
    if outcome.is_empty() {
        return Err(ConsoleError::BadRequest(
            "Say the outcome the member will read.".into(),
        ));
    }
    hold_claim(&state, &staff, id).await?;
    state
        .store
        .close_item(id, outcome, jiff::Timestamp::now())
        .await?;
    record(&state, &staff, "close", Some(id), "").await?;
    Ok(Redirect::to("/"))
}

async fn admin(
    State(state): State<ConsoleState>,
    Admin(staff): Admin,
) -> Result<Markup, ConsoleError> {
    let accounts = state.store.staff_accounts().await?;
    let audit = state.store.audit_log(None, 200).await?;
    record(&state, &staff, "view_admin", None, "").await?;
    let rules = state
        .rules
        .read()
        .map_err(|_| anyhow::anyhow!("rules info lock poisoned"))?
        .clone();
    Ok(pages::admin(&staff, &accounts, &rules, &audit))
}

#[derive(Debug, Deserialize)]
struct StaffForm {
    #[serde(default)]
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    password: String,
}

async fn add_staff(
    State(state): State<ConsoleState>,
    Admin(staff): Admin,
    Form(form): Form<StaffForm>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    let role =
        Role::parse(&form.role).ok_or_else(|| ConsoleError::BadRequest("Unknown role.".into()))?;
    if form.password.chars().count() < 12 {
        return Err(ConsoleError::BadRequest(
            "Passwords need at least 12 characters.".into(),
        ));
    }
    let username = form.username.trim();
    state
        .store
        .add_staff(username, form.display_name.trim(), role, &form.password)
        .await
        .map_err(|_| {
            ConsoleError::Conflict(format!(
                "Could not add {username:?}: the username may be taken."
            ))
        })?;
    record(
        &state,
        &staff,
        "add_staff",
        None,
        &format!("{username} as {}", role.as_str()),
    )
    .await?;
    Ok(Redirect::to("/admin"))
}

/// POST /admin/staff/{id}/unlock | deactivate | activate.
async fn change_staff(
    State(state): State<ConsoleState>,
    Admin(staff): Admin,
    Path((id, change)): Path<(i64, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Redirect, ConsoleError> {
    check_csrf(&staff, &form.csrf)?;
    let done = match change.as_str() {
        "unlock" => state.store.unlock_staff(id).await?,
        "deactivate" if id == staff.staff_id => {
            return Err(ConsoleError::Conflict(
                "You can't deactivate your own account.".into(),
            ));
        }
        "deactivate" => state.store.set_staff_active(id, false).await?,
        "activate" => state.store.set_staff_active(id, true).await?,
        _ => return Err(ConsoleError::NotFound),
    };
    if !done {
        return Err(ConsoleError::NotFound);
    }
    let action = format!("staff_{change}");
    record(&state, &staff, &action, None, &format!("staff {id}")).await?;
    Ok(Redirect::to("/admin"))
}
