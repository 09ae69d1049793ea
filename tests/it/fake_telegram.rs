//! A fake Telegram Bot API server (axum on 127.0.0.1, port 0) for tests:
//! it serves scripted updates to getUpdates, answers the methods Careline
//! uses, and records every call. The real teloxide client talks to it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use serde_json::{Value, json};

/// One recorded Bot API call.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub params: Value,
}

/// A fault the fake injects into the next sendMessage call.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// 429 Too Many Requests with retry_after (seconds).
    RetryAfter(u64),
    /// 500 Internal Server Error.
    ServerError,
    /// No answer for this long, then 500 (the client times out first).
    Hang(u64),
}

#[derive(Default)]
struct Inner {
    /// Chats whose sent messages are also forwarded as they arrive.
    listeners: std::collections::HashMap<i64, tokio::sync::mpsc::UnboundedSender<Sent>>,
    faults: std::collections::VecDeque<Fault>,
    updates: Vec<Value>,
    next_update: i64,
    next_message: i64,
    calls: Vec<Call>,
    /// Off: calls are answered (and forwarded to listeners) but not kept,
    /// so a long benchmark's memory is Careline's, not the fake's.
    forget_calls: bool,
}

/// The fake server; dropping it leaves the server task running until the test ends.
#[derive(Clone)]
pub struct FakeTelegram {
    pub url: url::Url,
    inner: Arc<Mutex<Inner>>,
}

/// A message the bot sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub text: String,
    /// (label, callback data) per button.
    pub buttons: Vec<(String, String)>,
}

impl Sent {
    fn of(params: &Value) -> Self {
        Sent {
            text: params["text"].as_str().unwrap_or("").to_string(),
            buttons: params["reply_markup"]["inline_keyboard"]
                .as_array()
                .map(|rows| {
                    rows.iter()
                        .flat_map(|r| r.as_array().unwrap().iter())
                        .map(|b| {
                            (
                                b["text"].as_str().unwrap().to_string(),
                                b["callback_data"].as_str().unwrap().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

fn user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Member"})
}

fn private_chat(id: i64) -> Value {
    json!({"id": id, "type": "private", "first_name": "Member"})
}

impl FakeTelegram {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            next_update: 1,
            next_message: 1,
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/{bot}/{method}", post(answer))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            url: format!("http://{addr}/").parse().unwrap(),
            inner,
        }
    }

    fn push(&self, kind: &str, body: Value) {
        let mut inner = self.inner.lock().unwrap();
        let id = inner.next_update;
        inner.next_update += 1;
        inner.updates.push(json!({"update_id": id, kind: body}));
    }

    fn message(&self, chat: i64, extra: Value) -> Value {
        let mut inner = self.inner.lock().unwrap();
        let id = inner.next_message;
        inner.next_message += 1;
        let mut m = json!({"message_id": id, "date": 1_764_000_000, "chat": private_chat(chat), "from": user(chat)});
        for (k, v) in extra.as_object().unwrap() {
            m[k] = v.clone();
        }
        m
    }

    /// A text update as Telegram would POST it to a webhook (not queued).
    pub fn text_update(&self, chat: i64, text: &str) -> Value {
        let m = self.message(chat, json!({"text": text}));
        let mut inner = self.inner.lock().unwrap();
        let id = inner.next_update;
        inner.next_update += 1;
        json!({"update_id": id, "message": m})
    }

    /// The member types a text; returns its message id.
    pub fn text(&self, chat: i64, text: &str) -> i64 {
        let m = self.message(chat, json!({"text": text}));
        let id = m["message_id"].as_i64().unwrap();
        self.push("message", m);
        id
    }

    /// The member sends a sticker.
    pub fn sticker(&self, chat: i64) {
        let sticker = json!({"file_id": "s1", "file_unique_id": "u1", "type": "regular",
            "width": 512, "height": 512, "is_animated": false, "is_video": false});
        let m = self.message(chat, json!({"sticker": sticker}));
        self.push("message", m);
    }

    /// The member edits an earlier message to `text`.
    pub fn edited(&self, chat: i64, text: &str) {
        let m = self.message(chat, json!({"text": text, "edit_date": 1_764_000_100}));
        self.push("edited_message", m);
    }

    /// The member taps a button with this callback data.
    pub fn tap(&self, chat: i64, data: &str) {
        let m = self.message(chat, json!({"text": "(buttons)"}));
        let id = format!("cb{}", self.inner.lock().unwrap().next_update);
        self.push(
            "callback_query",
            json!({"id": id, "from": user(chat), "chat_instance": "ci", "data": data, "message": m}),
        );
    }

    /// A button tap as Telegram would POST it to a webhook (not queued).
    #[allow(dead_code)] // used by benches/load.rs
    pub fn tap_update(&self, chat: i64, data: &str) -> Value {
        let m = self.message(chat, json!({"text": "(buttons)"}));
        let mut inner = self.inner.lock().unwrap();
        let id = inner.next_update;
        inner.next_update += 1;
        json!({"update_id": id, "callback_query": {"id": format!("cb{id}"), "from": user(chat),
            "chat_instance": "ci", "data": data, "message": m}})
    }

    /// Every message the bot sends to `chat` from now on, as it is sent.
    #[allow(dead_code)] // used by benches/load.rs
    pub fn subscribe(&self, chat: i64) -> tokio::sync::mpsc::UnboundedReceiver<Sent> {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        self.inner.lock().unwrap().listeners.insert(chat, tx);
        rx
    }

    /// Stops forwarding `chat`'s messages.
    #[allow(dead_code)] // used by benches/load.rs
    pub fn unsubscribe(&self, chat: i64) {
        self.inner.lock().unwrap().listeners.remove(&chat);
    }

    /// Stops keeping calls (subscribers still get every message).
    #[allow(dead_code)] // used by benches/load.rs
    pub fn forget_calls(&self) {
        let mut inner = self.inner.lock().unwrap();
        inner.forget_calls = true;
        inner.calls = Vec::new();
    }

    /// The next sendMessage calls fail like this, in order.
    pub fn fail_next(&self, faults: &[Fault]) {
        self.inner
            .lock()
            .unwrap()
            .faults
            .extend(faults.iter().copied());
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.inner
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// Every message sent to `chat` so far.
    pub fn sent(&self, chat: i64) -> Vec<Sent> {
        self.calls("sendMessage")
            .into_iter()
            .filter(|c| c.params["chat_id"].as_i64() == Some(chat))
            .map(|c| Sent::of(&c.params))
            .collect()
    }

    /// Waits until `chat` has received more than `seen` messages and they
    /// stop coming (100 ms of quiet); returns the new ones.
    pub async fn replies(&self, chat: i64, seen: usize) -> Vec<Sent> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        let mut count = seen;
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let now = self.sent(chat).len();
            if now > seen && now == count {
                return self.sent(chat)[seen..].to_vec();
            }
            count = now;
            if tokio::time::Instant::now() >= deadline {
                let calls: Vec<String> = self
                    .inner
                    .lock()
                    .unwrap()
                    .calls
                    .iter()
                    .map(|c| c.method.clone())
                    .filter(|m| m != "getUpdates")
                    .collect();
                panic!("no reply to chat {chat} after {seen} messages; calls: {calls:?}");
            }
        }
    }
}

async fn answer(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path((_bot, method)): Path<(String, String)>,
    body: Bytes,
) -> (axum::http::StatusCode, axum::Json<Value>) {
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if method.eq_ignore_ascii_case("sendMessage") {
        let fault = inner.lock().unwrap().faults.pop_front();
        if let Some(fault) = fault {
            inner.lock().unwrap().calls.push(Call {
                method: "sendMessage(failed)".into(),
                params: params.clone(),
            });
            let (status, body) = match fault {
                Fault::RetryAfter(secs) => (
                    429,
                    json!({"ok": false, "error_code": 429,
                        "description": format!("Too Many Requests: retry after {secs}"),
                        "parameters": {"retry_after": secs}}),
                ),
                Fault::ServerError => (
                    500,
                    json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
                ),
                Fault::Hang(secs) => {
                    tokio::time::sleep(Duration::from_secs(secs)).await;
                    (
                        500,
                        json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
                    )
                }
            };
            return (
                axum::http::StatusCode::from_u16(status).unwrap(),
                axum::Json(body),
            );
        }
    }
    // Telegram's method names are case-insensitive; teloxide writes "GetMe".
    let method = [
        "getMe",
        "getUpdates",
        "sendMessage",
        "answerCallbackQuery",
        "setMyCommands",
        "deleteWebhook",
        "deleteMessage",
        "setWebhook",
        "editMessageReplyMarkup",
    ]
    .into_iter()
    .find(|m| m.eq_ignore_ascii_case(&method))
    .map_or(method, str::to_string);
    {
        let mut inner = inner.lock().unwrap();
        if !inner.forget_calls {
            inner.calls.push(Call {
                method: method.clone(),
                params: params.clone(),
            });
        }
    }
    let result = match method.as_str() {
        "getMe" => json!({"id": 999, "is_bot": true, "first_name": "Careline",
            "username": "careline_test_bot", "can_join_groups": false,
            "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false}),
        "getUpdates" => {
            let offset = params["offset"].as_i64().unwrap_or(0);
            // Like Telegram: asking from `offset` confirms every earlier update.
            inner
                .lock()
                .unwrap()
                .updates
                .retain(|u| u["update_id"].as_i64().unwrap() >= offset);
            let deadline = tokio::time::Instant::now() + Duration::from_millis(300);
            loop {
                let ready: Vec<Value> = inner
                    .lock()
                    .unwrap()
                    .updates
                    .iter()
                    .filter(|u| u["update_id"].as_i64().unwrap() >= offset)
                    .cloned()
                    .collect();
                if !ready.is_empty() || tokio::time::Instant::now() > deadline {
                    break Value::Array(ready);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        "sendMessage" => {
            let mut inner = inner.lock().unwrap();
            let id = inner.next_message;
            inner.next_message += 1;
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            if let Some(listener) = inner.listeners.get(&chat) {
                let _ = listener.send(Sent::of(&params));
            }
            json!({"message_id": id, "date": 1_764_000_000, "chat": private_chat(chat),
                "from": {"id": 999, "is_bot": true, "first_name": "Careline"},
                "text": params["text"]})
        }
        _ => Value::Bool(true),
    };
    (
        axum::http::StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
}
