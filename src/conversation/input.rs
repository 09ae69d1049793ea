//! What a member (or the runtime) hands the conversation: typed text, a
//! tapped button, a command, something that is not text, or the news that a
//! draft was committed to the queue.

use serde::{Deserialize, Serialize};

use crate::domain::RequestKind;

/// One thing that happened in a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Text the member typed (never a command; see [`Input::from_text`]).
    Text(String),
    /// A button the member tapped, with the draft it was offered for.
    Choice {
        /// The draft number the button belongs to.
        draft: u32,
        /// What the button does.
        action: Action,
    },
    /// A command such as /help.
    Command(Command),
    /// Something that is not text (a photo, a sticker, ...), by kind.
    Unsupported(String),
    /// The member edited an earlier message to this text: it is screened
    /// again, but does not change the draft.
    Edited(String),
    /// A button whose data could not be read (from an old version, or forged).
    UnknownButton,
    /// From the runtime: the draft sent with [`super::Effect::Enqueue`] is
    /// now durable in the queue.
    Committed(Receipt),
}

impl Input {
    /// Reads a typed line: a command (`/help`, or a bare `help`, `cancel`,
    /// `new`, `start over`, `status`, `privacy`) or plain text.
    ///
    /// ```
    /// use careline::conversation::{Command, Input};
    /// assert_eq!(Input::from_text("/cancel"), Input::Command(Command::Cancel));
    /// assert_eq!(Input::from_text(" Start over "), Input::Command(Command::New));
    /// assert_eq!(Input::from_text("help me with a refill"), Input::Text("help me with a refill".into()));
    /// ```
    pub fn from_text(text: &str) -> Self {
        match Command::parse(text) {
            Some(command) => Input::Command(command),
            None => Input::Text(text.to_string()),
        }
    }
}

/// Commands that work at any step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Welcome, and start a message (or go on with the one in progress).
    Start,
    /// What Careline is for and how to use it.
    Help,
    /// Discard the draft in progress.
    Cancel,
    /// Discard the draft in progress and start over.
    New,
    /// The member's recent messages and their states.
    Status,
    /// What Careline keeps and why Telegram is not a medical channel.
    Privacy,
}

impl Command {
    /// Every command with its name and a one-line description (for menus).
    pub const ALL: [(Command, &'static str, &'static str); 6] = [
        (Command::Start, "start", "Start a message to your care team"),
        (Command::New, "new", "Start over with a new message"),
        (Command::Cancel, "cancel", "Cancel the message in progress"),
        (Command::Status, "status", "Your recent messages"),
        (Command::Help, "help", "How this works"),
        (Command::Privacy, "privacy", "What we keep and why"),
    ];

    /// Parses `/name` (with an optional `@bot` suffix and payload) or a bare
    /// command word typed alone.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (word, slash) = match text.strip_prefix('/') {
            Some(rest) => {
                let name = rest.split_whitespace().next().unwrap_or("");
                (name.split('@').next().unwrap_or("").to_lowercase(), true)
            }
            None => (text.to_lowercase(), false),
        };
        let by_name = Self::ALL
            .iter()
            .find(|(_, name, _)| *name == word)
            .map(|(c, _, _)| *c);
        match (by_name, word.as_str()) {
            // A bare "start" could be the start of a sentence; only /start.
            (Some(Command::Start), _) if !slash => None,
            (Some(c), _) => Some(c),
            (None, "start over" | "restart") if !slash => Some(Command::New),
            (None, "restart") => Some(Command::New),
            _ => None,
        }
    }
}

/// Which part of a draft the member wants to change from the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    /// Who the message goes to.
    Recipient,
    /// The kind of request.
    Kind,
    /// The subject line.
    Subject,
    /// The details.
    Details,
}

/// What a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Start a new message.
    NewMessage,
    /// Write to this recipient (database id).
    Recipient(i64),
    /// This kind of request.
    Kind(RequestKind),
    /// The n-th suggested subject for the draft's kind.
    Subject(u8),
    /// Keep the subject the member typed despite the privacy warning.
    KeepSubject,
    /// The details are complete.
    Done,
    /// Keep the details as they are (when editing them).
    KeepDetails,
    /// Send the reviewed draft.
    Send,
    /// Change a part of the draft.
    Edit(Part),
    /// Discard the draft.
    Cancel,
    /// "It is not an emergency / I am not in danger": go on after a safety stop.
    NotEmergency,
    /// "I'll call": after an urgent warning, call instead of writing.
    WillCall,
    /// After an urgent warning, go on and send with a flag.
    SendAnyway,
    /// Turn deleting the member's chat messages after sending on or off.
    DeleteMessages(bool),
}

impl Action {
    /// Button data for this action on draft `draft`, at most 64 bytes
    /// (Telegram's limit): `"<draft>:<code>"`.
    ///
    /// ```
    /// use careline::conversation::Action;
    /// let data = Action::Recipient(12).encode(3);
    /// assert_eq!(data, "3:r12");
    /// assert_eq!(Action::decode(&data), Some((3, Action::Recipient(12))));
    /// assert_eq!(Action::decode("3:bogus"), None);
    /// ```
    pub fn encode(&self, draft: u32) -> String {
        let code = match self {
            Action::NewMessage => "new".to_string(),
            Action::Recipient(id) => format!("r{id}"),
            Action::Kind(kind) => format!("k{}", kind.key()),
            Action::Subject(n) => format!("s{n}"),
            Action::KeepSubject => "keep".to_string(),
            Action::Done => "done".to_string(),
            Action::KeepDetails => "keepdetails".to_string(),
            Action::Send => "send".to_string(),
            Action::Edit(Part::Recipient) => "er".to_string(),
            Action::Edit(Part::Kind) => "ek".to_string(),
            Action::Edit(Part::Subject) => "es".to_string(),
            Action::Edit(Part::Details) => "ed".to_string(),
            Action::Cancel => "cancel".to_string(),
            Action::NotEmergency => "safe".to_string(),
            Action::WillCall => "call".to_string(),
            Action::SendAnyway => "anyway".to_string(),
            Action::DeleteMessages(on) => format!("p{}", u8::from(*on)),
        };
        format!("{draft}:{code}")
    }

    /// Reads button data written by [`Action::encode`]; `None` for anything else.
    pub fn decode(data: &str) -> Option<(u32, Action)> {
        let (draft, code) = data.split_once(':')?;
        let draft: u32 = draft.parse().ok()?;
        let action = match code {
            "new" => Action::NewMessage,
            "keep" => Action::KeepSubject,
            "done" => Action::Done,
            "keepdetails" => Action::KeepDetails,
            "send" => Action::Send,
            "er" => Action::Edit(Part::Recipient),
            "ek" => Action::Edit(Part::Kind),
            "es" => Action::Edit(Part::Subject),
            "ed" => Action::Edit(Part::Details),
            "cancel" => Action::Cancel,
            "safe" => Action::NotEmergency,
            "call" => Action::WillCall,
            "anyway" => Action::SendAnyway,
            "p1" => Action::DeleteMessages(true),
            "p0" => Action::DeleteMessages(false),
            _ => {
                let (tag, rest) = code.split_at_checked(1)?;
                match tag {
                    // An optional `-`: `encode` writes every `i64` id, and a
                    // button whose id came back unreadable would be refused.
                    "r" if rest
                        .strip_prefix('-')
                        .unwrap_or(rest)
                        .bytes()
                        .all(|b| b.is_ascii_digit()) =>
                    {
                        Action::Recipient(rest.parse().ok()?)
                    }
                    "k" => Action::Kind(RequestKind::from_key(rest)?),
                    "s" if rest.bytes().all(|b| b.is_ascii_digit()) => {
                        Action::Subject(rest.parse().ok()?)
                    }
                    _ => return None,
                }
            }
        };
        Some((draft, action))
    }
}

/// What the queue said when a draft was committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The reference members and staff quote ("CL-000042").
    pub reference: String,
    /// The recipient's name.
    pub recipient: String,
    /// When a reply is due, in words ("Tuesday, December 1, 5 PM EST").
    pub reply_by: String,
}
