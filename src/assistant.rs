//! The runtime between adapters and the pure conversation. One turn: load
//! the chat's state, [`step`](crate::conversation::step), carry out the
//! effects (queue item, safety events, new state) in one transaction, and
//! only then return what to tell the member. So "sent" is only ever said
//! about a committed item, and a turn that loses a race with another turn
//! for the same chat is run again on the newer state.

use std::collections::HashMap;
use std::sync::Arc;

use crate::conversation::{self, Button, Context, Effect, Input, Receipt, State, copy};
use crate::domain::MemberId;
use crate::hours::deadline_words;
use crate::rules_watch::RulesHandle;
use crate::screening::Screener;
use crate::storage::{self, Loaded, NewItem, StorageError, Store};

/// A message for the member: text, and buttons belonging to draft `draft`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The message.
    pub text: String,
    /// Choices, in order (maybe none).
    pub buttons: Vec<Button>,
    /// The draft the buttons belong to (for their data).
    pub draft: u32,
}

/// What a turn did, for adapters that act after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnOutcome {
    /// The replies, in order.
    pub replies: Vec<Outgoing>,
    /// A draft was committed to the queue in this turn.
    pub committed: bool,
    /// The member wants their chat messages deleted after sending.
    pub delete_messages: bool,
}

impl Outgoing {
    /// The buttons as (label, callback data) pairs.
    pub fn button_data(&self) -> Vec<(String, String)> {
        self.buttons
            .iter()
            .map(|b| (b.label.clone(), b.action.encode(self.draft)))
            .collect()
    }
}

/// Why a turn failed. The member is told to try again; nothing was committed.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Other turns for the same chat kept winning the race.
    #[error("the conversation changed {0} times during one turn; try again")]
    Contended(usize),
}

type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// Runs conversations against the store; cheap to clone.
#[derive(Clone)]
pub struct Assistant {
    store: Store,
    rules: RulesHandle,
    clock: Clock,
    outbox_ready: Arc<tokio::sync::Notify>,
    chat_turns: ChatTurns,
}

/// One turn at a time per chat in this process: updates for one chat that
/// arrive together (a burst of webhook posts) queue here instead of racing
/// on the conversation's version and re-running. Across instances the
/// version column still decides.
#[derive(Clone, Default)]
struct ChatTurns(Arc<std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>);

impl ChatTurns {
    async fn lock(&self, chat: &str) -> ChatTurn {
        let lock = {
            let mut chats = self.0.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(chats.entry(chat.to_string()).or_default())
        };
        ChatTurn {
            guard: Some(lock.lock_owned().await),
            chat: chat.to_string(),
            turns: self.clone(),
        }
    }
}

/// Held while a chat's turn runs; the chat's entry goes when nobody waits.
struct ChatTurn {
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
    chat: String,
    turns: ChatTurns,
}

impl Drop for ChatTurn {
    fn drop(&mut self) {
        let mut chats = self.turns.0.lock().unwrap_or_else(|p| p.into_inner());
        drop(self.guard.take());
        if chats
            .get(&self.chat)
            .is_some_and(|lock| Arc::strong_count(lock) == 1)
        {
            chats.remove(&self.chat);
        }
    }
}

impl std::fmt::Debug for Assistant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assistant").finish_non_exhaustive()
    }
}

const ATTEMPTS: usize = 16;

impl Assistant {
    /// An assistant on this store and a fixed screener, reading the system
    /// clock.
    pub fn new(store: Store, screener: Arc<Screener>) -> Self {
        Self::with_rules(store, RulesHandle::new(screener))
    }

    /// An assistant on this store screening with the rule set in force in
    /// `rules` (swapped by a reload; each turn reads it once).
    pub fn with_rules(store: Store, rules: RulesHandle) -> Self {
        Self {
            store,
            rules,
            clock: Arc::new(jiff::Timestamp::now),
            outbox_ready: Arc::new(tokio::sync::Notify::new()),
            chat_turns: ChatTurns::default(),
        }
    }

    /// Woken whenever a turn puts messages in the outbox.
    pub fn outbox_ready(&self) -> Arc<tokio::sync::Notify> {
        Arc::clone(&self.outbox_ready)
    }

    /// The same assistant reading time from `clock` (for tests).
    pub fn with_clock(
        mut self,
        clock: impl Fn() -> jiff::Timestamp + Send + Sync + 'static,
    ) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The rule set this assistant screens with.
    pub fn rules(&self) -> &RulesHandle {
        &self.rules
    }

    /// Runs one turn of chat `chat` for `member` and returns the replies
    /// (for adapters that show them at once, like the terminal).
    pub async fn handle(
        &self,
        chat: &str,
        member: MemberId,
        input: Input,
    ) -> Result<Vec<Outgoing>, TurnError> {
        Ok(self.turn(chat, member, input, None).await?.replies)
    }

    /// Runs one turn and puts the replies in the outbox for Telegram chat
    /// `chat_id`, in the turn's own transaction: a reply is never lost
    /// between the commit and its delivery. With an `update_id`, the update
    /// is recorded in the same transaction, and an update seen before is
    /// not applied again (no replies, nothing committed). Returns the replies.
    pub async fn handle_to_outbox(
        &self,
        chat: &str,
        member: MemberId,
        input: Input,
        chat_id: i64,
        update_id: Option<i64>,
    ) -> Result<TurnOutcome, TurnError> {
        self.turn(chat, member, input, Some((chat_id, update_id)))
            .await
    }

    async fn turn(
        &self,
        chat: &str,
        member: MemberId,
        input: Input,
        outbox: Option<(i64, Option<i64>)>,
    ) -> Result<TurnOutcome, TurnError> {
        let _turn = self.chat_turns.lock(chat).await;
        for _ in 0..ATTEMPTS {
            if let Some(out) = self.try_turn(chat, member, input.clone(), outbox).await? {
                return Ok(out);
            }
        }
        Err(TurnError::Contended(ATTEMPTS))
    }

    /// One attempt; `None` when another turn changed the chat first.
    async fn try_turn(
        &self,
        chat: &str,
        member: MemberId,
        input: Input,
        outbox: Option<(i64, Option<i64>)>,
    ) -> Result<Option<TurnOutcome>, TurnError> {
        let store = &self.store;
        let mut notes = Vec::new();
        let (state, version) = match storage::load_conversation(store, chat).await? {
            Loaded::Found(state, version) => (*state, version),
            Loaded::New => (self.fresh_state(chat).await?, 0),
            Loaded::Unreadable(version) => {
                tracing::warn!("a stored conversation could not be read; starting it afresh");
                notes.push(copy::draft_lost());
                (self.fresh_state(chat).await?, version)
            }
        };
        let recipients = store.recipients_for(member).await?;
        let advice = store.advice_line().await?;
        // One rule set for the whole turn, even if a reload lands meanwhile.
        let screener = self.rules.current();
        let ctx = Context {
            screener: &screener,
            recipients: &recipients,
            advice_line: advice.as_deref(),
        };
        let now = (self.clock)();
        let (mut state, mut effects) = conversation::step(state, input, &ctx);

        // Reads come first: a turn holding the write lock must not wait for
        // a pool connection that another waiting turn holds.
        let mut office = None;
        let mut status = None;
        for effect in &effects {
            match effect {
                Effect::Enqueue(s) => office = Some(store.office_hours(s.recipient_id).await?),
                Effect::Status => status = Some(store.recent_for_member(member, 5).await?),
                _ => {}
            }
        }
        let mut tx = store.begin().await?;
        if let Some((_, Some(update))) = outbox
            && !storage::mark_update_processed(&mut tx, update, now).await?
        {
            tx.rollback().await.map_err(StorageError::from)?;
            tracing::info!(update, "update seen before; not applied again");
            return Ok(Some(TurnOutcome {
                replies: Vec::new(),
                committed: false,
                delete_messages: false,
            }));
        }
        let mut said: Vec<(String, Vec<Button>)> =
            notes.into_iter().map(|n| (n, Vec::new())).collect();
        let mut committed = false;
        let mut i = 0;
        while i < effects.len() {
            match effects[i].clone() {
                Effect::Say { text, buttons } => said.push((text, buttons)),
                Effect::Safety(event) => {
                    storage::record_safety_event(&mut tx, chat, member, &event, now).await?;
                    tracing::info!(
                        level = event.level.as_str(),
                        outcome = event.outcome.as_str(),
                        "safety event"
                    );
                }
                Effect::Enqueue(submission) => {
                    let (hours, target) = office
                        .clone()
                        .ok_or_else(|| StorageError::NotFound("the recipient's office".into()))?;
                    let due = hours.add_business_hours(now, target);
                    let (id, created) = storage::enqueue(
                        &mut tx,
                        NewItem {
                            chat,
                            member,
                            submission: &submission,
                            now,
                            due: due.timestamp(),
                        },
                    )
                    .await?;
                    tracing::info!(item = id, created, priority = ?submission.priority, "draft committed");
                    committed = true;
                    let recipient = recipients
                        .iter()
                        .find(|r| r.id == submission.recipient_id)
                        .map(|r| r.name.clone())
                        .unwrap_or_else(|| "your care team".into());
                    let receipt = Receipt {
                        reference: storage::reference(id),
                        recipient,
                        reply_by: deadline_words(&due),
                    };
                    let (next, more) = conversation::step(state, Input::Committed(receipt), &ctx);
                    state = next;
                    effects.extend(more);
                }
                Effect::Status => {
                    let items = status.clone().unwrap_or_default();
                    let lines: Vec<copy::StatusLine> = items
                        .into_iter()
                        .map(|s| copy::StatusLine {
                            reference: s.reference,
                            recipient: s.recipient,
                            subject: s.subject,
                            status: s.status,
                            sent: s.created_at.strftime("%Y-%m-%d").to_string(),
                        })
                        .collect();
                    said.push((copy::status(&lines), Vec::new()));
                }
            }
            i += 1;
        }
        if !storage::save_conversation(&mut tx, chat, member, &state, version, now).await? {
            tx.rollback().await.map_err(StorageError::from)?;
            return Ok(None);
        }
        let draft = state.draft_no;
        let replies: Vec<Outgoing> = said
            .into_iter()
            .map(|(text, buttons)| Outgoing {
                text,
                buttons,
                draft,
            })
            .collect();
        if let Some((chat_id, _)) = outbox {
            for reply in &replies {
                // Telegram's length limit: split here, so each part is
                // delivered (and retried) on its own; buttons go on the last.
                let parts =
                    crate::telegram::split_message(&reply.text, crate::telegram::MAX_MESSAGE_CHARS);
                let last = parts.len() - 1;
                for (i, part) in parts.iter().enumerate() {
                    let buttons = if i == last {
                        reply.button_data()
                    } else {
                        Vec::new()
                    };
                    storage::push_outbox(&mut tx, chat_id, part, &buttons, None, now).await?;
                }
            }
        }
        tx.commit().await.map_err(StorageError::from)?;
        if outbox.is_some() {
            self.outbox_ready.notify_one();
        }
        Ok(Some(TurnOutcome {
            replies,
            committed,
            delete_messages: state.delete_messages,
        }))
    }

    /// The state of a chat seen for the first time (or whose state was
    /// lost): numbering continues after its last committed draft.
    async fn fresh_state(&self, chat: &str) -> Result<State, StorageError> {
        Ok(State {
            draft_no: storage::last_draft_no(&self.store, chat).await?,
            ..State::default()
        })
    }
}
