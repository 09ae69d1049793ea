//! Story tests on the pure conversation machine with the shipped rules:
//! each test is one member's path through the flow.

use careline::conversation::{
    Action, Button, Command, Context, Effect, Input, Part, Receipt, SafetyOutcome, State, Step,
    Submission, copy, step,
};
use careline::domain::{DETAILS_MAX_CHARS, Priority, Recipient, RequestKind};
use careline::screening::Level;

use crate::helpers::shipped_screener;

fn recipients() -> Vec<Recipient> {
    vec![
        Recipient {
            id: 1,
            name: "Dr. Maria Alvarez".into(),
            role: "Primary care doctor".into(),
            phone: "(555) 010-2000".into(),
            hours: "Mon–Fri 8 AM–5 PM".into(),
        },
        Recipient {
            id: 3,
            name: "Pharmacy".into(),
            role: "Refills and medicines".into(),
            phone: "(555) 010-2200".into(),
            hours: "Mon–Sat 9 AM–6 PM".into(),
        },
    ]
}

/// One member talking to the machine; the test plays the runtime.
struct Story {
    state: State,
    recipients: Vec<Recipient>,
    /// Everything the machine asked for, in order.
    log: Vec<Effect>,
    /// Effects of the last input.
    last: Vec<Effect>,
}

impl Story {
    fn new() -> Self {
        let mut story = Self {
            state: State::default(),
            recipients: recipients(),
            log: Vec::new(),
            last: Vec::new(),
        };
        story.input(Input::Command(Command::Start));
        story
    }

    fn input(&mut self, input: Input) -> &mut Self {
        let ctx = Context {
            screener: shipped_screener(),
            recipients: &self.recipients,
            advice_line: Some("(555) 010-2400"),
        };
        let (state, effects) = step(std::mem::take(&mut self.state), input, &ctx);
        self.state = state;
        self.log.extend(effects.iter().cloned());
        self.last = effects;
        self
    }

    fn say(&mut self, text: &str) -> &mut Self {
        self.input(Input::from_text(text))
    }

    /// Taps the button whose label starts with `label` among the last offered.
    fn tap(&mut self, label: &str) -> &mut Self {
        let action = self
            .buttons()
            .into_iter()
            .find(|b| b.label.starts_with(label))
            .unwrap_or_else(|| panic!("no button {label:?} in {:?}", self.buttons()))
            .action;
        let draft = self.state.draft_no;
        self.input(Input::Choice { draft, action })
    }

    fn buttons(&self) -> Vec<Button> {
        self.last
            .iter()
            .rev()
            .find_map(|e| match e {
                Effect::Say { buttons, .. } if !buttons.is_empty() => Some(buttons.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Everything said by the last input, joined.
    fn said(&self) -> String {
        self.last
            .iter()
            .filter_map(|e| match e {
                Effect::Say { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n---\n")
    }

    fn enqueued(&self) -> Vec<Submission> {
        self.log
            .iter()
            .filter_map(|e| match e {
                Effect::Enqueue(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    fn safety(&self) -> Vec<(Level, SafetyOutcome)> {
        self.log
            .iter()
            .filter_map(|e| match e {
                Effect::Safety(ev) => Some((ev.level, ev.outcome)),
                _ => None,
            })
            .collect()
    }

    /// Plays the runtime: the enqueued draft is committed.
    fn commit(&mut self) -> &mut Self {
        assert!(
            matches!(self.state.step, Step::Sending),
            "nothing to commit"
        );
        self.input(Input::Committed(Receipt {
            reference: "CL-000042".into(),
            recipient: "Dr. Maria Alvarez".into(),
            reply_by: "Friday, November 27, 3 PM EST".into(),
        }))
    }

    /// Recipient, refill, the first suggested subject.
    fn reach_details(&mut self) -> &mut Self {
        self.tap("Dr. Maria Alvarez")
            .tap("Prescription refill")
            .tap("Request for Refill")
    }
}

#[test]
fn member_requests_a_refill_from_start_to_sent() {
    let mut s = Story::new();
    assert!(
        s.said().contains("911") && s.said().contains("988"),
        "welcome names both lines"
    );
    assert!(s.said().contains("Who is your message for?"));
    s.tap("Dr. Maria Alvarez");
    assert!(s.said().contains("What is your message about?"));
    s.tap("Prescription refill");
    assert!(s.buttons().iter().any(|b| b.label == "Request for Refill"));
    s.tap("Request for Refill");
    assert!(s.said().contains("medication name and dose"));
    s.say("Lisinopril 10 mg once a day, please send to the CVS on Main St");
    s.tap("Done");
    let review = s.said();
    for part in [
        "To: Dr. Maria Alvarez",
        "About: Prescription refill",
        "Subject: Request for Refill",
        "Lisinopril 10 mg",
    ] {
        assert!(review.contains(part), "review lacks {part:?}:\n{review}");
    }
    assert!(s.enqueued().is_empty(), "nothing is queued before Send");
    s.tap("Send");
    let queued = s.enqueued();
    assert_eq!(queued.len(), 1);
    let item = &queued[0];
    assert_eq!(
        (
            item.recipient_id,
            item.kind,
            item.subject.as_str(),
            item.priority
        ),
        (
            1,
            RequestKind::Refill,
            "Request for Refill",
            Priority::Normal
        )
    );
    assert!(item.flags.is_empty());
    assert!(
        !s.said().contains("Sent"),
        "not told it was sent before the commit"
    );
    s.commit();
    let sent = s.said();
    assert!(sent.contains("CL-000042") && sent.contains("Friday, November 27, 3 PM EST"));
    assert!(sent.contains("24–48 business hours") && sent.contains("spam"));
    assert_eq!(s.state.step, Step::Idle);
}

#[test]
fn typed_words_work_like_buttons() {
    let mut s = Story::new();
    s.say("pharmacy").say("refill").say("Request for Refill");
    assert!(matches!(s.state.step, Step::Details { .. }));
    assert_eq!(s.state.draft.recipient.as_ref().unwrap().id, 3);
    s.say("metformin 500 mg twice daily, mail order pharmacy")
        .say("done");
    assert_eq!(s.state.step, Step::Review);
    s.say("send");
    assert_eq!(s.enqueued().len(), 1);
}

#[test]
fn a_subject_with_a_sensitive_word_gets_a_neutral_rewrite() {
    let mut s = Story::new();
    s.tap("Dr. Maria Alvarez").tap("Test result question");
    s.say("My HIV test results");
    assert!(matches!(s.state.step, Step::SubjectWarning { .. }));
    assert!(s.said().contains("private"));
    s.tap("Use \"Question About Recent Lab Results\"");
    assert_eq!(
        s.state.draft.subject.as_ref().unwrap().as_str(),
        "Question About Recent Lab Results"
    );
    assert!(matches!(s.state.step, Step::Details { .. }));
}

#[test]
fn a_member_may_keep_their_own_subject_after_the_warning() {
    let mut s = Story::new();
    s.tap("Dr. Maria Alvarez")
        .tap("Symptom or medical question");
    s.say("question about my depression meds")
        .tap("Keep my subject");
    assert_eq!(
        s.state.draft.subject.as_ref().unwrap().as_str(),
        "question about my depression meds"
    );
}

#[test]
fn subjects_too_short_or_too_long_are_refused_with_the_limit() {
    let mut s = Story::new();
    s.tap("Dr. Maria Alvarez").tap("Something else");
    s.say("hi");
    assert!(s.said().contains("at least 4 characters"));
    assert_eq!(s.state.step, Step::Subject);
    s.say(&"Long subject ".repeat(10));
    assert!(s.said().contains("the limit is 80"), "{}", s.said());
    assert_eq!(s.state.step, Step::Subject);
    s.say("Parking validation");
    assert!(matches!(s.state.step, Step::Details { .. }));
}

#[test]
fn short_details_get_one_gentle_nudge_for_missing_facts() {
    let mut s = Story::new();
    s.reach_details().say("refill pls").tap("Done");
    let nudge = s.said();
    assert!(
        nudge.contains("dose") && nudge.contains("pharmacy"),
        "{nudge}"
    );
    assert!(matches!(s.state.step, Step::Details { nudged: true, .. }));
    s.tap("Done");
    assert_eq!(s.state.step, Step::Review, "a second Done goes on as it is");
}

#[test]
fn details_may_come_in_several_messages_and_too_long_is_refused() {
    let mut s = Story::new();
    s.reach_details();
    s.tap("Done");
    assert!(s.said().contains("at least a sentence"));
    s.say("Atorvastatin 20 mg at night.");
    s.say("Please send it to Walgreens.");
    assert_eq!(s.state.draft.details.len(), 2);
    let too_long = "x".repeat(DETAILS_MAX_CHARS);
    s.say(&too_long);
    assert!(s.said().contains("limit is 2000"), "{}", s.said());
    assert_eq!(s.state.draft.details.len(), 2, "nothing added");
    s.tap("Done");
    assert_eq!(s.state.step, Step::Review);
    assert!(
        s.said()
            .contains("Atorvastatin 20 mg at night.\nPlease send it to Walgreens.")
    );
}

#[test]
fn member_edits_the_subject_from_the_review_and_returns_to_it() {
    let mut s = Story::new();
    s.reach_details()
        .say("Lisinopril 10 mg, CVS Main St")
        .tap("Done");
    assert_eq!(s.state.step, Step::Review);
    s.tap("Change subject");
    assert_eq!(s.state.step, Step::Subject);
    s.say("Refill needed this week");
    assert_eq!(s.state.step, Step::Review);
    let review = s.said();
    assert!(
        review.contains("Subject: Refill needed this week"),
        "{review}"
    );
    assert!(
        review.contains("Lisinopril 10 mg"),
        "the details are unchanged"
    );
}

#[test]
fn member_replaces_the_details_from_the_review() {
    let mut s = Story::new();
    s.reach_details()
        .say("Lisinopril 10 mg, CVS Main St")
        .tap("Done");
    s.tap("Change details");
    assert!(
        s.said().contains("Lisinopril 10 mg, CVS Main St"),
        "shows what is there"
    );
    s.say("Lisinopril 20 mg (new dose), CVS Main St")
        .tap("Done");
    assert_eq!(s.state.step, Step::Review);
    assert_eq!(
        s.state.draft.details,
        vec!["Lisinopril 20 mg (new dose), CVS Main St"]
    );
    s.tap("Change recipient").tap("Pharmacy");
    assert_eq!(s.state.step, Step::Review);
    assert!(s.said().contains("To: Pharmacy"));
}

#[test]
fn cancel_discards_the_draft_and_queues_nothing() {
    let mut s = Story::new();
    s.reach_details().say("Lisinopril 10 mg, CVS");
    s.say("/cancel");
    assert!(s.said().contains("Nothing was sent"));
    assert_eq!(s.state.step, Step::Idle);
    assert_eq!(s.state.draft.details.len(), 0);
    s.say("/cancel");
    assert!(s.said().contains("no message in progress"));
    assert!(s.enqueued().is_empty());
}

#[test]
fn member_with_chest_pain_is_sent_to_911_and_nothing_is_queued() {
    let mut s = Story::new();
    s.tap("Dr. Maria Alvarez")
        .tap("Symptom or medical question")
        .tap("Medical Question");
    s.say("My chest hurts and there is pressure right now");
    let said = s.said();
    assert!(
        said.contains("Call 911") && said.contains("(555) 010-2000"),
        "{said}"
    );
    assert!(matches!(&s.state.step, Step::Hold(h) if h.level == Level::Emergency));
    assert_eq!(
        s.safety(),
        vec![(Level::Emergency, SafetyOutcome::Redirected)]
    );
    // Neither "ok" nor "send" lifts the stop; nothing is queued.
    s.say("ok");
    assert!(matches!(&s.state.step, Step::Hold(_)));
    s.say("send");
    assert!(matches!(&s.state.step, Step::Hold(_)));
    s.tap("Cancel this message");
    assert_eq!(s.state.step, Step::Idle);
    assert!(s.enqueued().is_empty());
}

#[test]
fn an_emergency_at_any_step_stops_the_flow() {
    for at in ["recipient", "subject"] {
        let mut s = Story::new();
        if at == "subject" {
            s.tap("Dr. Maria Alvarez").tap("Something else");
        }
        s.say("I can't breathe");
        assert!(s.said().contains("911"), "at the {at} step");
        assert!(matches!(&s.state.step, Step::Hold(_)), "at the {at} step");
    }
}

#[test]
fn a_red_flag_after_not_an_emergency_in_the_same_message_still_holds() {
    let mut s = Story::new();
    s.reach_details()
        .say("chest pain and pressure since an hour ago");
    s.say("not an emergency but I can't breathe");
    assert!(matches!(&s.state.step, Step::Hold(_)));
    assert!(s.said().contains("911"));
}

#[test]
fn member_who_says_it_is_not_an_emergency_sends_a_flagged_message() {
    let mut s = Story::new();
    s.tap("Dr. Maria Alvarez")
        .tap("Symptom or medical question")
        .tap("Medical Question");
    s.say("I had chest pain this morning, it went away after an hour, mild, took nothing");
    assert!(matches!(&s.state.step, Step::Hold(h) if h.level == Level::Emergency));
    s.say("It's not an emergency");
    assert!(matches!(s.state.step, Step::Details { .. }));
    assert_eq!(
        s.state.draft.details.len(),
        1,
        "the held text is kept as typed"
    );
    s.tap("Done");
    assert!(
        s.said().contains("safety review"),
        "the review says it will be flagged"
    );
    s.tap("Send");
    let item = &s.enqueued()[0];
    assert_eq!(item.priority, Priority::Safety);
    assert_eq!(item.flags[0].level, Level::Emergency);
    assert!(!item.flags[0].rules.is_empty());
    assert_eq!(
        s.safety(),
        vec![
            (Level::Emergency, SafetyOutcome::Redirected),
            (Level::Emergency, SafetyOutcome::Overridden)
        ]
    );
}

#[test]
fn member_who_wants_to_end_it_all_is_given_988() {
    let mut s = Story::new();
    s.reach_details().say("I want to end it all");
    let said = s.said();
    assert!(said.contains("988") && said.contains("911"), "{said}");
    assert!(matches!(&s.state.step, Step::Hold(h) if h.level == Level::Crisis));
    assert!(
        s.buttons()
            .iter()
            .any(|b| b.label.starts_with("I'm not in danger"))
    );
    s.say("not an emergency");
    assert!(
        matches!(&s.state.step, Step::Hold(_)),
        "a crisis needs its own answer"
    );
    assert!(s.enqueued().is_empty());
}

#[test]
fn urgent_symptoms_offer_a_call_or_send_anyway_with_high_priority() {
    let mut s = Story::new();
    s.tap("Dr. Maria Alvarez")
        .tap("Symptom or medical question")
        .tap("Medical Question");
    s.say("I have had a fever of 103 since yesterday");
    let said = s.said();
    assert!(
        said.contains("today") && said.contains("(555) 010-2400"),
        "{said}"
    );
    s.tap("Send anyway");
    assert!(matches!(s.state.step, Step::Details { .. }));
    s.say("severe, tried tylenol").tap("Done").tap("Send");
    let item = &s.enqueued()[0];
    assert_eq!(item.priority, Priority::High);
    assert_eq!(item.flags[0].level, Level::Urgent);
    assert!(
        s.safety()
            .contains(&(Level::Urgent, SafetyOutcome::SentAnyway))
    );
}

#[test]
fn urgent_member_who_will_call_sends_nothing() {
    let mut s = Story::new();
    s.reach_details()
        .say("I have had a fever of 103 since yesterday");
    s.tap("I'll call");
    assert!(s.said().contains("(555) 010-2000") && s.said().contains("Nothing was sent"));
    assert_eq!(s.state.step, Step::Idle);
    assert!(s.enqueued().is_empty());
}

#[test]
fn a_button_from_an_earlier_draft_is_refused() {
    let mut s = Story::new();
    let old_draft = s.state.draft_no;
    s.say("/new");
    assert_eq!(s.state.draft_no, old_draft + 1);
    s.input(Input::Choice {
        draft: old_draft,
        action: Action::Recipient(1),
    });
    assert!(s.said().contains("earlier message"));
    assert_eq!(s.state.step, Step::Recipient);
    // A button of this draft but of another step is refused too.
    let draft = s.state.draft_no;
    s.input(Input::Choice {
        draft,
        action: Action::Send,
    });
    assert_eq!(s.state.step, Step::Recipient);
    assert!(s.enqueued().is_empty());
}

#[test]
fn unexpected_input_gets_a_short_reply_and_the_step_again() {
    let mut s = Story::new();
    s.input(Input::Unsupported("photo".into()));
    assert!(s.said().contains("photo") && s.said().contains("Who is your message for?"));
    s.say("banana");
    assert!(s.said().contains("choose one of the options"));
    assert_eq!(s.state.step, Step::Recipient);
    s.say("/help");
    assert!(s.said().contains("/status") && s.said().contains("Who is your message for?"));
    s.say("/status");
    assert!(s.last.contains(&Effect::Status));
}

#[test]
fn a_sensitive_topic_in_the_details_suggests_a_call_once() {
    let mut s = Story::new();
    s.tap("Dr. Maria Alvarez")
        .tap("Test result question")
        .tap("Question About Test Results");
    s.say("Question about my HIV test from last week");
    assert!(s.said().contains("by phone"));
    assert!(
        s.safety()
            .contains(&(Level::Sensitive, SafetyOutcome::PhoneSuggested))
    );
    s.say("It was done on Monday");
    assert!(!s.said().contains("by phone"), "said once per draft");
    assert!(matches!(s.state.step, Step::Details { .. }));
}

#[test]
fn state_survives_a_round_trip_through_json() {
    let mut s = Story::new();
    s.reach_details().say("chest pain and pressure right now");
    let json = serde_json::to_string(&s.state).unwrap();
    let back: State = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s.state);
}

#[test]
fn review_offers_every_edit() {
    let mut s = Story::new();
    s.reach_details()
        .say("Lisinopril 10 mg, CVS on Main Street")
        .tap("Done");
    let actions: Vec<Action> = s.buttons().into_iter().map(|b| b.action).collect();
    for part in [Part::Recipient, Part::Kind, Part::Subject, Part::Details] {
        assert!(actions.contains(&Action::Edit(part)));
    }
    assert!(actions.contains(&Action::Send) && actions.contains(&Action::Cancel));
    assert_eq!(copy::SEND, "Send");
}

#[test]
fn a_cleared_draft_is_announced_once_then_the_turn_goes_on() {
    let mut s = Story::new();
    s.reach_details().say("Atorvastatin 20 mg at night");
    let draft_no = s.state.draft_no;
    s.state = s.state.cleared(14);
    assert!(!s.state.holds_draft());
    assert_eq!(s.state.draft_no, draft_no);

    s.say("hello");
    let said = s.said();
    assert!(
        said.starts_with("Your unfinished message was cleared after 14 days without activity"),
        "{said}"
    );
    assert!(said.contains(&copy::start_hint()), "{said}");
    assert_eq!(s.state.draft_no, draft_no + 1);
    assert_eq!(s.state.cleared_after_days, None);
    s.tap("Dr. Maria Alvarez");
    assert!(!s.said().contains("cleared"), "{}", s.said());
    assert!(matches!(s.state.step, Step::Kind));
}

#[test]
fn a_state_stored_before_drafts_expired_still_loads() {
    // As Careline stored it before `cleared_after_days` (and before
    // `delete_messages`) existed.
    let old = r#"{"draft_no":3,"step":{"step":"details","nudged":false,"replacing":false},
        "draft":{"recipient":null,"kind":"refill","subject":"Request for Refill",
        "details":["Lisinopril 10 mg"],"flags":[],"sensitive_noted":false},"editing":false}"#;
    let state: State = serde_json::from_str(old).unwrap();
    assert_eq!(state.cleared_after_days, None);
    assert_eq!(state.draft.details, ["Lisinopril 10 mg"]);
    assert!(state.holds_draft());
    // Nothing about expiry is stored until a draft is cleared.
    assert!(!serde_json::to_string(&state).unwrap().contains("cleared"));
    let cleared = serde_json::to_string(&state.cleared(14)).unwrap();
    assert!(cleared.contains(r#""cleared_after_days":14"#), "{cleared}");
}
