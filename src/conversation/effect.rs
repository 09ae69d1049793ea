//! What the conversation asks its adapter and runtime to do.

use crate::domain::{Priority, RequestKind, SafetyFlag, Subject};
use crate::screening::Level;

use super::Action;

/// One thing to do after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Show the member a message, with buttons (maybe none).
    Say {
        /// The message.
        text: String,
        /// Choices, in order.
        buttons: Vec<Button>,
    },
    /// Record a safety event (no text: level, rules and what happened).
    Safety(SafetyEvent),
    /// Commit this draft to the portal queue, then answer with
    /// [`super::Input::Committed`].
    Enqueue(Submission),
    /// Show the member's recent messages and their states.
    Status,
}

/// A choice offered to the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// What the member sees.
    pub label: String,
    /// What it does.
    pub action: Action,
}

/// A safety screen that changed the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyEvent {
    /// The level the screener gave.
    pub level: Level,
    /// The rules that fired.
    pub rules: Vec<String>,
    /// What happened.
    pub outcome: SafetyOutcome,
}

/// What happened at a safety stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SafetyOutcome {
    /// The member was shown the resources (911, 988, the office's number).
    Redirected,
    /// The member said it is not an emergency / not in danger and went on.
    Overridden,
    /// After an urgent warning the member chose to call.
    WillCall,
    /// After an urgent warning the member chose to send anyway.
    SentAnyway,
    /// A by-phone privacy suggestion was shown.
    PhoneSuggested,
}

impl SafetyOutcome {
    /// The name stored with the event.
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyOutcome::Redirected => "redirected",
            SafetyOutcome::Overridden => "overridden",
            SafetyOutcome::WillCall => "will_call",
            SafetyOutcome::SentAnyway => "sent_anyway",
            SafetyOutcome::PhoneSuggested => "phone_suggested",
        }
    }
}

/// A finished draft for the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The draft's number in this conversation (with the chat, the
    /// idempotency key: committing it twice gives one item).
    pub draft_no: u32,
    /// The recipient's id.
    pub recipient_id: i64,
    /// The kind of request.
    pub kind: RequestKind,
    /// The subject line.
    pub subject: Subject,
    /// The details.
    pub details: String,
    /// Where it goes in the staff queue.
    pub priority: Priority,
    /// The safety warnings the member went on past.
    pub flags: Vec<SafetyFlag>,
}
