//! The conversation's one function: [`step`]. Pure: it reads only its
//! arguments and returns the next state and what to do.

use crate::domain::{
    DETAILS_MAX_CHARS, Priority, Recipient, RequestKind, SafetyFlag, Subject, SubjectError,
};
use crate::screening::{Field, Level, Screener, Verdict};

use super::copy;
use super::effect::{Button, Effect, SafetyEvent, SafetyOutcome, Submission};
use super::input::{Action, Command, Input, Part, Receipt};
use super::state::{Draft, Hold, State, Step};

/// What a step may read besides the state: the screener and the member's
/// directory.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Screens every text the member types.
    pub screener: &'a Screener,
    /// Who this member can write to, in the order offered (their primary
    /// care doctor first; their office is the one named in safety messages
    /// before a recipient is chosen).
    pub recipients: &'a [Recipient],
    /// The 24/7 advice nurse's number, if the plan has one.
    pub advice_line: Option<&'a str>,
}

/// Takes one input and returns the next state and the effects, in order.
///
/// Every text is screened before anything else happens; an emergency or
/// crisis stops the draft until the member says explicitly that it is not
/// one.
pub fn step(state: State, input: Input, ctx: &Context<'_>) -> (State, Vec<Effect>) {
    let mut turn = Turn {
        state,
        ctx,
        out: Vec::new(),
    };
    turn.handle(input);
    (turn.state, turn.out)
}

/// Facts an office usually needs for a kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// Medication name and dose.
    Dose,
    /// Which pharmacy.
    Pharmacy,
    /// Which test.
    Test,
    /// When it was done.
    When,
    /// Since when.
    Since,
    /// How severe.
    Severity,
    /// What was tried.
    Tried,
    /// Preferred days or times.
    Times,
    /// By when.
    Deadline,
    /// The details are very short.
    More,
}

/// Details shorter than this always get one nudge.
const SHORT_DETAILS: usize = 25;

struct Turn<'a, 'c> {
    state: State,
    ctx: &'a Context<'c>,
    out: Vec<Effect>,
}

impl Turn<'_, '_> {
    fn say(&mut self, text: String) {
        self.out.push(Effect::Say {
            text,
            buttons: Vec::new(),
        });
    }

    fn offer(&mut self, text: String, buttons: Vec<Button>) {
        self.out.push(Effect::Say { text, buttons });
    }

    fn handle(&mut self, input: Input) {
        if let Some(days) = self.state.cleared_after_days.take() {
            self.say(copy::draft_cleared(days));
        }
        if matches!(self.state.step, Step::Sending) && !matches!(input, Input::Committed(_)) {
            self.say(copy::still_sending());
            return;
        }
        match input {
            Input::Command(command) => self.command(command),
            Input::Unsupported(kind) => {
                self.say(copy::unsupported(&kind));
                self.prompt();
            }
            Input::Committed(receipt) => self.committed(receipt),
            Input::Edited(text) => {
                let verdict = self.ctx.screener.screen(&text, Field::Details);
                if !self.stopped_for_safety(&verdict, "", Field::Details) {
                    self.say(copy::edited());
                }
            }
            Input::UnknownButton => {
                self.say(copy::stale_button());
                self.prompt();
            }
            Input::Choice { draft, action } => {
                let offered = self.prompt_for().1.iter().any(|b| b.action == action)
                    // The privacy setting is not part of any draft.
                    || matches!(action, Action::DeleteMessages(_));
                if draft == self.state.draft_no && offered {
                    self.act(action);
                } else {
                    self.say(copy::stale_button());
                    self.prompt();
                }
            }
            Input::Text(text) => self.text(text),
        }
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Start if self.state.in_draft() => self.prompt(),
            Command::Start => {
                self.say(copy::welcome());
                self.begin();
                self.prompt();
            }
            Command::New => {
                self.begin();
                self.say(copy::start_hint());
                self.prompt();
            }
            Command::Cancel => self.cancel(),
            Command::Help => {
                self.say(copy::help());
                self.prompt();
            }
            Command::Privacy => {
                let on = self.state.delete_messages;
                let toggle = Button {
                    label: copy::delete_messages_label(!on).into(),
                    action: Action::DeleteMessages(!on),
                };
                self.offer(copy::privacy(on), vec![toggle]);
                if self.state.in_draft() {
                    self.prompt();
                }
            }
            Command::Status => {
                self.out.push(Effect::Status);
                if self.state.in_draft() {
                    self.prompt();
                }
            }
        }
    }

    /// Starts a fresh draft at the recipient step.
    fn begin(&mut self) {
        self.state = State {
            draft_no: self.state.draft_no.wrapping_add(1),
            step: Step::Recipient,
            draft: Draft::default(),
            editing: false,
            delete_messages: self.state.delete_messages,
            cleared_after_days: None,
        };
    }

    fn cancel(&mut self) {
        if !self.state.in_draft() {
            self.say(copy::nothing_to_cancel());
            return;
        }
        self.end_draft();
        self.offer(copy::cancelled(), vec![self.new_message_button()]);
    }

    fn end_draft(&mut self) {
        self.state.step = Step::Idle;
        self.state.draft = Draft::default();
        self.state.editing = false;
    }

    fn new_message_button(&self) -> Button {
        Button {
            label: copy::NEW_MESSAGE.into(),
            action: Action::NewMessage,
        }
    }

    fn committed(&mut self, receipt: Receipt) {
        self.end_draft();
        self.offer(copy::sent(&receipt), vec![self.new_message_button()]);
    }

    fn text(&mut self, text: String) {
        let was_idle = !self.state.in_draft();
        if was_idle {
            self.begin();
        }
        let field = match self.state.step {
            Step::Subject | Step::SubjectWarning { .. } => Field::Subject,
            _ => Field::Details,
        };
        let verdict = self.ctx.screener.screen(&text, field);
        if self.stopped_for_safety(&verdict, &text, field) {
            return;
        }
        if was_idle {
            self.say(copy::start_hint());
            self.prompt();
            return;
        }
        self.accept(text);
    }

    /// Acts on a verdict; true when the conversation stopped for safety.
    fn stopped_for_safety(&mut self, verdict: &Verdict, text: &str, field: Field) -> bool {
        let level = verdict.level;
        let rules: Vec<String> = verdict
            .hits
            .iter()
            .filter(|h| h.level == level)
            .map(|h| h.rule.clone())
            .collect();
        match level {
            Level::Routine => false,
            Level::Sensitive => {
                // A private word in a subject gets the subject warning instead.
                if field == Field::Details && !self.state.draft.sensitive_noted {
                    self.state.draft.sensitive_noted = true;
                    self.record(level, rules, SafetyOutcome::PhoneSuggested);
                    let phone = self.office().1;
                    self.say(copy::sensitive(&phone));
                }
                false
            }
            Level::Urgent | Level::Crisis | Level::Emergency => {
                if let Step::Hold(hold) = &self.state.step
                    && hold.level >= level
                {
                    // Already stopped at this level or higher: the hold's
                    // own answers decide (a new red flag is shown again below).
                    if level == Level::Urgent || hold.rules.iter().any(|r| rules.contains(r)) {
                        return false;
                    }
                }
                if self.state.draft.already_flagged(level, &rules) {
                    self.say(copy::reminder(level));
                    return false;
                }
                self.record(level, rules.clone(), SafetyOutcome::Redirected);
                let (resume, held) = match &self.state.step {
                    Step::Hold(hold) => (hold.resume.clone(), hold.held.clone()),
                    step @ (Step::Subject | Step::SubjectWarning { .. } | Step::Details { .. }) => {
                        (step.clone(), (!text.is_empty()).then(|| text.to_string()))
                    }
                    step => (step.clone(), None),
                };
                self.state.step = Step::Hold(Box::new(Hold {
                    level,
                    rules,
                    held,
                    resume,
                }));
                self.prompt();
                true
            }
        }
    }

    fn record(&mut self, level: Level, rules: Vec<String>, outcome: SafetyOutcome) {
        self.out.push(Effect::Safety(SafetyEvent {
            level,
            rules,
            outcome,
        }));
    }

    /// Uses a (screened) text at the current step.
    fn accept(&mut self, text: String) {
        match self.state.step.clone() {
            Step::Idle | Step::Sending => self.prompt(),
            Step::Recipient | Step::Kind | Step::Review => {
                match choose(&text, &self.prompt_for().1) {
                    Some(action) => self.act(action),
                    None => {
                        self.say(copy::choose_one());
                        self.prompt();
                    }
                }
            }
            Step::Hold(hold) => match hold_answer(&text, hold.level) {
                Some(action) => self.act(action),
                None => {
                    self.say(copy::hold_repeat());
                    self.prompt();
                }
            },
            Step::Subject | Step::SubjectWarning { .. } => self.subject_text(&text),
            Step::Details { replacing, .. } => {
                let word = text.trim().to_lowercase();
                if matches!(
                    word.as_str(),
                    "done" | "finished" | "that's all" | "thats all"
                ) {
                    self.act(Action::Done);
                } else if replacing && matches!(word.as_str(), "keep" | "keep details") {
                    self.act(Action::KeepDetails);
                } else {
                    self.add_details(&text);
                }
            }
        }
    }

    fn subject_text(&mut self, text: &str) {
        match Subject::parse(text) {
            Err(SubjectError::TooShort) => {
                self.say(copy::subject_too_short());
                self.prompt();
            }
            Err(SubjectError::TooLong(chars)) => {
                self.say(copy::subject_too_long(chars));
                self.prompt();
            }
            Ok(subject) => {
                let verdict = self.ctx.screener.screen(subject.as_str(), Field::Subject);
                if verdict.level > Level::Routine {
                    self.state.step = Step::SubjectWarning { proposed: subject };
                    self.prompt();
                } else {
                    self.state.draft.subject = Some(subject);
                    self.advance();
                }
            }
        }
    }

    fn add_details(&mut self, text: &str) {
        let Step::Details { nudged, replacing } = self.state.step else {
            return;
        };
        let text = text.trim();
        if text.is_empty() {
            self.prompt();
            return;
        }
        let kept = if replacing {
            0
        } else {
            self.state.draft.details_chars() + usize::from(!self.state.draft.details.is_empty())
        };
        let would_be = kept + text.chars().count();
        let buttons = self.prompt_for().1;
        if would_be > DETAILS_MAX_CHARS {
            self.offer(copy::details_too_long(would_be, DETAILS_MAX_CHARS), buttons);
            return;
        }
        if replacing {
            self.state.draft.details.clear();
            self.state.step = Step::Details {
                nudged,
                replacing: false,
            };
        }
        self.state.draft.details.push(text.to_string());
        let done = vec![Button {
            label: copy::DONE.into(),
            action: Action::Done,
        }];
        self.offer(copy::details_added(would_be, DETAILS_MAX_CHARS), done);
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::NewMessage => {
                self.begin();
                self.prompt();
            }
            Action::DeleteMessages(on) => {
                self.state.delete_messages = on;
                self.say(copy::delete_messages_set(on));
                if self.state.in_draft() {
                    self.prompt();
                }
            }
            Action::Recipient(id) => {
                let Some(r) = self.ctx.recipients.iter().find(|r| r.id == id) else {
                    self.say(copy::choose_one());
                    self.prompt();
                    return;
                };
                self.state.draft.recipient = Some(r.clone());
                self.advance();
            }
            Action::Kind(kind) => {
                self.state.draft.kind = Some(kind);
                self.advance();
            }
            Action::Subject(n) => {
                let kind = self.state.draft.kind.unwrap_or(RequestKind::Other);
                let text = copy::subjects(kind)
                    .get(usize::from(n))
                    .copied()
                    .unwrap_or(copy::subjects(kind)[0]);
                self.state.draft.subject =
                    Some(Subject::parse(text).expect("suggestions are valid subjects"));
                self.advance();
            }
            Action::KeepSubject => {
                if let Step::SubjectWarning { proposed } = &self.state.step {
                    self.state.draft.subject = Some(proposed.clone());
                    self.advance();
                }
            }
            Action::Done => self.done(),
            Action::KeepDetails => {
                self.state.editing = false;
                self.state.step = Step::Review;
                self.prompt();
            }
            Action::Send => self.send(),
            Action::Edit(part) => {
                self.state.editing = true;
                self.state.step = match part {
                    Part::Recipient => Step::Recipient,
                    Part::Kind => Step::Kind,
                    Part::Subject => Step::Subject,
                    Part::Details => Step::Details {
                        nudged: false,
                        replacing: true,
                    },
                };
                self.prompt();
            }
            Action::Cancel => self.cancel(),
            Action::NotEmergency | Action::SendAnyway => {
                let Step::Hold(hold) = self.state.step.clone() else {
                    return;
                };
                let outcome = if hold.level == Level::Urgent {
                    SafetyOutcome::SentAnyway
                } else {
                    SafetyOutcome::Overridden
                };
                self.record(hold.level, hold.rules.clone(), outcome);
                self.state.draft.flags.push(SafetyFlag {
                    level: hold.level,
                    rules: hold.rules,
                });
                self.state.step = hold.resume;
                match hold.held {
                    // The text the member typed is used as typed; it was screened.
                    Some(text) => self.accept(text),
                    None => self.prompt(),
                }
            }
            Action::WillCall => {
                let Step::Hold(hold) = self.state.step.clone() else {
                    return;
                };
                self.record(hold.level, hold.rules, SafetyOutcome::WillCall);
                let (office, phone) = self.office();
                self.end_draft();
                self.offer(
                    copy::will_call(&office, &phone),
                    vec![self.new_message_button()],
                );
            }
        }
    }

    fn done(&mut self) {
        let Step::Details { nudged, .. } = self.state.step else {
            return;
        };
        let draft = &self.state.draft;
        if draft.details.is_empty() {
            self.say(copy::details_empty());
            return;
        }
        let mut missing = missing_facts(
            draft.kind.unwrap_or(RequestKind::Other),
            &draft.details_text(),
        );
        if missing.is_empty() && draft.details_chars() < SHORT_DETAILS {
            missing.push(Fact::More);
        }
        if !nudged && !missing.is_empty() {
            self.state.step = Step::Details {
                nudged: true,
                replacing: false,
            };
            let names: Vec<&str> = missing.into_iter().map(copy::fact).collect();
            let done = vec![Button {
                label: copy::DONE.into(),
                action: Action::Done,
            }];
            self.offer(copy::nudge(&names), done);
            return;
        }
        self.advance();
    }

    fn send(&mut self) {
        let draft = &self.state.draft;
        let (Some(recipient), Some(kind), Some(subject)) =
            (&draft.recipient, draft.kind, &draft.subject)
        else {
            // Review is only reached with every part; be safe anyway.
            self.state.step = Step::Recipient;
            self.prompt();
            return;
        };
        let priority = draft
            .flags
            .iter()
            .map(|f| Priority::for_level(f.level))
            .max()
            .unwrap_or_default();
        let submission = Submission {
            draft_no: self.state.draft_no,
            recipient_id: recipient.id,
            kind,
            subject: subject.clone(),
            details: draft.details_text(),
            priority,
            flags: draft.flags.clone(),
        };
        self.state.step = Step::Sending;
        self.out.push(Effect::Enqueue(submission));
    }

    /// Moves on after a part is complete: the next step, or back to review.
    fn advance(&mut self) {
        self.state.step = if self.state.editing {
            self.state.editing = false;
            Step::Review
        } else {
            match self.state.step {
                Step::Recipient => Step::Kind,
                Step::Kind => Step::Subject,
                Step::Subject | Step::SubjectWarning { .. } => Step::Details {
                    nudged: false,
                    replacing: false,
                },
                _ => Step::Review,
            }
        };
        self.prompt();
    }

    /// The office named in safety messages: the recipient's, else the first
    /// on the member's list.
    fn office(&self) -> (String, String) {
        self.state
            .draft
            .recipient
            .as_ref()
            .or(self.ctx.recipients.first())
            .map(|r| (format!("{} ({})", r.name, r.hours), r.phone.clone()))
            .unwrap_or_else(|| {
                (
                    "your care team".into(),
                    "the number on your member card".into(),
                )
            })
    }

    fn prompt(&mut self) {
        let (text, buttons) = self.prompt_for();
        self.offer(text, buttons);
    }

    /// What the current step asks, and the buttons it offers.
    fn prompt_for(&self) -> (String, Vec<Button>) {
        let button = |label: &str, action: Action| Button {
            label: label.to_string(),
            action,
        };
        let draft = &self.state.draft;
        let kind = draft.kind.unwrap_or(RequestKind::Other);
        match &self.state.step {
            Step::Idle => (
                copy::start_hint(),
                vec![button(copy::NEW_MESSAGE, Action::NewMessage)],
            ),
            Step::Recipient => (
                copy::ask_recipient(),
                self.ctx
                    .recipients
                    .iter()
                    .map(|r| button(&copy::recipient_label(r), Action::Recipient(r.id)))
                    .collect(),
            ),
            Step::Kind => (
                copy::ask_kind(),
                RequestKind::ALL
                    .iter()
                    .map(|&k| button(copy::kind_label(k), Action::Kind(k)))
                    .collect(),
            ),
            Step::Subject => (
                copy::ask_subject(),
                copy::subjects(kind)
                    .iter()
                    .enumerate()
                    .map(|(i, s)| button(s, Action::Subject(i as u8)))
                    .collect(),
            ),
            Step::SubjectWarning { .. } => {
                let rewrite = copy::subjects(kind)[0];
                (
                    copy::subject_warning(rewrite),
                    vec![
                        button(&copy::use_subject_label(rewrite), Action::Subject(0)),
                        button(copy::KEEP_SUBJECT, Action::KeepSubject),
                    ],
                )
            }
            Step::Details {
                replacing: true, ..
            } => (
                copy::ask_new_details(kind, &draft.details_text()),
                vec![button(copy::KEEP_DETAILS, Action::KeepDetails)],
            ),
            Step::Details { .. } => (
                copy::ask_details(kind),
                vec![button(copy::DONE, Action::Done)],
            ),
            Step::Review => (
                copy::review(draft),
                vec![
                    button(copy::SEND, Action::Send),
                    button(copy::EDIT_RECIPIENT, Action::Edit(Part::Recipient)),
                    button(copy::EDIT_KIND, Action::Edit(Part::Kind)),
                    button(copy::EDIT_SUBJECT, Action::Edit(Part::Subject)),
                    button(copy::EDIT_DETAILS, Action::Edit(Part::Details)),
                    button(copy::CANCEL, Action::Cancel),
                ],
            ),
            Step::Sending => (copy::still_sending(), Vec::new()),
            Step::Hold(hold) => {
                let (office, phone) = self.office();
                match hold.level {
                    Level::Urgent => (
                        copy::urgent(&office, &phone, self.ctx.advice_line),
                        vec![
                            button(copy::WILL_CALL, Action::WillCall),
                            button(copy::SEND_ANYWAY, Action::SendAnyway),
                        ],
                    ),
                    Level::Crisis => (
                        copy::crisis(&phone),
                        vec![
                            button(copy::NOT_IN_DANGER, Action::NotEmergency),
                            button(copy::CANCEL_MESSAGE, Action::Cancel),
                        ],
                    ),
                    _ => (
                        copy::emergency(&phone),
                        vec![
                            button(copy::NOT_EMERGENCY, Action::NotEmergency),
                            button(copy::CANCEL_MESSAGE, Action::Cancel),
                        ],
                    ),
                }
            }
        }
    }
}

/// Lower-case words of a text (letters and digits).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words too common to pick a button by.
const FILLER: &[&str] = &[
    "the", "and", "for", "with", "about", "your", "you", "this", "that", "question", "change", "a",
    "an", "or", "of", "to", "my", "i", "it", "dr",
];

/// The one button a typed text names: its whole label, or more of its words
/// (and, for kinds, their synonyms) than any other button's.
fn choose(text: &str, buttons: &[Button]) -> Option<Action> {
    let typed = text.trim().to_lowercase();
    if let Some(b) = buttons.iter().find(|b| b.label.to_lowercase() == typed) {
        return Some(b.action.clone());
    }
    let typed = words(text);
    let scores: Vec<usize> = buttons
        .iter()
        .map(|b| {
            let mut keys = words(&b.label);
            if let Action::Kind(kind) = b.action {
                keys.extend(copy::kind_words(kind).iter().map(|w| w.to_string()));
            }
            keys.retain(|k| !FILLER.contains(&k.as_str()));
            typed.iter().filter(|w| keys.contains(w)).count()
        })
        .collect();
    let best = *scores.iter().max()?;
    if best == 0 || scores.iter().filter(|&&s| s == best).count() > 1 {
        return None;
    }
    let i = scores.iter().position(|&s| s == best)?;
    Some(buttons[i].action.clone())
}

/// A typed answer at a safety stop: only an explicit one counts.
fn hold_answer(text: &str, level: Level) -> Option<Action> {
    let t = words(text).join(" ");
    let has = |phrases: &[&str]| phrases.iter().any(|p| t.contains(p));
    match level {
        Level::Urgent if has(&["send anyway", "send it anyway", "send"]) => {
            Some(Action::SendAnyway)
        }
        Level::Urgent if has(&["call"]) => Some(Action::WillCall),
        Level::Emergency
            if has(&[
                "not an emergency",
                "not a emergency",
                "not emergency",
                "isn t an emergency",
                "no emergency",
                "no es una emergencia",
                "no es emergencia",
            ]) =>
        {
            Some(Action::NotEmergency)
        }
        Level::Crisis
            if has(&[
                "not in danger",
                "i m safe",
                "im safe",
                "i am safe",
                "not a crisis",
                "estoy a salvo",
                "no estoy en peligro",
            ]) =>
        {
            Some(Action::NotEmergency)
        }
        _ => None,
    }
}

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "weekend",
    "weekday",
    "weekdays",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
const RECENT: &[&str] = &[
    "yesterday",
    "today",
    "ago",
    "last",
    "week",
    "weeks",
    "month",
    "months",
    "recent",
    "recently",
    "morning",
    "afternoon",
];

/// Which of the facts an office usually needs for `kind` the details seem
/// to lack. A heuristic for a gentle reminder, never a gate.
pub fn missing_facts(kind: RequestKind, details: &str) -> Vec<Fact> {
    let w = words(details);
    let any = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
    let number = w.iter().any(|x| x.chars().any(|c| c.is_ascii_digit()));
    let dated = number || any(WEEKDAYS) || any(MONTHS) || any(RECENT);
    let mut missing = Vec::new();
    let mut need = |present: bool, fact| {
        if !present {
            missing.push(fact);
        }
    };
    match kind {
        RequestKind::Refill => {
            let dose = w.iter().any(|x| {
                let unit = x.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                [
                    "mg",
                    "mcg",
                    "ml",
                    "g",
                    "iu",
                    "units",
                    "unit",
                    "milligrams",
                    "puffs",
                ]
                .contains(&unit)
                    && (unit.len() < x.len() || number)
            });
            need(dose, Fact::Dose);
            need(
                any(&[
                    "pharmacy",
                    "cvs",
                    "walgreens",
                    "walmart",
                    "costco",
                    "kroger",
                    "rite",
                    "mail",
                    "express",
                    "optum",
                    "usual",
                    "same",
                    "farmacia",
                ]),
                Fact::Pharmacy,
            );
        }
        RequestKind::Results => {
            need(
                any(&[
                    "test",
                    "tests",
                    "lab",
                    "labs",
                    "blood",
                    "bloodwork",
                    "xray",
                    "ray",
                    "mri",
                    "ct",
                    "scan",
                    "ultrasound",
                    "biopsy",
                    "a1c",
                    "cholesterol",
                    "panel",
                    "culture",
                    "ekg",
                    "ecg",
                    "mammogram",
                    "urine",
                    "thyroid",
                    "tsh",
                    "cbc",
                    "screening",
                    "pap",
                    "colonoscopy",
                    "result",
                    "results",
                ]),
                Fact::Test,
            );
            need(dated, Fact::When);
        }
        RequestKind::Symptom => {
            need(
                number
                    || any(RECENT)
                    || any(&[
                        "since", "days", "day", "hours", "hour", "started", "began", "night",
                        "tonight", "weeks", "months", "years", "year",
                    ]),
                Fact::Since,
            );
            need(
                details.contains("/10")
                    || any(&[
                        "mild",
                        "moderate",
                        "severe",
                        "bad",
                        "worse",
                        "worst",
                        "better",
                        "terrible",
                        "slight",
                        "slightly",
                        "intense",
                        "unbearable",
                        "manageable",
                        "scale",
                        "constant",
                        "comes",
                        "annoying",
                        "painful",
                    ]),
                Fact::Severity,
            );
            need(
                any(&[
                    "tried",
                    "try",
                    "took",
                    "taken",
                    "taking",
                    "helped",
                    "helps",
                    "help",
                    "nothing",
                    "tylenol",
                    "ibuprofen",
                    "advil",
                    "motrin",
                    "aleve",
                    "acetaminophen",
                    "rest",
                    "ice",
                    "heat",
                    "cream",
                    "medicine",
                    "medication",
                ]),
                Fact::Tried,
            );
        }
        RequestKind::Appointment => need(
            dated
                || any(&[
                    "morning",
                    "afternoon",
                    "evening",
                    "am",
                    "pm",
                    "anytime",
                    "any",
                    "asap",
                    "soon",
                    "next",
                ]),
            Fact::Times,
        ),
        RequestKind::Form => need(
            dated
                || any(&[
                    "by", "due", "deadline", "before", "until", "asap", "soon", "next",
                ]),
            Fact::Deadline,
        ),
        RequestKind::Other => {}
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_facts_notice_what_a_refill_lacks() {
        assert_eq!(
            missing_facts(
                RequestKind::Refill,
                "I need more of my blood pressure pills"
            ),
            vec![Fact::Dose, Fact::Pharmacy]
        );
        assert_eq!(
            missing_facts(RequestKind::Refill, "lisinopril 10mg, CVS on Main St"),
            Vec::<Fact>::new()
        );
        assert_eq!(
            missing_facts(
                RequestKind::Refill,
                "metformin 500 mg twice a day, same pharmacy"
            ),
            Vec::<Fact>::new()
        );
    }

    #[test]
    fn missing_facts_for_symptoms_results_and_appointments() {
        assert_eq!(
            missing_facts(RequestKind::Symptom, "I have a rash on my arm"),
            vec![Fact::Since, Fact::Severity, Fact::Tried]
        );
        assert!(
            missing_facts(
                RequestKind::Symptom,
                "Itchy rash since Monday, mild, tried hydrocortisone cream"
            )
            .is_empty()
        );
        assert_eq!(
            missing_facts(RequestKind::Results, "what do my results mean?"),
            vec![Fact::When]
        );
        assert_eq!(
            missing_facts(RequestKind::Appointment, "a physical"),
            vec![Fact::Times]
        );
        assert!(missing_facts(RequestKind::Other, "x").is_empty());
    }

    fn b(label: &str, action: Action) -> Button {
        Button {
            label: label.into(),
            action,
        }
    }

    #[test]
    fn typed_words_choose_the_one_button_they_name() {
        let kinds: Vec<Button> = RequestKind::ALL
            .iter()
            .map(|&k| b(copy::kind_label(k), Action::Kind(k)))
            .collect();
        assert_eq!(
            choose("refill", &kinds),
            Some(Action::Kind(RequestKind::Refill))
        );
        assert_eq!(
            choose("a question about my lab results", &kinds),
            Some(Action::Kind(RequestKind::Results))
        );
        assert_eq!(
            choose("Appointment", &kinds),
            Some(Action::Kind(RequestKind::Appointment))
        );
        assert_eq!(choose("hmm", &kinds), None);
        let review = vec![
            b(copy::SEND, Action::Send),
            b(copy::EDIT_SUBJECT, Action::Edit(Part::Subject)),
            b(copy::EDIT_DETAILS, Action::Edit(Part::Details)),
        ];
        assert_eq!(choose("send", &review), Some(Action::Send));
        assert_eq!(
            choose("change subject", &review),
            Some(Action::Edit(Part::Subject))
        );
        assert_eq!(choose("change", &review), None);
    }

    #[test]
    fn only_an_explicit_answer_lifts_a_safety_stop() {
        assert_eq!(
            hold_answer("It's not an emergency", Level::Emergency),
            Some(Action::NotEmergency)
        );
        assert_eq!(hold_answer("ok", Level::Emergency), None);
        assert_eq!(hold_answer("continue", Level::Emergency), None);
        assert_eq!(
            hold_answer("I'm safe", Level::Crisis),
            Some(Action::NotEmergency)
        );
        assert_eq!(hold_answer("not an emergency", Level::Crisis), None);
        assert_eq!(
            hold_answer("send anyway", Level::Urgent),
            Some(Action::SendAnyway)
        );
        assert_eq!(
            hold_answer("ok I'll call them", Level::Urgent),
            Some(Action::WillCall)
        );
    }
}
