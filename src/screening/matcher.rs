//! Screening one text: a quick gate, a full scan where it is needed, then
//! context logic on the hits.
//!
//! The text is normalized once (without byte origins). A word-keyed gate
//! (one hash per word, built byte by byte so that stems are probed on the
//! way; each gate pattern verified in place) decides which rules the text
//! may fire, and in the same look whether a word is a known misspelling:
//! only then is the text re-spelled and looked at again. Most texts arm no
//! rule and are routine at once, with nothing allocated (the gate's
//! buffers are kept per thread). Otherwise only the sentences that
//! armed a rule are scanned with the full automaton, for the armed rules
//! only (the whole text when an armed rule's co-occurrence may span
//! sentences). Then words, sentences and clauses are indexed and the
//! ConText logic runs: a hit is suppressed when a negation, historical or
//! hypothetical cue in the same sentence scopes over it (within the cue's
//! window, not cut by a terminator; a negation does not reach into a
//! clause that opens with its own subject, nor deny a term that opens with
//! its own negation, "not breathing"), unless a present-time cue in
//! the same clause says it is happening now. The strongest surviving rule sets the
//! level, so a red flag buried in a long routine message still fires. Byte
//! origins (for spans) are computed only when there is something to report,
//! and never for a caller that wants only the level and the rules
//! ([`classify`], batch screening).
//! Nothing here logs, allocates per rule, or panics on any input.

use std::ops::Range;

use aho_corasick::Anchored;
use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;

use super::compile::{Compiled, Gate, Role, word_hash_step};
use super::normalize::{Normalized, normalize, normalize_untracked};
use super::rules::{ContextKinds, CueKind, Direction, RuleSet};
use super::{Field, Hit, Level, RawMatch, Suppression, Verdict};

#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Raw matches sorted by role.
#[derive(Default)]
struct Matches {
    phrases: Vec<(u32, Span)>,
    near: Vec<(u32, u8, Span)>,
    /// (rule, span, whether only over the hit's own terms)
    unless: Vec<(u32, Span, bool)>,
    cues: Vec<(u32, Span)>,
}

/// How much of a decision the caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Every span of every fired rule and every suppression: a [`Verdict`].
    Full,
    /// Only which rules fire: a rule's further candidates are not tested
    /// once one has fired, and suppressions are not kept.
    Rules,
}

/// What the matcher decided for a text that armed a rule, before anything
/// is mapped back to the original text.
struct Decided {
    /// The text as matched (normalized and re-spelled).
    quick: Normalized,
    /// Whether a misspelling was re-spelled in it.
    was_respelled: bool,
    /// The rules that fired, each once, in the order they first did, with
    /// their spans (with [`Detail::Rules`], only the first candidate's).
    fired: Vec<(u32, Vec<Span>)>,
    /// Cancelled candidates of rules that did not fire: the rule, its
    /// spans, what cancelled it and where (empty with [`Detail::Rules`]).
    suppressed: Vec<(u32, Vec<Span>, Option<CueKind>, Span)>,
}

/// Screens one text for the full [`Verdict`]: spans in the original text,
/// reasons and suppressions.
pub(crate) fn screen(
    c: &Compiled,
    text: &str,
    field: Field,
    trace: Option<&mut Vec<RawMatch>>,
) -> Verdict {
    let routine = Verdict {
        level: Level::Routine,
        hits: Vec::new(),
        suppressed: Vec::new(),
    };
    let Some(Decided {
        quick,
        was_respelled,
        fired,
        suppressed,
    }) = decide(c, text, field, trace, Detail::Full)
    else {
        return routine;
    };
    // Normalized again, with origins: the same text byte for byte (a text
    // the gate found no misspelling in needs no re-spelling).
    let n = if was_respelled {
        respelled(c, normalize(text))
    } else {
        normalize(text)
    };
    debug_assert_eq!(n.text, quick.text);
    let back = |spans: &[Span]| -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = spans.iter().map(|s| original(&n, text, *s)).collect();
        out.sort_by_key(|r| (r.start, r.end));
        out.dedup();
        out
    };
    let mut hits: Vec<Hit> = fired
        .iter()
        .map(|(rule, spans)| {
            let info = &c.rules[*rule as usize];
            Hit {
                rule: info.id.clone(),
                level: info.level,
                reason: info.reason.clone(),
                spans: back(spans),
            }
        })
        .collect();
    hits.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.rule.cmp(&b.rule)));
    let mut suppressed: Vec<Suppression> = suppressed
        .iter()
        .map(|(rule, spans, by, cue)| {
            let info = &c.rules[*rule as usize];
            Suppression {
                rule: info.id.clone(),
                level: info.level,
                spans: back(spans),
                by: *by,
                cue: original(&n, text, *cue),
            }
        })
        .collect();
    suppressed.dedup_by(|a, b| a.rule == b.rule && a.spans == b.spans);
    Verdict {
        level: hits.first().map_or(Level::Routine, |h| h.level),
        hits,
        suppressed,
    }
}

/// The level of a text and the indexes of the rules that fire, strongest
/// first (the order of [`Verdict::hits`]): the same decision as
/// [`screen`], for callers that report no spans, reasons or
/// suppressions. It skips what only those need: the second normalization
/// with byte origins, further candidates of a rule that already fired,
/// and the strings of each hit.
pub(crate) fn classify(c: &Compiled, text: &str, field: Field) -> (Level, Vec<u32>) {
    let Some(decided) = decide(c, text, field, None, Detail::Rules) else {
        return (Level::Routine, Vec::new());
    };
    let mut rules: Vec<u32> = decided.fired.iter().map(|&(rule, _)| rule).collect();
    let info = |r: u32| &c.rules[r as usize];
    rules.sort_by(|&a, &b| {
        info(b)
            .level
            .cmp(&info(a).level)
            .then_with(|| info(a).id.cmp(&info(b).id))
    });
    let level = rules.first().map_or(Level::Routine, |&r| info(r).level);
    (level, rules)
}

/// The gate, the scan and the ConText logic: which rules fire in a text
/// and where, and which candidates were cancelled; `None` when the text
/// has no candidate at all (routine, nothing to report).
fn decide(
    c: &Compiled,
    text: &str,
    field: Field,
    trace: Option<&mut Vec<RawMatch>>,
    detail: Detail,
) -> Option<Decided> {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut s) => decide_with(c, text, field, trace, detail, &mut s),
        // only if screening re-entered itself on this thread
        Err(_) => decide_with(c, text, field, trace, detail, &mut Default::default()),
    })
}

/// Per-thread buffers of the full path, reused from text to text (a third
/// of texts get past the gate, and each filled these from empty).
#[derive(Default)]
struct Scratch {
    matches: Matches,
    words: Words,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
}

fn decide_with(
    c: &Compiled,
    text: &str,
    field: Field,
    trace: Option<&mut Vec<RawMatch>>,
    detail: Detail,
    scratch: &mut Scratch,
) -> Option<Decided> {
    // The text as matched, without the origin of each byte (cheaper): most
    // texts arm no rule at all and stop at the gate; the others are scanned
    // in full for the rules they armed. Origins are computed only when a
    // verdict has spans to report.
    let (quick, armed, was_respelled) = match (&c.gate, trace.is_some()) {
        (Some(gate), false) => match look(c, gate, text, field) {
            Looked {
                text,
                armed: Some(armed),
                respelled,
            } => (text, Some(armed), respelled),
            Looked { armed: None, .. } => return None,
        },
        _ => (respelled(c, normalize_untracked(text)), None, true),
    };
    let t = quick.text.as_str();
    let whole = 0..t.len();
    let (rules, ranges) = match &armed {
        Some(a) => (Some(a.rules.as_slice()), a.sentences.as_slice()),
        None => (None, std::slice::from_ref(&whole)),
    };
    let Scratch { matches: m, words } = scratch;
    scan(c, t, field, trace, rules, ranges, m);
    // Co-occurrence hits of the rules that have a hit in every group, as
    // ranges of `m.near` (sorted by rule). The end is part of the key: two
    // terms of one group that start at one word ("want", "want to") are
    // equally near an anchor, and an unstable order between them made the
    // reported span depend on which other rules were scanned (the gate's
    // scan and `explain`'s full one differed; found by fuzzing).
    m.near
        .sort_unstable_by_key(|&(r, g, s)| (r, g, s.start, s.end));
    let complete = complete_near_rules(c, &m.near);
    if m.phrases.is_empty() && complete.is_empty() {
        return None;
    }

    Words::index_into(words, t, c);
    let words = &*words;
    let mut candidates: Vec<(u32, Vec<Span>)> =
        m.phrases.iter().map(|&(r, s)| (r, vec![s])).collect();
    near_candidates(c, m, &complete, words, &mut candidates);
    if candidates.is_empty() {
        return None;
    }
    let cues: Vec<Cue> = m
        .cues
        .iter()
        .map(|&(cue, span)| Cue {
            kind: c.cues[cue as usize].kind,
            direction: c.cues[cue as usize].direction,
            window: c.cues[cue as usize].window,
            clause_only: c.cues[cue as usize].clause_only,
            trailing_clause: c.cues[cue as usize].trailing_clause,
            verbs: c.cues[cue as usize].verbs,
            span,
            first: words.first(span),
            last: words.last(span),
        })
        .chain(words.years.iter().flat_map(|&(w, span)| {
            c.year_cues.iter().map(move |&cue| Cue {
                kind: c.cues[cue as usize].kind,
                direction: c.cues[cue as usize].direction,
                window: c.cues[cue as usize].window,
                clause_only: c.cues[cue as usize].clause_only,
                trailing_clause: c.cues[cue as usize].trailing_clause,
                verbs: c.cues[cue as usize].verbs,
                span,
                first: w,
                last: w,
            })
        }))
        .chain(denying_answers(t, words).into_iter().map(|w| Cue {
            kind: CueKind::Negation,
            direction: Direction::Backward,
            window: 6,
            clause_only: false,
            trailing_clause: false,
            verbs: false,
            span: words.spans[w],
            first: w,
            last: w,
        }))
        .collect();
    let cues: Vec<Vec<Cue>> = by_sentence(cues, words)
        .into_iter()
        .map(void_covered_cues)
        .collect();

    let mut fired: Vec<(u32, Vec<Span>)> = Vec::new();
    let mut suppressed: Vec<(u32, Vec<Span>, Option<CueKind>, Span)> = Vec::new();
    for (rule, spans) in candidates {
        if detail == Detail::Rules && fired.iter().any(|(r, _)| *r == rule) {
            continue;
        }
        // the cues of the sentences the hit spans (one, unless the rule
        // lets a co-occurrence span more)
        let sentence = |w: Option<usize>| w.map_or(0, |w| words.sentence[w] as usize);
        let from = sentence(spans.iter().map(|s| words.first(*s)).min());
        let to = sentence(spans.iter().map(|s| words.last(*s)).max());
        let spanned: Vec<Cue>;
        let in_sentences = if from == to {
            cues.get(from).map_or(&[][..], Vec::as_slice)
        } else {
            spanned = cues
                .get(from..=to.min(cues.len().saturating_sub(1)))
                .unwrap_or_default()
                .iter()
                .flatten()
                .cloned()
                .collect();
            spanned.as_slice()
        };
        match cancel(c, t, rule, &spans, m, in_sentences, words) {
            Some(_) if detail == Detail::Rules => {}
            Some((by, cue)) => suppressed.push((rule, spans, by, cue)),
            None => match fired.iter_mut().find(|(r, _)| *r == rule) {
                Some((_, all)) => all.extend(spans),
                None => fired.push((rule, spans)),
            },
        }
    }
    suppressed.retain(|(rule, ..)| !fired.iter().any(|(r, _)| r == rule));
    Some(Decided {
        quick,
        was_respelled,
        fired,
        suppressed,
    })
}

/// Whether `text` arms any rule at the gate (always true without a gate).
pub(crate) fn passes_gate(c: &Compiled, text: &str, field: Field) -> bool {
    c.gate
        .as_ref()
        .is_none_or(|gate| look(c, gate, text, field).armed.is_some())
}

/// What the gate found in a text.
struct Looked {
    /// The text as matched: normalized and re-spelled.
    text: Normalized,
    /// The rules the gate arms, if any.
    armed: Option<Armed>,
    /// Whether a misspelling was re-spelled.
    respelled: bool,
}

/// The text as matched and the rules the gate arms in it. The normalized
/// text is looked at once; only a text with a misspelling is re-spelled
/// and looked at again.
fn look(c: &Compiled, gate: &Gate, text: &str, field: Field) -> Looked {
    let n = normalize_untracked(text);
    let looked = |text, armed, respelled| Looked {
        text,
        armed,
        respelled,
    };
    match armed_rules(c, gate, &n.text, field, !c.respell.is_empty()) {
        Look::Routine => looked(n, None, false),
        Look::Armed(armed) => looked(n, Some(armed), false),
        Look::Respell => {
            let n = respelled(c, n);
            match armed_rules(c, gate, &n.text, field, false) {
                Look::Armed(armed) => looked(n, Some(armed), true),
                Look::Routine | Look::Respell => looked(n, None, true),
            }
        }
    }
}

/// The text as the matcher sees it: normalized and re-spelled.
pub(crate) fn matched_text(c: &Compiled, text: &str) -> String {
    respelled(c, normalize_untracked(text)).text
}

/// Misspellings in a normalized text replaced by the words the rules use.
fn respelled(c: &Compiled, n: Normalized) -> Normalized {
    if c.respell.is_empty() {
        return n;
    }
    match n.respell(|w| c.respell.get(w)) {
        Some(r) => r,
        None => n,
    }
}

/// Per-thread buffers of the gate, reused from text to text: the gate
/// looks at every text, and most stop there, so it allocates nothing.
#[derive(Default)]
struct GateScratch {
    /// Gate bits per rule: all zero between texts (only the touched
    /// entries are ever set, and they are reset after each text).
    bits: Vec<u8>,
    /// The rules whose bits a text set.
    touched: Vec<u32>,
    /// The word start and entries of each verified key hit.
    found: Vec<(usize, (u32, u32))>,
}

thread_local! {
    static GATE_SCRATCH: std::cell::RefCell<GateScratch> = Default::default();
}

/// The rules that the gate's key words in `t` arm. `t` is a normalized
/// text; with `check_respell` it may still hold misspellings, and the
/// answer is [`Look::Respell`] if it does. The words are looked at once,
/// for both.
fn armed_rules(c: &Compiled, gate: &Gate, t: &str, field: Field, check_respell: bool) -> Look {
    GATE_SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut s) => armed_rules_with(c, gate, t, field, check_respell, &mut s),
        // only if screening re-entered itself on this thread
        Err(_) => armed_rules_with(c, gate, t, field, check_respell, &mut Default::default()),
    })
}

fn armed_rules_with(
    c: &Compiled,
    gate: &Gate,
    t: &str,
    field: Field,
    check_respell: bool,
    s: &mut GateScratch,
) -> Look {
    let GateScratch {
        bits,
        touched,
        found,
    } = s;
    if bits.len() != c.rules.len() {
        bits.clear();
        bits.resize(c.rules.len(), 0);
    }
    touched.clear();
    found.clear();
    let mut hit = |at: usize, keyed: (u32, u32)| {
        for &id in &gate.keyed[keyed.0 as usize..keyed.1 as usize] {
            let pattern = &gate.patterns[id as usize];
            if !pattern.is_at(t, at) {
                continue;
            }
            for &(rule, bit) in &gate.entries[pattern.sets.0 as usize..pattern.sets.1 as usize] {
                let b = &mut bits[rule as usize];
                if *b == 0 {
                    touched.push(rule);
                }
                *b |= bit;
            }
            found.push((at - pattern.key_at, pattern.sets));
        }
    };
    let bytes = t.as_bytes();
    let mut respell = false;
    let short_stem_lens = gate.short_stem_lens();
    for_each_word(t, |start, end| {
        // the hash of every prefix comes on the way to the word's: a stem
        // is probed at each stem length when its first two bytes fit
        let w = &bytes[start..end];
        let may_stem = gate.may_start_stem(w);
        let mut h = 0;
        for (i, &b) in w.iter().enumerate() {
            h = word_hash_step(h, b);
            let n = i + 1;
            if may_stem
                && (if n < 64 {
                    short_stem_lens & (1 << n) != 0
                } else {
                    gate.is_stem_len(n)
                })
                && let Some(range) = gate.stems.get(h)
            {
                hit(start, range);
            }
        }
        if let Some(range) = gate.words.get(h) {
            hit(start, range);
        }
        if check_respell
            && !respell
            && c.respell.may_hold(h)
            && c.respell.get_hashed(&t[start..end], h).is_some()
        {
            respell = true;
        }
    });
    if respell {
        // clear what this look set; the caller looks again at the
        // re-spelled text
        for &rule in touched.iter() {
            bits[rule as usize] = 0;
        }
        return Look::Respell;
    }
    let mut armed: Vec<u64> = Vec::new();
    for &rule in touched.iter() {
        let r = rule as usize;
        let need = gate.need[r];
        if bits[r] & need == need && (field == Field::Subject || c.rules[r].set == RuleSet::Details)
        {
            if armed.is_empty() {
                armed = vec![0; c.rules.len().div_ceil(64)];
            }
            armed[r / 64] |= 1 << (r % 64);
        }
        bits[r] = 0;
    }
    if armed.is_empty() {
        return Look::Routine;
    }
    let at: Vec<usize> = found
        .iter()
        .filter(|&&(_, (from, to))| {
            gate.entries[from as usize..to as usize]
                .iter()
                .any(|&(rule, _)| armed[rule as usize / 64] & (1 << (rule % 64)) != 0)
        })
        .map(|&(p, _)| p)
        .collect();
    // The gate keys a rule on some of its groups only: a rule whose terms
    // may lie in other sentences (`sentences = 2`) is scanned in the whole
    // text (few rules, and only when armed).
    let spans_sentences = armed.iter().enumerate().any(|(i, &bits)| {
        bits != 0
            && (0..64).any(|b| {
                bits & (1 << b) != 0 && c.rules.get(i * 64 + b).is_some_and(|r| r.sentences > 1)
            })
    });
    let sentences = if spans_sentences {
        std::iter::once(0..t.len()).collect()
    } else {
        sentences_around(t, &at)
    };
    Look::Armed(Armed {
        rules: armed,
        sentences,
    })
}

/// What the gate says of a text.
enum Look {
    /// No rule can fire.
    Routine,
    /// These rules may fire, in these sentences.
    Armed(Armed),
    /// A word of the text is a known misspelling: look again at the text
    /// re-spelled (few texts; the others are looked at only once).
    Respell,
}

/// Whether the character at byte `p` of `t` is alphanumeric, and its width
/// (without decoding ASCII).
#[inline(always)]
fn alnum_at(t: &str, p: usize) -> (bool, usize) {
    let b = t.as_bytes()[p];
    if b < 0x80 {
        (ASCII_ALNUM[usize::from(b)], 1)
    } else {
        let ch = t[p..].chars().next().unwrap_or(' ');
        (ch.is_alphanumeric(), ch.len_utf8())
    }
}

/// `ASCII_ALNUM[b]`: whether byte `b` is an ASCII letter or digit (one load
/// instead of two range checks).
static ASCII_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Calls `f(start, end)` for every word of `t`: every maximal run of
/// alphanumeric characters (the word starts the automaton is walked from).
fn for_each_word(t: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = t.as_bytes();
    if t.is_ascii() {
        // the common case, byte by byte without decoding: a tight loop to
        // the next word, then one to its end (the gate looks at every byte
        // of every text here)
        let n = bytes.len();
        let mut p = 0;
        loop {
            while p < n && !ASCII_ALNUM[usize::from(bytes[p])] {
                p += 1;
            }
            if p == n {
                return;
            }
            let start = p;
            while p < n && ASCII_ALNUM[usize::from(bytes[p])] {
                p += 1;
            }
            f(start, p);
        }
    }
    let mut start: Option<usize> = None;
    let mut p = 0;
    while p < bytes.len() {
        let (alnum, width) = alnum_at(t, p);
        match (alnum, start) {
            (true, None) => start = Some(p),
            (false, Some(s)) => {
                f(s, p);
                start = None;
            }
            _ => {}
        }
        p += width;
    }
    if let Some(s) = start {
        f(s, bytes.len());
    }
}

/// What the gate found: the rules a text may fire, and the sentences where
/// (context cues never cross a sentence, nor does a co-occurrence unless
/// its rule says `sentences = 2`: the other sentences need no full scan).
struct Armed {
    rules: Vec<u64>,
    sentences: Vec<Range<usize>>,
}

/// The answers a form line takes that deny its label: "chest pain? no",
/// "fever: none". (A dash is gone by the time the text is matched:
/// normalization reads it as a space, so "SOB - no" is not one.)
const DENYING_ANSWERS: [&str; 9] = [
    "no", "none", "nope", "nah", "negative", "denies", "denied", "ninguno", "ninguna",
];

/// Questions whose "no" answers the question, not a form label: "is the
/// seizure over? no".
const QUESTION_OPENERS: [&str; 20] = [
    "is", "are", "was", "were", "has", "have", "had", "did", "does", "do", "can", "could", "will",
    "would", "should", "what", "how", "why", "when", "where",
];

/// Whether the `?` or `:` at byte `i` labels a form line whose answer,
/// right after it, denies it: a label of one to five words that is not a
/// question ("chest pain? no.", "fever: none"), then spaces, one of
/// [`DENYING_ANSWERS`] standing alone, and a full stop, a line break or the
/// end of the text. Not "no idea", "no fever", "is the seizure over? no,
/// it's been 10 minutes", nor a long status question ("any change in his
/// slurred speech? none").
fn denying_answer_after(bytes: &[u8], i: usize) -> bool {
    let mut j = i + 1;
    while bytes.get(j).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        j += 1;
    }
    let start = j;
    while bytes.get(j).is_some_and(u8::is_ascii_alphabetic) {
        j += 1;
    }
    if !DENYING_ANSWERS
        .iter()
        .any(|a| a.as_bytes() == &bytes[start..j])
    {
        return false;
    }
    while bytes.get(j).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        j += 1;
    }
    if !bytes
        .get(j)
        .is_none_or(|b| matches!(b, b'.' | b';' | b'\n' | b'\r'))
    {
        return false;
    }
    // the label: back to the previous mark
    let from = bytes[..i]
        .iter()
        .rposition(|b| {
            matches!(
                b,
                b'.' | b'!' | b'?' | b';' | b'\n' | b',' | b':' | b'(' | b')'
            )
        })
        .map_or(0, |p| p + 1);
    let label: Vec<&[u8]> = bytes[from..i]
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    (1..=5).contains(&label.len()) && !QUESTION_OPENERS.iter().any(|q| q.as_bytes() == label[0])
}

/// The word indexes of denying answers to a form label before them ("chest
/// pain? no", "fever: none"): each denies its label like a
/// backward negation. The label's `?` or `:` does not end the sentence or
/// the clause before such an answer, so the label and its answer share one.
fn denying_answers(t: &str, words: &Words) -> Vec<usize> {
    let bytes = t.as_bytes();
    (0..words.spans.len())
        .filter(|&w| {
            let s = words.spans[w];
            bytes[..s.start]
                .iter()
                .rposition(|b| !matches!(b, b' ' | b'\t'))
                .is_some_and(|m| matches!(bytes[m], b'?' | b':') && denying_answer_after(bytes, m))
        })
        .collect()
}

/// Whether `ch` at byte `i` ends a sentence (`. ! ? ;` or a line break; a
/// point between digits does not). A run of end marks ("...", "?!", a
/// blank line) is one end, at its last mark: "stupid... probably" is two
/// sentences, not four.
fn is_sentence_end(bytes: &[u8], i: usize, ch: char) -> bool {
    let mut j = i + 1;
    while bytes
        .get(j)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r'))
    {
        j += 1;
    }
    let run_goes_on = bytes
        .get(j)
        .is_some_and(|b| matches!(b, b'.' | b'!' | b'?' | b';' | b'\n'));
    if run_goes_on && matches!(ch, '.' | '!' | '?' | ';' | '\n') {
        return false;
    }
    match ch {
        '?' => !denying_answer_after(bytes, i),
        '!' | ';' | '\n' => true,
        '.' => {
            let digit_before = i > 0 && bytes[i - 1].is_ascii_digit();
            let digit_after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            !(digit_before && digit_after)
        }
        _ => false,
    }
}

/// The byte ranges of the sentences of `t` that contain one of `at`.
fn sentences_around(t: &str, at: &[usize]) -> Vec<Range<usize>> {
    let bytes = t.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let close = |start: usize, end: usize, out: &mut Vec<Range<usize>>| {
        if at.iter().any(|&p| p >= start && p < end) {
            out.push(start..end);
        }
    };
    // sentence ends are ASCII, and an ASCII byte is always a whole
    // character in UTF-8: bytes need no decoding
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x80 && is_sentence_end(bytes, i, char::from(b)) {
            close(start, i + 1, &mut out);
            start = i + 1;
        }
    }
    close(start, t.len() + 1, &mut out);
    for r in &mut out {
        r.end = r.end.min(t.len());
    }
    out
}

fn original(n: &Normalized, text: &str, s: Span) -> Range<usize> {
    let (a, b) = n.original_span(text, s.start, s.end);
    a..b
}

fn is_word_after(t: &str, at: usize) -> bool {
    t[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// Runs the automaton and sorts every whole-word match by role, into `m`
/// (cleared first).
fn scan(
    c: &Compiled,
    t: &str,
    field: Field,
    mut trace: Option<&mut Vec<RawMatch>>,
    armed: Option<&[u64]>,
    ranges: &[Range<usize>],
    m: &mut Matches,
) {
    m.phrases.clear();
    m.near.clear();
    m.unless.clear();
    m.cues.clear();
    for_each_word_start_match(&c.ac, t, ranges, |pid, start, end| {
        let whole = !is_word_after(t, end);
        let word_end = if whole {
            end
        } else {
            end + t[end..]
                .find(|ch: char| !ch.is_alphanumeric())
                .unwrap_or(t.len() - end)
        };
        for pr in &c.roles[pid] {
            if !whole && !pr.prefix {
                continue;
            }
            let span = Span {
                start,
                end: if pr.prefix { word_end } else { end },
            };
            let rule_in_set = |rule: u32| {
                armed.is_none_or(|a| a[rule as usize / 64] & (1 << (rule % 64)) != 0)
                    && (field == Field::Subject || c.rules[rule as usize].set == RuleSet::Details)
            };
            match pr.role {
                Role::Phrase { rule } if rule_in_set(rule) => m.phrases.push((rule, span)),
                Role::Near { rule, group } if rule_in_set(rule) => m.near.push((rule, group, span)),
                Role::Unless { rule, term } if rule_in_set(rule) => {
                    m.unless.push((rule, span, term))
                }
                Role::Cue { cue } => m.cues.push((cue, span)),
                _ => continue,
            }
            if let Some(trace) = trace.as_deref_mut() {
                trace.push(RawMatch {
                    text: t[span.start..span.end].to_string(),
                    role: describe(c, pr.role),
                });
            }
        }
    });
}

/// Calls `f(pattern, start, end)` for every pattern that matches at a word
/// start inside `ranges` of `t`. Patterns only ever match whole words or
/// word prefixes, so the automaton is walked anchored from each word start
/// (a trie walk of a few bytes for most words, with no per-search setup)
/// instead of over every byte with failure transitions.
fn for_each_word_start_match(
    nfa: &NFA,
    t: &str,
    ranges: &[Range<usize>],
    mut f: impl FnMut(usize, usize, usize),
) {
    let Ok(start_state) = nfa.start_state(Anchored::Yes) else {
        return;
    };
    let bytes = t.as_bytes();
    for range in ranges {
        let mut prev_alnum = t[..range.start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let mut p = range.start;
        while p < range.end {
            let (alnum, width) = alnum_at(t, p);
            if alnum && !prev_alnum {
                let mut sid = start_state;
                for (j, &byte) in bytes[p..].iter().enumerate() {
                    sid = nfa.next_state(Anchored::Yes, sid, byte);
                    if nfa.is_dead(sid) {
                        break;
                    }
                    if nfa.is_match(sid) {
                        let end = p + j + 1;
                        for k in 0..nfa.match_len(sid) {
                            let pid = nfa.match_pattern(sid, k);
                            // a state's matches include shorter suffixes
                            // (patterns that start later): not ours
                            if end - nfa.pattern_len(pid) == p {
                                f(pid.as_usize(), p, end);
                            }
                        }
                    }
                }
            }
            prev_alnum = alnum;
            p += width;
        }
    }
}

fn describe(c: &Compiled, role: Role) -> String {
    let id = |r: u32| &c.rules[r as usize].id;
    match role {
        Role::Phrase { rule } => format!("phrase of {}", id(rule)),
        Role::Near { rule, group } => format!("near group {} of {}", group + 1, id(rule)),
        Role::Unless { rule, term: false } => format!("exception of {}", id(rule)),
        Role::Unless { rule, term: true } => format!("term exception of {}", id(rule)),
        Role::Cue { cue } => format!("{:?} cue", c.cues[cue as usize].kind).to_lowercase(),
    }
}

/// The rules with a hit (or a number group) for every co-occurrence group,
/// each with its range in `near` (which is sorted by rule).
fn complete_near_rules(c: &Compiled, near: &[(u32, u8, Span)]) -> Vec<(u32, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < near.len() {
        let rule = near[i].0;
        let mut j = i;
        let mut mask = 0u8;
        while j < near.len() && near[j].0 == rule {
            mask |= 1 << near[j].1;
            j += 1;
        }
        let info = &c.rules[rule as usize];
        let all = ((1u16 << info.groups) - 1) as u8;
        if mask | info.number_groups == all {
            out.push((rule, i..j));
        }
        i = j;
    }
    out
}

/// Words, sentences and clauses of a normalized text.
#[derive(Default)]
struct Words {
    /// Byte spans of words.
    spans: Vec<Span>,
    sentence: Vec<u32>,
    clause: Vec<u32>,
    /// Word indexes of number tokens.
    numbers: Vec<usize>,
    /// Word indexes and spans of year tokens (1900–2099).
    years: Vec<(usize, Span)>,
}

impl Words {
    /// Indexes `t` into `w` (cleared first; its buffers are reused).
    fn index_into(w: &mut Words, t: &str, c: &Compiled) {
        // about one word per five bytes of text
        let words = t.len() / 4 + 1;
        w.spans.clear();
        w.spans.reserve(words);
        for v in [&mut w.sentence, &mut w.clause] {
            v.clear();
            v.reserve(words);
        }
        w.numbers.clear();
        w.years.clear();
        let (mut sentence, mut clause) = (0u32, 0u32);
        let mut start: Option<usize> = None;
        let bytes = t.as_bytes();
        let push = |w: &mut Words, s: usize, e: usize, sentence: u32, clause: u32| {
            let word = &t[s..e];
            let idx = w.spans.len();
            if word.bytes().all(|b| b.is_ascii_digit()) {
                w.numbers.push(idx);
                if word.len() == 4 && (word.starts_with("19") || word.starts_with("20")) {
                    w.years.push((idx, Span { start: s, end: e }));
                }
            } else if c.is_number_word(word) {
                w.numbers.push(idx);
            }
            w.spans.push(Span { start: s, end: e });
            w.sentence.push(sentence);
            w.clause.push(clause);
        };
        // what a character that is not part of a word ends
        let separator = |i: usize, ch: char, sentence: &mut u32, clause: &mut u32| {
            if is_sentence_end(bytes, i, ch) {
                *sentence += 1;
                *clause += 1;
            } else if matches!(ch, ',' | '(' | ')')
                || (ch == ':' && !denying_answer_after(bytes, i))
            {
                *clause += 1;
            }
        };
        if t.is_ascii() {
            // the common case: bytes are characters, and words are found
            // with the byte table, without decoding
            let mut p = 0;
            while p < bytes.len() {
                if ASCII_ALNUM[usize::from(bytes[p])] {
                    let s = p;
                    while p < bytes.len() && ASCII_ALNUM[usize::from(bytes[p])] {
                        p += 1;
                    }
                    push(w, s, p, sentence, clause);
                } else {
                    separator(p, char::from(bytes[p]), &mut sentence, &mut clause);
                    p += 1;
                }
            }
            return;
        }
        for (i, ch) in t.char_indices() {
            if ch.is_alphanumeric() {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                push(w, s, i, sentence, clause);
            }
            separator(i, ch, &mut sentence, &mut clause);
        }
        if let Some(s) = start {
            push(w, s, t.len(), sentence, clause);
        }
    }

    /// Index of the first word of a span.
    fn first(&self, s: Span) -> usize {
        self.spans
            .partition_point(|w| w.end <= s.start)
            .min(self.spans.len().saturating_sub(1))
    }

    /// Index of the last word of a span.
    fn last(&self, s: Span) -> usize {
        self.spans
            .partition_point(|w| w.start < s.end)
            .saturating_sub(1)
    }
}

/// Finds co-occurrences: for each hit of a rule's first group, the closest
/// hit of every other group in the same sentence; a candidate when they all
/// fit in the rule's window.
fn near_candidates(
    c: &Compiled,
    m: &Matches,
    complete: &[(u32, Range<usize>)],
    words: &Words,
    out: &mut Vec<(u32, Vec<Span>)>,
) {
    for (rule, range) in complete {
        let rule = *rule;
        let info = &c.rules[rule as usize];
        // (first word, last word, span) per group
        let mut groups: Vec<Vec<(usize, usize, Span)>> = vec![Vec::new(); info.groups as usize];
        for &(_, g, span) in &m.near[range.clone()] {
            groups[g as usize].push((words.first(span), words.last(span), span));
        }
        for (g, group) in groups.iter_mut().enumerate() {
            if info.number_groups & (1 << g) != 0 {
                group.extend(words.numbers.iter().map(|&w| (w, w, words.spans[w])));
            }
        }
        if groups.iter().any(Vec::is_empty) {
            continue;
        }
        for &(af, al, aspan) in &groups[0] {
            let sentence = words.sentence[af];
            // For every other group, the two nearest hits on each side of
            // the anchor; every combination of those is tried (up to a
            // bound), so that a closer hit on the wrong side, or a word two
            // groups share, cannot hide a good co-occurrence.
            let mut options: Vec<Vec<(usize, usize, Span)>> = Vec::new();
            for group in &groups[1..] {
                let mut in_reach: Vec<(usize, usize, Span)> = group
                    .iter()
                    .filter(|(f, l, s)| {
                        (words.sentence[*f].abs_diff(sentence) as usize) < info.sentences
                            && !s.overlaps(aspan)
                            && l.max(&al) - f.min(&af) <= info.window
                    })
                    .copied()
                    .collect();
                if in_reach.is_empty() {
                    break;
                }
                in_reach.sort_by_key(|(f, _, _)| f.abs_diff(af));
                let left = in_reach.iter().filter(|(f, _, _)| *f <= af).take(2);
                let right = in_reach.iter().filter(|(f, _, _)| *f > af).take(2);
                options.push(left.chain(right).copied().collect());
            }
            if options.len() + 1 != groups.len() {
                continue;
            }
            let combinations: usize = options.iter().map(Vec::len).product();
            if combinations > 256 {
                for o in &mut options {
                    o.truncate(1);
                }
            }
            let mut choice = vec![0usize; options.len()];
            'combos: loop {
                let mut spans = vec![aspan];
                let (mut lo, mut hi) = (af, al);
                let mut ok = true;
                for (g, &i) in choice.iter().enumerate() {
                    let (f, l, s) = options[g][i];
                    if spans.iter().any(|x| x.overlaps(s)) {
                        ok = false;
                        break;
                    }
                    lo = lo.min(f);
                    hi = hi.max(l);
                    spans.push(s);
                }
                if ok && hi - lo <= info.window {
                    out.push((rule, spans));
                }
                // next combination (odometer)
                for g in 0..choice.len() {
                    choice[g] += 1;
                    if choice[g] < options[g].len() {
                        continue 'combos;
                    }
                    choice[g] = 0;
                }
                break;
            }
        }
    }
}

/// Resolves overlapping cues, leftmost-longest style: a cue lying inside a
/// longer cue is dropped ("just" inside "just in case", "not" inside "not
/// sure"); and where a terminator or present cue partly overlaps a
/// suppressing cue, the suppressing cue is voided ("since last" voids "last
/// week"). Takes the cues of one sentence (only those can overlap).
fn void_covered_cues(cues: Vec<Cue>) -> Vec<Cue> {
    let inside = |a: Span, b: Span| {
        a.start >= b.start && a.end <= b.end && (a.start, a.end) != (b.start, b.end)
    };
    let voided: Vec<bool> = cues
        .iter()
        .map(|q| {
            cues.iter().any(|v| inside(q.span, v.span))
                || (q.kind.suppresses()
                    && cues.iter().any(|v| {
                        matches!(v.kind, CueKind::Terminator | CueKind::Present)
                            && v.span.overlaps(q.span)
                            && !inside(v.span, q.span)
                    }))
        })
        .collect();
    cues.into_iter()
        .zip(voided)
        .filter_map(|(q, v)| (!v).then_some(q))
        .collect()
}

/// Buckets cues by sentence: `result[s]` holds the cues of sentence `s`.
fn by_sentence(cues: Vec<Cue>, words: &Words) -> Vec<Vec<Cue>> {
    let mut out: Vec<Vec<Cue>> = Vec::new();
    for q in cues {
        let s = words.sentence[q.first] as usize;
        if out.len() <= s {
            out.resize_with(s + 1, Vec::new);
        }
        out[s].push(q);
    }
    out
}

#[derive(Clone)]
struct Cue {
    kind: CueKind,
    direction: Direction,
    window: usize,
    clause_only: bool,
    trailing_clause: bool,
    verbs: bool,
    span: Span,
    first: usize,
    last: usize,
}

/// Why a candidate hit is cancelled, if it is: the cue kind (`None` for the
/// rule's own exception) and the cue's span.
fn cancel(
    c: &Compiled,
    t: &str,
    rule: u32,
    spans: &[Span],
    m: &Matches,
    cues: &[Cue],
    words: &Words,
) -> Option<(Option<CueKind>, Span)> {
    let overlaps = |s: Span| spans.iter().any(|x| x.overlaps(s));
    // A cue that is one of the hit's own words does not count ("not
    // breathing"); one that only shares a word with a term does ("in my
    // 20s" over a term "my").
    let own_words = |s: Span| spans.iter().any(|x| x.start <= s.start && s.end <= x.end);
    // An exception anywhere inside the hit's extent cancels it; a term
    // exception only over one of the hit's own terms ("for 2 weeks" voids
    // `weeks` as a pregnancy marker, not `pregnant` further on).
    let hull = Span {
        start: spans.iter().map(|s| s.start).min()?,
        end: spans.iter().map(|s| s.end).max()?,
    };
    if let Some(&(_, s, _)) = m
        .unless
        .iter()
        .find(|&&(r, s, term)| r == rule && if term { overlaps(s) } else { hull.overlaps(s) })
    {
        return Some((None, s));
    }
    if let Some(cue) = cues
        .iter()
        .find(|q| q.kind == CueKind::Pseudo && overlaps(q.span))
        .filter(|_| c.rules[rule as usize].idioms)
    {
        return Some((Some(CueKind::Pseudo), cue.span));
    }
    let allowed = c.rules[rule as usize].context;
    if allowed == ContextKinds::NONE {
        return None;
    }
    let first = spans.iter().map(|s| words.first(*s)).min()?;
    let last = spans.iter().map(|s| words.last(*s)).max()?;
    // Is there a cue of one of `kinds` strictly between words a and b?
    let blocked = |a: usize, b: usize, kinds: &[CueKind]| {
        cues.iter()
            .any(|q| kinds.contains(&q.kind) && q.first > a && q.last < b)
    };
    // A present cue in the hit's clause says it is happening now, unless a
    // terminator stands between them: in "overdosed last year and she says
    // I should keep Narcan", "keep" speaks of another thing. Nor does one
    // before a hypothetical frame that is nearer the hit: in "keep glucagon
    // at home in case I ever pass out", the frame is the hit's. (A past
    // frame there is usually the present cue's own: "since my wife passed
    // in March I have no reason to go on".)
    // (A hit over several sentences is happening now when its last
    // clause says so: "hit her head last week. Today she is vomiting".)
    let single = words.sentence[first] == words.sentence[last];
    let present_now = cues.iter().any(|q| {
        q.kind == CueKind::Present
            && !overlaps(q.span)
            && if single {
                (q.first..=q.last)
                    .chain(first..=last)
                    .all(|w| words.clause[w] == words.clause[first])
            } else {
                (q.first..=q.last).all(|w| words.clause[w] == words.clause[last])
            }
            && !if q.last < first {
                blocked(q.last, first, &[CueKind::Terminator, CueKind::Hypothetical])
            } else {
                blocked(last, q.first, &[CueKind::Terminator])
            }
    });
    // Does a clause that opens with its own subject ("he", "my") start
    // after word a and at or before word b? A negation does not reach into
    // it: "no helmet, he was knocked out" (a list goes on: "no fever,
    // cough or chest pain").
    // A negation that denies verbs (`verbs = true`) goes on through a list
    // of them: verb openers do not end it ("never fainted, passed out").
    let opened = |a: usize, b: usize, through_verbs: bool| {
        cues.iter().any(|o| {
            o.kind == CueKind::Opener
                && !(through_verbs && o.verbs)
                && o.first > a
                && o.first <= b
                && words.clause[o.first] != words.clause[o.first - 1]
        })
    };
    // A `trailing = "clause"` cue that comes after other words of its
    // clause ("kidney transplant 2 years ago") dates that clause: it does
    // not reach into a next clause that opens with its own subject ("...,
    // I'm down to my last dose"). One that opens its clause still frames
    // what follows ("2 years ago, I had a stroke").
    // (The date's own number does not count: "2 years ago, I had".)
    let trails = |q: &Cue| {
        q.trailing_clause
            && (0..q.first)
                .rev()
                .take_while(|&w| words.clause[w] == words.clause[q.first])
                .any(|w| words.numbers.binary_search(&w).is_err())
    };
    // A negation that scopes over any matched term cancels the hit (a
    // co-occurrence needs every one of its terms: "chest pain, not short
    // of breath"). Past and hypothetical frames concern the hit as a whole,
    // whose terms often carry the time ("fever since my surgery").
    let terms: Vec<(usize, usize)> = spans
        .iter()
        .map(|s| (words.first(*s), words.last(*s)))
        .collect();
    // A hit over several sentences is framed sentence by sentence: "hit his
    // head last year. He was throwing up for a day" is a past story.
    let mut whole: Vec<(usize, usize)> = Vec::with_capacity(1);
    for &(f, l) in &terms {
        match whole
            .iter_mut()
            .find(|(a, _)| words.sentence[*a] == words.sentence[f])
        {
            Some(part) => *part = (part.0.min(f), part.1.max(l)),
            None => whole.push((f, l)),
        }
    }
    // A term that opens with its own negation ("not breathing", "no puede
    // respirar") is a finding: another negation does not deny it ("no
    // fever, not breathing"; "sin fiebre y no puede respirar").
    let opens_negated = |f: usize| {
        let w = words.spans[f];
        c.negation_words.contains(&t[w.start..w.end])
    };
    let denied: Vec<(usize, usize)> = terms
        .iter()
        .copied()
        .filter(|&(f, _)| !opens_negated(f))
        .collect();
    for q in cues {
        let parts: &[(usize, usize)] = if q.kind.denies() { &denied } else { &whole };
        if !q.kind.suppresses() || !allowed.allows(q.kind) || own_words(q.span) {
            continue;
        }
        // Present time beats a past or hypothetical frame ("had one last
        // year and another today", "in case it matters, it is tight now").
        let mut blockers = vec![CueKind::Terminator];
        if !q.kind.denies() {
            if present_now {
                continue;
            }
            blockers.push(CueKind::Present);
        }
        // A frame covers a hit only up to the scope's end: where a present
        // cue stands between the hit's own terms, the terms past it are
        // told of now ("history of chest pain, now it's crushing"), so a
        // past or hypothetical frame must reach every term of the hit in
        // its sentence. A plain terminator there does not end it: a story
        // or a condition goes on over "and" ("my heart was racing and I
        // passed out back in 2021"; "if I get stung and I'm allergic").
        // (A negation denies any one term.)
        let between: &[CueKind] = if q.kind.denies() {
            &blockers
        } else {
            &[CueKind::Present]
        };
        let reach = |f: usize, toward_last: bool| {
            let in_sentence = terms
                .iter()
                .filter(|&&(tf, _)| words.sentence[tf] == words.sentence[f]);
            if q.kind.denies() {
                f
            } else if toward_last {
                in_sentence.map(|&(tf, _)| tf).max().unwrap_or(f)
            } else {
                in_sentence.map(|&(_, tl)| tl).min().unwrap_or(f)
            }
        };
        // Forward scopes reach over commas ("no fever, cough or chest
        // pain", "in 2019, I had") unless the cue says `within = "clause"`
        // ("if you can call me back, my chest is tight").
        let forward = matches!(q.direction, Direction::Forward | Direction::Both)
            && parts.iter().any(|&(f, _)| {
                q.last < f
                    && words.sentence[f] == words.sentence[q.last]
                    && f - q.last <= q.window
                    && (!q.clause_only || words.clause[f] == words.clause[q.last])
                    && !blocked(q.last, f, &blockers)
                    && !blocked(q.last, reach(f, true), between)
                    && !(q.kind.denies() && opened(q.last, f, q.verbs))
                    && !(trails(q) && opened(q.last, f, false))
                    // a question ends at the comma before a report with its
                    // own subject: "what should I do, my son stopped breathing"
                    && !(q.kind == CueKind::Hypothetical && opened(q.last, f, false))
            });
        // Backward scopes stay inside their clause ("breathing is fine"
        // says nothing about the hives before the comma).
        let backward = matches!(q.direction, Direction::Backward | Direction::Both)
            && parts.iter().any(|&(_, l)| {
                q.first > l
                    && q.first - l <= q.window
                    && words.clause[l] == words.clause[q.first]
                    && !blocked(l, q.first, &blockers)
                    && !blocked(reach(l, false), q.first, between)
            });
        // A term that is only a word of the cue ("I" in "when I was") is
        // the cue's, not evidence of a finding.
        let consumed = spans.iter().any(|x| {
            q.span.start <= x.start
                && x.end <= q.span.end
                && q.span.end - q.span.start > x.end - x.start
        });
        if forward || backward || consumed {
            return Some((Some(q.kind), q.span));
        }
    }
    None
}
