//! The console's HTML, with maud (escaped by default). Plain forms, no
//! JavaScript; a narrow-screen layout so a phone can be used.

use axum::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

use super::RulesInfo;
use crate::hours::OfficeHours;
use crate::storage::{
    AuditEntry, HistoryEntry, QueueFilter, QueueItem, QueueRow, RecipientRef, StaffAccount,
    StaffSession,
};

const CSS: &str = "
body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{background:#123;color:#fff;padding:.6em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
header a{color:#fff} header form{margin-left:auto}
main{padding:1em;max-width:1100px;margin:auto}
.scroll{overflow-x:auto} table{border-collapse:collapse;width:100%;background:#fff}
th,td{padding:.4em .5em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.flag{font-weight:bold;color:#fff;background:#b00020;padding:0 .4em;border-radius:3px}
.flag.urgent{background:#c25e00}
.overdue{color:#b00020;font-weight:bold}
pre{white-space:pre-wrap;background:#fff;padding:.8em;border:1px solid #ddd}
form.inline{display:inline} fieldset{border:1px solid #ccc;margin:.8em 0;background:#fff}
textarea,input[type=text],input[type=password],select{width:100%;max-width:40em;box-sizing:border-box;padding:.3em}
button{padding:.35em .9em} .error{color:#b00020} .muted{color:#666}
form[method=get] select{width:auto}
";

fn layout(title: &str, staff: Option<&StaffSession>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Careline" }
                style { (maud::PreEscaped(CSS)) }
            }
            body {
                header {
                    strong { "Careline" }
                    @if let Some(s) = staff {
                        a href="/" { "Queue" }
                        @if s.role == crate::storage::Role::Admin { a href="/admin" { "Admin" } }
                        form method="post" action="/signout" {
                            input type="hidden" name="csrf" value=(s.csrf);
                            span { (s.display_name) " " }
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// A page with one message (errors).
pub fn message_page(status: StatusCode, message: &str) -> Markup {
    layout(
        status.canonical_reason().unwrap_or("Error"),
        None,
        html! { p { (message) } p { a href="/" { "Back to the queue" } } },
    )
}

/// The sign-in page.
pub fn signin(csrf: &str, error: Option<&str>) -> Markup {
    layout(
        "Sign in",
        None,
        html! {
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/signin" {
                input type="hidden" name="csrf" value=(csrf);
                p { label { "Username" br; input type="text" name="username" autocomplete="username" required; } }
                p { label { "Password" br; input type="password" name="password" autocomplete="current-password" required; } }
                button type="submit" { "Sign in" }
            }
        },
    )
}

/// "3 h 20 min left" or "overdue by 1 h", on the office's business-hours clock.
pub fn time_left(
    hours: Option<&OfficeHours>,
    due: jiff::Timestamp,
    now: jiff::Timestamp,
) -> (String, bool) {
    let words = |d: jiff::SignedDuration| {
        let mins = d.as_secs() / 60;
        if mins >= 60 {
            format!("{} h {} min", mins / 60, mins % 60)
        } else {
            format!("{mins} min")
        }
    };
    if due <= now {
        let late = hours.map_or_else(
            || now.duration_since(due),
            |h| h.business_time_between(due, now),
        );
        return (format!("overdue by {}", words(late)), true);
    }
    let left = hours.map_or_else(
        || due.duration_since(now),
        |h| h.business_time_between(now, due),
    );
    (format!("{} left", words(left)), false)
}

fn age(created: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let mins = now.duration_since(created).as_secs().max(0) / 60;
    match mins {
        m if m < 60 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} d", m / (24 * 60)),
    }
}

fn flag(level: Option<&str>) -> Markup {
    html! {
        @match level {
            Some(l @ ("emergency" | "crisis")) => span.flag title="Member went on past a safety warning" { (l) }
            Some(l) => span.flag.urgent { (l) }
            None => {}
        }
    }
}

/// The queue page.
pub struct QueueView<'a> {
    /// Who is looking.
    pub staff: &'a StaffSession,
    /// The rows.
    pub rows: &'a [QueueRow],
    /// Filters in effect.
    pub filter: &'a QueueFilter,
    /// Recipients for the filter.
    pub recipients: &'a [RecipientRef],
    /// Office hours per recipient.
    pub hours: &'a std::collections::HashMap<i64, OfficeHours>,
    /// The next page's link, if there is one.
    pub next: Option<String>,
    /// Now.
    pub now: jiff::Timestamp,
}

/// The queue: safety first, then priority, then age.
pub fn queue(v: &QueueView<'_>) -> Markup {
    let statuses = ["new", "claimed", "answered", "closed"];
    layout(
        "Queue",
        Some(v.staff),
        html! {
            form method="get" action="/" {
                label { "Recipient " select name="recipient" {
                    option value="" { "All" }
                    @for r in v.recipients {
                        option value=(r.id) selected[v.filter.recipient == Some(r.id)] { (r.name) }
                    }
                } }
                " "
                label { "Status " select name="status" {
                    option value="" { "Open" }
                    @for s in statuses {
                        option value=(s) selected[v.filter.status.as_deref() == Some(s)] { (s) }
                    }
                } }
                " " button type="submit" { "Filter" }
            }
            form.inline method="post" action="/next" {
                input type="hidden" name="csrf" value=(v.staff.csrf);
                button type="submit" { "Take the next message" }
            }
            div.scroll { table {
                thead { tr { th { "Flag" } th { "Ref" } th { "To" } th { "Kind" } th { "Subject" } th { "Age" } th { "Reply due" } th { "Status" } } }
                tbody {
                    @for r in v.rows {
                        @let (left, overdue) = time_left(v.hours.get(&r.recipient_id), r.summary.due_at, v.now);
                        tr {
                            td { (flag(r.summary.safety_level.as_deref())) }
                            td { a href=(format!("/items/{}", r.summary.id)) { (r.summary.reference) } }
                            td { (r.summary.recipient) }
                            td { (r.summary.kind) }
                            td { (r.summary.subject) }
                            td { (age(r.summary.created_at, v.now)) }
                            td class=[overdue.then_some("overdue")] { (left) }
                            td { (r.summary.status) @if let Some(c) = &r.claimed_by { br; span.muted { (c) } } }
                        }
                    }
                }
            } }
            @if v.rows.is_empty() { p.muted { "Nothing here." } }
            @if let Some(next) = &v.next { p { a href=(next) rel="next" { "Next page →" } } }
        },
    )
}

/// The item page.
pub struct ItemView<'a> {
    /// Who is looking.
    pub staff: &'a StaffSession,
    /// The item.
    pub item: &'a QueueItem,
    /// Who holds the claim (staff id), if anyone.
    pub claimed_by: Option<i64>,
    /// Replies and notes.
    pub history: &'a [HistoryEntry],
    /// Audit rows for the item.
    pub audit: &'a [AuditEntry],
    /// Recipients to reassign to.
    pub recipients: &'a [RecipientRef],
}

/// One item, with every action.
pub fn item(v: &ItemView<'_>) -> Markup {
    let s = &v.item.summary;
    let csrf = &v.staff.csrf;
    let action = |path: &str| format!("/items/{}/{path}", s.id);
    let mine = v.claimed_by == Some(v.staff.staff_id);
    layout(
        &s.reference,
        Some(v.staff),
        html! {
            p { (flag(s.safety_level.as_deref())) " " strong { (s.subject) } }
            div.scroll { table {
                tr { th { "Status" } td { (s.status) } }
                tr { th { "Priority" } td { (format!("{:?}", s.priority).to_lowercase()) } }
                tr { th { "From" } td { (v.item.member_name) " (" (v.item.member_number) ")" } }
                tr { th { "To" } td { (s.recipient) } }
                tr { th { "Kind" } td { (s.kind) } }
                tr { th { "Sent" } td { (s.created_at.strftime("%Y-%m-%d %H:%M UTC")) } }
                tr { th { "Reply due" } td { (s.due_at.strftime("%Y-%m-%d %H:%M UTC")) } }
                @if !v.item.safety_rules.is_empty() {
                    tr { th { "Safety" } td { "The member was warned (" (s.safety_level.as_deref().unwrap_or("")) ") and went on. Rules: " (v.item.safety_rules.join(", ")) } }
                }
            } }
            h2 { "Message" }
            pre { (v.item.details) }
            @if s.status != "closed" {
                fieldset {
                    legend { "Claim" }
                    @match v.claimed_by {
                        None => form.inline method="post" action=(action("claim")) {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" { "Claim" }
                        },
                        Some(_) => form.inline method="post" action=(action("release")) {
                            input type="hidden" name="csrf" value=(csrf);
                            span { @if mine { "You hold the claim. " } @else { "Claimed by a colleague. " } }
                            button type="submit" { "Release" }
                        },
                    }
                }
                fieldset {
                    legend { "Reply to the member" }
                    form method="post" action=(action("reply")) {
                        input type="hidden" name="csrf" value=(csrf);
                        textarea name="text" rows="5" required aria-label="Reply" {}
                        br; button type="submit" { "Send reply" }
                    }
                }
                fieldset {
                    legend { "Internal note (staff only)" }
                    form method="post" action=(action("note")) {
                        input type="hidden" name="csrf" value=(csrf);
                        textarea name="text" rows="3" required aria-label="Note" {}
                        br; button type="submit" { "Add note" }
                    }
                }
                fieldset {
                    legend { "Reassign" }
                    form method="post" action=(action("reassign")) {
                        input type="hidden" name="csrf" value=(csrf);
                        select name="recipient" aria-label="Recipient" {
                            @for r in v.recipients { option value=(r.id) { (r.name) } }
                        }
                        " " button type="submit" { "Reassign" }
                    }
                }
                fieldset {
                    legend { "Close" }
                    form method="post" action=(action("close")) {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="text" name="outcome" required placeholder="Outcome the member will read" aria-label="Outcome";
                        br; button type="submit" { "Close" }
                    }
                }
            }
            h2 { "History" }
            @if v.history.is_empty() { p.muted { "No replies or notes yet." } }
            @for h in v.history {
                p { strong { (h.what) } " · " (h.who) " · " span.muted { (h.at.strftime("%Y-%m-%d %H:%M UTC")) } }
                pre { (h.text) }
            }
            h2 { "Audit" }
            div.scroll { table {
                @for a in v.audit {
                    tr { td { (a.at.strftime("%Y-%m-%d %H:%M:%S")) } td { (a.who.as_deref().unwrap_or("-")) } td { (a.action) } }
                }
            } }
        },
    )
}

/// A time as the rules section shows it.
fn stamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The admin page.
pub fn admin(
    staff: &StaffSession,
    accounts: &[StaffAccount],
    rules: &RulesInfo,
    audit: &[AuditEntry],
) -> Markup {
    layout(
        "Admin",
        Some(staff),
        html! {
            h2 { "Rules in force" }
            @if let Some(failed) = rules.last_error_at {
                p.error role="alert" {
                    "The last reload of the rules failed at " (stamp(failed))
                    ": the rules in force are the last good set, loaded at "
                    (rules.loaded_at.map(stamp).unwrap_or_default())
                    ". Fix the problems below: the next save is loaded automatically."
                }
            }
            div.scroll { table {
                tr { th { "Fingerprint" } td { code { (rules.fingerprint) } } }
                tr { th { "Loaded" } td { (rules.loaded_at.map(stamp).unwrap_or_default()) } }
                tr { th { "Folder" } td { (rules.dir) } }
                tr { th { "Contents" } td { (rules.summary) } }
                tr { th { "Last reload error" } td { @match &rules.last_error { Some(e) => pre.error { (e) }, None => "none" } } }
            } }
            h2 { "Staff" }
            div.scroll { table {
                thead { tr { th { "Username" } th { "Name" } th { "Role" } th { "State" } th { "Change" } } }
                @for a in accounts {
                    tr {
                        td { (a.username) } td { (a.display_name) } td { (a.role.as_str()) }
                        td {
                            @if !a.active { "deactivated" }
                            @else if let Some(t) = a.locked_until { "locked until " (t.strftime("%H:%M UTC").to_string()) }
                            @else { "active" }
                        }
                        td {
                            @for (change, label) in [("unlock", "Unlock"), (if a.active { "deactivate" } else { "activate" }, if a.active { "Deactivate" } else { "Activate" })] {
                                form.inline method="post" action=(format!("/admin/staff/{}/{change}", a.id)) {
                                    input type="hidden" name="csrf" value=(staff.csrf);
                                    button type="submit" { (label) }
                                }
                                " "
                            }
                        }
                    }
                }
            } }
            fieldset {
                legend { "Add a staff account" }
                form method="post" action="/admin/staff" {
                    input type="hidden" name="csrf" value=(staff.csrf);
                    p { label { "Username" br; input type="text" name="username" required; } }
                    p { label { "Name" br; input type="text" name="display_name" required; } }
                    p { label { "Role " select name="role" { option value="staff" { "staff" } option value="admin" { "admin" } } } }
                    p { label { "Password (12+ characters)" br; input type="password" name="password" autocomplete="new-password" required; } }
                    button type="submit" { "Add" }
                }
            }
            h2 { "Audit log" }
            div.scroll { table {
                thead { tr { th { "When (UTC)" } th { "Who" } th { "Action" } th { "Item" } th { "Detail" } } }
                @for a in audit {
                    tr {
                        td { (a.at.strftime("%Y-%m-%d %H:%M:%S")) }
                        td { (a.who.as_deref().unwrap_or("-")) }
                        td { (a.action) }
                        td { @if let Some(i) = a.item { a href=(format!("/items/{i}")) { (crate::storage::reference(i)) } } }
                        td { (a.detail) }
                    }
                }
            } }
        },
    )
}
