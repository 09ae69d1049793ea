//! Rule terms: parsing what admins write (`"chest pain"`, `"breath*"`,
//! `"=stroke"`, `"#num"`) and generating the spellings members use.
//!
//! A term is parsed once into normalized words; [`Term::spellings`] then
//! expands it into every pattern string the automaton must know. Variants
//! are generated one edit at a time (a dropped letter, two neighbours
//! swapped, a phonetic spelling) so that their number grows linearly with
//! the term's length, and a variant that is itself a real word is dropped.

use std::collections::HashSet;

use super::normalize::{normalize_with, squeeze};

/// Words of at least this many letters get dropped-letter and swapped-letter
/// variants.
const EDIT_MIN_LEN: usize = 6;
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
    /// `=word`: no generated variants.
    pub exact: bool,
}

/// A parsed term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Term {
    /// Whole words; `prefix` makes the last one match any word it starts.
    Words { words: Vec<Word>, prefix: bool },
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
            let normalized = normalize_with(body, false).text;
            if !normalized.chars().any(char::is_alphanumeric) {
                return Err(format!("`{piece}` has no letters or digits"));
            }
            for w in normalized.split(' ') {
                if let Some(bad) = w.chars().find(|c| !c.is_alphanumeric()) {
                    return Err(format!(
                        "`{piece}` contains `{bad}`: terms are words of letters and digits"
                    ));
                }
                words.push(Word {
                    text: w.to_string(),
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
        Ok(Self::Words { words, prefix })
    }

    /// The pattern as matched, without variants: squeezed words joined by
    /// single spaces. `None` for classes.
    pub fn canonical(&self) -> Option<String> {
        match self {
            Self::Words { words, .. } => Some(
                words
                    .iter()
                    .map(|w| squeeze(&w.text))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        }
    }

    /// Every squeezed word of the term (for the collision set).
    pub fn squeezed_words(&self) -> Vec<String> {
        match self {
            Self::Words { words, .. } => words.iter().map(|w| squeeze(&w.text)).collect(),
            _ => Vec::new(),
        }
    }

    /// The canonical pattern and its generated misspellings. Variants that
    /// are real words (in `known`) are left out.
    pub fn spellings(&self, lang: Lang, known: &HashSet<String>) -> Vec<String> {
        let Self::Words { words, .. } = self else {
            return Vec::new();
        };
        let base: Vec<String> = words.iter().map(|w| squeeze(&w.text)).collect();
        let mut out = vec![base.join(" ")];
        let mut seen: HashSet<String> = out.iter().cloned().collect();
        for (i, word) in words.iter().enumerate() {
            if word.exact {
                continue;
            }
            for variant in word_variants(&word.text, lang) {
                let v = squeeze(&variant);
                if v == base[i] || v.is_empty() || known.contains(&v) {
                    continue;
                }
                let mut parts = base.clone();
                parts[i] = v;
                let joined = parts.join(" ");
                if seen.insert(joined.clone()) {
                    out.push(joined);
                }
            }
        }
        out
    }
}

/// Misspellings of one unsqueezed word (not yet squeezed or filtered).
fn word_variants(word: &str, lang: Lang) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::new();
    if !chars.iter().all(|c| c.is_alphabetic()) {
        return out;
    }
    if chars.len() >= EDIT_MIN_LEN {
        for i in 1..chars.len() {
            let mut v = chars.clone();
            v.remove(i);
            out.push(v.into_iter().collect());
        }
        for i in 1..chars.len() - 1 {
            if chars[i] != chars[i + 1] {
                let mut v = chars.clone();
                v.swap(i, i + 1);
                out.push(v.into_iter().collect());
            }
        }
    }
    if chars.len() >= PHONETIC_MIN_LEN {
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
                let mut v = String::with_capacity(word.len() + 1);
                v.push_str(&word[..pos]);
                v.push_str(to);
                v.push_str(&word[pos + from.len()..]);
                out.push(v);
            }
        }
        if lang == Lang::Es {
            // silent h: "hablar" is written "ablar", "ahora" "aora"
            for (pos, _) in word.match_indices('h') {
                if pos == 0 || !word[..pos].ends_with('c') {
                    let mut v = word.to_string();
                    v.remove(pos);
                    out.push(v);
                }
            }
        }
    }
    out
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
        t.squeezed_words()
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

    #[test]
    fn long_words_get_dropped_and_swapped_letters() {
        let t = Term::parse("seizure").unwrap();
        let s = t.spellings(Lang::En, &HashSet::new());
        for v in ["seizure", "sezure", "siezure", "seizue"] {
            assert!(s.contains(&v.to_string()), "{v} missing from {s:?}");
        }
    }

    #[test]
    fn short_words_get_no_edit_variants() {
        let t = Term::parse("pain").unwrap();
        assert_eq!(t.spellings(Lang::En, &HashSet::new()), ["pain"]);
    }

    #[test]
    fn spanish_phonetic_variants() {
        let t = Term::parse("necesito hablar").unwrap();
        let s = t.spellings(Lang::Es, &HashSet::new());
        for v in ["nesesito hablar", "necesito ablar", "necesito havlar"] {
            assert!(s.contains(&v.to_string()), "{v} missing from {s:?}");
        }
    }

    #[test]
    fn variants_that_are_real_words_are_dropped() {
        let known: HashSet<String> = ["breath".to_string()].into();
        let t = Term::parse("breathe").unwrap();
        let s = t.spellings(Lang::En, &known);
        assert!(!s.contains(&"breath".to_string()));
        assert!(s.contains(&"breth".to_string()) || s.contains(&"brathe".to_string()));
    }

    #[test]
    fn exact_words_get_no_variants() {
        let t = Term::parse("=stroke").unwrap();
        assert_eq!(t.spellings(Lang::En, &HashSet::new()), ["stroke"]);
    }
}
