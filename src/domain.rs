//! Domain types shared by the conversation, storage and adapters: what a
//! member can ask for, who they can write to, and the parsed parts of a draft.
//!
//! Types here parse, they don't merely validate: a [`Subject`] that exists is
//! a subject the portal accepts. Nothing here does I/O.

use serde::{Deserialize, Serialize};

use crate::screening::Level;

/// The kinds of request a member can make; each has its own subjects and prompts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestKind {
    /// A prescription refill.
    Refill,
    /// A question about a test or lab result.
    Results,
    /// A symptom or other medical question.
    Symptom,
    /// Booking, moving or cancelling an appointment.
    Appointment,
    /// A referral, letter or form.
    Form,
    /// Anything else (billing, records, ...).
    Other,
}

impl RequestKind {
    /// Every kind, in the order members are offered them.
    pub const ALL: [RequestKind; 6] = [
        RequestKind::Refill,
        RequestKind::Results,
        RequestKind::Symptom,
        RequestKind::Appointment,
        RequestKind::Form,
        RequestKind::Other,
    ];

    /// The stable key stored in the database and in button data.
    pub fn key(self) -> &'static str {
        match self {
            RequestKind::Refill => "refill",
            RequestKind::Results => "results",
            RequestKind::Symptom => "symptom",
            RequestKind::Appointment => "appointment",
            RequestKind::Form => "form",
            RequestKind::Other => "other",
        }
    }

    /// Parses a key written by [`RequestKind::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// The shortest and longest subject line the portal accepts, in characters.
pub const SUBJECT_CHARS: std::ops::RangeInclusive<usize> = 4..=80;

/// A subject line: trimmed, inner white space folded, 4 to 80 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject(String);

/// Why a text is not a subject line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    /// Fewer characters than [`SUBJECT_CHARS`] allows.
    #[error("a subject needs at least {} characters", SUBJECT_CHARS.start())]
    TooShort,
    /// More characters than [`SUBJECT_CHARS`] allows (the count is given).
    #[error("a subject may have at most {max} characters; this one has {0}", max = SUBJECT_CHARS.end())]
    TooLong(usize),
}

impl Subject {
    /// Parses a subject line as the member typed it.
    ///
    /// ```
    /// use careline::domain::{Subject, SubjectError};
    /// assert_eq!(Subject::parse("  Request   for\nRefill ").unwrap().as_str(), "Request for Refill");
    /// assert_eq!(Subject::parse("hi"), Err(SubjectError::TooShort));
    /// ```
    pub fn parse(text: &str) -> Result<Self, SubjectError> {
        let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let chars = folded.chars().count();
        if chars < *SUBJECT_CHARS.start() {
            Err(SubjectError::TooShort)
        } else if chars > *SUBJECT_CHARS.end() {
            Err(SubjectError::TooLong(chars))
        } else {
            Ok(Self(folded))
        }
    }

    /// The subject as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The most characters a draft's details may hold in all.
pub const DETAILS_MAX_CHARS: usize = 2000;

/// Where a queued item sits in the staff queue: safety-flagged first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Answered in turn, within the office's reply window.
    #[default]
    Normal,
    /// Urgent words that the member chose to send anyway.
    High,
    /// The member was shown emergency or crisis resources and said it is not one.
    Safety,
}

impl Priority {
    /// The number stored in the database (higher is served first).
    pub fn rank(self) -> i64 {
        self as i64
    }

    /// Parses a number written by [`Priority::rank`].
    pub fn from_rank(rank: i64) -> Option<Self> {
        match rank {
            0 => Some(Priority::Normal),
            1 => Some(Priority::High),
            2 => Some(Priority::Safety),
            _ => None,
        }
    }

    /// The priority a draft carrying a flag of this level gets.
    pub fn for_level(level: Level) -> Self {
        match level {
            Level::Emergency | Level::Crisis => Priority::Safety,
            Level::Urgent => Priority::High,
            Level::Sensitive | Level::Routine => Priority::Normal,
        }
    }
}

/// A visible mark on a queued message: the member was warned and went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyFlag {
    /// The level the screener gave.
    pub level: Level,
    /// The ids of the rules that fired.
    pub rules: Vec<String>,
}

/// Someone a member can write to: a doctor on their care team or a department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The database id.
    pub id: i64,
    /// The name members see ("Dr. Maria Alvarez", "Pharmacy / refills").
    pub name: String,
    /// What they are to the member ("Primary care doctor").
    pub role: String,
    /// The office's phone number.
    pub phone: String,
    /// The office's opening hours, in words.
    pub hours: String,
}

/// Identifies a member in Careline's database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemberId(pub i64);
