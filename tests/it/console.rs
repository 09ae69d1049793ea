//! The staff console over HTTP: a console on port 0 with a fresh database,
//! a real HTTP client, cookies and forms as a browser sends them.

use std::sync::{Arc, RwLock};

use careline::console::{ConsoleState, RulesInfo, SESSION_COOKIE};
use careline::conversation::Submission;
use careline::domain::{Priority, RequestKind, SafetyFlag, Subject};
use careline::screening::Level;
use careline::storage::{self, NewItem, Role, Store};
use reqwest::redirect::Policy;

pub struct Console {
    pub base: String,
    pub store: Store,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A signed-in browser: its cookie and the session's CSRF token.
#[derive(Clone)]
pub struct Session {
    cookie: String,
    pub csrf: String,
}

pub const PASSWORD: &str = "correct horse battery";

fn hidden_csrf(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF field");
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// Queues a message from Telegram chat `chat` for member M-1.
pub async fn seed_item(
    store: &Store,
    chat: i64,
    draft: u32,
    subject: &str,
    details: &str,
    flag: Option<Level>,
) -> i64 {
    let member = store.ensure_member("M-1", "Pat Member").await.unwrap();
    let submission = Submission {
        draft_no: draft,
        recipient_id: 1,
        kind: RequestKind::Refill,
        subject: Subject::parse(subject).unwrap(),
        details: details.into(),
        priority: flag.map_or(Priority::Normal, Priority::for_level),
        flags: flag
            .map(|level| {
                vec![SafetyFlag {
                    level,
                    rules: vec!["emergency.core.chest-pain".into()],
                }]
            })
            .unwrap_or_default(),
    };
    let now = jiff::Timestamp::now();
    let mut tx = store.begin().await.unwrap();
    let chat_key = format!("telegram:{chat}");
    let (id, _) = storage::enqueue(
        &mut tx,
        NewItem {
            chat: &chat_key,
            member,
            submission: &submission,
            now,
            due: now,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

impl Console {
    pub async fn start() -> Self {
        let rules = RulesInfo::of(
            crate::helpers::shipped_screener(),
            std::path::Path::new("rules"),
        );
        Self::start_with_rules(Arc::new(RwLock::new(rules))).await
    }

    /// A console showing `rules` on its admin page.
    pub async fn start_with_rules(rules: Arc<RwLock<RulesInfo>>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("console.db").display());
        let store = Store::open(&url).await.unwrap();
        for (user, name, role) in [
            ("admin", "Alex Admin", Role::Admin),
            ("sam", "Sam Staff", Role::Staff),
            ("kim", "Kim Staff", Role::Staff),
        ] {
            store.add_staff(user, name, role, PASSWORD).await.unwrap();
        }
        let state = ConsoleState {
            store: store.clone(),
            rules,
            secure_cookies: false,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = careline::console::router(state);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            base: format!("http://{addr}"),
            store,
            client: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            _dir: dir,
        }
    }

    /// Tries to sign in; the response of the POST.
    pub async fn try_sign_in(&self, user: &str, password: &str) -> reqwest::Response {
        let page = self
            .client
            .get(format!("{}/signin", self.base))
            .send()
            .await
            .unwrap();
        let cookie = cookie_value(&page, "careline_signin").unwrap();
        let csrf = hidden_csrf(&page.text().await.unwrap());
        self.client
            .post(format!("{}/signin", self.base))
            .header("cookie", cookie)
            .form(&[("username", user), ("password", password), ("csrf", &csrf)])
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, user: &str) -> Session {
        let response = self.try_sign_in(user, PASSWORD).await;
        assert_eq!(response.status(), 303, "sign-in of {user}");
        let cookie = cookie_value(&response, SESSION_COOKIE).expect("a session cookie");
        let set = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>();
        let session_cookie = set.iter().find(|c| c.starts_with(SESSION_COOKIE)).unwrap();
        assert!(
            session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Strict"),
            "{session_cookie}"
        );
        let mut session = Session {
            cookie,
            csrf: String::new(),
        };
        let (_, home) = self.get(&session, "/").await;
        session.csrf = hidden_csrf(&home);
        session
    }

    pub async fn get(&self, s: &Session, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", &s.cookie)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form (the session's CSRF token is added unless `fields` has one).
    pub async fn post(&self, s: &Session, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            form.push(("csrf", &s.csrf));
        }
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &s.cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn audit_actions(&self) -> Vec<String> {
        let mut rows = self.store.audit_log(None, 1000).await.unwrap();
        rows.reverse();
        rows.into_iter().map(|a| a.action).collect()
    }
}

#[tokio::test]
async fn staff_sign_in_and_a_wrong_password_is_refused() {
    let c = Console::start().await;
    let wrong = c.try_sign_in("sam", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Wrong username or password")
    );
    let unknown = c.try_sign_in("nobody", PASSWORD).await;
    assert_eq!(unknown.status(), 401);
    let s = c.sign_in("sam").await;
    let (status, body) = c.get(&s, "/").await;
    assert_eq!(status, 200);
    assert!(body.contains("Sam Staff") && body.contains("Queue"));
    // Signing out ends the session.
    let (status, _) = c.post(&s, "/signout", &[]).await;
    assert_eq!(status, 303);
    let (status, _) = c.get(&s, "/").await;
    assert_eq!(status, 303, "the old cookie no longer works");
}

#[tokio::test]
async fn repeated_failures_lock_the_account() {
    let c = Console::start().await;
    for _ in 0..storage::MAX_FAILED_SIGN_INS {
        c.try_sign_in("kim", "guess").await;
    }
    let locked = c.try_sign_in("kim", PASSWORD).await;
    assert_eq!(
        locked.status(),
        401,
        "even the right password is refused while locked"
    );
    assert!(locked.text().await.unwrap().contains("locked until"));
    let actions = c.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "sign_in_failed").count(), 5);
}

#[tokio::test]
async fn without_a_session_every_page_sends_you_to_sign_in() {
    let c = Console::start().await;
    let nobody = Session {
        cookie: format!("{SESSION_COOKIE}=forged"),
        csrf: "x".into(),
    };
    for path in ["/", "/items/1", "/admin"] {
        let (status, _) = c.get(&nobody, path).await;
        assert_eq!(status, 303, "{path}");
    }
    let (status, _) = c.post(&nobody, "/items/1/claim", &[]).await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn staff_cannot_open_the_admin_page_and_admins_can() {
    let c = Console::start().await;
    let sam = c.sign_in("sam").await;
    let (status, body) = c.get(&sam, "/admin").await;
    assert_eq!(status, 403);
    assert!(body.contains("admins only"));
    let (status, _) = c
        .post(
            &sam,
            "/admin/staff",
            &[
                ("username", "eve"),
                ("display_name", "Eve"),
                ("role", "admin"),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    let admin = c.sign_in("admin").await;
    let (status, body) = c.get(&admin, "/admin").await;
    assert_eq!(status, 200);
    assert!(
        body.contains(crate::helpers::shipped_screener().fingerprint()),
        "rules in force shown"
    );
    assert!(
        body.contains("admin_refused"),
        "the refusal is in the audit log"
    );
    let (status, _) = c
        .post(
            &admin,
            "/admin/staff",
            &[
                ("username", "eve"),
                ("display_name", "Eve"),
                ("role", "staff"),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(c.try_sign_in("eve", "long enough password").await.status() == 303);
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let c = Console::start().await;
    let id = seed_item(
        &c.store,
        555,
        1,
        "Request for Refill",
        "Lisinopril 10 mg",
        None,
    )
    .await;
    let sam = c.sign_in("sam").await;
    let path = format!("/items/{id}/claim");
    let (status, body) = c.post(&sam, &path, &[("csrf", "")]).await;
    assert_eq!(status, 403);
    assert!(body.contains("expired"));
    let (status, _) = c.post(&sam, &path, &[("csrf", "wrong-token")]).await;
    assert_eq!(status, 403);
    let kim = c.sign_in("kim").await;
    let (status, _) = c.post(&sam, &path, &[("csrf", &kim.csrf)]).await;
    assert_eq!(status, 403, "another session's token does not count");
    assert_eq!(
        c.store.claimed_by(id).await.unwrap(),
        None,
        "nothing was claimed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_staff_claiming_at_once_one_wins() {
    let c = Arc::new(Console::start().await);
    let id = seed_item(
        &c.store,
        555,
        1,
        "Request for Refill",
        "Lisinopril 10 mg",
        None,
    )
    .await;
    let sam = c.sign_in("sam").await;
    let kim = c.sign_in("kim").await;
    let path = format!("/items/{id}/claim");
    let (a, b) = tokio::join!(c.post(&sam, &path, &[]), c.post(&kim, &path, &[]));
    let mut statuses = vec![a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, vec![303, 409], "one wins, one is told");
    // The loser can't reply or close while the winner holds it.
    let holder = c.store.claimed_by(id).await.unwrap().unwrap();
    let loser = if holder == 2 { &kim } else { &sam };
    let (status, body) = c
        .post(loser, &format!("/items/{id}/reply"), &[("text", "hi")])
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("colleague"));
}

#[tokio::test]
async fn take_the_next_message_gives_each_colleague_a_different_one() {
    let c = Arc::new(Console::start().await);
    let routine = seed_item(&c.store, 555, 1, "Request for Refill", "a", None).await;
    let flagged = seed_item(
        &c.store,
        556,
        1,
        "Symptom Question",
        "b",
        Some(Level::Emergency),
    );
    let flagged = flagged.await;
    let sam = c.sign_in("sam").await;
    let kim = c.sign_in("kim").await;
    let (queue_status, queue) = c.get(&sam, "/").await;
    assert_eq!(queue_status, 200);
    assert!(queue.contains("Take the next message"), "{queue}");
    // Sam takes first and gets the safety-flagged message; Kim the other.
    let response = c
        .client
        .post(format!("{}/next", c.base))
        .header("cookie", &sam.cookie)
        .form(&[("csrf", sam.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/items/{flagged}"));
    assert_eq!(c.post(&kim, "/next", &[]).await.0, 303);
    assert_eq!(c.store.claimed_by(routine).await.unwrap(), Some(3));
    assert_eq!(c.store.claimed_by(flagged).await.unwrap(), Some(2));
    let (status, body) = c.post(&kim, "/next", &[]).await;
    assert_eq!(status, 409);
    assert!(body.contains("No unclaimed new messages"), "{body}");
    let actions = c.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "claim").count(), 2);
}

#[tokio::test]
async fn a_reply_lands_in_the_outbox_and_every_view_and_action_is_audited() {
    let c = Console::start().await;
    let id = seed_item(
        &c.store,
        555,
        1,
        "Request for Refill",
        "<script>alert(1)</script> Lisinopril 10 mg",
        Some(Level::Emergency),
    )
    .await;
    let other = seed_item(
        &c.store,
        555,
        2,
        "Appointment Request",
        "A physical next week",
        None,
    )
    .await;
    let sam = c.sign_in("sam").await;
    let (_, queue) = c.get(&sam, "/").await;
    let flagged = queue.find(&format!("/items/{id}\"")).unwrap();
    let plain = queue.find(&format!("/items/{other}\"")).unwrap();
    assert!(flagged < plain, "the safety-flagged item comes first");
    let (status, page) = c.get(&sam, &format!("/items/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("&lt;script&gt;") && !page.contains("<script>alert"),
        "member text is escaped"
    );
    assert!(
        page.contains("emergency.core.chest-pain"),
        "the safety flag's rules are shown"
    );
    for (action, fields) in [
        ("claim", vec![]),
        ("note", vec![("text", "Called pharmacy")]),
        ("reply", vec![("text", "Sent to your pharmacy.")]),
        ("reassign", vec![("recipient", "3")]),
        ("claim", vec![]),
        ("close", vec![("outcome", "Refill sent")]),
    ] {
        let (status, body) = c
            .post(&sam, &format!("/items/{id}/{action}"), &fields)
            .await;
        assert_eq!(status, 303, "{action}: {body}");
    }
    assert_eq!(
        c.store.outbox_pending().await.unwrap(),
        2,
        "the reply and the closing note"
    );
    let item = c.store.queue_item(id).await.unwrap();
    assert_eq!(item.summary.status, "closed");
    assert_eq!(item.summary.recipient, "Pharmacy");
    let history = c.store.item_history(id).await.unwrap();
    assert_eq!(
        history.iter().map(|h| h.what.as_str()).collect::<Vec<_>>(),
        vec!["note", "reply"]
    );
    let actions = c.audit_actions().await;
    for expected in [
        "sign_in",
        "view_queue",
        "view_item",
        "claim",
        "note",
        "reply",
        "reassign",
        "close",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "no audit row for {expected}: {actions:?}"
        );
    }
    // The audit log can't be changed, even from SQL.
    let tamper = sqlx::query("DELETE FROM audit_log")
        .execute(c.store.pool())
        .await;
    assert!(tamper.is_err(), "the audit log is append-only");
}

#[tokio::test]
async fn admins_unlock_and_deactivate_staff_accounts() {
    let c = Console::start().await;
    for _ in 0..storage::MAX_FAILED_SIGN_INS {
        c.try_sign_in("kim", "guess").await;
    }
    assert_eq!(c.try_sign_in("kim", PASSWORD).await.status(), 401, "locked");
    let admin = c.sign_in("admin").await;
    let (status, _) = c.post(&admin, "/admin/staff/3/unlock", &[]).await;
    assert_eq!(status, 303);
    let kim = c.sign_in("kim").await;
    let (status, _) = c.post(&admin, "/admin/staff/3/deactivate", &[]).await;
    assert_eq!(status, 303);
    let (status, _) = c.get(&kim, "/").await;
    assert_eq!(status, 303, "a deactivated account's session ends");
    assert_eq!(c.try_sign_in("kim", PASSWORD).await.status(), 401);
    let (status, _) = c.post(&admin, "/admin/staff/1/deactivate", &[]).await;
    assert_eq!(status, 409, "admins can't lock themselves out");
    let actions = c.audit_actions().await;
    assert!(
        actions.contains(&"staff_unlock".to_string())
            && actions.contains(&"staff_deactivate".to_string())
    );
}
