//! Rule terms: parsing what admins write (`"chest pain"`, `"breath*"`,
//! `"=stroke"`, `"#num"`) and generating the spellings members use.
//!
//! A term is parsed once into normalized words; [`Term::spellings`] then
//! expands it into every pattern string the automaton must know. Variants
//! are generated one edit at a time (a dropped letter, two neighbours
//! swapped, a phonetic spelling) so that their number grows linearly with
//! the term's length, and a variant that is itself a real word is dropped.

use rustc_hash::{FxHashMap, FxHashSet};

use super::normalize::{normalize_with, squeeze, squeeze_into};

/// Words of at least this many letters get dropped-letter and swapped-letter
/// variants.
const EDIT_MIN_LEN: usize = 6;
/// Words of at least this many letters get a letter doubled as a variant.
const DOUBLE_MIN_LEN: usize = 4;
/// Words of at least this many letters get phonetic variants.
const PHONETIC_MIN_LEN: usize = 4;
/// A prefix stem (`word*`) needs at least this many letters.
const PREFIX_MIN_LEN: usize = 3;

/// The language a rule is written in; it chooses phonetic variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Spanish.
    Es,
    /// Any language: no language-specific variants.
    Any,
}

impl Lang {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "en" => Some(Self::En),
            "es" => Some(Self::Es),
            "any" => Some(Self::Any),
            _ => None,
        }
    }
}

/// One word of a term, normalized but not squeezed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    /// `text` with letter runs squeezed: what the matcher compares.
    pub squeezed: String,
    /// `=word`: no generated variants.
    pub exact: bool,
}

/// A parsed term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Term {
    /// Whole words; `prefix` makes the last one match any word it starts.
    /// `pattern` is the squeezed words joined by single spaces.
    Words {
        words: Vec<Word>,
        prefix: bool,
        pattern: String,
    },
    /// `#num`: any number, as digits or a number word.
    Number,
    /// `#year`: a four-digit year 1900–2099.
    Year,
}

impl Term {
    /// Parses a term as written in a rule file; the error says what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        match trimmed {
            "" => return Err("empty term".into()),
            "#num" => return Ok(Self::Number),
            "#year" => return Ok(Self::Year),
            t if t.starts_with('#') => {
                return Err(format!("unknown class `{t}` (known: #num, #year)"));
            }
            _ => {}
        }
        let mut words = Vec::new();
        let mut prefix = false;
        let pieces: Vec<&str> = trimmed.split_whitespace().collect();
        for (i, piece) in pieces.iter().enumerate() {
            let exact = piece.starts_with('=');
            let body = piece.trim_start_matches('=');
            let star = body.ends_with('*');
            let body = body.trim_end_matches('*');
            if body.contains('*') || body.contains('=') || body.contains('#') {
                return Err(format!(
                    "`{piece}`: `*` may only end a word, `=` only start one, `#` only start a class"
                ));
            }
            if star && i + 1 != pieces.len() {
                return Err(format!(
                    "`{piece}`: `*` may only end the last word of a term"
                ));
            }
            let normalized = if body.bytes().all(|b| b.is_ascii_alphanumeric()) {
                body.to_ascii_lowercase()
            } else {
                normalize_with(body, false).text
            };
            if !normalized.chars().any(char::is_alphanumeric) {
                return Err(format!("`{piece}` has no letters or digits"));
            }
            for w in normalized.split(' ') {
                let b = w.as_bytes();
                let decimal_point = |i: usize| {
                    matches!(b[i], b'.' | b',')
                        && i > 0
                        && b[i - 1].is_ascii_digit()
                        && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                };
                if let Some(bad) = w
                    .char_indices()
                    .find(|&(i, c)| !c.is_alphanumeric() && !decimal_point(i))
                    .map(|(_, c)| c)
                {
                    return Err(format!(
                        "`{piece}` contains `{bad}`: terms are words of letters and digits"
                    ));
                }
                words.push(Word {
                    text: w.to_string(),
                    squeezed: squeeze(w),
                    exact,
                });
            }
            if star {
                if words
                    .last()
                    .is_some_and(|w| w.text.chars().count() < PREFIX_MIN_LEN)
                {
                    return Err(format!(
                        "`{piece}`: a prefix needs at least {PREFIX_MIN_LEN} letters before `*`"
                    ));
                }
                prefix = true;
            }
        }
        let pattern = words
            .iter()
            .map(|w| w.squeezed.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Self::Words {
            words,
            prefix,
            pattern,
        })
    }

    /// The pattern as matched, without variants: squeezed words joined by
    /// single spaces. `None` for classes.
    pub fn canonical(&self) -> Option<&str> {
        match self {
            Self::Words { pattern, .. } => Some(pattern),
            _ => None,
        }
    }

    /// Every squeezed word of the term (for the collision set).
    pub fn squeezed_words(&self) -> impl Iterator<Item = &str> {
        let words: &[Word] = match self {
            Self::Words { words, .. } => words,
            _ => &[],
        };
        words.iter().map(|w| w.squeezed.as_str())
    }
}

/// A fast 64-bit hash of a string (for the variant tables, which verify
/// every hit against the stored string).
pub(crate) fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// [`hash_str`] of a string's bytes.
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut h, b);
    std::hash::Hasher::finish(&h)
}

/// Generates misspellings word by word, each word once per language, and
/// drops variants that are real words. Works in reused buffers: a rule set
/// has tens of thousands of variants and compiling must stay fast.
pub(crate) struct Speller {
    /// Hashes of squeezed real words that no variant may be.
    known: FxHashSet<u64>,
    /// Words already spelled out, per language.
    seen: FxHashSet<(u64, Lang)>,
    /// Variants of prefix stems, which are needed once per term.
    stems: FxHashMap<(String, Lang), Vec<String>>,
    squeezed: String,
}

impl Speller {
    /// `known`: squeezed real words that no variant may be.
    pub fn new<'a>(known: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            known: known.into_iter().map(hash_str).collect(),
            seen: FxHashSet::default(),
            stems: FxHashMap::default(),
            squeezed: String::new(),
        }
    }

    /// Calls `f(variant, hash)` with each misspelling of `word` (squeezed,
    /// not a real word) the first time this word is seen in this language.
    pub fn new_variants(&mut self, word: &Word, lang: Lang, mut f: impl FnMut(&str, u64)) {
        if word.exact || !self.seen.insert((hash_str(&word.text), lang)) {
            return;
        }
        let Self {
            known, squeezed, ..
        } = self;
        for_each_variant(&word.text, lang, |candidate| {
            squeeze_into(candidate, squeezed);
            if *squeezed == word.squeezed || squeezed.is_empty() {
                return;
            }
            let h = hash_str(squeezed);
            if !known.contains(&h) {
                f(squeezed, h);
            }
        });
    }

    /// Every misspelling of `word` (squeezed, no real words, no duplicates).
    pub fn variants(&mut self, word: &Word, lang: Lang) -> &[String] {
        if word.exact {
            return &[];
        }
        let key = (word.text.clone(), lang);
        if !self.stems.contains_key(&key) {
            let mut out = Vec::new();
            let Self {
                known, squeezed, ..
            } = self;
            for_each_variant(&word.text, lang, |candidate| {
                squeeze_into(candidate, squeezed);
                if *squeezed != word.squeezed
                    && !squeezed.is_empty()
                    && !known.contains(&hash_str(squeezed))
                {
                    out.push(squeezed.clone());
                }
            });
            out.sort_unstable();
            out.dedup();
            self.stems.insert(key.clone(), out);
        }
        self.stems.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The canonical pattern of `term` first, then its generated
    /// misspellings (one word varied at a time). Empty for classes.
    #[cfg(test)]
    pub fn spellings(&mut self, term: &Term, lang: Lang) -> Vec<String> {
        let Term::Words { words, .. } = term else {
            return Vec::new();
        };
        let base: Vec<String> = words.iter().map(|w| w.squeezed.clone()).collect();
        let mut out = vec![base.join(" ")];
        for (i, word) in words.iter().enumerate() {
            for v in self.variants(word, lang).to_vec() {
                let mut parts = base.clone();
                parts[i] = v;
                out.push(parts.join(" "));
            }
        }
        out
    }
}

/// Calls `f` with each misspelling of one unsqueezed word (not yet
/// squeezed or filtered), built in one reused buffer.
fn for_each_variant(word: &str, lang: Lang, mut f: impl FnMut(&str)) {
    if !word.chars().all(char::is_alphabetic) {
        return;
    }
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let n = bounds.len();
    let at = |i: usize| bounds.get(i).copied().unwrap_or(word.len());
    let mut buf = String::with_capacity(word.len() + 2);
    if n >= EDIT_MIN_LEN {
        for i in 1..n {
            buf.clear();
            buf.push_str(&word[..at(i)]);
            buf.push_str(&word[at(i + 1)..]);
            f(&buf);
        }
        for i in 1..n - 1 {
            let (a, b) = (&word[at(i)..at(i + 1)], &word[at(i + 1)..at(i + 2)]);
            if a != b {
                buf.clear();
                buf.push_str(&word[..at(i)]);
                buf.push_str(b);
                buf.push_str(a);
                buf.push_str(&word[at(i + 2)..]);
                f(&buf);
            }
        }
    }
    // Double letters dropped ("blod", "realy") or added ("untill",
    // "rrespirar"): whatever the word's length.
    for i in 1..n {
        if word[at(i - 1)..at(i)] == word[at(i)..at(i + 1)] {
            buf.clear();
            buf.push_str(&word[..at(i)]);
            buf.push_str(&word[at(i + 1)..]);
            f(&buf);
        }
    }
    if n >= DOUBLE_MIN_LEN {
        for i in 0..n {
            let c = &word[at(i)..at(i + 1)];
            let doubled_already = (i > 0 && &word[at(i - 1)..at(i)] == c)
                || (i + 1 < n && &word[at(i + 1)..at(i + 2)] == c);
            if !doubled_already {
                buf.clear();
                buf.push_str(&word[..at(i + 1)]);
                buf.push_str(c);
                buf.push_str(&word[at(i + 1)..]);
                f(&buf);
            }
        }
    }
    if n < PHONETIC_MIN_LEN {
        return;
    }
    let rewrites: &[(&str, &str)] = match lang {
        Lang::En => &[("ph", "f"), ("ea", "e"), ("ck", "k"), ("ou", "o")],
        Lang::Es => &[
            ("b", "v"),
            ("v", "b"),
            ("ce", "se"),
            ("ci", "si"),
            ("z", "s"),
            ("s", "z"),
            ("se", "ce"),
            ("si", "ci"),
            ("ll", "y"),
            ("y", "ll"),
            ("qu", "k"),
            ("gue", "ge"),
            ("gui", "gi"),
        ],
        Lang::Any => &[],
    };
    for (from, to) in rewrites {
        for (pos, _) in word.match_indices(from) {
            buf.clear();
            buf.push_str(&word[..pos]);
            buf.push_str(to);
            buf.push_str(&word[pos + from.len()..]);
            f(&buf);
        }
    }
    if lang == Lang::Es {
        // silent h: "hablar" is written "ablar", "ahora" "aora"
        for (pos, _) in word.match_indices('h') {
            if pos == 0 || !word[..pos].ends_with('c') {
                buf.clear();
                buf.push_str(&word[..pos]);
                buf.push_str(&word[pos + 1..]);
                f(&buf);
            }
        }
    }
}

/// Number words that `#num` matches, beside digits.
pub(crate) const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "hundred",
    "dozen",
    "couple",
    "bunch",
    "handful",
    "uno",
    "una",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "quince",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "cien",
    "docena",
    "montón",
    "puño",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &Term) -> Vec<String> {
        t.squeezed_words().map(str::to_string).collect()
    }

    #[test]
    fn parses_words_prefix_and_exact() {
        let t = Term::parse("  Can't  BREATH*").unwrap();
        assert_eq!(words(&t), ["cant", "breath"]);
        assert!(matches!(t, Term::Words { prefix: true, .. }));
        let t = Term::parse("=stroke").unwrap();
        assert!(matches!(&t, Term::Words { words, .. } if words[0].exact));
        assert_eq!(Term::parse("#num").unwrap(), Term::Number);
        assert_eq!(Term::parse("#year").unwrap(), Term::Year);
    }

    #[test]
    fn hyphenated_terms_become_words() {
        assert_eq!(words(&Term::parse("x-ray").unwrap()), ["x", "ray"]);
    }

    macro_rules! bad {
        ($name:ident, $raw:expr, $needle:expr) => {
            #[test]
            fn $name() {
                let err = Term::parse($raw).unwrap_err();
                assert!(err.contains($needle), "{err}");
            }
        };
    }

    bad!(empty_term_is_an_error, "   ", "empty");
    bad!(star_inside_word, "br*eath", "`*` may only end");
    bad!(star_not_last_word, "breath* now", "last word");
    bad!(short_prefix, "no*", "at least 3");
    bad!(unknown_class, "#weekday", "unknown class");
    bad!(punctuation_only, "?!", "no letters");
    bad!(punctuation_inside, "chest, pain", "contains `,`");
    bad!(point_outside_a_number, "temp.", "contains `.`");

    #[test]
    fn decimal_numbers_are_terms() {
        assert_eq!(
            words(&Term::parse("fever 100.4").unwrap()),
            ["fever", "100.4"]
        );
    }

    #[test]
    fn long_words_get_dropped_and_swapped_letters() {
        let t = Term::parse("seizure").unwrap();
        let s = Speller::new([]).spellings(&t, Lang::En);
        for v in ["seizure", "sezure", "siezure", "seizue"] {
            assert!(s.contains(&v.to_string()), "{v} missing from {s:?}");
        }
    }

    #[test]
    fn short_words_only_get_doubled_letters() {
        let t = Term::parse("pain").unwrap();
        let mut s = Speller::new([]).spellings(&t, Lang::En);
        s.sort();
        assert_eq!(s, ["paain", "paiin", "pain", "painn", "ppain"]);
    }

    #[test]
    fn dropped_double_letters_at_any_length() {
        let t = Term::parse("blood").unwrap();
        let s = Speller::new([]).spellings(&t, Lang::En);
        assert!(s.contains(&"blod".to_string()), "{s:?}");
    }

    #[test]
    fn spanish_phonetic_variants() {
        let t = Term::parse("necesito hablar").unwrap();
        let s = Speller::new([]).spellings(&t, Lang::Es);
        for v in ["nesesito hablar", "necesito ablar", "necesito havlar"] {
            assert!(s.contains(&v.to_string()), "{v} missing from {s:?}");
        }
    }

    #[test]
    fn variants_that_are_real_words_are_dropped() {
        let known = ["breath"];
        let t = Term::parse("breathe").unwrap();
        let s = Speller::new(known).spellings(&t, Lang::En);
        assert!(!s.contains(&"breath".to_string()));
        assert!(s.contains(&"breth".to_string()) || s.contains(&"brathe".to_string()));
    }

    #[test]
    fn exact_words_get_no_variants() {
        let t = Term::parse("=stroke").unwrap();
        assert_eq!(Speller::new([]).spellings(&t, Lang::En), ["stroke"]);
    }
}
