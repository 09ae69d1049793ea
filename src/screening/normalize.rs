//! Text normalization shared by rule terms and member texts.
//!
//! Both sides of a match go through [`normalize`], so that a rule written
//! once ("bleeding") matches what members type ("BLEEEDING", "bléeding",
//! "b1eeding"). Normalization never fails and never panics; every byte of
//! the normalized text remembers which byte of the original it came from, so
//! that verdicts can point at the member's own words.
//!
//! Steps, per character: zero-width and soft-hyphen characters dropped;
//! control characters become a space (line breaks become `\n`, a sentence
//! boundary); curly quotes become straight ones and apostrophes are dropped
//! (`can't` = `cant`); hyphens and underscores become spaces; Unicode
//! compatibility decomposition (NFKD, which with the next step gives the
//! NFKC-and-fold result) with combining marks removed (accents folded);
//! lower case (`ß` folds to `ss`); runs of spaces collapse to one. Then, per
//! word: a digit or symbol between two letters reads as the letter it
//! imitates (`k1ll`, `d!e`; `$` also at a word start: `$uicide`), and runs
//! of the same letter squeeze to one (`heeelp` → `help`, `bleeding` →
//! `bleding`), which makes doubled or dropped double letters irrelevant.
//! It must never change the meaning of digits (`101.5`, `2019` stay).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A normalized text and, for each of its bytes, where it came from.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalized text: lower case ASCII letters and digits for most
    /// input, single spaces, `\n` for line breaks, punctuation kept.
    pub text: String,
    /// `origin[i]` is the byte offset in the original text of the character
    /// that produced byte `i` of `text`; `origin[text.len()]` is the
    /// original length.
    origin: Vec<u32>,
}

impl Normalized {
    /// Maps a byte range of the normalized text back to the original text.
    /// The result always lies on character boundaries of `original`.
    pub fn original_span(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.origin[start.min(self.text.len())] as usize;
        if end <= start {
            return (s, s);
        }
        let last = self.origin[(end - 1).min(self.text.len())] as usize;
        let e = original[last..]
            .chars()
            .next()
            .map_or(original.len(), |c| last + c.len_utf8());
        (s, e.max(s))
    }
}

/// Normalizes `input` (see the module documentation).
///
/// ```
/// use careline::screening::normalize;
/// assert_eq!(normalize("I CAN’T breeeathe!!").text, "i cant breathe!!");
/// assert_eq!(normalize("Corazón").text, "corazon");
/// assert_eq!(normalize("k1ll myself").text, "kil myself");
/// ```
pub fn normalize(input: &str) -> Normalized {
    normalize_with(input, true)
}

/// [`normalize`], with the squeezing of letter runs optional (rule terms
/// are first normalized unsqueezed, so that misspelling variants can be
/// generated from the word as written).
pub(crate) fn normalize_with(input: &str, squeeze: bool) -> Normalized {
    let mut chars: Vec<(char, u32)> = Vec::with_capacity(input.len());
    for (offset, c) in input.char_indices() {
        let offset = offset as u32;
        if c.is_ascii() {
            push_ascii(&mut chars, c, offset);
        } else {
            push_unicode(&mut chars, c, offset);
        }
    }
    // Trim a trailing space so that "pain " and "pain" normalize alike.
    while matches!(chars.last(), Some((' ', _))) {
        chars.pop();
    }

    let mut out = rebuild(&chars, squeeze);
    out.origin.push(input.len() as u32);
    out
}

/// Maps leetspeak, squeezes letter runs and records origins.
fn rebuild(chars: &[(char, u32)], squeeze: bool) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(chars.len()),
        origin: Vec::with_capacity(chars.len() + 1),
    };
    let mut prev_out: Option<char> = None;
    for i in 0..chars.len() {
        let (mut c, offset) = chars[i];
        if let Some(letter) = leet(c) {
            let before = i.checked_sub(1).map(|j| chars[j].0);
            let after = chars.get(i + 1).map(|x| x.0);
            let after2 = chars.get(i + 2).map(|x| x.0);
            let between_letters =
                before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphabetic);
            let dollar_start = c == '$'
                && !before.is_some_and(char::is_alphanumeric)
                && after.is_some_and(char::is_alphabetic)
                && after2.is_some_and(char::is_alphabetic);
            if between_letters || dollar_start {
                c = letter;
            }
        }
        if squeeze && c.is_alphabetic() && prev_out == Some(c) {
            continue;
        }
        out.text.push(c);
        for _ in 0..c.len_utf8() {
            out.origin.push(offset);
        }
        prev_out = Some(c);
    }
    out
}

/// The letter a digit or symbol imitates inside a word.
fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        _ => return None,
    })
}

fn push_space(chars: &mut Vec<(char, u32)>, c: char, offset: u32) {
    match chars.last() {
        None => {}
        Some((' ', _)) if c == '\n' => {
            let last = chars.len() - 1;
            chars[last] = ('\n', offset);
        }
        Some((' ' | '\n', _)) => {}
        _ => chars.push((c, offset)),
    }
}

fn push_ascii(chars: &mut Vec<(char, u32)>, c: char, offset: u32) {
    match c {
        '\'' | '`' => {}
        '\n' | '\r' | '\x0b' | '\x0c' => push_space(chars, '\n', offset),
        '-' | '_' => push_space(chars, ' ', offset),
        c if c.is_ascii_whitespace() || c.is_ascii_control() => push_space(chars, ' ', offset),
        c => chars.push((c.to_ascii_lowercase(), offset)),
    }
}

fn push_unicode(chars: &mut Vec<(char, u32)>, c: char, offset: u32) {
    match c {
        // zero-width space/joiners, word joiner, BOM, soft hyphen
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => {}
        // apostrophes and single quotes in all their shapes
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{02bc}' => {}
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '«' | '»' => {
            chars.push(('"', offset))
        }
        '\u{2028}' | '\u{2029}' | '\u{0085}' => push_space(chars, '\n', offset),
        // dashes
        '\u{2010}'..='\u{2015}' => push_space(chars, ' ', offset),
        'ß' | 'ẞ' => {
            chars.push(('s', offset));
            chars.push(('s', offset));
        }
        c if c.is_whitespace() || c.is_control() => push_space(chars, ' ', offset),
        c => {
            for d in std::iter::once(c).nfkd() {
                if is_combining_mark(d) {
                    continue;
                }
                if d.is_ascii() {
                    push_ascii(chars, d, offset);
                } else if d.is_whitespace() {
                    push_space(chars, ' ', offset);
                } else {
                    for l in d.to_lowercase() {
                        chars.push((l, offset));
                    }
                }
            }
        }
    }
}

/// Squeezes runs of one letter to a single letter.
pub(crate) fn squeeze(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut prev = None;
    for c in word.chars() {
        if !(c.is_alphabetic() && prev == Some(c)) {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $input:expr, $expected:expr) => {
            #[test]
            fn $name() {
                assert_eq!(normalize($input).text, $expected);
            }
        };
    }

    t!(lower_case, "Chest PAIN", "chest pain");
    t!(
        curly_apostrophe_dropped,
        "I can’t breathe",
        "i cant breathe"
    );
    t!(
        straight_apostrophe_dropped,
        "I can't breathe",
        "i cant breathe"
    );
    t!(
        accents_folded,
        "dolor en el pecho, corazón, niño",
        "dolor en el pecho, corazon, nino"
    );
    t!(stretched_letters, "heeeelp meee", "help me");
    t!(double_letters_squeezed, "bleeding pills", "bleding pils");
    t!(digits_as_letters, "k1ll mys3lf", "kil myself");
    t!(symbols_as_letters, "d!e, $uicide", "die, suicide");
    t!(
        numbers_untouched,
        "fever 101.5 since 2019, 100mg",
        "fever 101.5 since 2019, 100mg"
    );
    t!(zero_width_removed, "su\u{200b}icide", "suicide");
    t!(
        control_chars_become_space,
        "chest\tpain\u{7}now",
        "chest pain now"
    );
    t!(line_breaks_kept, "pain\r\n\r\nhelp", "pain\nhelp");
    t!(spaces_collapsed, "chest    pain  ", "chest pain");
    t!(hyphen_is_space, "chest-pain x_ray", "chest pain x ray");
    t!(nfkc_compatibility, "ｃｈｅｓｔ ﬁre", "chest fire");
    t!(eszett_folds, "Straße", "strase");
    t!(emoji_kept, "so done 😞", "so done 😞");
    t!(empty, "", "");
    t!(only_spaces, "   ", "");

    #[test]
    fn spans_map_back_to_the_original_words() {
        let original = "My CHÉST hurts";
        let n = normalize(original);
        let start = n.text.find("chest").unwrap();
        let (s, e) = n.original_span(original, start, start + 5);
        assert_eq!(&original[s..e], "CHÉST");
    }

    #[test]
    fn squeezed_span_covers_every_stretched_letter() {
        let original = "heeeelp";
        let n = normalize(original);
        assert_eq!(n.text, "help");
        assert_eq!(n.original_span(original, 0, 4), (0, 7));
    }

    #[test]
    fn normalization_is_idempotent_on_samples() {
        for s in [
            "I CAN’T breeeathe",
            "k1ll",
            "niño  ﬁre",
            "a\u{200b}b",
            "x--y",
        ] {
            let once = normalize(s).text;
            assert_eq!(normalize(&once).text, once, "{s:?}");
        }
    }
}
