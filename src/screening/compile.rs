//! Compiling rule definitions into one aho-corasick automaton plus the
//! tables the matcher needs, and checking a rule set as a whole (duplicate
//! ids, conflicts, examples).
//!
//! Every term of every rule and context cue — phrases, `near` groups,
//! exceptions, cues, and their generated misspellings — becomes a pattern
//! of a single automaton, so a text is scanned once whatever the number of
//! rules. Each pattern carries the list of roles it plays.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use aho_corasick::MatchKind;
use aho_corasick::nfa::contiguous::NFA;
use serde::Serialize;

use super::rules::{ContextDef, CueKind, Definitions, Direction, Problem, RuleDef, RuleSet};
use super::terms::{Speller, Term, hash_str};
use super::{Field, Level, Screener};
use rustc_hash::{FxHashMap, FxHashSet};

/// What a pattern means when it matches.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Role {
    Phrase {
        rule: u32,
    },
    Near {
        rule: u32,
        group: u8,
    },
    /// An exception; `term`: it cancels only a hit whose own terms it
    /// overlaps (`unless_term`), not one it only stands inside.
    Unless {
        rule: u32,
        term: bool,
    },
    Cue {
        cue: u32,
    },
}

/// A role, and whether the pattern's last word is a prefix (`word*`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PatternRole {
    pub role: Role,
    pub prefix: bool,
}

/// Misspelled words and the words the rules write instead. Keys are
/// hashed and their text kept in one arena (no allocation per variant);
/// every lookup is verified against the stored text.
pub(crate) struct Respell {
    /// A one-probe filter over the [`word_hash`] of each variant: most words
    /// of a text are no variant and are turned away here.
    filter: Vec<u64>,
    arena: String,
    /// hash of a variant → (start, end) in `arena`, index in `words`
    to: FxHashMap<u64, (u32, u32, u32)>,
    words: Vec<Box<str>>,
    ids: FxHashMap<u64, u32>,
}

impl Default for Respell {
    fn default() -> Self {
        Self {
            filter: vec![0; (1 << Self::FILTER_BITS) / 64],
            arena: String::new(),
            to: FxHashMap::default(),
            words: Vec::new(),
            ids: FxHashMap::default(),
        }
    }
}

impl Respell {
    const FILTER_BITS: u32 = 20;

    /// The filter bit of a variant, from its [`word_hash`] (which the gate
    /// computes for every word of a text anyway).
    fn filter_bit(word_hash: u64) -> usize {
        (word_hash >> (64 - Self::FILTER_BITS)) as usize
    }

    /// Maps `variant` (with its hash) to `word` unless already mapped.
    fn insert(&mut self, hash: u64, variant: &str, word: &str) -> bool {
        if self.to.contains_key(&hash) {
            return false;
        }
        let bit = Self::filter_bit(word_hash(variant.as_bytes()));
        self.filter[bit / 64] |= 1 << (bit % 64);
        let wh = hash_str(word);
        let id = match self.ids.get(&wh) {
            Some(&id) => id,
            None => {
                let id = self.words.len() as u32;
                self.words.push(word.into());
                self.ids.insert(wh, id);
                id
            }
        };
        let start = self.arena.len() as u32;
        self.arena.push_str(variant);
        self.to.insert(hash, (start, self.arena.len() as u32, id));
        true
    }

    /// The word the rules write for `variant`, if it is a known misspelling.
    pub fn get(&self, variant: &str) -> Option<&str> {
        self.get_hashed(variant, word_hash(variant.as_bytes()))
    }

    /// Whether a word with this [`word_hash`] may be a known misspelling
    /// (most words are turned away here, before their text is looked at).
    #[inline]
    pub fn may_hold(&self, word_hash: u64) -> bool {
        let bit = Self::filter_bit(word_hash);
        self.filter[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// [`Respell::get`] for a word whose [`word_hash`] is known.
    #[inline]
    pub fn get_hashed(&self, variant: &str, word_hash: u64) -> Option<&str> {
        if !self.may_hold(word_hash) {
            return None;
        }
        let &(start, end, id) = self.to.get(&hash_str(variant))?;
        (&self.arena[start as usize..end as usize] == variant).then(|| &*self.words[id as usize])
    }

    pub fn len(&self) -> usize {
        self.to.len()
    }

    pub fn is_empty(&self) -> bool {
        self.to.is_empty()
    }
}

/// A compiled rule.
#[derive(Debug)]
pub(crate) struct RuleInfo {
    pub id: String,
    pub level: Level,
    pub reason: String,
    pub set: RuleSet,
    pub context: super::rules::ContextKinds,
    pub idioms: bool,
    pub groups: u8,
    /// Bit `g` is set when near group `g` contains `#num`.
    pub number_groups: u8,
    pub window: usize,
    /// How many consecutive sentences a co-occurrence may span.
    pub sentences: usize,
}

/// A compiled context cue group.
#[derive(Debug)]
pub(crate) struct CueInfo {
    pub kind: CueKind,
    pub direction: Direction,
    pub window: usize,
    pub clause_only: bool,
    pub trailing_clause: bool,
    pub verbs: bool,
}

/// The quick first look at a text: see `Compiled::gate`.
///
/// Every gate pattern is keyed on one of its words, the rarest (or, when
/// that is the pattern's last word and the pattern a prefix, on that stem):
/// a text can only contain the pattern if it contains the key word, so a
/// text whose words hit no key arms no rule. A lookup is one hash of each
/// word of the text (and of its prefixes of stem length when its first two
/// bytes start some stem), not an automaton walk; hash collisions only ever
/// let a text through.
pub(crate) struct Gate {
    /// [`word_hash`] of a key word → range in `keyed`
    pub words: KeyTable,
    /// [`word_hash`] of a key stem → range in `keyed`
    pub stems: KeyTable,
    /// Bit `n` is set when some stem is `n` bytes long.
    pub stem_lens: Vec<u64>,
    /// Bit `b0 << 8 | b1` is set when some stem starts with bytes b0 b1.
    pub stem_starts: Vec<u64>,
    /// Indexes in `patterns`, grouped by key.
    pub keyed: Vec<u32>,
    pub patterns: Vec<GatePattern>,
    /// (rule, gate bits) that a pattern sets, one entry per rule.
    pub entries: Vec<(u32, u8)>,
    /// `need[r]`: the gate bits rule `r` needs to be armed.
    pub need: Vec<u8>,
}

/// A gate pattern, found by its key word and verified in place.
pub(crate) struct GatePattern {
    pub text: Box<str>,
    /// The first eight bytes of `text` and its last eight, as words (the
    /// head zero-padded when `text` is shorter; see [`GatePattern::is_at`]).
    head: u64,
    tail: u64,
    /// The bytes of `head` that belong to `text`.
    head_mask: u64,
    /// Byte offset of the key word in `text`.
    pub key_at: usize,
    /// Whether the last word may go on (`word*`).
    pub prefix: bool,
    /// Range in `Gate::entries`.
    pub sets: (u32, u32),
}

impl GatePattern {
    fn new(text: &str, key_at: usize, prefix: bool, sets: (u32, u32)) -> Self {
        let bytes = text.as_bytes();
        let mut head = [0u8; 8];
        let n = bytes.len().min(8);
        head[..n].copy_from_slice(&bytes[..n]);
        let mut tail = [0u8; 8];
        if bytes.len() >= 8 {
            tail.copy_from_slice(&bytes[bytes.len() - 8..]);
        }
        GatePattern {
            text: text.into(),
            head: u64::from_le_bytes(head),
            tail: u64::from_le_bytes(tail),
            head_mask: u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0),
            key_at,
            prefix,
            sets,
        }
    }

    /// Whether this pattern stands in `t` with its key word at `at`, as
    /// the full scan would see it: from a word start, and to a word end
    /// unless its last word is a prefix.
    #[inline]
    pub fn is_at(&self, t: &str, at: usize) -> bool {
        let Some(start) = at.checked_sub(self.key_at) else {
            return false;
        };
        let end = start + self.text.len();
        let bytes = t.as_bytes();
        // the bytes match, so `start` and `end` are character boundaries
        self.bytes_at(bytes, start, end)
            && !match start.checked_sub(1).map(|p| bytes[p]) {
                None => false,
                Some(b) if b < 0x80 => b.is_ascii_alphanumeric(),
                Some(_) => t[..start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric),
            }
            && (self.prefix
                || !match bytes.get(end) {
                    None => false,
                    Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
                    Some(_) => t[end..].chars().next().is_some_and(char::is_alphanumeric),
                })
    }

    /// Whether `bytes[start..end]` is `text`. Most candidates of a key are
    /// patterns that differ from the text within their first or last eight
    /// bytes ("chest pain" where the text says "chest hurts"), and most
    /// patterns are at most sixteen bytes long: two word compares decide
    /// without a call to `memcmp`.
    #[inline]
    fn bytes_at(&self, bytes: &[u8], start: usize, end: usize) -> bool {
        let word_at = |i: usize| {
            bytes
                .get(i..i + 8)
                .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
        };
        let (len, text) = (self.text.len(), self.text.as_bytes());
        if end > bytes.len() {
            return false;
        }
        match word_at(start) {
            Some(w) if w & self.head_mask != self.head => false,
            Some(_) if len <= 8 => true,
            Some(_) => {
                word_at(end - 8) == Some(self.tail)
                    && (len <= 16 || bytes[start + 8..end - 8] == text[8..len - 8])
            }
            // near the end of the text
            None => &bytes[start..end] == text,
        }
    }
}

/// One step of [`word_hash`]: the hash of a word is built byte by byte, so
/// that the hash of every prefix of a word (a stem) comes on the way to
/// the hash of the whole word.
#[inline]
pub(crate) fn word_hash_step(h: u64, byte: u8) -> u64 {
    (h.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// The hash the gate files its keys under (see [`word_hash_step`]).
pub(crate) fn word_hash(w: &[u8]) -> u64 {
    w.iter().fold(0, |h, &b| word_hash_step(h, b))
}

/// A fixed, open-addressing table from a key's [`word_hash`] to its range
/// in `Gate::keyed`: one multiply-free probe for most words of a text
/// (the hash's top bits pick the slot), at most half full.
///
/// Most lookups miss (every word of a text, and every prefix of stem
/// length, is looked up; few are keys), and a miss in a half-full table
/// with linear probing reads one to three slots. A bit filter in front,
/// eight bits per slot indexed by the next three bits of the hash as well,
/// turns away about 15 misses in 16 with one load.
pub(crate) struct KeyTable {
    /// (hash, start, end); `end == 0` marks an empty slot (ranges are never
    /// empty).
    slots: Vec<(u64, u32, u32)>,
    shift: u32,
    /// Bit `hash >> (shift - 3)` is set for every key.
    filter: Vec<u64>,
}

impl Default for KeyTable {
    fn default() -> Self {
        Self::new(&[])
    }
}

impl KeyTable {
    /// Bits of the filter per slot, as a power of two.
    const FILTER_BITS_PER_SLOT: u32 = 3;

    fn new(entries: &[(u64, (u32, u32))]) -> Self {
        let len = (entries.len() * 2).next_power_of_two().max(8);
        let shift = 64 - len.trailing_zeros();
        let mut slots = vec![(0, 0, 0); len];
        let mut filter = vec![0u64; (len << Self::FILTER_BITS_PER_SLOT) / 64];
        for &(hash, (start, end)) in entries {
            debug_assert!(end > start);
            let mut i = (hash >> shift) as usize;
            while slots[i].2 != 0 {
                i = (i + 1) & (len - 1);
            }
            slots[i] = (hash, start, end);
            let bit = (hash >> (shift - Self::FILTER_BITS_PER_SLOT)) as usize;
            filter[bit / 64] |= 1 << (bit % 64);
        }
        KeyTable {
            slots,
            shift,
            filter,
        }
    }

    /// The range filed under `hash`, if any.
    #[inline]
    pub fn get(&self, hash: u64) -> Option<(u32, u32)> {
        let bit = (hash >> (self.shift - Self::FILTER_BITS_PER_SLOT)) as usize;
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize;
        loop {
            let (h, start, end) = self.slots[i];
            if end == 0 {
                return None;
            }
            if h == hash {
                return Some((start, end));
            }
            i = (i + 1) & mask;
        }
    }
}

impl Gate {
    /// Builds the gate from its patterns: each with whether its last word
    /// is a prefix, and the (rule, bits) it sets.
    fn build(
        patterns: FxHashMap<String, (bool, Vec<(u32, u8)>)>,
        need: Vec<u8>,
        rarity: impl Fn(&str) -> f64,
    ) -> Self {
        let mut gate = Gate {
            words: KeyTable::default(),
            stems: KeyTable::default(),
            stem_lens: Vec::new(),
            stem_starts: vec![0u64; (1 << 16) / 64],
            keyed: Vec::new(),
            patterns: Vec::with_capacity(patterns.len()),
            entries: Vec::new(),
            need,
        };
        // key hash → pattern indexes (keys whose hashes collide share one
        // list: the gate lets more through, never less)
        let mut words: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        let mut stems: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for (text, (prefix, mut sets)) in patterns {
            // words as the matcher splits a text: runs of alphanumerics
            let mut tokens: Vec<(usize, &str)> = Vec::new();
            let mut from = None;
            for (i, ch) in text.char_indices().chain([(text.len(), ' ')]) {
                match (ch.is_alphanumeric() && i < text.len(), from) {
                    (true, None) => from = Some(i),
                    (false, Some(f)) => {
                        tokens.push((f, &text[f..i]));
                        from = None;
                    }
                    _ => {}
                }
            }
            let last_is_stem = prefix && text.ends_with(|c: char| c.is_alphanumeric());
            let score = |i: usize, w: &str| {
                let f = rarity(w);
                if last_is_stem && i + 1 == tokens.len() {
                    10.0 * f
                } else {
                    f
                }
            };
            let Some((k, &(key_at, key))) = tokens
                .iter()
                .enumerate()
                .min_by(|a, b| score(a.0, a.1.1).total_cmp(&score(b.0, b.1.1)))
            else {
                continue;
            };
            let id = gate.patterns.len() as u32;
            if last_is_stem && k + 1 == tokens.len() {
                stems.entry(word_hash(key.as_bytes())).or_default().push(id);
                let n = key.len();
                if gate.stem_lens.len() <= n / 64 {
                    gate.stem_lens.resize(n / 64 + 1, 0);
                }
                gate.stem_lens[n / 64] |= 1 << (n % 64);
                let key = key.as_bytes();
                // a one-byte stem starts words with any second byte
                let seconds = if key.len() < 2 {
                    0..=255u8
                } else {
                    key[1]..=key[1]
                };
                for second in seconds {
                    let i = Self::start_bits(&[key[0], second]);
                    gate.stem_starts[i / 64] |= 1 << (i % 64);
                }
            } else {
                words.entry(word_hash(key.as_bytes())).or_default().push(id);
            }
            // one entry per rule, its bits together
            sets.sort_unstable();
            let start = gate.entries.len();
            for (rule, bits) in sets {
                let merged = gate.entries.len() > start;
                match gate.entries.last_mut() {
                    Some((r, b)) if merged && *r == rule => *b |= bits,
                    _ => gate.entries.push((rule, bits)),
                }
            }
            gate.patterns.push(GatePattern::new(
                &text,
                key_at,
                prefix,
                (start as u32, gate.entries.len() as u32),
            ));
        }
        let mut table = |map: FxHashMap<u64, Vec<u32>>| -> KeyTable {
            let entries: Vec<(u64, (u32, u32))> = map
                .into_iter()
                .map(|(hash, ids)| {
                    let start = gate.keyed.len() as u32;
                    gate.keyed.extend(ids);
                    (hash, (start, gate.keyed.len() as u32))
                })
                .collect();
            KeyTable::new(&entries)
        };
        gate.words = table(words);
        gate.stems = table(stems);
        gate
    }

    /// Bit `n` is set when some stem is `n` bytes long, for `n < 64`: held
    /// in a register while a word is hashed (see [`Gate::is_stem_len`] for
    /// longer ones).
    pub fn short_stem_lens(&self) -> u64 {
        self.stem_lens.first().copied().unwrap_or(0)
    }

    /// Whether some stem is `n` bytes long.
    #[inline]
    pub fn is_stem_len(&self, n: usize) -> bool {
        self.stem_lens
            .get(n / 64)
            .is_some_and(|bits| bits & (1 << (n % 64)) != 0)
    }

    /// The index of a word's first two bytes in `stem_starts`.
    pub fn start_bits(w: &[u8]) -> usize {
        usize::from(w[0]) << 8 | usize::from(*w.get(1).unwrap_or(&0))
    }

    /// Whether some stem may start `w` (no false negatives).
    pub fn may_start_stem(&self, w: &[u8]) -> bool {
        let i = Self::start_bits(w);
        self.stem_starts[i / 64] & (1 << (i % 64)) != 0
    }
}

/// Counts of what a rule set holds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Rule files read.
    pub files: usize,
    /// Rules, by level name.
    pub rules_by_level: Vec<(Level, usize)>,
    /// Rules in all.
    pub rules: usize,
    /// Context cue groups.
    pub context_groups: usize,
    /// Distinct patterns in the automaton (terms and generated variants).
    pub patterns: usize,
    /// Of those, generated misspellings.
    pub generated_variants: usize,
    /// `fire` and `pass` examples.
    pub examples: usize,
    /// Time taken to compile.
    #[serde(skip)]
    pub compile_time: Duration,
    /// A short hash of the rule files.
    pub fingerprint: String,
}

pub(crate) struct Compiled {
    pub ac: NFA,
    /// What every rule needs a hit of before it can fire: all phrases, and
    /// for each co-occurrence rule its two rarest groups, found through one
    /// key word each (see [`Gate`]). A text with no gate hit is routine,
    /// and most texts stop there. `None` when some rule cannot be gated.
    pub gate: Option<Gate>,
    /// Misspelled word → the word as the rules write it.
    pub respell: Respell,
    /// `roles[p]` lists the roles of pattern `p`.
    pub roles: Vec<Vec<PatternRole>>,
    pub patterns: Vec<String>,
    pub rules: Vec<RuleInfo>,
    pub cues: Vec<CueInfo>,
    /// Cue groups that contain `#year`.
    pub year_cues: Vec<u32>,
    /// Squeezed number words for `#num`.
    pub number_words: FxHashSet<String>,
    /// Bit `b0 << 8 | b1` is set when a number word starts with bytes b0
    /// b1 (most words are turned away here without hashing them).
    pub number_word_starts: Vec<u64>,
    /// One-word negation cues ("no", "not", "sin"): a term that opens with
    /// one is a finding that another negation does not deny.
    pub negation_words: FxHashSet<String>,
    pub defs: Vec<RuleDef>,
    pub stats: Stats,
}

impl Compiled {
    /// Whether `word` (of a normalized text) is a number word.
    pub fn is_number_word(&self, word: &str) -> bool {
        if word.is_empty() {
            return false;
        }
        let i = Gate::start_bits(word.as_bytes());
        self.number_word_starts[i / 64] & (1 << (i % 64)) != 0 && self.number_words.contains(word)
    }
}

struct Builder {
    speller: Speller,
    /// Patterns of the gate (see `Compiled::gate`), each with whether its
    /// last word is a prefix and the (rule, gate bits) it sets.
    gate: FxHashMap<String, (bool, Vec<(u32, u8)>)>,
    /// The gate bits that the patterns added now set (0: not in the gate).
    gating: u8,
    index: FxHashMap<String, usize>,
    patterns: Vec<String>,
    roles: Vec<Vec<PatternRole>>,
    /// Words whose misspellings go to the word map, in rule order.
    respell_words: Vec<(super::terms::Word, super::terms::Lang)>,
    variants: usize,
}

impl Builder {
    /// Adds a term's canonical pattern with its role. Misspellings of its
    /// words go to the word map (the text is re-spelled before matching),
    /// except for a prefix stem, whose variants must stay prefixes and so
    /// become patterns of their own.
    fn add(&mut self, term: &Term, role: Role, lang: super::terms::Lang) {
        let Term::Words {
            words,
            prefix,
            pattern,
        } = term
        else {
            return;
        };
        let prefix = *prefix;
        self.push(pattern, PatternRole { role, prefix });
        for (i, word) in words.iter().enumerate() {
            if prefix && i + 1 == words.len() {
                // a stem's variants must stay prefixes: patterns of their own
                let variants = self.speller.variants(word, lang).to_vec();
                for v in variants {
                    let mut parts: Vec<&str> = words.iter().map(|w| w.squeezed.as_str()).collect();
                    parts[i] = &v;
                    self.push(&parts.join(" "), PatternRole { role, prefix });
                    self.variants += 1;
                }
            } else {
                // spelled out later, while the automaton is built
                self.respell_words.push((word.clone(), lang));
            }
        }
    }

    fn push(&mut self, pattern: &str, role: PatternRole) {
        if self.gating != 0 {
            let rule = match role.role {
                Role::Phrase { rule } | Role::Near { rule, .. } | Role::Unless { rule, .. } => rule,
                Role::Cue { .. } => u32::MAX,
            };
            let entry = (rule, self.gating);
            match self.gate.get_mut(pattern) {
                Some((prefix, rules)) => {
                    *prefix |= role.prefix;
                    rules.push(entry);
                }
                None => {
                    self.gate
                        .insert(pattern.to_string(), (role.prefix, vec![entry]));
                }
            }
        }
        let p = match self.index.get(pattern) {
            Some(&p) => p,
            None => {
                self.index.insert(pattern.to_string(), self.patterns.len());
                self.patterns.push(pattern.to_string());
                self.roles.push(Vec::new());
                self.patterns.len() - 1
            }
        };
        self.roles[p].push(role);
    }
}

/// Compiles definitions; pushes every set-level problem (duplicate ids,
/// conflicts, an empty set) to `problems`.
pub(crate) fn compile(defs: Definitions, problems: &mut Vec<Problem>) -> Option<Compiled> {
    let started = Instant::now();
    check_set(&defs, problems);

    let mut known: FxHashSet<&str> = defs.common_words.iter().map(|(w, _)| w.as_str()).collect();
    let mut rank: FxHashMap<&str, u32> = FxHashMap::default();
    for (w, r) in &defs.common_words {
        let e = rank.entry(w.as_str()).or_insert(*r);
        *e = (*e).min(*r);
    }
    for rule in &defs.rules {
        for t in rule.terms() {
            known.extend(t.term.squeezed_words());
        }
    }
    for ctx in &defs.contexts {
        for t in &ctx.cues {
            known.extend(t.term.squeezed_words());
        }
    }

    let mut b = Builder {
        speller: Speller::new(known),
        gate: FxHashMap::default(),
        gating: 0,
        index: FxHashMap::default(),
        respell_words: Vec::new(),
        patterns: Vec::new(),
        roles: Vec::new(),
        variants: 0,
    };
    let mut rules = Vec::with_capacity(defs.rules.len());
    let mut ungated = false;
    let mut gate_need: Vec<u8> = Vec::with_capacity(defs.rules.len());
    let freq = word_frequencies(&defs, &rank);
    for (r, def) in defs.rules.iter().enumerate() {
        let rule = r as u32;
        // A phrase sets every gate bit of its rule; a co-occurrence rule is
        // armed when its two rarest groups both have a hit.
        let gate = gate_groups(&def.near, &freq);
        let need: u8 = match gate.len() {
            0 | 1 => 1,
            _ => 0b11,
        };
        gate_need.push(need);
        b.gating = need;
        for t in &def.phrases {
            b.add(&t.term, Role::Phrase { rule }, def.lang);
        }
        let mut number_groups = 0u8;
        for (g, group) in def.near.iter().enumerate() {
            b.gating = match gate.iter().position(|&x| x == g) {
                Some(slot) => 1 << slot,
                None => 0,
            };
            for t in group {
                if t.term == Term::Number {
                    number_groups |= 1 << g;
                } else {
                    let role = Role::Near {
                        rule,
                        group: g as u8,
                    };
                    b.add(&t.term, role, def.lang);
                }
            }
        }
        b.gating = 0;
        if gate.is_empty() && !def.near.is_empty() {
            ungated = true;
        }
        for t in &def.unless {
            b.add(&t.term, Role::Unless { rule, term: false }, def.lang);
        }
        for t in &def.unless_term {
            b.add(&t.term, Role::Unless { rule, term: true }, def.lang);
        }
        rules.push(RuleInfo {
            id: def.id.clone(),
            level: def.level,
            reason: def.reason.clone(),
            set: def.set,
            context: def.context,
            idioms: def.idioms,
            groups: def.near.len() as u8,
            number_groups,
            window: def.window,
            sentences: def.sentences,
        });
    }
    let mut cues = Vec::new();
    let mut year_cues = Vec::new();
    for ctx in &defs.contexts {
        let cue = cues.len() as u32;
        cues.push(CueInfo {
            kind: ctx.kind,
            direction: ctx.direction,
            window: ctx.window,
            clause_only: ctx.clause_only,
            trailing_clause: ctx.trailing_clause,
            verbs: ctx.verbs,
        });
        for t in &ctx.cues {
            if t.term == Term::Year {
                year_cues.push(cue);
            } else {
                // Cues are short function words: no generated variants.
                let exact = exact_term(&t.term);
                b.add(&exact, Role::Cue { cue }, super::terms::Lang::Any);
            }
        }
    }

    if defs.rules.is_empty() {
        return None;
    }
    let gate_patterns = b.gate.len();
    let gate = if ungated {
        None
    } else {
        // rule words as `word_frequencies` rates them; generated stem
        // variants, which no rule writes, as general language does
        let rarity = |w: &str| {
            freq.get(w)
                .copied()
                .unwrap_or_else(|| general_frequency(w, &rank))
        };
        Some(Gate::build(std::mem::take(&mut b.gate), gate_need, rarity))
    };
    let tables_done = started.elapsed();
    // The automaton is built on a second thread while the misspellings
    // are spelled out: the two take about as long.
    let Builder {
        mut speller,
        respell_words,
        patterns,
        roles,
        variants,
        ..
    } = b;
    let (ac, respell) = std::thread::scope(|scope| {
        let ac = scope.spawn(|| {
            NFA::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
        });
        let mut respell = Respell::default();
        for (word, lang) in &respell_words {
            speller.new_variants(word, *lang, |v, h| {
                respell.insert(h, v, &word.squeezed);
            });
        }
        // a build that panicked is a bug: raise it here
        let ac = ac.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (ac, respell)
    });
    let ac = match ac {
        Ok(ac) => ac,
        Err(e) => {
            problems.push(Problem {
                location: None,
                message: format!("the rules are too large to compile: {e}"),
            });
            return None;
        }
    };

    tracing::debug!(
        patterns = patterns.len(),
        gate_patterns,
        tables_ms = tables_done.as_secs_f64() * 1e3,
        automaton_and_spellings_ms = (started.elapsed() - tables_done).as_secs_f64() * 1e3,
        "compiled rules"
    );
    let mut by_level: Vec<(Level, usize)> = Level::ALL
        .into_iter()
        .filter(|l| *l != Level::Routine)
        .map(|l| (l, defs.rules.iter().filter(|r| r.level == l).count()))
        .collect();
    by_level.retain(|(_, n)| *n > 0);
    let stats = Stats {
        files: defs.files,
        rules_by_level: by_level,
        rules: defs.rules.len(),
        context_groups: defs.contexts.len(),
        patterns: patterns.len(),
        generated_variants: variants + respell.len(),
        examples: defs.rules.iter().map(|r| r.fire.len() + r.pass.len()).sum(),
        compile_time: started.elapsed(),
        fingerprint: format!("{:016x}", defs.fingerprint),
    };
    let number_words: FxHashSet<String> = super::terms::NUMBER_WORDS
        .iter()
        .map(|w| super::normalize::normalize(w).text)
        .collect();
    let mut number_word_starts = vec![0u64; (1 << 16) / 64];
    for w in number_words.iter().filter(|w| !w.is_empty()) {
        let i = Gate::start_bits(w.as_bytes());
        number_word_starts[i / 64] |= 1 << (i % 64);
    }
    let negation_words: FxHashSet<String> = defs
        .contexts
        .iter()
        .filter(|ctx| ctx.kind.denies())
        .flat_map(|ctx| &ctx.cues)
        .filter_map(|t| match &t.term {
            Term::Words {
                words,
                prefix: false,
                ..
            } if words.len() == 1 => Some(words[0].squeezed.clone()),
            _ => None,
        })
        .collect();
    Some(Compiled {
        negation_words,
        ac,
        gate,
        respell,
        roles,
        patterns,
        rules,
        cues,
        year_cues,
        number_words,
        number_word_starts,
        defs: defs.rules,
        stats,
    })
}

/// Words that rules write which the misspelling generator already makes
/// from another rule word ("stiches" from "stitches"), one warning per
/// word and rule. Every word a rule writes is taken for a real word, and
/// no generated misspelling may be a real word: writing "stiches" keeps it
/// from being read as "stitches" in every other rule. Warnings, not
/// errors: the word may be real and only missing from the common-word
/// lists (`words/*.txt`), where an admin can add it. Words under three
/// letters (the lists leave them out), inflections ("blister" and
/// "blisters", "sudado" and "sudando") and prefix stems are not warned of.
/// Also warned of: a word with three of one letter in a row, which reads
/// as something else ("aaa" reads as "a", and so matches every "a").
pub(crate) fn misspelling_warnings(defs: &Definitions) -> Vec<Problem> {
    let common: FxHashSet<&str> = defs.common_words.iter().map(|(w, _)| w.as_str()).collect();
    let mut speller = Speller::new(common.iter().copied());
    // (generated misspelling, language) → the rule word it was made from
    let mut made: FxHashMap<(String, super::terms::Lang), String> = FxHashMap::default();
    // Whole words only: a prefix stem ("fractur*") is meant to be cut short.
    let words_of = |rule: &RuleDef| {
        rule.terms()
            .filter_map(|t| match &t.term {
                Term::Words { words, prefix, .. } => {
                    let whole = words.len() - usize::from(*prefix);
                    Some((words[..whole].to_vec(), t.loc.clone()))
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    for rule in &defs.rules {
        for (words, _) in words_of(rule) {
            for w in &words {
                speller.new_variants(w, rule.lang, |v, _| {
                    made.entry((v.to_string(), rule.lang))
                        .or_insert_with(|| w.squeezed.clone());
                });
            }
        }
    }
    // An inflection is a real word, not a misspelling, though the generator
    // makes one from the other by a dropped letter: a plural ("blister",
    // "blisters"), a Spanish gender ("hinchado", "hinchada").
    let inflection = |word: &str, real: &str| {
        let (short, long) = if word.len() < real.len() {
            (word, real)
        } else {
            (real, word)
        };
        // "blisters", "hinchada", "vomitar", "sangran", "swollen", "urinated", "croupy", "corneal"
        let ending = long
            .strip_prefix(short)
            .is_some_and(|end| matches!(end, "s" | "es" | "a" | "o" | "r" | "n" | "d" | "y" | "l"));
        // "sudado", "sudando"
        let participle = long
            .strip_suffix("ando")
            .zip(short.strip_suffix("ado"))
            .is_some_and(|(a, b)| a == b);
        ending || participle
    };
    // How many rules write each word: of two words that the generator
    // makes from each other ("wheezing", "whezing"), the one fewer rules
    // write is taken for the misspelling.
    let mut uses: FxHashMap<&str, usize> = FxHashMap::default();
    for rule in &defs.rules {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for t in rule.terms() {
            seen.extend(t.term.squeezed_words());
        }
        for w in seen {
            *uses.entry(w).or_default() += 1;
        }
    }
    let used = |w: &str| uses.get(w).copied().unwrap_or(0);
    let mut warned: FxHashSet<(String, &str)> = FxHashSet::default();
    let mut out = Vec::new();
    for rule in &defs.rules {
        for (words, loc) in words_of(rule) {
            for w in &words {
                // A run of three letters reads as one ("aaa" is "a"): the
                // word matches something else than what was written.
                if w.text != w.squeezed && warned.insert((w.text.clone(), rule.id.as_str())) {
                    out.push(Problem {
                        location: Some(loc.clone()),
                        message: format!(
                            "warning: `{}` (rule `{}`) reads as `{}`: three or more of one letter \
                             in a row read as one, in rules and in members' texts alike",
                            w.text, rule.id, w.squeezed
                        ),
                    });
                }
                let Some(real) = made.get(&(w.squeezed.clone(), rule.lang)) else {
                    continue;
                };
                let mutual = made.get(&(real.clone(), rule.lang)) == Some(&w.squeezed);
                if *real == w.squeezed
                    || w.squeezed.len() < 3
                    || inflection(&w.squeezed, real)
                    || (mutual && used(&w.squeezed) > used(real))
                    || common.contains(w.squeezed.as_str())
                    || !warned.insert((w.squeezed.clone(), rule.id.as_str()))
                {
                    continue;
                }
                out.push(Problem {
                    location: Some(loc.clone()),
                    message: format!(
                        "warning: `{}` (rule `{}`) is a misspelling the rules already \
                         generate from `{real}`; written in a rule it counts as a real word, \
                         so it is no longer read as `{real}` anywhere. Write `{real}`, or \
                         add `{}` to the word list in words/ if it is a real word",
                        w.squeezed, rule.id, w.squeezed
                    ),
                });
            }
        }
    }
    out
}

/// How often each word is expected in members' messages: 1/rank in the
/// common-word lists (Zipf), plus how many rules use it (a word that many
/// health rules need, like "pain" or "fever", is common in health messages
/// whatever its rank in general language). Unlisted short words count as
/// very common.
fn word_frequencies<'a>(
    defs: &'a Definitions,
    rank: &FxHashMap<&str, u32>,
) -> FxHashMap<&'a str, f64> {
    let mut uses: FxHashMap<&str, u32> = FxHashMap::default();
    for rule in &defs.rules {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for t in rule.phrases.iter().chain(rule.near.iter().flatten()) {
            seen.extend(t.term.squeezed_words());
        }
        for w in seen {
            *uses.entry(w).or_default() += 1;
        }
    }
    uses.into_iter()
        .map(|(w, n)| (w, general_frequency(w, rank) + f64::from(n) / 2_000.0))
        .collect()
}

/// How often `w` is expected in general language: 1/rank in the
/// common-word lists (Zipf); unlisted short words count as very common.
fn general_frequency(w: &str, rank: &FxHashMap<&str, u32>) -> f64 {
    match rank.get(w) {
        Some(&r) => 1.0 / (f64::from(r) + 1.0),
        None if w.len() <= 3 => 0.1,
        None => 1.0 / 200_000.0,
    }
}

/// How many co-occurrence groups of a rule the gate requires.
const GATE_GROUPS: usize = 2;

/// The (up to two) co-occurrence groups to gate a rule on: those whose
/// terms are expected least often. A phrase is as rare as its rarest word;
/// a prefix stem counts ten times as often as the word. Groups with `#num`
/// cannot be gated.
fn gate_groups(near: &[Vec<super::rules::TermDef>], freq: &FxHashMap<&str, f64>) -> Vec<usize> {
    let term_frequency = |t: &super::rules::TermDef| -> f64 {
        let rarest = t
            .term
            .squeezed_words()
            .map(|w| freq.get(w).copied().unwrap_or(1.0))
            .fold(1.0, f64::min);
        let prefix = matches!(t.term, Term::Words { prefix: true, .. });
        if prefix { 10.0 * rarest } else { rarest }
    };
    let mut groups: Vec<(usize, f64)> = near
        .iter()
        .enumerate()
        .filter(|(_, g)| g.iter().all(|t| t.term != Term::Number))
        .map(|(i, g)| (i, g.iter().map(term_frequency).sum::<f64>()))
        .collect();
    groups.sort_by(|a, b| a.1.total_cmp(&b.1));
    groups
        .into_iter()
        .take(GATE_GROUPS)
        .map(|(i, _)| i)
        .collect()
}

fn exact_term(term: &Term) -> Term {
    match term {
        Term::Words {
            words,
            prefix,
            pattern,
        } => Term::Words {
            words: words
                .iter()
                .map(|w| super::terms::Word {
                    text: w.text.clone(),
                    squeezed: w.squeezed.clone(),
                    exact: true,
                })
                .collect(),
            prefix: *prefix,
            pattern: pattern.clone(),
        },
        other => other.clone(),
    }
}

/// Problems that concern the set as a whole.
fn check_set(defs: &Definitions, problems: &mut Vec<Problem>) {
    let mut ids: HashMap<&str, &RuleDef> = HashMap::new();
    for rule in &defs.rules {
        if let Some(first) = ids.insert(&rule.id, rule) {
            problems.push(Problem {
                location: Some(rule.loc.clone()),
                message: format!(
                    "duplicate rule id `{}` (first defined at {})",
                    rule.id, first.loc
                ),
            });
        }
    }
    let pseudo: HashMap<&str, &ContextDef> = defs
        .contexts
        .iter()
        .filter(|c| c.kind == CueKind::Pseudo)
        .flat_map(|c| {
            c.cues
                .iter()
                .filter_map(move |t| t.term.canonical().map(|k| (k, c)))
        })
        .collect();
    let mut phrases: HashMap<(String, bool), (&RuleDef, &super::rules::TermDef)> = HashMap::new();
    for rule in &defs.rules {
        for t in &rule.phrases {
            let Some(key) = t.term.canonical().map(str::to_string) else {
                continue;
            };
            if pseudo.contains_key(key.as_str()) {
                problems.push(Problem {
                    location: Some(t.loc.clone()),
                    message: format!(
                        "phrase `{}` is also a pseudo cue in the context files: it could never fire",
                        t.raw
                    ),
                });
            }
            let subject = rule.set == RuleSet::Subject;
            match phrases.get(&(key.clone(), subject)) {
                Some((other, other_t)) if other.level != rule.level => {
                    problems.push(Problem {
                        location: Some(t.loc.clone()),
                        message: format!(
                            "conflicting rules: phrase `{}` is {} in rule `{}` but {} in rule `{}` ({})",
                            t.raw, rule.level, rule.id, other.level, other.id, other_t.loc
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    phrases.insert((key, subject), (rule, t));
                }
            }
        }
        for t in rule.unless.iter().chain(&rule.unless_term) {
            if rule.phrases.iter().any(|p| p.term == t.term) {
                problems.push(Problem {
                    location: Some(t.loc.clone()),
                    message: format!(
                        "conflicting rule `{}`: `{}` is both a phrase and an exception",
                        rule.id, t.raw
                    ),
                });
            }
        }
    }
    if defs.rules.is_empty() {
        problems.push(Problem {
            location: None,
            message: "the rules folder holds no rule: Careline never runs without rules".into(),
        });
    } else if !defs.rules.iter().any(|r| r.level == Level::Emergency) {
        problems.push(Problem {
            location: None,
            message: "the rules hold no emergency rule: Careline never runs without them".into(),
        });
    }
}

/// Runs every rule's examples against the whole screener.
pub(crate) fn check_examples(screener: &Screener) -> Vec<Problem> {
    let mut problems = Vec::new();
    for rule in &screener.inner.defs {
        let field = match rule.set {
            RuleSet::Subject => Field::Subject,
            RuleSet::Details => Field::Details,
        };
        for ex in &rule.fire {
            let v = screener.screen(&ex.text, field);
            if !v.hits.iter().any(|h| h.rule == rule.id) {
                let why = match v.suppressed.iter().find(|s| s.rule == rule.id) {
                    Some(s) => {
                        let cue = &ex.text[s.cue.clone()];
                        match s.by {
                            Some(kind) => format!("it was suppressed by the {kind:?} cue `{cue}`"),
                            None => format!("it was cancelled by its exception `{cue}`"),
                        }
                        .to_lowercase()
                    }
                    None => format!("the verdict is {} ({})", v.level, v.rule_ids().join(", ")),
                };
                problems.push(Problem {
                    location: Some(ex.loc.clone()),
                    message: format!("example should fire rule `{}` but {why}", rule.id),
                });
            }
        }
        for ex in &rule.pass {
            let v = screener.screen(&ex.text, field);
            if let Some(hit) = v.hits.iter().find(|h| h.rule == rule.id) {
                let words: Vec<&str> = hit.spans.iter().map(|s| &ex.text[s.clone()]).collect();
                problems.push(Problem {
                    location: Some(ex.loc.clone()),
                    message: format!(
                        "example should not fire rule `{}` but it did, on `{}`",
                        rule.id,
                        words.join(" … ")
                    ),
                });
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_table_finds_every_key_and_nothing_else() {
        let keys: Vec<String> = (0..500).map(|i| format!("word{i}")).collect();
        let entries: Vec<(u64, (u32, u32))> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (word_hash(k.as_bytes()), (i as u32, i as u32 + 1)))
            .collect();
        let table = KeyTable::new(&entries);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(
                table.get(word_hash(k.as_bytes())),
                Some((i as u32, i as u32 + 1))
            );
        }
        for other in ["word500", "word", "", "drow1"] {
            assert_eq!(table.get(word_hash(other.as_bytes())), None, "{other}");
        }
        assert_eq!(KeyTable::default().get(word_hash(b"word1")), None);
        assert_eq!(KeyTable::new(&[]).get(0), None);
    }

    #[test]
    fn a_gate_pattern_compares_its_bytes_at_every_length_and_place() {
        let t = "abcdefghij klmnopqrstu vwxyz abcdefghij klmnopqrstu";
        for len in 1..=24 {
            for from in 0..8 {
                let text = &t[from..from + len];
                let pattern = GatePattern::new(text, 0, true, (0, 0));
                for start in 0..t.len() {
                    let end = start + len;
                    let expected = t.as_bytes().get(start..end) == Some(text.as_bytes());
                    assert_eq!(
                        pattern.bytes_at(t.as_bytes(), start, end),
                        expected,
                        "{text:?} at {start}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_word_hash_passes_through_the_hash_of_each_prefix() {
        let word = b"bleeding";
        let mut h = 0;
        for (i, &b) in word.iter().enumerate() {
            h = word_hash_step(h, b);
            assert_eq!(h, word_hash(&word[..=i]));
        }
    }
}
