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
//! (`can't` = `cant`); hyphens, underscores and slashes become spaces (`w/o`,
//! `9/10`); Unicode
//! compatibility decomposition (NFKD, which with the next step gives the
//! NFKC-and-fold result) with combining marks removed (accents folded);
//! lower case (`ß` folds to `ss`); runs of spaces collapse to one. Then, per
//! word: a digit or symbol between two letters reads as the letter it
//! imitates (`k1ll`, `d!e`; `$` also at a word start: `$uicide`), and runs
//! of three or more of one letter squeeze to one (`heeelp` → `help`);
//! double letters stay (`bee` is not `be`); dropped or added double letters
//! are generated misspellings (see `terms.rs`).
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
    /// Collapses every run of three or more of one letter to a single
    /// letter ("heeelp" → "help"), keeping double letters ("bleeding").
    fn squeeze_runs(&mut self) {
        let b = self.text.as_bytes();
        let has_run = has_ascii_letter_run(b);
        let has_run = has_run
            || (!self.text.is_ascii() && {
                let cs: Vec<char> = self.text.chars().collect();
                cs.windows(3)
                    .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_alphabetic())
            });
        if !has_run {
            return;
        }
        let tracked = !self.origin.is_empty();
        let mut text = String::with_capacity(self.text.len());
        let mut origin = Vec::with_capacity(self.origin.len());
        let chars: Vec<(usize, char)> = self.text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 == c {
                j += 1;
            }
            let keep = if c.is_alphabetic() && j - i >= 3 {
                1
            } else {
                j - i
            };
            for &(pos, ch) in &chars[i..i + keep] {
                text.push(ch);
                if tracked {
                    origin.extend_from_slice(&self.origin[pos..pos + ch.len_utf8()]);
                }
            }
            i = j;
        }
        if tracked {
            origin.push(*self.origin.last().unwrap_or(&0));
        }
        self.text = text;
        self.origin = origin;
    }

    /// Replaces whole words for which `respell` gives another spelling,
    /// keeping every byte's origin (a replacement's bytes point into the
    /// word it replaced). Returns `None` when no word changed.
    pub(crate) fn respell<'a>(
        &self,
        respell: impl Fn(&str) -> Option<&'a str>,
    ) -> Option<Normalized> {
        let t = self.text.as_str();
        let mut out: Option<Normalized> = None;
        let mut copied = 0; // bytes of `t` already copied to `out`
        let mut i = 0;
        let bytes = t.as_bytes();
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphanumeric() && bytes[i] < 0x80 {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() {
                if bytes[i].is_ascii_alphanumeric() {
                    i += 1; // the common case, without decoding
                    continue;
                }
                if bytes[i] < 0x80 {
                    break;
                }
                let c = t[i..].chars().next().unwrap_or(' ');
                if !c.is_alphanumeric() {
                    break;
                }
                i += c.len_utf8();
            }
            if start == i {
                // a non-ASCII character that is not part of a word
                i += t[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let Some(new) = respell(&t[start..i]) else {
                continue;
            };
            let tracked = !self.origin.is_empty();
            let o = out.get_or_insert_with(|| Normalized {
                text: String::with_capacity(t.len() + 16),
                origin: Vec::with_capacity(if tracked { t.len() + 17 } else { 0 }),
            });
            o.text.push_str(&t[copied..start]);
            if tracked {
                o.origin.extend_from_slice(&self.origin[copied..start]);
                let len = i - start;
                for j in 0..new.len() {
                    o.origin.push(self.origin[start + j.min(len - 1)]);
                }
            }
            o.text.push_str(new);
            copied = i;
        }
        let mut o = out?;
        o.text.push_str(&t[copied..]);
        if !self.origin.is_empty() {
            o.origin.extend_from_slice(&self.origin[copied..]);
        }
        Some(o)
    }

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

/// Whether `b` holds three equal ASCII letters in a row. Branch-free over
/// chunks of 64 positions (the compiler vectorizes it): every text is
/// checked, few have such a run.
fn has_ascii_letter_run(b: &[u8]) -> bool {
    if b.len() < 3 {
        return false;
    }
    let (x, y, z) = (&b[..b.len() - 2], &b[1..b.len() - 1], &b[2..]);
    x.chunks(64)
        .zip(y.chunks(64))
        .zip(z.chunks(64))
        .any(|((x, y), z)| {
            x.iter().zip(y).zip(z).fold(false, |run, ((&a, &b), &c)| {
                // `(a | 0x20) - b'a' < 26` is `a.is_ascii_alphabetic()`
                run | ((a == b) & (b == c) & ((a | 0x20).wrapping_sub(b'a') < 26))
            })
        })
}

/// Normalizes `input` (see the module documentation).
///
/// ```
/// use careline::screening::normalize;
/// assert_eq!(normalize("I CAN’T breeeathe!!").text, "i cant breathe!!");
/// assert_eq!(normalize("Corazón").text, "corazon");
/// assert_eq!(normalize("k1ll myself").text, "kill myself");
/// ```
pub fn normalize(input: &str) -> Normalized {
    normalize_with(input, true)
}

/// [`normalize`], with the squeezing of letter runs optional (rule terms
/// are first normalized unsqueezed, so that misspelling variants can be
/// generated from the word as written).
pub(crate) fn normalize_with(input: &str, squeeze: bool) -> Normalized {
    let mut n = if input.is_ascii() {
        normalize_ascii::<true>(input.as_bytes())
    } else {
        normalize_unicode(input)
    };
    if squeeze {
        n.squeeze_runs();
    }
    n
}

/// [`normalize`] without the origin of each byte (cheaper; for the first,
/// quick look at a text). Its `respell` and `text` work; spans do not.
pub(crate) fn normalize_untracked(input: &str) -> Normalized {
    let mut n = if input.is_ascii() {
        normalize_ascii::<false>(input.as_bytes())
    } else {
        normalize_unicode(input)
    };
    n.squeeze_runs();
    n
}

/// The fast path for ASCII input (most messages): one pass over the bytes,
/// with exactly the results of [`normalize_unicode`].
fn normalize_ascii<const TRACK: bool>(b: &[u8]) -> Normalized {
    let mut text: Vec<u8> = Vec::with_capacity(b.len());
    let mut origin: Vec<u32> = Vec::with_capacity(if TRACK { b.len() + 1 } else { 0 });
    // The kept input characters, lower-cased, before leet mapping: what the
    // Unicode path calls `chars`.
    let kept = |i: usize| -> Option<u8> {
        match b[i] {
            b'\'' | b'`' => None,
            c => Some(c),
        }
    };
    // The `nth` kept character after byte `i` (1 = the next one), lower-cased.
    let kept_after = |i: usize, nth: usize| -> Option<u8> {
        (i + 1..b.len())
            .filter_map(kept)
            .nth(nth - 1)
            .map(|c| c.to_ascii_lowercase())
    };
    let mut prev_raw: Option<u8> = None;
    let mut next = 0;
    while next < b.len() {
        let i = next;
        let c = b[i];
        next += 1;
        // The common case: a run of lower-case letters and single spaces
        // between words is kept as it is, copied at once.
        if c.is_ascii_lowercase()
            || (c == b' ' && text.last().is_some_and(|&l| l != b' ' && l != b'\n'))
        {
            while next < b.len()
                && (b[next].is_ascii_lowercase()
                    || (b[next] == b' ' && b[next - 1].is_ascii_lowercase()))
            {
                next += 1;
            }
            text.extend_from_slice(&b[i..next]);
            if TRACK {
                origin.extend(i as u32..next as u32);
            }
            prev_raw = Some(b[next - 1]);
            continue;
        }
        let Some(c) = kept(i) else { continue };
        let offset = i as u32;
        let space = match c {
            b'\n' | b'\r' | 0x0b | 0x0c => Some(b'\n'),
            b'-' | b'_' | b'/' => Some(b' '),
            c if c.is_ascii_whitespace() || c.is_ascii_control() => Some(b' '),
            _ => None,
        };
        if let Some(sp) = space {
            match text.last() {
                None => {}
                Some(b' ') if sp == b'\n' => {
                    let last = text.len() - 1;
                    text[last] = b'\n';
                    if TRACK {
                        origin[last] = offset;
                    }
                }
                Some(b' ' | b'\n') => {}
                _ => {
                    text.push(sp);
                    if TRACK {
                        origin.push(offset);
                    }
                }
            }
            // whitespace in `chars` is a single space/newline entry
            prev_raw = Some(b' ');
            continue;
        }
        let lower = c.to_ascii_lowercase();
        let mut out = lower;
        if let Some(letter) = leet(lower as char) {
            // the same conditions as in `rebuild`
            let alpha = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphabetic());
            let is_leet = |c: Option<u8>| c.is_some_and(|c| leet(c as char).is_some());
            let after_alpha = alpha(kept_after(i, 1));
            let between_letters = alpha(prev_raw) && after_alpha;
            let dollar_start = lower == b'$'
                && !prev_raw.is_some_and(|p| p.is_ascii_alphanumeric())
                && !is_leet(prev_raw)
                && after_alpha
                && (alpha(kept_after(i, 2))
                    || (is_leet(kept_after(i, 2)) && alpha(kept_after(i, 3))));
            if between_letters || dollar_start {
                out = letter as u8;
            }
        }
        prev_raw = Some(lower);
        text.push(out);
        if TRACK {
            origin.push(offset);
        }
    }
    while text.last() == Some(&b' ') {
        text.pop();
        if TRACK {
            origin.pop();
        }
    }
    if TRACK {
        origin.push(b.len() as u32);
    }
    Normalized {
        // Only ASCII bytes were pushed.
        text: String::from_utf8(text).unwrap_or_default(),
        origin,
    }
}

/// The general path: per character, with Unicode decomposition.
fn normalize_unicode(input: &str) -> Normalized {
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

    let mut out = rebuild(&chars);
    out.origin.push(input.len() as u32);
    out
}

/// Maps leetspeak, squeezes letter runs and records origins.
fn rebuild(chars: &[(char, u32)]) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(chars.len()),
        origin: Vec::with_capacity(chars.len() + 1),
    };
    for i in 0..chars.len() {
        let (mut c, offset) = chars[i];
        if let Some(letter) = leet(c) {
            let at = |j: usize| chars.get(j).map(|x| x.0);
            let alpha = |c: Option<char>| c.is_some_and(char::is_alphabetic);
            let is_leet = |c: Option<char>| c.is_some_and(|c| leet(c).is_some());
            let before = i.checked_sub(1).and_then(at);
            let between_letters = alpha(before) && alpha(at(i + 1));
            // A `$` starts a word when two letters follow, the second maybe
            // a symbol between letters (`$a$a`), and nothing before it could
            // read as a letter itself (`a!$ab`, `$$ab`). Otherwise the
            // letters mapped here would make a second normalization map
            // more (`$a$a` → `$asa` → `sasa`): it must be idempotent.
            let dollar_start = c == '$'
                && !before.is_some_and(char::is_alphanumeric)
                && !is_leet(before)
                && alpha(at(i + 1))
                && (alpha(at(i + 2)) || (is_leet(at(i + 2)) && alpha(at(i + 3))));
            if between_letters || dollar_start {
                c = letter;
            }
        }
        out.text.push(c);
        for _ in 0..c.len_utf8() {
            out.origin.push(offset);
        }
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
        '-' | '_' | '/' => push_space(chars, ' ', offset),
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
                } else if d != c {
                    // A character that decomposed goes through the same
                    // cases as typed ones, or normalizing twice would differ:
                    // `ŉ` decomposes to an apostrophe (`ʼn`, dropped), `︱`
                    // to a dash (a space), `‴` to primes (dropped). `d` is
                    // already decomposed, so this recurses once at most.
                    push_unicode(chars, d, offset);
                } else {
                    for l in d.to_lowercase() {
                        chars.push((l, offset));
                    }
                }
            }
        }
    }
}

/// Squeezes runs of three or more of one letter to a single letter.
pub(crate) fn squeeze(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    squeeze_into(word, &mut out);
    out
}

/// [`squeeze`] into a reused buffer.
pub(crate) fn squeeze_into(word: &str, out: &mut String) {
    out.clear();
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let mut run = 1;
        while chars.next_if_eq(&c).is_some() {
            run += 1;
        }
        let keep = if c.is_alphabetic() && run >= 3 {
            1
        } else {
            run
        };
        for _ in 0..keep {
            out.push(c);
        }
    }
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
    t!(double_letters_kept, "bleeding pills", "bleeding pills");
    t!(long_runs_squeezed, "soooo bleeeeding", "so bleding");
    t!(digits_as_letters, "k1ll mys3lf", "kill myself");
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
    t!(
        hyphen_is_space,
        "chest-pain x_ray 9/10",
        "chest pain x ray 9 10"
    );
    t!(nfkc_compatibility, "ｃｈｅｓｔ ﬁre", "chest fire");
    t!(eszett_folds, "Straße", "strasse");
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
    fn respelled_words_keep_their_origin() {
        let original = "I had a SEZURE today";
        let n = normalize(original);
        let r = n
            .respell(|w| (w == "sezure").then_some("seizure"))
            .expect("a word changed");
        assert_eq!(r.text, "i had a seizure today");
        let start = r.text.find("seizure").unwrap();
        let (s, e) = r.original_span(original, start, start + 7);
        assert_eq!(&original[s..e], "SEZURE");
        let (s, e) = r.original_span(original, r.text.len() - 5, r.text.len());
        assert_eq!(&original[s..e], "today");
        assert!(n.respell(|_| None).is_none());
    }

    #[test]
    fn squeezed_span_covers_every_stretched_letter() {
        let original = "heeeelp";
        let n = normalize(original);
        assert_eq!(n.text, "help");
        assert_eq!(n.original_span(original, 0, 4), (0, 7));
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_unicode_path() {
        let alphabet = b"ab1!3$@ 'k\n\r-_/.,0l7xX\t`";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let len = (seed % 12) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize] as char);
            }
            let fast = normalize_ascii::<true>(s.as_bytes());
            let quick = normalize_ascii::<false>(s.as_bytes());
            assert_eq!(quick.text, fast.text, "{s:?}");
            let slow = normalize_unicode(&s);
            assert_eq!(fast.text, slow.text, "{s:?}");
            assert_eq!(fast.origin, slow.origin, "{s:?}");
        }
    }

    // Found by the `normalization_is_idempotent` property (tests/it/properties.rs).
    t!(decomposed_apostrophe_dropped, "\u{149}", "n");
    t!(decomposed_dash_is_space, "a\u{fe31}b", "a b");
    t!(decomposed_primes_dropped, "a\u{2034}b", "ab");
    t!(dollar_before_a_symbol_between_letters, "$a$A", "sasa");
    t!(dollar_after_a_symbol_stays, "a!$ab $$ab", "a!$ab $$ab");

    #[test]
    fn letter_runs_are_found_anywhere_and_only_of_letters() {
        for (text, run) in [
            ("", false),
            ("aa", false),
            ("aaa", true),
            ("heeelp", true),
            ("bleeding", false),
            ("AAA", true),
            ("111", false),
            ("...", false),
            ("@@@", false),
            ("[[[", false),
            ("zzz", true),
        ] {
            assert_eq!(has_ascii_letter_run(text.as_bytes()), run, "{text:?}");
        }
        // a run on each side of a 64-byte chunk boundary
        for at in 55..75 {
            let mut text = "ab".repeat(40).into_bytes();
            text[at..at + 3].copy_from_slice(b"xxx");
            assert!(has_ascii_letter_run(&text), "run at {at}");
        }
        assert!(!has_ascii_letter_run("ab".repeat(100).as_bytes()));
    }

    #[test]
    fn normalization_is_idempotent_on_samples() {
        for s in [
            "I CAN’T breeeathe",
            "k1ll",
            "niño  ﬁre",
            "a\u{200b}b",
            "x--y",
            "\u{149}",
            "a\u{fe58}b",
            "$a$A",
            "a!$ab",
            "$$ab",
            "$a1b",
        ] {
            let once = normalize(s).text;
            assert_eq!(normalize(&once).text, once, "{s:?}");
        }
    }
}
