//! Every sentence Careline says to a member, in one place (English for now;
//! a second language adds a sibling module with the same functions).
//!
//! Rules for the wording: plain words, short sentences, the action first.
//! Never repeat health details back into the chat except in the review the
//! member asked for (Telegram is not a medical channel).

use crate::domain::{Recipient, RequestKind, SafetyFlag};
use crate::screening::Level;

use super::Receipt;
use super::state::Draft;

/// The first message: what this is for and what it is not for.
pub fn welcome() -> String {
    "Hello! I help you write a secure message to your care team.\n\
     \n\
     Use it for questions that can wait a day or two: prescription refills, test results, \
     appointments, referrals and forms, and non-urgent medical questions.\n\
     \n\
     Not for emergencies: if you might be having a medical emergency, call 911 or go to the \
     nearest emergency room. If you are thinking about suicide or hurting yourself, call or \
     text 988.\n\
     \n\
     Some things are better said by phone than put in a written record; I'll point those out."
        .to_string()
}

/// /help.
pub fn help() -> String {
    "I'll walk you through a message to your care team: who it's for, what kind of request, \
     a subject, the details, then a review before anything is sent.\n\
     \n\
     Commands: /new start over · /cancel cancel the message · /status your recent messages · \
     /privacy what we keep · /help this text.\n\
     \n\
     Emergencies: call 911. Crisis: call or text 988."
        .to_string()
}

/// /privacy, with whether chat messages are deleted after sending.
pub fn privacy(deleting: bool) -> String {
    let setting = if deleting {
        "Your messages in this chat are deleted once your message is safely in the queue."
    } else {
        "You can have your messages in this chat deleted once your message is safely in the \
         queue (Telegram lets us do this within 48 hours)."
    };
    format!(
        "Privacy: this chat app is not a secure medical channel. Write only what your care team \
         needs, and say sensitive things by phone.\n\n\
         Careline keeps your finished message in your health plan's secure portal queue, where \
         your care team reads it, and the state of a message you are still writing. Safety \
         checks are recorded without your words. Our logs never contain what you write.\n\n{setting}"
    )
}

/// The privacy toggle's label.
pub fn delete_messages_label(on: bool) -> &'static str {
    if on {
        "Delete my messages after sending"
    } else {
        "Stop deleting my messages"
    }
}

/// The privacy toggle was set.
pub fn delete_messages_set(on: bool) -> String {
    if on {
        "Done: once a message is safely in the queue, I'll delete what you wrote for it in this chat."
    } else {
        "Done: I'll no longer delete your messages in this chat."
    }
    .to_string()
}

/// Asking who the message is for.
pub fn ask_recipient() -> String {
    "Who is your message for?".to_string()
}

/// A recipient's button.
pub fn recipient_label(r: &Recipient) -> String {
    format!("{} ({})", r.name, r.role)
}

/// Asking for the kind of request.
pub fn ask_kind() -> String {
    "What is your message about?".to_string()
}

/// A kind's button.
pub fn kind_label(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Refill => "Prescription refill",
        RequestKind::Results => "Test result question",
        RequestKind::Symptom => "Symptom or medical question",
        RequestKind::Appointment => "Appointment",
        RequestKind::Form => "Referral or form",
        RequestKind::Other => "Something else",
    }
}

/// Extra words that pick a kind when typed.
pub fn kind_words(kind: RequestKind) -> &'static [&'static str] {
    match kind {
        RequestKind::Refill => &[
            "refill",
            "prescription",
            "medication",
            "medicine",
            "meds",
            "rx",
        ],
        RequestKind::Results => &["result", "results", "test", "lab", "labs", "bloodwork"],
        RequestKind::Symptom => &["symptom", "symptoms", "medical", "sick", "advice"],
        RequestKind::Appointment => &[
            "appointment",
            "appt",
            "schedule",
            "book",
            "visit",
            "reschedule",
        ],
        RequestKind::Form => &["referral", "form", "forms", "letter", "paperwork"],
        RequestKind::Other => &["other", "else", "billing", "records"],
    }
}

/// Clear subjects for a kind; the first is the neutral rewrite.
pub fn subjects(kind: RequestKind) -> &'static [&'static str] {
    match kind {
        RequestKind::Refill => &["Request for Refill", "Question About a Prescription"],
        RequestKind::Results => &[
            "Question About Recent Lab Results",
            "Question About Test Results",
        ],
        RequestKind::Symptom => &["Medical Question", "Follow-up Question"],
        RequestKind::Appointment => &["Appointment Request", "Question About an Appointment"],
        RequestKind::Form => &["Referral Request", "Form Request"],
        RequestKind::Other => &["General Question", "Billing Question"],
    }
}

/// Asking for the subject.
pub fn ask_subject() -> String {
    "Choose a subject, or type your own (4–80 characters).\n\
     Keep it general: subjects can appear in email notifications, so leave out conditions, \
     medicines and test names."
        .to_string()
}

/// A typed subject is too short.
pub fn subject_too_short() -> String {
    "That subject is too short. Please use at least 4 characters, or choose one below.".to_string()
}

/// A typed subject is too long.
pub fn subject_too_long(chars: usize) -> String {
    format!(
        "That subject has {chars} characters; the limit is 80. Please shorten it (the details \
         come next), or choose one below."
    )
}

/// The typed subject names something private.
pub fn subject_warning(rewrite: &str) -> String {
    format!(
        "Your subject mentions something private. Subjects can show up in email notifications \
         and inbox lists that others may see, so a general subject is safer. I suggest \
         \"{rewrite}\"; the details can say the rest."
    )
}

/// The button that takes the neutral rewrite.
pub fn use_subject_label(rewrite: &str) -> String {
    format!("Use \"{rewrite}\"")
}

/// Button: keep the typed subject.
pub const KEEP_SUBJECT: &str = "Keep my subject";

/// What the office needs to know for each kind, as prompts.
pub fn ask_details(kind: RequestKind) -> String {
    let what = match kind {
        RequestKind::Refill => {
            "the medication name and dose (e.g. 10 mg), how you take it, and which pharmacy to send it to"
        }
        RequestKind::Results => "which test it was, when it was done, and your question",
        RequestKind::Symptom => {
            "what the symptom is, since when, how severe (e.g. 1–10), and what you've tried or what helped"
        }
        RequestKind::Appointment => "what the visit is for and which days or times work for you",
        RequestKind::Form => "which form, letter or referral you need, and by when",
        RequestKind::Other => "what you need, with any dates or numbers that help",
    };
    format!(
        "Now the details. Please include {what}.\n\
         You can send several messages; tap Done when you're finished."
    )
}

/// Asking for replacement details when editing them.
pub fn ask_new_details(kind: RequestKind, current: &str) -> String {
    format!(
        "Your details now:\n{current}\n\n{}\nYour next message replaces them; tap \"Keep details\" to leave them as they are.",
        ask_details(kind)
    )
}

/// Button: the details are complete.
pub const DONE: &str = "Done";
/// Button: keep the details when editing.
pub const KEEP_DETAILS: &str = "Keep details";

/// A details message was added.
pub fn details_added(chars: usize, max: usize) -> String {
    format!("Added ({chars} of {max} characters). Send more, or tap Done.")
}

/// Adding this message would exceed the limit.
pub fn details_too_long(would_be: usize, max: usize) -> String {
    format!(
        "That is too long: the details would be {would_be} characters and the limit is {max}. \
         Nothing was added. Please send a shorter version; your care team can ask for more."
    )
}

/// "Done" with no details at all.
pub fn details_empty() -> String {
    "Please write at least a sentence about what you need before tapping Done.".to_string()
}

/// The facts an office usually needs, as named in a nudge.
pub fn fact(name: super::machine::Fact) -> &'static str {
    use super::machine::Fact;
    match name {
        Fact::Dose => "the medication's name and dose (e.g. \"lisinopril 10 mg\")",
        Fact::Pharmacy => "which pharmacy to send it to",
        Fact::Test => "which test it was",
        Fact::When => "when it was done",
        Fact::Since => "since when you've had it",
        Fact::Severity => "how severe it is (for example, 1 to 10)",
        Fact::Tried => "what you've tried and whether it helped",
        Fact::Times => "which days or times work for you",
        Fact::Deadline => "by when you need it",
        Fact::More => "a little more detail",
    }
}

/// A gentle nudge for missing facts.
pub fn nudge(missing: &[&str]) -> String {
    format!(
        "Before you finish: your care team will probably need {}. Add it if you can, or tap \
         Done again to continue as it is.",
        join_and(missing)
    )
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// The review of the whole draft.
pub fn review(draft: &Draft) -> String {
    let mut text = String::from("Please review your message:\n\n");
    if let Some(r) = &draft.recipient {
        text.push_str(&format!("To: {}\n", recipient_label(r)));
    }
    if let Some(kind) = draft.kind {
        text.push_str(&format!("About: {}\n", kind_label(kind)));
    }
    if let Some(subject) = &draft.subject {
        text.push_str(&format!("Subject: {}\n", subject.as_str()));
    }
    text.push_str(&format!("Details:\n{}\n", draft.details_text()));
    if let Some(flag) = draft.flags.iter().max_by_key(|f| f.level) {
        text.push_str(&format!("\n{}\n", flag_note(flag)));
    }
    text.push_str("\nSend it, change a part, or cancel.");
    text
}

fn flag_note(flag: &SafetyFlag) -> String {
    match flag.level {
        Level::Emergency | Level::Crisis => {
            "It will be marked for your care team's safety review, at the top of their queue."
        }
        _ => "It will be marked as time-sensitive for your care team.",
    }
    .to_string()
}

/// Review buttons.
pub const SEND: &str = "Send";
/// Review button.
pub const EDIT_RECIPIENT: &str = "Change recipient";
/// Review button.
pub const EDIT_KIND: &str = "Change type";
/// Review button.
pub const EDIT_SUBJECT: &str = "Change subject";
/// Review button.
pub const EDIT_DETAILS: &str = "Change details";
/// Button: discard the draft.
pub const CANCEL: &str = "Cancel";
/// Button: start a new message.
pub const NEW_MESSAGE: &str = "Write a new message";

/// The message is committed.
pub fn sent(receipt: &Receipt) -> String {
    format!(
        "Sent. Your message to {} is in your care team's queue. Reference: {}.\n\
         \n\
         What happens next: replies usually come within 24–48 business hours. Expect a reply by \
         {}. You'll get an email when there is a reply; check your spam folder if you don't see it.\n\
         \n\
         If things get worse before then, call the office. In an emergency call 911.",
        receipt.recipient, receipt.reference, receipt.reply_by
    )
}

/// The draft was discarded.
pub fn cancelled() -> String {
    "Cancelled. Nothing was sent.".to_string()
}

/// /cancel with no draft.
pub fn nothing_to_cancel() -> String {
    "There's no message in progress.".to_string()
}

/// A button from an earlier message was tapped.
pub fn stale_button() -> String {
    "That button belongs to an earlier message, so I didn't act on it. Here is where you are now:"
        .to_string()
}

/// Something that is not text arrived.
pub fn unsupported(kind: &str) -> String {
    format!(
        "I can only read text, so I can't use a {kind}. Please describe it in words; \
         attachments are not sent to your care team."
    )
}

/// Text that doesn't answer a choice.
pub fn choose_one() -> String {
    "Please choose one of the options (tap a button or type its name).".to_string()
}

/// Nothing to say in idle, e.g. after a message was sent.
pub fn start_hint() -> String {
    "Let's write a new message.".to_string()
}

/// Emergency resources.
pub fn emergency(phone: &str) -> String {
    format!(
        "⚠️ What you wrote may be a medical emergency. Please don't wait for a message reply.\n\
         \n\
         Call 911 or go to the nearest emergency room now.\n\
         \n\
         Your care team's office: {phone}.\n\
         \n\
         Nothing has been sent. If this is not an emergency, tell me and we'll go on."
    )
}

/// Crisis resources.
pub fn crisis(phone: &str) -> String {
    format!(
        "You don't have to go through this alone, and help is available right now.\n\
         \n\
         Call or text 988 (Suicide & Crisis Lifeline), any time, day or night. If you are in \
         immediate danger, call 911.\n\
         \n\
         Your care team's office: {phone}.\n\
         \n\
         Nothing has been sent. If you are not in danger and want to go on with your message, \
         tell me."
    )
}

/// Button: it is not an emergency.
pub const NOT_EMERGENCY: &str = "It's not an emergency – continue";
/// Button: not in danger.
pub const NOT_IN_DANGER: &str = "I'm not in danger – continue";
/// Button: cancel after a safety stop.
pub const CANCEL_MESSAGE: &str = "Cancel this message";

/// Urgent advice.
pub fn urgent(office: &str, phone: &str, nurse: Option<&str>) -> String {
    let nurse = nurse
        .map(|n| format!(" or the 24/7 advice nurse at {n}"))
        .unwrap_or_default();
    format!(
        "This sounds like it needs attention today, sooner than a message reply (24–48 business \
         hours). Please call {office} at {phone}{nurse}.\n\
         \n\
         If it gets worse or you feel it's an emergency, call 911.\n\
         \n\
         You can still send the message; it will be marked as time-sensitive."
    )
}

/// Button: call instead.
pub const WILL_CALL: &str = "I'll call";
/// Button: send despite the urgent warning.
pub const SEND_ANYWAY: &str = "Send anyway";

/// After "I'll call".
pub fn will_call(office: &str, phone: &str) -> String {
    format!("Good. Call {office} at {phone}. Nothing was sent.")
}

/// A by-phone suggestion for a sensitive topic.
pub fn sensitive(phone: &str) -> String {
    format!(
        "A note on privacy: this may be something you'd rather discuss by phone than in writing. \
         You can call {phone}, or go on here if you prefer."
    )
}

/// A reminder when the same warning fires again after the member went on.
pub fn reminder(level: Level) -> String {
    match level {
        Level::Crisis => "(Reminder: call or text 988 any time; 911 if you are in danger.)",
        _ => "(Reminder: if it gets worse, call the office; in an emergency, call 911.)",
    }
    .to_string()
}

/// Typed text at a safety stop that is not an answer.
pub fn hold_repeat() -> String {
    "Please answer with a button below, or type \"not an emergency\" to go on.".to_string()
}

/// Still waiting for the queue.
pub fn still_sending() -> String {
    "Still sending your message; one moment.".to_string()
}

/// One of the member's messages, for /status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// "CL-000042".
    pub reference: String,
    /// The recipient's name.
    pub recipient: String,
    /// The subject.
    pub subject: String,
    /// The queue status (new, claimed, answered, closed).
    pub status: String,
    /// When it was sent, in words.
    pub sent: String,
}

/// /status: the member's recent messages.
pub fn status(lines: &[StatusLine]) -> String {
    if lines.is_empty() {
        return "You haven't sent any messages yet.".to_string();
    }
    let mut text = String::from("Your recent messages:\n");
    for l in lines {
        let state = match l.status.as_str() {
            "new" => "waiting for your care team",
            "claimed" => "being reviewed",
            "answered" => "answered",
            "closed" => "closed",
            other => other,
        };
        text.push_str(&format!(
            "\n{} · {} · \"{}\" · sent {} · {state}",
            l.reference, l.recipient, l.subject, l.sent
        ));
    }
    text
}

/// The stored draft could not be restored.
pub fn draft_lost() -> String {
    "Sorry, I couldn't restore the message you were writing. Let's start it again.".to_string()
}

/// An unfinished draft was cleared after `days` days without activity.
pub fn draft_cleared(days: u32) -> String {
    format!(
        "Your unfinished message was cleared after {days} days without activity, to keep your \
         health details private. Nothing was sent. Send /new to start a new one."
    )
}

/// An earlier message was edited (and screened again).
pub fn edited() -> String {
    "I saw you edited an earlier message. Edits don't change your draft; if something needs \
     correcting, send it as a new message (or change it at the review)."
        .to_string()
}

/// The chat is not linked to a member.
pub fn not_linked() -> String {
    "Welcome to Careline. To write to your care team, this chat must first be linked to your \
     health plan membership: ask your clinic for a link code, then send /start followed by the \
     code (for example: /start ABCD2345). Nothing you write here is sent until then.\n\n\
     If you need help now: emergencies 911, crisis line 988."
        .to_string()
}

/// The outcome of a link code.
pub fn link_result(outcome: &str) -> String {
    match outcome {
        "linked" => "Your chat is now linked to your membership.",
        "expired" => "That link code has expired (codes last 24 hours). Please ask your clinic for a new one.",
        "used" => "That link code was already used. Please ask your clinic for a new one.",
        _ => "I don't recognise that link code. Please check it, or ask your clinic for a new one.",
    }
    .to_string()
}

/// A chat sends faster than a person types: its next messages are not read
/// for a minute (urgent and emergency words still are).
pub fn slow_down() -> String {
    "You're sending messages faster than I can read them, so I'll skip new ones for a minute. \
     Nothing you already sent is lost. If this is an emergency, call 911 now."
        .to_string()
}

/// Something failed on Careline's side; nothing from that message was saved.
pub fn try_again() -> String {
    "Sorry, something went wrong on our side and nothing was saved from that message. Please \
     send it again. In an emergency call 911."
        .to_string()
}

/// A staff reply delivered to the member.
pub fn staff_reply(author: &str, subject: &str, text: &str) -> String {
    format!("Reply from {author} about \"{subject}\":\n\n{text}")
}

/// A queue item was closed by staff.
pub fn item_closed(subject: &str, outcome: &str) -> String {
    format!("Your care team closed your message \"{subject}\": {outcome}")
}
