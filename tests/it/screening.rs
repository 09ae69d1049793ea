//! The engine on a fixed fixture rule set: matching, co-occurrence,
//! exceptions, every context modifier, subject lines, spans.

use careline::screening::{CueKind, Field, Level};

use crate::helpers::fixture_screener;

/// `t!(name, text, level)`: screening `text` as details gives `level`.
macro_rules! t {
    ($name:ident, $text:expr, $level:ident) => {
        #[test]
        fn $name() {
            let v = fixture_screener().screen($text, Field::Details);
            assert_eq!(v.level, Level::$level, "{:#?}", v);
        }
    };
}

// plain phrases and co-occurrence
t!(phrase_fires, "I think I'm having a heart attack", Emergency);
t!(
    co_occurrence_within_window_fires,
    "my chest feels tight and heavy",
    Emergency
);
t!(
    co_occurrence_in_either_order_fires,
    "so much pressure in my chest",
    Emergency
);
t!(
    co_occurrence_beyond_window_is_silent,
    "my chest x-ray from the clinic visit was fine and the doctor said my posture is too tight",
    Routine
);
t!(
    co_occurrence_across_sentences_is_silent,
    "I need a chest x-ray form. My shoes are tight.",
    Routine
);
t!(
    three_groups_with_a_number,
    "i took 30 pills an hour ago",
    Emergency
);
t!(
    three_groups_with_a_number_word,
    "she took twenty of her sleeping pills",
    Emergency
);
t!(
    three_groups_missing_the_number_is_silent,
    "i took my pills this morning",
    Routine
);
t!(
    prefix_term_matches_longer_words,
    "my chest is squeezing",
    Emergency
);
t!(
    prefix_needs_a_word_start,
    "the chest has unsqueezable straps",
    Routine
);
t!(
    whole_words_only,
    "the chestnut tree is heavy with fruit",
    Routine
);
t!(
    routine_text_is_routine,
    "Can I get a refill of my lisinopril 10 mg?",
    Routine
);
t!(empty_text_is_routine, "", Routine);

// normalization
t!(
    caps_and_curly_quotes,
    "I CAN’T, MY CHEST IS SO TIGHT",
    Emergency
);
t!(stretched_letters, "my chesssst is tiiiight", Emergency);
t!(leetspeak_in_crisis_words, "i want to k1ll mys3lf", Crisis);
t!(zero_width_characters, "sui\u{200b}cide", Crisis);
t!(
    generated_misspelling,
    "she is slurrring and her face is drooping",
    Emergency
);
t!(
    spanish_accents_folded,
    "Mi esposo tiene un dolor muy fuerte en el pécho",
    Emergency
);
t!(spanish_doubled_letters, "no puedo rrespirar", Emergency);

// exceptions and pseudo-triggers
t!(
    rule_exception_cancels,
    "I have been chest pain free since my stent",
    Routine
);
t!(
    pseudo_idiom_cancels,
    "the bill gave me a heart attack",
    Routine
);

// co-occurrence over sentences (`sentences = 2`)
t!(
    a_story_over_two_sentences_fires,
    "He hit his head on the counter. Now he is throwing up.",
    Emergency
);
t!(
    a_story_over_three_sentences_does_not,
    "He hit his head on the counter. We iced it. Now he is throwing up.",
    Routine
);
t!(
    an_ellipsis_is_one_sentence_end,
    "He hit his head on the counter... Now he is throwing up.",
    Emergency
);
t!(
    a_blank_line_is_one_sentence_end,
    "He hit his head on the counter!!\n\nNow he is throwing up.",
    Emergency
);
t!(
    an_ellipsis_still_ends_a_sentence,
    "He hit his head on the counter... We iced it... Now he is throwing up.",
    Routine
);
t!(
    a_negation_in_the_second_sentence_cancels_its_term,
    "He hit his head on the counter. No throwing up.",
    Routine
);
t!(
    a_past_frame_on_the_first_sentence_yields_to_a_present_last_one,
    "He hit his head last year. Today he is throwing up again.",
    Emergency
);
t!(
    a_past_frame_with_no_present_cue_suppresses_the_story,
    "He hit his head last year. He was throwing up for a day.",
    Routine
);
t!(
    a_rule_without_sentences_stays_in_its_sentence,
    "I need a chest x-ray form. My shoes are tight.",
    Routine
);

// negation
t!(negation_before, "no chest pain or pressure", Routine);
t!(
    a_form_answer_denies_its_label,
    "chest tight? no. just a cough",
    Routine
);
t!(
    a_form_answer_after_a_colon_denies_its_label,
    "chest tight: none",
    Routine
);
t!(a_dash_is_not_a_form_label, "chest tight - no", Emergency);
t!(
    a_no_that_opens_a_phrase_is_no_answer,
    "chest tight? no idea why, my chest is so tight",
    Emergency
);
t!(
    a_no_after_a_question_answers_the_question,
    "is the tightness in my chest gone? no. it is so tight",
    Emergency
);
t!(
    a_no_before_a_comma_is_no_form_answer,
    "chest tight? no, my chest is so tight",
    Emergency
);
t!(
    a_form_answer_denies_only_its_own_label,
    "fever? no. my chest is so tight",
    Emergency
);
t!(negation_after, "the chest tightness went away", Routine);
t!(
    a_resolution_does_not_cancel_a_rule_that_leaves_it_out,
    "he took 30 pills and is fine now",
    Emergency
);
t!(
    a_negation_still_cancels_a_rule_that_leaves_resolutions_out,
    "i did not take 30 pills",
    Routine
);
t!(
    a_verb_after_a_comma_ends_a_noun_negation,
    "no fever, felt tight in the chest",
    Emergency
);
t!(
    a_noun_after_a_comma_goes_on_with_the_negation,
    "no fever, tight chest",
    Routine
);
t!(
    a_verb_negation_goes_on_through_a_list_of_verbs,
    "never fainted, felt tight in the chest",
    Routine
);
t!(
    negation_beyond_window_does_not_apply,
    "no fever and no cough for a week and my chest is so tight",
    Emergency
);
t!(
    terminator_ends_negation,
    "no fever but now my chest is so tight",
    Emergency
);
t!(
    negation_does_not_cross_sentences,
    "No fever. My chest is so tight.",
    Emergency
);
t!(
    cue_inside_the_hit_does_not_negate,
    "no puedo respirar",
    Emergency
);
t!(
    uncertainty_never_negates,
    "not sure if this is a heart attack",
    Emergency
);
t!(
    negation_stops_at_a_clause_with_its_own_subject,
    "no fever, my chest is so tight",
    Emergency
);
t!(
    negation_goes_on_through_a_list,
    "no fever, chest pain or pressure",
    Routine
);
t!(
    an_opener_inside_a_clause_does_not_stop_negation,
    "no pain in my chest",
    Routine
);
t!(
    pseudo_negation_no_idea,
    "I have no idea why my chest is so tight",
    Emergency
);

// historical and family
t!(historical_year, "I had a heart attack in 2019", Routine);
t!(
    historical_before,
    "history of heart attack, need a refill",
    Routine
);
t!(
    family_history_is_not_an_emergency,
    "family history of stroke, should I be screened?",
    Routine
);
t!(
    another_person_now_is_an_emergency,
    "my dad is slurring his words",
    Emergency
);
t!(
    a_present_cue_past_a_terminator_does_not_override_the_past,
    "I had a heart attack last year however this morning I need a refill",
    Routine
);
t!(
    present_overrides_historical,
    "I had a heart attack years ago and today the crushing chest pain is back",
    Emergency
);
t!(
    a_past_frame_does_not_reach_terms_past_a_terminator_inside_the_hit,
    "history of chest pain, now it is tight",
    Emergency
);
t!(
    a_past_frame_still_covers_a_hit_with_no_terminator_inside,
    "history of chest pain that was tight",
    Routine
);

// hypothetical
t!(
    hypothetical_what_if,
    "what if I have a heart attack",
    Routine
);
t!(
    a_question_ends_at_a_comma_before_a_report_with_its_own_subject,
    "should i go in, my chest is so tight",
    Emergency
);
t!(
    hypothetical_should_i_if,
    "should I call 911 if my chest feels tight?",
    Routine
);
t!(
    present_overrides_hypothetical,
    "in case it matters, my chest is tight right now",
    Emergency
);
t!(
    a_present_cue_after_the_hit_wins_over_a_frame_before_it,
    "should I go to the ER if my chest is so tight right now",
    Emergency
);
t!(
    a_time_word_after_the_hit_still_wins_over_a_frame_in_another_clause,
    "in case it matters, my chest is tight this morning",
    Emergency
);
t!(
    a_condition_goes_on_over_a_terminator_inside_the_hit,
    "what if my chest hurts but it is tight",
    Routine
);
t!(
    a_present_cue_inside_the_hit_ends_a_hypothetical_frame,
    "what if my chest hurts, now it is tight",
    Emergency
);
t!(
    a_hypothetical_nearer_the_hit_than_a_present_cue_frames_it,
    "today I want to know what to do in case my chest gets tight",
    Routine
);

// crisis statements ignore context
t!(
    crisis_ignores_negation,
    "I don't want to kill myself but I think about it",
    Crisis
);
t!(crisis_joke_is_still_crisis, "lol kms", Crisis);

#[test]
fn subject_rules_apply_only_to_subject_lines() {
    let s = fixture_screener();
    assert_eq!(
        s.screen("HIV test results", Field::Subject).level,
        Level::Sensitive
    );
    assert_eq!(
        s.screen("HIV test results", Field::Details).level,
        Level::Routine
    );
    // details rules apply to subjects too
    assert_eq!(
        s.screen("heart attack?", Field::Subject).level,
        Level::Emergency
    );
}

#[test]
fn strongest_rule_wins_and_all_fired_rules_are_listed() {
    let v = fixture_screener().screen(
        "broke out in hives and I want to kill myself. My chest is tight",
        Field::Details,
    );
    assert_eq!(v.level, Level::Emergency);
    assert_eq!(v.rule_ids(), ["chest", "suicide", "hives"]);
}

#[test]
fn a_red_flag_buried_in_a_long_message_fires() {
    let long = format!(
        "{} Also my dad is slurring his words since lunch. {}",
        "Hi, I need to move my appointment and refill my meds. ".repeat(20),
        "Thanks for your help with the forms. ".repeat(20)
    );
    assert_eq!(
        fixture_screener().screen(&long, Field::Details).level,
        Level::Emergency
    );
}

#[test]
fn spans_point_at_the_members_own_words() {
    let text = "Sudden CHÉST pressure!!";
    let v = fixture_screener().screen(text, Field::Details);
    let words: Vec<&str> = v.hits[0].spans.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(words, ["CHÉST", "pressure"]);
}

#[test]
fn suppressions_say_which_cue_cancelled_which_rule() {
    let text = "no chest pain";
    let v = fixture_screener().screen(text, Field::Details);
    assert_eq!(v.level, Level::Routine);
    let s = &v.suppressed[0];
    assert_eq!(s.rule, "chest");
    assert_eq!(s.by, Some(CueKind::Negation));
    assert_eq!(&text[s.cue.clone()], "no");
}

#[test]
fn explain_shows_normalized_text_matches_and_verdict() {
    let e = fixture_screener().explain("No fever but NOW my chest is tight", Field::Details);
    assert_eq!(e.normalized, "no fever but now my chest is tight");
    assert!(
        e.matches
            .iter()
            .any(|m| m.text == "but" && m.role == "terminator cue")
    );
    assert!(
        e.matches
            .iter()
            .any(|m| m.text == "chest" && m.role == "near group 1 of chest")
    );
    assert_eq!(e.verdict.level, Level::Emergency);
}

#[test]
fn hostile_inputs_never_panic_and_spans_stay_inside() {
    let long = "ä".repeat(10_000);
    let inputs = [
        "\u{0}\u{1}\u{7f}",
        "\u{feff}\u{200b}\u{200d}",
        long.as_str(),
        "🫀🫀🫀 chest 🫀 tight",
        "ﬃ ﬀ ǆ İstanbul ß",
        "....!!!???;;;\n\n\n",
        "1111 3333 $$$$ @@@@ k1ll",
    ];
    for text in inputs {
        let v = fixture_screener().screen(text, Field::Details);
        for h in &v.hits {
            for r in &h.spans {
                assert!(text.get(r.clone()).is_some(), "span {r:?} outside {text:?}");
            }
        }
    }
}

// co-occurrence details
t!(
    negation_of_one_term_cancels_a_co_occurrence,
    "my son has a rash, no fever",
    Routine
);
t!(
    co_occurrence_without_negation_fires,
    "my son has a rash and a fever",
    Urgent
);
t!(
    backward_negation_stays_in_its_clause,
    "I broke out in hives, the cough resolved",
    Urgent
);
t!(
    backward_negation_in_the_clause_applies,
    "the hives resolved",
    Routine
);
t!(
    exception_inside_the_hit_cancels_it,
    "I cut my thumb on a piece of paper, deep sigh",
    Routine
);
t!(
    a_word_is_not_counted_for_two_groups,
    "I have a headache, the gas heater was on all night",
    Routine
);
t!(
    distinct_words_for_each_group_fire,
    "everyone has a headache, the gas heater was on all night",
    Emergency
);
t!(
    co_occurrence_found_from_a_later_anchor,
    "the gas smell is gone and since the heater went on we all feel dizzy with a headache",
    Emergency
);

// scopes
t!(
    clause_scoped_hypothetical_stops_at_a_comma,
    "if you can call me back, my chest is so tight",
    Emergency
);
t!(
    trailing_date_stays_in_its_clause,
    "surgery 3 months ago, my chest is so tight",
    Emergency
);
t!(
    date_opening_its_clause_frames_the_next,
    "3 months ago, my chest was so tight",
    Routine
);
t!(
    trailing_date_frames_its_own_clause,
    "my chest was so tight 3 months ago",
    Routine
);
t!(
    trailing_date_reaches_a_list_after_a_comma,
    "surgery 3 months ago, chest so tight",
    Routine
);
t!(
    clause_scoped_hypothetical_applies_in_its_clause,
    "if my chest gets tight should I call?",
    Routine
);
t!(
    rule_limited_to_negation_ignores_hypothetical,
    "if he yells again I am going to stab him",
    Crisis
);
t!(
    rule_limited_to_negation_still_negates,
    "I am not going to hurt anyone",
    Routine
);

// terms
t!(
    decimal_numbers_match_exactly,
    "my 6 week old has a temp 100.4 tonight",
    Urgent
);
t!(
    decimal_numbers_need_the_whole_number,
    "temp 100.45 yesterday",
    Routine
);
t!(
    misspelling_generated_for_a_long_word,
    "she is having a seizre",
    Emergency
);
t!(
    misspelling_that_is_a_common_word_is_not_generated,
    "the sezure of assets",
    Routine
);

// idioms
t!(
    idiom_cancels_a_figurative_hit,
    "this paperwork is killing me, and the bill gave me a heart attack",
    Routine
);
t!(
    rule_that_refuses_idioms_keeps_a_literal_one,
    "my chest is killing me",
    Emergency
);

// A term that opens with its own negation is a finding that a list's
// negation does not deny ("no fever, not breathing"); an ordinary term in
// the list still is denied.
t!(
    a_term_that_opens_with_a_negation_is_not_denied_by_another,
    "no fever, no puedo respirar",
    Emergency
);
t!(
    a_list_negation_still_denies_a_plain_term,
    "no fever, no crushing chest pain",
    Routine
);

/// `unless` cancels a hit it stands anywhere inside; `unless_term` only one
/// whose own terms it overlaps: "for 2 weeks" voids `weeks` as a pregnancy
/// marker but not `pregnant` after it.
#[test]
fn a_term_exception_cancels_only_the_term_it_overlaps() {
    let rule = |key: &str| {
        format!(
            r#"lang = "en"
[[rule]]
id = "pregnancy-spotting"
level = "urgent"
reason = "Spotting in pregnancy needs a same-day call."
near = [["pregnant", "weeks"], ["spotting"]]
window = 10
{key} = ["for 2 weeks"]
fire = ["20 weeks and spotting"]
pass = ["spotting for 2 weeks on the pill"]
"#
        )
    };
    let screen = |key: &str, text: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), rule(key)).unwrap();
        let emergency = "lang = \"en\"\n[[rule]]\nid = \"e\"\nlevel = \"emergency\"\n\
                         reason = \"r\"\nphrases = [\"heart attack\"]\nfire = [\"heart attack\"]\n";
        std::fs::write(dir.path().join("b.toml"), emergency).unwrap();
        let s = careline::screening::Screener::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        s.screen(text, Field::Details).level
    };
    let duration_then_pregnant = "spotting for 2 weeks and I'm pregnant";
    assert_eq!(screen("unless_term", duration_then_pregnant), Level::Urgent);
    assert_eq!(screen("unless", duration_then_pregnant), Level::Routine);
    for key in ["unless", "unless_term"] {
        assert_eq!(
            screen(key, "spotting for 2 weeks on the pill"),
            Level::Routine
        );
        assert_eq!(screen(key, "I'm 20 weeks and spotting"), Level::Urgent);
    }
}
