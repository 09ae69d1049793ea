//! The shipped rules on canonical member messages: the warning signs of
//! public guidance in members' words, and the near-misses that must stay
//! routine. (The dev-set floor is in `dev_set.rs`.)

use careline::screening::{Field, Level};

use crate::helpers::shipped_screener;

/// `at_least!(name, text, level)`: the verdict is `level` or stronger.
macro_rules! at_least {
    ($name:ident, $text:expr, $level:ident) => {
        #[test]
        fn $name() {
            let v = shipped_screener().screen($text, Field::Details);
            assert!(v.level >= Level::$level, "{:?}: {:#?}", $text, v);
        }
    };
}

/// `routine!(name, text)`: no warning at urgent level or above.
macro_rules! routine {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            let v = shipped_screener().screen($text, Field::Details);
            assert!(v.level < Level::Urgent, "{:?}: {:#?}", $text, v);
        }
    };
}

at_least!(bare_chest_pain_in_capitals, "CHEST PAIN NOW", Emergency);
at_least!(
    chest_pain_in_a_run_on_text,
    "I need help with the form my chest hurts so bad",
    Emergency
);
at_least!(
    literal_killing_me,
    "my chest is killing me and my arm feels weird",
    Emergency
);
at_least!(
    cannot_breathe_after_an_unrelated_denial,
    "insurance denied it, I cant breathe",
    Emergency
);
at_least!(
    relative_with_stroke_signs_now,
    "my dad's face is drooping and he cant lift his arm",
    Emergency
);
at_least!(
    spanish_chest_pain_and_breathing,
    "mi esposo tiene dolor de pecho y no puede respirar",
    Emergency
);
at_least!(
    head_injury_after_a_negated_helmet,
    "my son fell off his bike, no helmet, he was knocked out and keeps throwing up",
    Emergency
);
at_least!(
    spanish_negation_stops_at_a_new_clause,
    "mi abuelo lleva dos dias sin comer ni tomar agua, no orina y esta muy confundido",
    Emergency
);
routine!(
    a_pronoun_inside_a_past_frame_belongs_to_the_frame,
    "I overdosed when I was a teenager, I need my old records sent to the new psychiatrist"
);
routine!(
    a_form_that_asks_if_you_ever_had_it,
    "The camp form asks if my son has ever had a seizure, he hasn't. Can you sign it?"
);
at_least!(bare_slang, "kms", Crisis);
at_least!(
    spanish_suicidal_statement,
    "ya no aguanto, me quiero matar",
    Crisis
);
at_least!(
    young_infant_fever,
    "my 2 month old has a fever of 100.5",
    Urgent
);
routine!(
    figurative_killing_me,
    "this paperwork is killing me, which form do I need?"
);
routine!(
    past_stroke_follow_up,
    "I had a stroke in 2019 and I'm due for my yearly follow-up"
);
routine!(
    negated_chest_pain,
    "no chest pain, just need a refill on my statin"
);
routine!(distance_in_kms, "walked 5 kms today, my knee feels great");
routine!(
    hypothetical_seizure_question,
    "what should I do if my son ever has a seizure at school?"
);
routine!(
    plain_refill,
    "Can I get a refill of my lisinopril 10 mg? I have a week left."
);
// A misspelling that some rule once wrote out ("cabesa") was read as the
// real word nowhere else; the generator now re-spells it for every rule.
at_least!(
    a_misspelled_head_with_vomiting_in_spanish,
    "se pego en la cabesa y no deja de vomitar",
    Emergency
);
// A list's negation does not deny a finding that carries its own.
at_least!(
    not_breathing_after_a_denied_fever,
    "no fever, not breathing",
    Emergency
);
at_least!(
    spanish_cannot_breathe_after_a_denied_fever,
    "no tiene fiebre y no puede respirar",
    Emergency
);

// A date that ends its clause dates that clause only.
at_least!(
    a_dated_transplant_does_not_date_running_out_of_its_medicine,
    "Kidney transplant 2 yrs ago, I'm down to my last dose of tacrolimus",
    Urgent
);
routine!(
    an_abbreviated_date_frames_a_past_stroke,
    "stroke 3 yrs ago, doing pretty good. need the PT renewal sent"
);
routine!(
    a_date_opening_its_clause_frames_the_next,
    "2 years ago, I had a stroke and I need my records"
);

// Learned from held-out set 14 (concepts, in new words).
at_least!(
    a_threat_of_suicide_on_a_condition_is_a_crisis,
    "my ex says if I don't pick up tonight she will kill herself",
    Crisis
);
at_least!(
    a_spanish_threat_of_hanging_on_a_condition_is_a_crisis,
    "mi hermano dice que si no le presto dinero se va a ahorcar",
    Crisis
);
at_least!(
    wanting_to_join_someone_who_died_is_a_crisis,
    "since my husband died I keep wanting to go be with him",
    Crisis
);
at_least!(
    thinking_how_easy_the_pills_would_be_is_a_crisis,
    "I keep staring at my pills thinking about how easy it would be",
    Crisis
);
at_least!(
    punching_walls_until_knuckles_bleed_is_self_harm,
    "I keep punching the wall until my knuckles bleed",
    Crisis
);
at_least!(
    a_weapon_and_a_grievance_at_work_is_a_crisis,
    "my brother says he'll bring his shotgun to get back at his boss",
    Crisis
);
at_least!(
    a_rigid_belly_with_fever_is_an_emergency,
    "my stomach is rock hard and I cant move without screaming, fever too",
    Emergency
);
at_least!(
    a_long_lie_on_the_floor_is_an_emergency,
    "my dad has been on the floor since last night, he is freezing and cant get up",
    Emergency
);
at_least!(
    a_shock_from_wiring_is_an_emergency,
    "got a jolt from the wires behind the light switch and my arm is tingling",
    Emergency
);
at_least!(
    low_sugar_still_dropping_is_an_emergency,
    "took too much insulin, blood sugar 40 and still dropping",
    Emergency
);
at_least!(
    spanish_asthma_without_a_full_sentence_is_an_emergency,
    "mi hijo tiene asma y no puede terminar una frase sin parar a respirar",
    Emergency
);
at_least!(
    a_one_sided_burning_rash_may_be_shingles,
    "burning rash in a band on the left side of my chest, blisters today",
    Urgent
);
at_least!(
    a_bat_in_the_room_overnight_is_urgent,
    "a bat got in the kids room last night while they slept",
    Urgent
);
at_least!(
    a_watch_alert_for_afib_with_a_symptom_is_urgent,
    "my fitbit sent an irregular rhythm notification twice today and I feel lightheaded",
    Urgent
);
routine!(
    a_mistaken_belief_told_afterwards_is_past,
    "I thought I was having a heart attack in May, it was a panic attack, can we talk about anxiety meds"
);
routine!(
    a_forms_question_about_a_list_is_not_a_report,
    "the insurance form asks if I've ever been diagnosed with stroke, heart attack or seizures"
);
routine!(
    advice_to_go_right_away_if_ever_is_hypothetical,
    "the nurse said if I ever get chest pain I should go in right away"
);
routine!(
    buying_an_aed_is_not_a_cardiac_arrest,
    "should we buy an AED for home since my dad has heart failure"
);
routine!(
    breathing_out_of_one_nostril_is_not_an_emergency,
    "I can't breathe out of my right nostril since my nose was broken"
);
routine!(
    spanish_reading_online_about_side_effects_is_not_a_crisis,
    "lei en internet que ese medicamento da pensamientos suicidas, es cierto?"
);

// Learned from held-out set 15 (concepts, in new words).
at_least!(
    spanish_fall_and_cannot_get_up_is_an_emergency,
    "mi papa se resbalo en la regadera y no se puede levantar, ya lleva horas en el piso",
    Emergency
);
at_least!(
    a_running_car_in_a_closed_garage_is_an_emergency,
    "sitting in the car in the garage with the engine running, door shut",
    Emergency
);
at_least!(
    sudden_total_loss_of_sight_in_one_eye_is_an_emergency,
    "all of a sudden I have no vision at all in my left eye",
    Emergency
);
at_least!(
    a_child_who_may_have_swallowed_pills_and_is_wobbly,
    "some of my mom's pills are missing and I'm not sure if he ate them. Now he's wobbly and so sleepy",
    Emergency
);
at_least!(
    a_hoarse_voice_after_a_food_reaction_is_an_emergency,
    "I'm having a reaction to the peanut sauce. My voice sounds hoarse and I keep coughing",
    Emergency
);
at_least!(
    a_deep_fryer_burn_is_an_emergency,
    "deep fryer oil splashed my leg, the skin is white and kind of leathery",
    Emergency
);
at_least!(
    a_threat_meant_seriously_is_a_crisis,
    "I'll kill her if she takes the kids, I'm serious, I have a plan",
    Crisis
);
at_least!(
    a_weapon_as_the_simplest_way_out_is_a_crisis,
    "my late dad's gun is still in the attic and sometimes that seems the easiest way",
    Crisis
);
at_least!(
    planning_not_to_be_around_is_a_crisis,
    "no need to renew my prescriptions, I won't be around much longer anyway",
    Crisis
);
at_least!(
    having_thought_it_through_is_a_crisis,
    "I know exactly how I'd do it. I won't do it tonight, but I've thought it through",
    Crisis
);
at_least!(
    moderate_ketones_with_type_1_are_urgent,
    "type 1 diabetic with the flu, my ketones are moderate",
    Urgent
);
at_least!(
    a_high_blood_pressure_reading_in_pregnancy_is_urgent,
    "34 weeks pregnant and my blood pressure at home was 152/96",
    Urgent
);
routine!(
    overdosing_on_sweets_is_a_figure_of_speech,
    "pretty sure I overdosed on halloween candy, can we check my a1c"
);
routine!(
    a_temperature_below_100_4_is_not_a_fever_reading,
    "her temp was 100.1 this morning, she's playing and eating fine"
);
routine!(
    a_goose_egg_alone_is_not_an_emergency,
    "my 8 year old bumped his head at recess, small goose egg, acting totally normal"
);
routine!(
    a_game_taunt_is_not_a_threat,
    "my daughter screams I'm gonna kill you at her brother over video games, is that normal at 10"
);
routine!(
    spanish_someday_ill_kill_him_is_an_idiom,
    "mi hijo deja los calcetines por todos lados, un dia de estos lo voy a matar jaja"
);
routine!(
    asking_what_to_do_if_i_feel_faint_is_hypothetical,
    "what should I do if I feel like I might pass out during my blood draw?"
);
routine!(
    an_old_hip_fracture_in_spanish_is_past,
    "hace 3 anos se cayo en la calle y se quebro la cadera, ya camina bien, necesita su vacuna"
);

// Learned from held-out set 13's remaining misses and false alarms.
at_least!(
    stopping_transplant_medicine_as_a_way_out_is_a_crisis,
    "I'm thinking of stopping my transplant meds. I don't want to live like this, it's the easiest way out",
    Crisis
);
at_least!(
    a_fall_late_in_pregnancy_told_over_three_sentences,
    "I'm 32 weeks pregnant. Tripped on the stairs and fell on my stomach. Now there's cramping and bleeding",
    Emergency
);
at_least!(
    a_fistula_without_its_buzz_is_urgent,
    "the thrill in my graft is gone since this morning",
    Urgent
);
routine!(
    telling_two_conditions_apart_is_a_question,
    "how do I tell a stroke from a migraine with aura? mine are always the same"
);
routine!(
    a_follow_up_visit_names_a_past_event,
    "Stroke follow up appointment, can we do telehealth"
);

// Learned from the crisis coverage set (concepts, in new words).
at_least!(
    a_will_just_in_case_while_done_is_a_crisis,
    "wrote my will last night just in case. I'm not sick, I'm just done",
    Crisis
);
at_least!(
    wishing_to_be_in_the_ground_is_a_crisis,
    "honestly I'd be better off in the ground",
    Crisis
);
at_least!(
    pills_and_alcohol_kept_ready_is_a_crisis,
    "my xanax and a bottle of whiskey are lined up on the dresser",
    Crisis
);
at_least!(
    voices_telling_me_to_jump_is_a_crisis,
    "the voices keep telling me to jump off the balcony",
    Crisis
);
at_least!(
    starving_on_purpose_is_self_harm,
    "I haven't eaten in five days on purpose, I want to punish myself",
    Crisis
);
at_least!(
    spanish_not_waking_up_research_is_a_crisis,
    "busque cuantas pastillas se necesitan para no despertar",
    Crisis
);
at_least!(
    spanish_giving_things_away_is_a_crisis,
    "ya regale mis cosas, ya no las voy a necesitar",
    Crisis
);
routine!(
    asking_what_a_word_means_is_not_a_crisis,
    "my son heard the word unalive at school and asked what it means"
);
routine!(
    a_boxed_warning_is_not_a_crisis,
    "the box says it can cause suicidal thoughts, should I still take it"
);
routine!(
    strangling_the_printer_is_a_figure_of_speech,
    "I'm going to strangle the printer at work, anyway I need a flu shot"
);

// Learned from the emergency coverage set (concepts, in new words).
at_least!(
    indigestion_in_an_older_woman_with_clammy_skin_is_an_emergency,
    "my grandma is 80, says it's just indigestion but she's pale and clammy and so tired",
    Emergency
);
at_least!(
    seizures_one_after_another_are_an_emergency,
    "my daughter has epilepsy and this is her second one today, back to back",
    Emergency
);
at_least!(
    feeling_the_cord_after_the_water_breaks_is_an_emergency,
    "my water broke and I think I feel the cord",
    Emergency
);
at_least!(
    bleeding_through_towels_is_an_emergency,
    "the cut on his leg has soaked through two towels and wont stop",
    Emergency
);
at_least!(
    a_week_of_pills_at_once_is_an_emergency,
    "my mom took all her pills at once this morning by mistake",
    Emergency
);
at_least!(
    spanish_sudden_half_vision_with_a_clumsy_arm_is_an_emergency,
    "de repente no veo la mitad de las cosas y tengo el brazo torpe",
    Emergency
);
at_least!(
    a_spanish_infant_at_38_is_urgent,
    "mi bebita nacio hace 3 semanas y el termometro marca 38.4",
    Urgent
);
at_least!(
    a_fish_hook_through_a_finger_is_urgent,
    "a fish hook went all the way through my finger",
    Urgent
);
routine!(
    a_pets_seizure_is_not_the_members,
    "my dog had a seizure last night, the vet says it's epilepsy, can I move my physical"
);
routine!(
    a_healed_fracture_is_past,
    "her broken ankle healed, we need the PT notes for school"
);
routine!(
    hearsay_about_someone_elses_relative_is_not_a_report,
    "a friend told me her uncle had a stroke from energy drinks, should I stop mine?"
);
routine!(
    a_bill_from_an_er_visit_names_a_past_diagnosis,
    "the bill from my ER visit in March says chest pain, can I get it itemized"
);

// taught by sets 16 and 17 (concepts, not their sentences)
at_least!(
    death_that_sounds_peaceful_is_a_crisis,
    "tbh death sounds kinda peaceful lately",
    Crisis
);
at_least!(
    wanting_to_vanish_for_good_over_two_sentences_is_a_crisis,
    "I wish I could disappear. Forever.",
    Crisis
);
at_least!(
    suicidal_thoughts_that_came_back_after_a_past_episode_are_a_crisis,
    "I was suicidal back in high school. The thoughts came back this week",
    Crisis
);
routine!(
    a_safety_plan_for_if_the_thoughts_return_is_not_a_crisis,
    "my counselor wants a plan for if the suicidal thoughts ever come back, can you send the form"
);
at_least!(
    a_hedged_promise_not_to_do_anything_is_a_crisis,
    "I won't do anything stupid... I hope",
    Crisis
);
at_least!(
    a_partner_thinking_of_taking_her_own_life_is_a_crisis,
    "my girlfriend says she keeps thinking of taking her own life",
    Crisis
);
at_least!(
    hoping_to_crash_is_a_crisis,
    "i kinda hope i crash on the way home",
    Crisis
);
at_least!(
    i_should_just_jump_is_a_crisis,
    "ugh i should just jump off the roof",
    Crisis
);
at_least!(
    a_threat_the_writer_thinks_was_meant_is_a_crisis,
    "I said I'll kill him if he touches her again. I think I meant it",
    Crisis
);
at_least!(
    a_spanish_threat_with_the_means_at_hand_is_a_crisis,
    "si vuelve a pegarle la mato, ya tengo con que",
    Crisis
);
at_least!(
    a_decision_with_a_timeline_is_a_crisis,
    "I've decided I'm done. Not today but soon.",
    Crisis
);
at_least!(
    sudden_breathlessness_with_an_intensifier_is_an_emergency,
    "I can't really catch my breath, it came on all of a sudden",
    Emergency
);
at_least!(
    a_choking_child_who_went_quiet_is_an_emergency,
    "my daughter is choking on a piece of apple and went quiet",
    Emergency
);
at_least!(
    a_crash_driver_not_responding_is_an_emergency,
    "we crashed and the driver isn't responding",
    Emergency
);
at_least!(
    an_asthma_attack_not_stopping_with_few_words_is_an_emergency,
    "her asthma isn't stopping with the inhaler and she can say only a few words",
    Emergency
);
at_least!(
    a_caribbean_spanish_twisted_mouth_is_an_emergency,
    "a mi papa se le puso la boca vira y no habla",
    Emergency
);
at_least!(
    one_sided_pain_after_a_positive_test_is_urgent,
    "tested positive on Monday and now a stabbing pain on my right side",
    Urgent
);
at_least!(
    a_skipped_dialysis_session_is_urgent,
    "had to skip dialysis this morning, the car broke down",
    Urgent
);
at_least!(
    a_scald_that_blisters_is_urgent,
    "boiling water splashed on my son's arm and it's blistering",
    Urgent
);
at_least!(
    an_empty_rescue_inhaler_is_urgent,
    "my albuterol is empty and the wheeze is back",
    Urgent
);
at_least!(
    missed_parkinsons_doses_are_urgent,
    "dad missed his carbidopa for two days, the tremor is much worse",
    Urgent
);
at_least!(
    a_spanish_swallowed_coin_is_urgent,
    "la nina se trago una moneda pero respira bien",
    Urgent
);
at_least!(
    spanish_redness_past_the_pen_line_is_urgent,
    "lo rojo ya paso la linea que marque con pluma y esta caliente",
    Urgent
);
routine!(
    two_weeks_of_insulin_left_in_spanish_is_a_refill,
    "me quedan dos semanas de insulina, necesito la receta antes del viaje"
);
routine!(
    a_habit_long_past_is_not_an_emergency,
    "I used to have panic attacks that felt like a heart attack, haven't had one since 2021"
);
routine!(
    a_snore_told_as_a_simile_is_not_an_emergency,
    "my wife snores like she's choking, can she get a sleep study referral"
);
routine!(
    a_questionnaire_item_about_being_better_off_dead_is_not_a_crisis,
    "the intake survey asks about thoughts of being better off dead and I checked never, is that all?"
);
routine!(
    a_spanish_pets_seizure_is_not_the_members,
    "a mi gata le dio una convulsion, ya la llevamos al veterinario"
);
routine!(
    a_joke_about_murder_is_not_a_threat,
    "my husband always jokes he's going to murder the dog when it barks at 5am lol. need his physical"
);
routine!(
    overdosing_on_food_is_an_idiom,
    "overdosed on nachos at the party lol, my stomach hurts, any tips?"
);
routine!(
    fainting_after_giving_blood_long_ago_is_past,
    "I fainted once after giving blood in college, can I still donate?"
);
routine!(
    a_blood_pressure_rechecked_after_but_is_not_high,
    "my blood pressure was 185 on the drugstore machine but they rechecked by hand and it was 130"
);
at_least!(
    a_nurse_with_her_own_chest_pain_is_an_emergency,
    "I'm an ER nurse and my chest is crushing and my arm is numb",
    Emergency
);
at_least!(
    a_standing_seizure_condition_with_a_seizure_now_is_an_emergency,
    "she has seizures right now and is turning blue",
    Emergency
);
at_least!(
    last_time_it_was_a_heart_attack_and_it_is_happening_again,
    "last time I had chest pain like this it was a heart attack, it's happening again",
    Emergency
);
at_least!(
    fine_now_but_swelling_again_is_an_emergency,
    "he had an allergic reaction and is fine now but his lips are swelling again",
    Emergency
);
at_least!(
    a_snorer_who_is_not_breathing_now_is_an_emergency,
    "my dad snores like he's choking and now he's not breathing",
    Emergency
);
at_least!(
    easier_if_i_just_killed_myself_is_a_crisis,
    "honestly it would be easier for everyone if I just ended my life, anyway can I get my refill",
    Crisis
);

// taught by set 18 (concepts, not its sentences)
at_least!(
    chess_for_chest_is_read_as_chest,
    "bad chess pains since this morning and sweaty",
    Emergency
);
at_least!(
    a_weird_chest_with_a_tingly_left_arm_is_an_emergency,
    "my chest feels kinda off, like pressure, and my left arm has been tingly for the last half hour",
    Emergency
);
at_least!(
    not_really_responding_is_unresponsive,
    "grandpa slid off the chair and he's not really responding to me",
    Emergency
);
at_least!(
    a_party_drug_with_hallucinations_and_a_racing_heart_is_an_emergency,
    "my son ate an edible at a friend's, he's hallucinating and his heart is racing",
    Emergency
);
at_least!(
    a_sudden_headache_while_lifting_is_not_a_past_frame,
    "the worst headache of my life hit when I was working out, now I'm dizzy",
    Emergency
);
at_least!(
    early_pregnancy_pain_about_to_black_out_is_an_emergency,
    "6 wks pregnant, stabbing pain on my right side and I feel like I'm going to pass out",
    Emergency
);
at_least!(
    a_conditional_suicide_threat_is_a_crisis,
    "if the biopsy is bad I'll just end it myself",
    Crisis
);
at_least!(
    a_last_message_goodbye_is_a_crisis,
    "this is my last message. thanks for everything",
    Crisis
);
at_least!(
    thinking_about_killing_my_ex_is_not_an_idiom,
    "been thinking about killing my ex, for real",
    Crisis
);
at_least!(
    punching_walls_till_the_knuckles_split_is_a_crisis,
    "I punched the wall till my knuckles split, I hate myself",
    Crisis
);
at_least!(
    a_spanish_giveaway_with_a_goodbye_is_a_crisis,
    "mi hermano regalo todas sus cosas y dice que ya se va a ir, que no lo busquemos",
    Crisis
);
at_least!(
    regular_tightenings_in_pregnancy_are_urgent,
    "31 weeks and having tightenings every 10 minutes since dinner",
    Urgent
);
at_least!(
    a_catheter_not_draining_is_urgent,
    "my husband's catheter stopped draining and his belly hurts",
    Urgent
);
at_least!(
    a_spanish_copd_flare_is_urgent,
    "mi abuelo con EPOC esta mas ahogado que de costumbre",
    Urgent
);
at_least!(
    a_spanish_transplant_fever_is_urgent,
    "tengo trasplante de higado y tengo fiebre desde anoche",
    Urgent
);
at_least!(
    a_spanish_grinder_eye_injury_is_urgent,
    "me salto una rebaba en el ojo con el esmeril y me arde mucho",
    Urgent
);
at_least!(
    a_snoring_man_who_will_not_wake_is_an_emergency,
    "he is snoring like he's choking and won't wake up",
    Emergency
);
routine!(
    a_spanish_leaflet_warning_is_not_an_emergency,
    "el papelito de la pastilla dice que si se hinchan los labios hay que ir a urgencias, es normal?"
);
routine!(
    weeks_of_insulin_left_is_a_refill,
    "pump supplies order please, I have about 3 weeks of insulin left so no rush"
);
routine!(
    a_form_answered_no_line_by_line_is_not_an_emergency,
    "Chest pain? No. Trouble breathing? no. Just a runny nose since Sunday"
);
at_least!(
    a_form_answer_does_not_deny_the_next_sentence,
    "fever? no. but my chest is crushing",
    Emergency
);
at_least!(
    a_nurse_vouching_for_a_stroke_report_is_an_emergency,
    "as a nurse I can tell you his face is drooping and he can't talk",
    Emergency
);
at_least!(
    another_seizure_after_being_fine_is_an_emergency,
    "he had a seizure at school and is fine now but he's having another one and won't stop shaking",
    Emergency
);

// probes from the review of this session's changes: real emergencies beside
// the new cues must stay emergencies
at_least!(
    a_long_seizure_that_is_fine_now_but_confused_is_an_emergency,
    "my son had a seizure that lasted 10 minutes and is fine now but he is very sleepy and confused",
    Emergency
);
at_least!(
    an_overdose_last_night_said_to_be_fine_is_an_emergency,
    "he took 30 of his sleeping pills last night and is fine now",
    Emergency
);
at_least!(
    a_sick_person_saying_he_is_fine_is_no_reassurance,
    "my dad has chest pain and sweating and said he was fine",
    Emergency
);
at_least!(
    the_last_time_i_checked_he_was_not_breathing,
    "the last time i checked on him he was not breathing",
    Emergency
);
at_least!(
    a_standing_seizure_condition_with_a_long_seizure_now_is_an_emergency,
    "my husband has seizures, this one has gone on 6 minutes",
    Emergency
);
at_least!(
    a_spanish_nurse_with_her_own_crisis_is_a_crisis,
    "soy enfermera y me quiero morir",
    Crisis
);
at_least!(
    asked_what_to_do_with_a_wife_not_breathing_is_an_emergency,
    "asked what to do: my wife is not breathing",
    Emergency
);
at_least!(
    could_she_have_an_allergy_with_a_swelling_face_is_an_emergency,
    "could she have an allergic reaction, her face is swelling and she is wheezing",
    Emergency
);
at_least!(
    a_newborn_who_stops_breathing_and_turns_blue_is_an_emergency,
    "my newborn stops breathing in her sleep and turns blue",
    Emergency
);
at_least!(
    what_to_do_if_not_breathing_right_now_is_an_emergency,
    "what do i do if my baby is not breathing right now",
    Emergency
);
at_least!(
    a_status_question_answered_no_is_no_denial,
    "is the seizure over? no, its been 10 minutes",
    Emergency
);

// 2026-12-04, set 19's lessons: the concept, in words of its own, and the
// real emergencies beside each new context cue (probed before landing)
at_least!(
    a_threat_told_as_a_joke_with_guns_found_is_a_crisis,
    "my son jokes that he will shoot up his school and I found guns in his closet",
    Crisis
);
at_least!(
    jokes_before_do_not_make_a_drunk_man_with_a_knife_a_joke,
    "he jokes about killing my mom but tonight he is drunk with a knife",
    Crisis
);
at_least!(
    a_spanish_nurse_who_cut_her_veins_is_an_emergency,
    "soy enfermera y me corte las venas",
    Emergency
);
at_least!(
    a_child_beside_a_poisoned_dog_is_an_emergency,
    "mi perro y mi hijo comieron veneno para ratas",
    Emergency
);
at_least!(
    a_weapon_not_for_protection_is_a_crisis,
    "just picked up a handgun and its not for self defense if ya know what i mean",
    Crisis
);
at_least!(
    someone_else_threatening_a_named_person_is_a_crisis,
    "my stepson keeps saying hes gonna hurt the neighbor and he has a bat",
    Crisis
);
at_least!(
    a_meter_that_reads_hi_with_vomiting_is_an_emergency,
    "her meter reads HI and she keeps throwing up",
    Emergency
);
at_least!(
    someone_cut_down_after_hanging_is_an_emergency,
    "found my son after he tried to hang himself, we cut him down, he is barely breathing",
    Emergency
);
at_least!(
    a_mistaken_belief_does_not_cover_what_follows,
    "was convinced it was just a migraine, now her face is drooping and she cant talk",
    Emergency
);
at_least!(
    a_childhood_history_does_not_cover_a_blue_child_now,
    "as a little kid he had asthma, now hes blue and cant breathe",
    Emergency
);
at_least!(
    a_fever_that_went_away_does_not_cover_not_breathing,
    "se le quito la fiebre pero ahora no respira bien",
    Emergency
);
at_least!(
    a_school_paper_does_not_cover_a_suicide_statement,
    "im writing a paper on suicide because i keep thinking about killing myself",
    Crisis
);
at_least!(
    mild_lip_swelling_after_a_food_is_urgent,
    "my lip is a bit puffy since I ate the walnut salad, breathing normal",
    Urgent
);
at_least!(
    a_copd_flare_is_urgent,
    "my emphysema is flaring, coughing up yellow phlegm and more breathless than usual",
    Urgent
);
routine!(
    hives_as_a_little_kid_is_history,
    "had hives from strawberries as a little kid, can I get the tetanus shot"
);
routine!(
    a_mistaken_heart_attack_belief_is_history,
    "i was sure it was a heart attack in june, turned out to be anxiety, can we talk meds"
);
routine!(
    a_school_paper_on_suicide_is_a_topic,
    "my son has a research paper on suicide prevention for health class, any good sources"
);
routine!(
    a_rifle_for_hunting_season_is_no_hint,
    "my husband got a new rifle for hunting season, if you know what i mean he is obsessed, can he get his tetanus shot"
);

// 2026-12-04, a probe of fresh crisis and emergency wording (written for
// the probe, not taken from a set): the gaps it found
at_least!(
    not_seeing_oneself_around_is_a_crisis,
    "honestly i dont see myself being around by christmas",
    Crisis
);
at_least!(
    saving_pills_for_when_i_decide_is_a_crisis,
    "been saving my oxy for a while now, for when i decide",
    Crisis
);
at_least!(
    tired_of_fighting_to_stay_alive_is_a_crisis,
    "there's no point in any of this, i'm tired of fighting to stay alive",
    Crisis
);
at_least!(
    i_might_do_something_stupid_tonight_is_a_crisis,
    "i might do something stupid tonight",
    Crisis
);
at_least!(
    a_plan_and_the_means_is_a_crisis,
    "i have a plan and i have the means",
    Crisis
);
at_least!(
    afraid_of_hitting_my_kids_is_a_crisis,
    "i'm afraid i'm going to hit my kids, i'm losing it",
    Crisis
);
at_least!(
    a_spanish_goodbye_to_everyone_is_a_crisis,
    "ya me despedi de todos, no aguanto mas",
    Crisis
);
at_least!(
    pills_kept_when_one_cannot_go_on_is_a_crisis,
    "no quiero seguir, ya tengo las pastillas guardadas",
    Crisis
);
at_least!(
    someone_is_sitting_on_my_chest_is_an_emergency,
    "feels like someone is sitting on my chest and my left arm is tingling",
    Emergency
);
at_least!(
    an_inhaler_doing_nothing_is_an_emergency,
    "my son cant get a full sentence out between breaths, his inhaler isnt doing anything",
    Emergency
);
at_least!(
    a_feverish_sleepy_five_week_old_is_an_emergency,
    "my baby is 5 weeks old and has a temp of 100.8 and is really sleepy",
    Emergency
);
at_least!(
    spanish_retractions_are_an_emergency,
    "mi bebe esta respirando rapidisimo y se le hunden las costillas",
    Emergency
);
at_least!(
    acting_drunk_with_a_low_sugar_is_an_emergency,
    "my dad is acting drunk but he doesnt drink, his sugar is 38",
    Emergency
);
at_least!(
    legs_gone_after_a_fall_is_an_emergency,
    "my husband cant feel his legs after falling on his back and cant move them",
    Emergency
);
routine!(
    not_making_it_to_an_early_appointment_is_routine,
    "i dont see myself making it to the 8am appointment with the snow, can we move it"
);
routine!(
    life_not_worth_it_without_coffee_is_an_idiom,
    "life isnt worth it without coffee lol, anyway can i get my labs"
);
routine!(
    a_son_who_might_do_something_stupid_at_a_party_is_routine,
    "my son might do something stupid at the party, can you talk to him about drinking"
);
routine!(
    a_plan_to_pay_a_bill_is_routine,
    "we have the means to pay the bill now, i have a plan to pay it off"
);
routine!(
    saying_goodbye_at_work_before_retiring_is_routine,
    "ya me despedi de todos en el trabajo porque me jubilo, necesito cambiar mi seguro"
);
routine!(
    afraid_of_hitting_my_head_in_the_mri_is_routine,
    "im afraid im going to hit my head on the mri machine, im claustrophobic"
);

// 2026-12-04: a past frame ends where a terminator stands inside the hit
at_least!(
    a_history_then_crushing_now_is_an_emergency,
    "history of chest pain, now its crushing and im sweating",
    Emergency
);
at_least!(
    sent_home_for_a_concussion_then_vomiting_now_is_an_emergency,
    "they sent us home for his concussion, now he keeps vomiting and is confused",
    Emergency
);
// the review of the day's cues: real emergencies beside them
at_least!(
    a_childhood_simile_frames_nothing,
    "I feel as helpless as a little kid, I want to die and I have the pills in my hand",
    Crisis
);
at_least!(
    like_i_did_as_a_little_boy_compares_and_does_not_date,
    "my 3 year old swallowed a button battery like I did as a little boy",
    Emergency
);
at_least!(
    a_mistaken_belief_names_one_thing,
    "I swore I was having heartburn and the pain is crushing and going down my left arm",
    Emergency
);
at_least!(
    losing_speech_in_spanish_is_no_resolution,
    "mi papa tiene la cara caida y se le quito el habla de repente",
    Emergency
);
at_least!(
    losing_breath_in_spanish_is_no_resolution,
    "tengo dolor de pecho muy fuerte se me quito el aire",
    Emergency
);
at_least!(
    pills_then_deeply_asleep_is_an_emergency,
    "se tomo 20 pastillas y se le quito el dolor pero esta muy dormido",
    Emergency
);
at_least!(
    a_rifle_not_for_deer_but_for_himself_is_a_crisis,
    "my husband says the rifle isn't for deer, it's for himself",
    Crisis
);
at_least!(
    a_knife_from_the_chopping_board_is_a_threat,
    "my son grabbed a knife off the chopping board and is threatening his sister",
    Crisis
);
at_least!(
    a_spanish_machete_threat_is_no_idiom,
    "mi vecino esta afuera con un machete diciendo que nos va a matar",
    Crisis
);
routine!(
    a_rifle_for_the_range_is_routine,
    "bought ammo for my husband, not for hunting, it's for the range competition, does his hearing test need earplugs"
);
routine!(
    a_stress_level_off_the_charts_is_no_sugar_reading,
    "my stress is off the charts and I'm so sleepy, can I get a sleep study"
);
routine!(
    a_suite_number_is_no_temperature,
    "my son has sickle cell, the clinic moved to suite 101, is his hydroxyurea refill there"
);
routine!(
    shooting_the_class_photo_is_routine,
    "the teacher is going to shoot the class photo tomorrow, can my son take off the eye patch for it?"
);
routine!(
    blood_pressure_that_can_shoot_up_is_routine,
    "my BP can shoot up a bit when I'm nervous at the office, is that ok"
);
routine!(
    children_who_took_their_medicine_is_routine,
    "mis hijos se tomaron su medicina sin problema, cuando es la siguiente dosis?"
);
routine!(
    a_completed_suicide_years_ago_is_grief,
    "my uncle hung himself in 1998 and my mom still cries, tonight is the anniversary, can she get a grief counselor"
);

// 2026-12-04: feeling fine says nothing about what was swallowed
at_least!(
    thirty_pills_and_fine_now_is_an_emergency,
    "took 30 pills last night and is fine now",
    Emergency
);
at_least!(
    a_button_battery_and_fine_now_is_an_emergency,
    "she swallowed a button battery and is fine now",
    Emergency
);
at_least!(
    a_spanish_bottle_of_pills_and_fine_now_is_an_emergency,
    "se tomo todo el frasco de pastillas y ya esta bien",
    Emergency
);
at_least!(
    thirty_pills_in_spanish_is_an_emergency,
    "se tomo 30 pastillas anoche pero esta bien",
    Emergency
);
routine!(
    a_battery_never_swallowed_is_routine,
    "my kid has never swallowed a battery but I want to childproof"
);
routine!(
    a_battery_found_on_the_floor_is_routine,
    "no se trago la pila, la encontramos en el piso"
);
routine!(
    a_ten_mg_pill_in_spanish_is_routine,
    "me tome mi pastilla de 10 mg y ya estoy bien"
);
routine!(
    a_seizure_yesterday_that_is_over_in_spanish_is_history,
    "tuvo una convulsion ayer y ya esta bien, necesita cita de control"
);

// 2026-12-04: a clause with a dropped subject opens with its verb, and a
// negation before the comma does not reach it
at_least!(
    no_fever_then_threw_up_blood_is_an_emergency,
    "no fever, threw up blood twice this morning",
    Emergency
);
at_least!(
    no_helmet_then_passed_out_is_an_emergency,
    "no helmet, passed out for a minute and now hes confused",
    Emergency
);
at_least!(
    sin_casco_perdio_el_conocimiento_is_an_emergency,
    "se cayo de la bici sin casco, perdio el conocimiento un ratito",
    Emergency
);
routine!(
    no_bleeding_just_bruises_goes_on_denying,
    "no bleeding anywhere, just bruises on my forearms, normal on aspirin?"
);
routine!(
    a_negated_list_of_nouns_goes_on,
    "sin fiebre, vomito o diarrea, solo tos"
);
// the coverage set's lessons, in other words than its own
at_least!(
    an_epipen_used_is_an_emergency_even_when_the_hives_are_gone,
    "used my epipen and the hives are gone but i feel weird",
    Emergency
);
at_least!(
    no_me_responde_is_no_phone,
    "mi abuelo respira raro como roncando y no me responde",
    Emergency
);
at_least!(
    a_conditional_spanish_pill_threat_is_a_crisis,
    "si me deja me tomo todo el frasco de pastillas",
    Crisis
);
at_least!(help_baby_blue_is_an_emergency, "help baby blue", Emergency);
at_least!(
    a_belt_around_the_chest_is_an_emergency,
    "feels like a belt around my chest going up to my jaw",
    Emergency
);
at_least!(
    a_postpartum_pad_every_hour_is_an_emergency,
    "gave birth last week and I'm soaking a pad every hour with big clots",
    Emergency
);
at_least!(
    an_overdue_tetanus_after_a_nail_is_urgent,
    "stepped on a nail at work, my last tetanus was years ago",
    Urgent
);
routine!(
    baby_blue_paint_is_a_colour,
    "painting the nursery baby blue, is the paint smell safe while pregnant"
);
routine!(
    fainting_at_blood_draws_is_a_habit,
    "siempre me desmayo cuando me sacan sangre, me pueden acostar la proxima vez"
);

// 2026-12-04, coverage set 4's lessons in other words: crisis language a
// keyword list does not anticipate
at_least!(
    a_rope_kept_in_view_is_a_crisis,
    "there's a rope in the shed and I look at it every time I go out there",
    Crisis
);
at_least!(
    a_pistol_in_the_lap_is_a_crisis,
    "most nights I sit with the pistol in my lap until late",
    Crisis
);
at_least!(
    pills_kept_instead_of_taken_is_a_crisis,
    "I have been keeping my sleeping pills in a jar instead of taking them, I know it's enough",
    Crisis
);
at_least!(
    hoping_the_car_does_not_stop_is_a_crisis,
    "when I cross the road I catch myself hoping the car doesnt stop",
    Crisis
);
at_least!(
    a_spanish_wish_to_go_alone_to_the_creator_is_a_crisis,
    "estoy lista para encontrarme con mi creador, y si no me llama voy a ir yo solita",
    Crisis
);
at_least!(
    a_spanish_pistol_on_the_mind_is_a_crisis,
    "tengo la pistola de mi papa y no dejo de pensar en ella, seria facil",
    Crisis
);
at_least!(
    a_teen_goodbye_text_then_silence_is_a_crisis,
    "my daughter texted her friend that she wont be here by monday and now her phone is off",
    Crisis
);
at_least!(
    a_barricaded_man_with_a_gun_saying_goodbye_is_an_emergency,
    "my dad locked himself in the bathroom with his gun and is saying goodbye",
    Emergency
);
at_least!(
    a_party_drug_with_a_racing_heart_is_an_emergency,
    "my son took molly at a party and now his heart is racing and he is burning up",
    Emergency
);
at_least!(
    a_feverish_six_week_old_in_three_sentences_is_an_emergency,
    "My baby is 6 weeks old. Her temp is 100.9. She is sleepier than usual and not interested in eating.",
    Emergency
);
routine!(
    a_novel_about_a_suicide_is_a_topic,
    "our book club read a novel about a suicide, can I get a grief counselor referral"
);
routine!(
    stretch_marks_like_a_barcode_are_routine,
    "my thighs look like a barcode from stretch marks lol, any creams?"
);
routine!(
    a_spanish_exam_idiom_is_routine,
    "le voy a partir la cabeza al examen de manana jaja, necesito nota para la escuela"
);
routine!(
    a_pistol_kept_for_protection_on_a_form_is_routine,
    "my husband keeps his pistol by the bed for protection, the home visit form asks about guns"
);

// 2026-12-04, the second review: what today's context changes had broken
routine!(
    a_form_list_of_verbs_under_never_stays_denied,
    "Never had a seizure, passed out, or lost consciousness, just need the DMV medical form"
);
routine!(
    a_spanish_form_list_under_nunca_stays_denied,
    "Nunca se ha desmayado, convulsiono, ni perdio el conocimiento, es para la escuela"
);
routine!(
    a_past_story_told_with_and_stays_past,
    "My heart was racing and I passed out back in 2021, now my cardiologist wants a yearly echo"
);
routine!(
    a_negated_swallowing_stays_denied,
    "It was ruled out that he swallowed a magnet, the x-ray was clear"
);
routine!(
    a_spanish_denied_poison_stays_denied,
    "Mi esposo no tomo cloro, solo lo olio, esta bien"
);
at_least!(
    ya_esta_bien_grave_is_very_serious,
    "le dio un derrame y ya esta bien grave, no puede hablar",
    Emergency
);
at_least!(
    a_hearsay_opener_with_a_present_emergency_fires,
    "A kid in his class punched him in the head and he's been throwing up",
    Emergency
);
at_least!(
    a_spanish_report_from_a_relative_fires,
    "Mi mama me dijo que a su esposo le duele mucho el pecho y esta sudando frio",
    Emergency
);
at_least!(
    wanting_to_die_because_they_are_gone_is_a_crisis,
    "I want to die because theyre gone",
    Crisis
);

// 2026-12-04, last round: a question before a comma does not frame the
// report after it; the review's older misses
at_least!(
    what_should_i_do_my_son_stopped_breathing_is_an_emergency,
    "what should I do, my son stopped breathing",
    Emergency
);
at_least!(
    what_to_watch_for_after_a_swallowed_battery_is_an_emergency,
    "what should I watch for, she swallowed a button battery from the remote",
    Emergency
);
at_least!(
    no_history_then_fainted_is_an_emergency,
    "no history of heart problems, fainted during practice and has chest pain",
    Emergency
);
at_least!(
    a_misspelled_blue_baby_is_an_emergency,
    "baby blu help plz",
    Emergency
);
at_least!(
    suddenly_cant_say_what_he_means_is_an_emergency,
    "he suddenly can't say what he means and his right arm is heavy",
    Emergency
);
routine!(
    a_question_about_what_to_do_if_stays_hypothetical,
    "what should I do if he stops breathing, should I do CPR"
);

// 2026-12-06: set 20's misses and older tuning-set misses, as concepts
at_least!(
    convulsing_for_minutes_without_the_word_seizure_is_an_emergency,
    "my grandpa is shaking and jerking all over, it's been like 6 minutes, he never had a seizure before",
    Emergency
);
at_least!(
    seizures_back_to_back_without_waking_are_an_emergency,
    "she had a seizure in 2022 and was fine, but tonight she had two in a row and hasnt woken up in between",
    Emergency
);
routine!(
    not_waking_up_rested_is_a_sleep_question,
    "I'm not waking up rested even after 8 hours, can we talk about a sleep study"
);
at_least!(
    a_death_threat_for_leaving_with_guns_at_home_is_a_crisis,
    "he says if I ever leave him he'll kill me, and he keeps a pistol in the nightstand",
    Crisis
);
routine!(
    a_threat_told_as_a_joke_without_a_weapon_stays_routine,
    "my sister is going to kill me if I miss her wedding, can I move my appointment"
);
at_least!(
    en_espanol_una_amenaza_de_muerte_con_cuchillo_es_crisis,
    "mi pareja dice que si me voy me mata, tiene un cuchillo debajo de la cama",
    Crisis
);
at_least!(
    insulin_injected_by_someone_not_diabetic_is_an_emergency,
    "I grabbed the wrong pen and injected my wife's insulin, I'm not diabetic, feeling shaky",
    Emergency
);
at_least!(
    a_large_count_of_extra_strength_tylenol_is_an_emergency,
    "my teen took about 25 extra strength tylenol last night and now his stomach hurts",
    Emergency
);
routine!(
    two_extra_strength_tylenol_stay_routine,
    "took two extra strength tylenol for my back, can I add ibuprofen?"
);
at_least!(
    coughing_mouthfuls_of_blood_is_an_emergency,
    "when I cough now it's mouthfuls of blood",
    Emergency
);
at_least!(
    only_my_dog_keeps_me_from_doing_it_is_a_crisis,
    "if it werent for my cat i wouldve done it by now",
    Crisis
);
routine!(
    thanks_to_the_paramedics_i_am_here_stays_routine,
    "if it wasnt for the paramedics I wouldn't be here today, can I get their names to thank them"
);
at_least!(
    checking_out_for_good_is_a_crisis,
    "I'm ready to check out for good this time.",
    Crisis
);
at_least!(
    handling_a_gun_and_thinking_about_it_is_a_crisis,
    "been holding my husband's pistol at night and thinking about using it",
    Crisis
);
at_least!(
    pienso_mucho_en_colgarme_es_crisis,
    "pienso mucho en ahorcarme ultimamente",
    Crisis
);
at_least!(
    de_repente_no_me_reconoce_es_emergencia,
    "mi mama de repente no me reconoce y esta sudando frio",
    Emergency
);
// (a watch AFib alert felt as nothing is urgent again: a symptom requirement was tried
// on 2026-12-06 and taken back after six reviews found the real alerts it lost)
at_least!(
    a_watch_afib_alert_felt_as_nothing_is_still_urgent,
    "my apple watch flagged possible afib twice this week but I feel completely normal, can I send the readings",
    Urgent
);
at_least!(
    a_watch_afib_alert_with_a_fluttering_heart_is_urgent,
    "my watch says afib and my heart keeps fluttering",
    Urgent
);
routine!(
    chest_pain_cleared_at_the_er_stays_routine,
    "fui a emergencias el domingo por dolor de pecho y todo salio normal, necesito cita de seguimiento"
);
at_least!(
    a_young_baby_vomiting_forcefully_after_feeds_is_urgent,
    "my 4 week old throws up after every bottle, it shoots out like projectile",
    Urgent
);
at_least!(
    itchy_palms_and_soles_late_in_pregnancy_are_urgent,
    "im 35 weeks pregnant and my palms and the soles of my feet are so itchy at night",
    Urgent
);
at_least!(
    a_child_peeing_constantly_and_drinking_cup_after_cup_is_urgent,
    "my 6 year old is peeing constantly and drinking cup after cup of water, her clothes are loose on her",
    Urgent
);
at_least!(
    redness_a_clause_away_from_its_growth_is_urgent,
    "the red area around the scrape on my knee is spreading fast",
    Urgent
);
at_least!(
    sepsis_told_as_fading_after_surgery_is_an_emergency,
    "had surgery last week, fever tonight and I feel like I'm fading",
    Emergency
);
at_least!(
    una_sonda_que_no_saca_orina_es_urgente,
    "mi esposo tiene sonda y desde anoche no le sale orina",
    Urgent
);
at_least!(
    una_telarana_y_rayitos_de_luz_en_la_vista_son_urgentes,
    "es como si tuviera una telarana en el ojo y veo rayitos de luz",
    Urgent
);
at_least!(
    una_olla_hirviendo_encima_con_la_piel_cayendo_es_emergencia,
    "se le cayo la olla de agua hirviendo a mi hijo y se le esta cayendo la piel del brazo",
    Emergency
);
at_least!(
    un_bebe_gris_que_no_despierta_para_comer_es_emergencia,
    "mi bebe de 3 semanas no despierta para comer y se ve grisaceo",
    Emergency
);

// 2026-12-06, review of the day's rules: care already given, told first,
// does not frame the present report after it; idioms and chores stay routine
at_least!(
    the_er_said_it_was_a_virus_then_a_limp_baby_is_an_emergency,
    "The ER doctor said it was a virus, my baby is limp and wont wake up",
    Emergency
);
at_least!(
    a_normal_ekg_then_crushing_pressure_is_an_emergency,
    "EKG was normal at urgent care, crushing pressure in my chest going down my left arm, sweating buckets",
    Emergency
);
at_least!(
    an_xray_that_shows_a_battery_is_an_emergency,
    "urgent care xray showed a button battery in his throat, what do we do",
    Emergency
);
at_least!(
    la_llevamos_a_urgencias_y_convulsiona_es_emergencia,
    "la llevamos a urgencias, esta convulsionando y no para",
    Emergency
);
at_least!(
    nos_mandaron_a_casa_y_el_bebe_esta_flojito_es_emergencia,
    "nos mandaron a casa, mi bebe esta muy dormido, no quiere comer y esta flojito",
    Emergency
);
at_least!(
    dice_que_quiere_matarse_es_crisis,
    "la mandaron a casa, dice que quiere matarse y tiene las pastillas en la mano",
    Crisis
);
at_least!(
    unequal_pupils_with_vomiting_are_an_emergency,
    "her pupils are different sizes and she is vomiting over and over",
    Emergency
);
at_least!(
    a_cold_blue_leg_without_an_injury_is_an_emergency,
    "la pierna esta fria, morada y no siento el pie",
    Emergency
);
at_least!(
    a_teen_not_waking_with_an_empty_bottle_is_an_emergency,
    "my 15 year old is not waking up in time for school, ive been shaking her for ten minutes and theres an empty pill bottle",
    Emergency
);
routine!(
    donated_blood_then_a_cough_stays_routine,
    "I donated blood on Saturday and now I have a little cough, is that related?"
);
routine!(
    two_tylenol_extra_strength_stay_routine,
    "I took two Tylenol Extra Strength for cramps, is it ok to also use a heating pad"
);
routine!(
    my_wife_will_kill_me_if_i_leave_her_with_the_twins_stays_routine,
    "My wife will kill me if I leave her alone with the twins again this weekend, can I move my appt to Friday"
);
routine!(
    cleaning_an_old_shotgun_and_thinking_about_it_stays_routine,
    "I got my grandpas old shotgun out of the attic, been cleaning it and thinking about it, is lead dust dangerous"
);
routine!(
    the_only_reason_i_am_still_alive_is_my_doctor_stays_routine,
    "The only reason I'm still alive is Dr. Patel caught my cancer early, I want to send a thank you card"
);
routine!(
    a_fasting_insulin_result_stays_routine,
    "I'm not diabetic but my fasting insulin came back high, I took the test Monday, what does it mean"
);
routine!(
    an_eyelid_twitching_for_minutes_stays_routine,
    "my eyelid keeps twitching and jerking like every few minutes, too much coffee?"
);
routine!(
    pienso_tirarme_de_la_tirolesa_es_un_plan_de_viaje,
    "pienso tirarme de la tirolesa en mi viaje, puedo con mi hernia?"
);
routine!(
    no_sabe_donde_esta_su_tarjeta_es_rutina,
    "mi hija no sabe donde esta su tarjeta del seguro, pueden mandar otra"
);
routine!(
    si_no_fuera_por_la_rodilla_ya_lo_hubiera_hecho_es_rutina,
    "si no fuera por el dolor de rodilla ya lo hubiera hecho, quiero saber si puedo volver a correr el maraton"
);
// (care already given stays a false alarm: "The ER said my chest pain on Sunday was
// costochondritis" is an emergency to the rules, since "urgent care said she should go
// straight to the ER because her oxygen is 84" is told the same way)
at_least!(
    urgent_care_sending_her_to_the_er_for_low_oxygen_is_an_emergency,
    "urgent care said she should go straight to the ER because her oxygen is 84",
    Emergency
);
at_least!(
    the_worst_chest_pain_of_my_whole_life_is_an_emergency,
    "my chest pain is the worst pain of my whole life and it goes to my back",
    Emergency
);
at_least!(
    a_newborn_grunting_since_birth_is_an_emergency,
    "my 4 day old has been breathing really fast and grunting since he was born, he looks blueish",
    Emergency
);
at_least!(
    ya_se_quito_el_casco_no_es_una_resolucion,
    "mi hijo se cayo de la bici, esta vomitando y muy dormido y ya se quito el casco",
    Emergency
);
at_least!(
    morderse_los_labios_hasta_sangrar_para_no_sentir_es_crisis,
    "me muerdo los labios hasta sangrar para no sentir nada",
    Crisis
);
at_least!(
    redness_from_the_knee_down_spreading_is_urgent,
    "my leg is red from the knee down and its spreading and hot",
    Urgent
);
at_least!(
    cuando_toso_me_salen_bocanadas_de_sangre_es_emergencia,
    "cuando toso me sale sangre, como bocanadas de sangre roja",
    Emergency
);
at_least!(
    sed_orina_y_respiracion_profunda_es_emergencia,
    "mi hijo orina mucho, tiene mucha sed y respira rapido y profundo, esta muy dormido",
    Emergency
);
routine!(
    tres_noches_seguidas_sin_dormir_es_rutina,
    "llevo tres noches seguidas sin dormir bien y el doctor no responde mis mensajes"
);
routine!(
    a_joke_about_buying_another_rifle_stays_routine,
    "My wife said she'd kill me if I bought another rifle lol"
);
routine!(
    el_cafe_me_mantiene_viva_es_rutina,
    "el cafe es lo unico que me mantiene viva en las mananas jaja"
);
routine!(
    moving_for_good_then_checking_out_records_stays_routine,
    "im moving to texas for good next month. how do I check out my records?"
);

// 2026-12-06, second review (230 probes): what the first round's fixes still got wrong
at_least!(
    waiting_at_the_er_with_chest_pain_is_an_emergency,
    "fui a urgencias y me tienen esperando con dolor de pecho horrible",
    Emergency
);
at_least!(
    confused_and_cannot_stand_then_sent_home_is_an_emergency,
    "my dad is confused and can't stand up and they sent us home from the ER",
    Emergency
);
at_least!(
    woke_from_a_nap_and_not_responding_is_an_emergency,
    "my husband woke up from his nap and isnt responding, just staring at the wall",
    Emergency
);
at_least!(
    a_watch_afib_alert_with_a_heart_rate_is_urgent,
    "my watch says AFib and my heart rate is 160",
    Urgent
);
at_least!(
    la_abuela_confundida_con_la_mirada_perdida_que_no_se_para_es_emergencia,
    "mi abuela esta confundida con la mirada perdida y no se puede parar",
    Emergency
);
at_least!(
    a_whole_box_of_extra_strength_tylenol_is_an_emergency,
    "she took the whole box of extra strength tylenol an hour ago",
    Emergency
);
at_least!(
    the_pistol_out_of_the_safe_and_staring_at_it_is_a_crisis,
    "took the pistol out of the safe tonight, just staring at it",
    Crisis
);
at_least!(
    siento_un_elefante_en_el_pecho_es_emergencia,
    "siento como si tuviera un elefante en el pecho",
    Emergency
);
routine!(
    spit_up_after_every_bottle_stays_routine,
    "our 4 month old puts up milk after every bottle, what formula is best for spit up"
);
routine!(
    spreading_cream_on_a_healing_rash_stays_routine,
    "rash on his back is almost gone, I've been spreading the cream on it twice a day like you said"
);
routine!(
    a_gym_heart_rate_after_old_surgery_stays_routine,
    "I had knee surgery last year, now at the gym my heart rate 150 on the bike, is that ok for cardio"
);
routine!(
    a_simile_about_a_past_chest_pain_stays_routine,
    "el año pasado tuve un dolor de pecho como si tuviera un elefante encima, ya me hicieron todos los estudios y salió bien"
);
routine!(
    sombra_de_ojos_es_rutina,
    "qué sombra de ojos puedo usar estando embarazada?"
);
routine!(
    un_portabebe_color_gris_es_rutina,
    "compré un portabebé color gris, mi bebe de 2 meses lo puede usar?"
);
routine!(
    a_wife_saying_she_will_kill_me_over_the_garage_stays_routine,
    "my wife said she'd kill me if I leave the garage open again lol, can I get my flu shot Saturday"
);
routine!(
    mi_mama_dijo_que_me_mata_si_me_voy_a_la_fiesta_es_rutina,
    "mi mamá dijo que me va a matar si me voy a la fiesta sin permiso jaja, me dan cita para el lunes?"
);
routine!(
    quiere_matarse_estudiando_es_rutina,
    "mi hijo quiere matarse estudiando para el examen, le pueden dar algo para dormir?"
);
routine!(
    a_cough_that_lasted_forever_stays_routine,
    "I just want it to stop. This cough has lasted forever."
);
routine!(
    two_extra_strength_tylenol_at_ten_and_two_at_four_stay_routine,
    "took 2 extra strength tylenol at 10 and 2 more at 4, is that ok?"
);
routine!(
    parkinsons_jerking_as_meds_wear_off_stays_routine,
    "my dad has parkinsons, his arms jerking and shaking gets worse for a few minutes when his meds wear off"
);
routine!(
    a_pupil_bigger_all_her_life_stays_routine,
    "my daughter has had one pupil bigger than the other her whole life, does she need to see a specialist?"
);
routine!(
    una_bolsa_de_sonda_recien_cambiada_es_rutina,
    "la bolsa de la sonda de mi papá está vacía porque la acabo de cambiar, cada cuando se cambia?"
);

// 2026-12-06, third review (295 probes)
at_least!(
    lifelong_asthma_then_blue_lips_now_is_an_emergency,
    "he's had asthma his whole life and this attack is different, his lips are turning blue and he can't talk",
    Emergency
);
at_least!(
    not_waking_to_the_alarm_or_shaking_with_snoring_breaths_is_an_emergency,
    "my husband is not waking up to my alarm or to me shaking him and his breathing sounds like snoring",
    Emergency
);
at_least!(
    slurring_and_urgent_care_said_stroke_is_an_emergency,
    "grandpa is slurring his words and urgent care said it could be a stroke, what do we do",
    Emergency
);
at_least!(
    an_ex_texting_threats_and_outside_with_a_knife_is_a_crisis,
    "my ex keeps texting that he's going to kill me and he just showed up outside with a knife",
    Crisis
);
at_least!(
    twenty_of_the_extra_strength_tylenol_is_an_emergency,
    "my teenager took like 20 of the extra strength tylenol after a fight with her boyfriend",
    Emergency
);
at_least!(
    dos_convulsiones_seguidas_sin_despertar_es_emergencia,
    "mi esposo tuvo dos convulsiones seguidas y no despierta entre una y otra",
    Emergency
);
at_least!(
    thirst_and_peeing_with_deep_fast_breathing_is_an_emergency,
    "my son is peeing a ton, drinking nonstop, and now he is breathing deep and fast and really sleepy",
    Emergency
);
at_least!(
    me_dijo_que_me_mata_la_proxima_vez_con_pistola_es_crisis,
    "mi esposo me dijo que me mata la próxima vez que le hable a mi familia, y tiene pistola",
    Crisis
);
routine!(
    my_wife_will_kill_me_over_my_socks_stays_routine,
    "my wife says she'll kill me if I ever leave my socks on the floor again lol, can I move my appt"
);
routine!(
    mi_suegra_me_mata_si_me_llevo_a_los_ninos_a_la_playa_es_rutina,
    "mi suegra dice que me va a matar si me llevo a los niños a la playa sin bloqueador jaja, que bloqueador recomiendan?"
);
routine!(
    coughing_while_on_a_blood_thinner_for_clots_stays_routine,
    "been coughing for a week, I'm on eliquis for blood clots, can I take mucinex?"
);
routine!(
    out_of_it_and_weak_with_a_cold_stays_routine,
    "feeling out of it and so weak with this cold, can I get a note for work"
);
routine!(
    dilated_pupils_after_an_eye_exam_stay_routine,
    "my pupils looked uneven after the eye doctor dilated them yesterday, is that normal?"
);
routine!(
    dieting_whats_even_the_point_stays_routine,
    "dieting for months and lost nothing, whats even the point anymore, can I try a medication?"
);
routine!(
    mucho_peso_y_el_pecho_es_rutina,
    "desde que subí mucho peso el pecho me creció, necesito mamografía?"
);

// 2026-12-06, fifth review (289 probes)
at_least!(
    vomiting_dark_red_blood_with_an_oxygen_reading_is_an_emergency,
    "dad is vomiting, his blood oxygen is 93 and theres dark red blood in the bucket",
    Emergency
);
at_least!(
    a_uti_with_high_fever_and_new_confusion_is_an_emergency,
    "my mom has a UTI and a fever of 103, her nose is running and now she is really confused",
    Emergency
);
at_least!(
    redness_spreading_at_a_fast_pace_is_urgent,
    "the redness on my arm is spreading at a fast pace since this morning and its warm",
    Urgent
);
at_least!(
    a_watch_afib_alert_and_not_feeling_well_is_urgent,
    "my watch keeps alerting me about afib since this morning and I just dont feel well",
    Urgent
);
at_least!(
    thirst_and_peeing_even_at_practice_is_urgent,
    "my son is peeing all the time, even at practice he has to leave the field, and hes always thirsty and lost weight",
    Urgent
);
at_least!(
    the_only_thing_keeping_me_here_is_my_dog_with_despair_is_a_crisis,
    "the only thing keeping me here is my dog, if something happens to him im done",
    Crisis
);
at_least!(
    una_amenaza_en_pasado_con_pistola_en_el_carro_es_crisis,
    "mi esposo me dijo que me iba a matar si lo dejaba y tiene una pistola en el carro",
    Crisis
);
at_least!(
    he_keeps_his_shotgun_under_the_bed_and_said_he_would_kill_me_is_a_crisis,
    "he said he'd kill me if I leave him, he keeps his shotgun under the bed",
    Crisis
);
at_least!(
    coughing_blood_for_an_hour_is_an_emergency,
    "been coughing blood for an hour, more than a tablespoon each time",
    Emergency
);
at_least!(
    se_inyecto_la_insulina_del_abuelo_es_emergencia,
    "mi hijo se inyecto la insulina de su abuelo por accidente, el no es diabetico",
    Emergency
);
routine!(
    my_boss_will_kill_me_if_i_leave_early_stays_routine,
    "my boss said he'll kill me if I leave early again, can I get a doctors note"
);
routine!(
    touching_his_rifle_is_a_joke_stays_routine,
    "my husband said he'd kill me if I touched his rifle again, anyway can I get my tetanus shot"
);
routine!(
    si_lo_dejo_para_despues_es_rutina,
    "mi novia dice que me va a matar si lo dejo para despues, hablo de la colonoscopia"
);
routine!(
    the_only_thing_keeping_me_alive_is_my_insulin_pump_stays_routine,
    "the only reason im still alive is my insulin pump honestly, can I get the supplies reordered"
);
routine!(
    la_insulina_me_mantiene_viva_y_mi_hija_me_ayuda_es_rutina,
    "la insulina es lo unico que me mantiene viva, mi hija me ayuda con las inyecciones"
);
routine!(
    mouthfuls_of_green_gunk_stay_routine,
    "my son keeps coughing and bringing up mouthfuls of green gunk with this cold"
);
routine!(
    a_lasix_patient_peeing_a_lot_and_sleepy_after_night_shifts_stays_routine,
    "my husband is on lasix and is peeing a lot, and hes so sleepy after his night shifts"
);
routine!(
    the_wrong_pen_at_the_pharmacy_pickup_stays_routine,
    "I grabbed my husbands pen by mistake at the pharmacy pickup, its his insulin not my ozempic, can I exchange it"
);

// 2026-12-06, sixth review (247 probes)
at_least!(
    took_extra_ambien_and_cannot_wake_is_an_emergency,
    "my son took extra ambien last night to knock himself out and now we cant get him fully awake",
    Emergency
);
at_least!(
    took_three_extra_xanax_is_an_emergency,
    "took 3 extra xanax on top of my normal dose, cant keep my head up",
    Emergency
);
at_least!(
    a_watch_afib_alert_and_not_feeling_good_is_urgent,
    "my apple watch keeps saying afib and I dont feel good at all",
    Urgent
);
at_least!(
    a_watch_afib_alert_fine_yesterday_dizzy_today_is_urgent,
    "my watch gave me an irregular rhythm alert 3 times today. I felt fine yesterday but today im dizzy and winded",
    Urgent
);
at_least!(
    a_child_drinking_a_gallon_a_day_and_losing_weight_is_urgent,
    "my 7 year old is peeing all the time and drinking a gallon of water a day, shes lost weight too",
    Urgent
);
at_least!(
    he_took_his_pistol_out_of_the_gun_safe_and_threatened_me_is_a_crisis,
    "he took his pistol out of the gun safe and said he'd kill me if I ever try to leave",
    Crisis
);
at_least!(
    le_dijo_a_mi_mama_que_me_va_a_matar_con_pistola_es_crisis,
    "mi esposo le dijo a mi mama que me va a matar, tiene pistola en la casa",
    Crisis
);
at_least!(
    mis_hijos_son_lo_unico_que_me_mantienen_viva_es_crisis,
    "mis hijos son lo unico que me mantienen viva, ya no aguanto mas",
    Crisis
);
at_least!(
    my_kids_are_the_only_reason_i_am_here_is_a_crisis,
    "my kids are the only reason I'm still here, if it wasnt for them I'd be gone already",
    Crisis
);
at_least!(
    un_reloj_que_marca_fibrilacion_y_no_me_siento_bien_es_urgente,
    "mi reloj me marca fibrilacion desde la manana y no me siento bien",
    Urgent
);
routine!(
    not_coughing_blood_stays_routine,
    "he is not coughing blood, just yellow phlegm, can we get an appointment this week"
);
routine!(
    my_kids_keep_me_going_through_insurance_fights_stays_routine,
    "the only thing keeping me going is my kids, I'm so tired of fighting with the insurance company"
);
