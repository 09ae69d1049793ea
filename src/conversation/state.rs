//! The state of one member's conversation: which step it is at and what the
//! draft holds so far. Serializable, so storage can keep it across restarts.

use serde::{Deserialize, Serialize};

use crate::domain::{Recipient, RequestKind, SafetyFlag, Subject};
use crate::screening::Level;

/// A conversation: the step, the draft, and the draft's number (buttons from
/// an earlier draft carry another number and are refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct State {
    /// Numbers drafts; increases with every new draft.
    pub draft_no: u32,
    /// Where the conversation is.
    pub step: Step,
    /// What has been collected.
    pub draft: Draft,
    /// The member came from the review to change one part: go back to it.
    pub editing: bool,
    /// The member asked that their chat messages be deleted once a draft
    /// is safely queued (Telegram).
    #[serde(default)]
    pub delete_messages: bool,
    /// An abandoned draft was cleared after this many days without
    /// activity (retention): the next turn tells the member, then forgets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared_after_days: Option<u32>,
}

/// The steps of writing a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// No draft in progress.
    #[default]
    Idle,
    /// Choosing who to write to.
    Recipient,
    /// Choosing the kind of request.
    Kind,
    /// Writing the subject line.
    Subject,
    /// The typed subject names something private: use a neutral one or keep it.
    SubjectWarning {
        /// The subject as typed.
        proposed: Subject,
    },
    /// Writing the details, in one or more messages.
    Details {
        /// The member was already reminded of missing facts once.
        nudged: bool,
        /// Editing: the next message replaces the details instead of adding.
        replacing: bool,
    },
    /// Reviewing the whole draft.
    Review,
    /// Sent to the queue; waiting for the commit (never stored).
    Sending,
    /// Stopped for safety until the member answers.
    Hold(Box<Hold>),
}

/// A safety stop: what fired, the text that fired it, and where to go back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// Emergency, crisis or urgent.
    pub level: Level,
    /// The rules that fired.
    pub rules: Vec<String>,
    /// The text that fired, kept to be used as typed if the member goes on.
    pub held: Option<String>,
    /// The step the member was at.
    pub resume: Step,
}

/// What the member has written so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Draft {
    /// Who it goes to.
    pub recipient: Option<Recipient>,
    /// The kind of request.
    pub kind: Option<RequestKind>,
    /// The subject line.
    pub subject: Option<Subject>,
    /// The details, one entry per message.
    pub details: Vec<String>,
    /// Safety warnings the member saw and went on past.
    pub flags: Vec<SafetyFlag>,
    /// The member has had the by-phone privacy note for this draft.
    pub sensitive_noted: bool,
}

impl Draft {
    /// The details as one text.
    pub fn details_text(&self) -> String {
        self.details.join("\n")
    }

    /// How many characters the details hold in all (with line breaks).
    pub fn details_chars(&self) -> usize {
        self.details
            .iter()
            .map(|d| d.chars().count())
            .sum::<usize>()
            + self.details.len().saturating_sub(1)
    }

    /// Whether every rule in `rules` has already been flagged at `level` or above.
    pub fn already_flagged(&self, level: Level, rules: &[String]) -> bool {
        rules.iter().all(|r| {
            self.flags
                .iter()
                .any(|f| f.level >= level && f.rules.contains(r))
        })
    }
}

impl State {
    /// Whether a draft is in progress.
    pub fn in_draft(&self) -> bool {
        !matches!(self.step, Step::Idle)
    }

    /// Whether anything of a draft is kept: a step past idle, or parts
    /// collected (which may hold health details).
    pub fn holds_draft(&self) -> bool {
        self.in_draft() || self.draft != Draft::default()
    }

    /// This conversation with its draft cleared after `days` days without
    /// activity: it keeps only the draft number (so that the old draft's
    /// buttons stay refused) and the member's choice about deleting chat
    /// messages, and says so on the next turn.
    pub fn cleared(&self, days: u32) -> Self {
        Self {
            draft_no: self.draft_no,
            delete_messages: self.delete_messages,
            cleared_after_days: Some(days),
            ..Self::default()
        }
    }
}
