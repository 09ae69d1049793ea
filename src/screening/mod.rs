//! The safety engine: decides whether a member's text is an emergency, a
//! crisis, urgent, sensitive or routine, and says why.
//!
//! Rules live in TOML files that admins edit (see `rules/README.md`).
//! [`Screener::load`] reads a whole folder and returns either a ready
//! screener or every problem found, each with its `path:line:col`; a caller
//! can therefore swap in a new rule set only when it is complete and valid.
//!
//! ```
//! use careline::screening::{Field, Level, Screener};
//!
//! let screener = Screener::load("rules").expect("the shipped rules are valid");
//! let verdict = screener.screen("my chest feels tight and heavy", Field::Details);
//! assert_eq!(verdict.level, Level::Emergency);
//! assert!(!verdict.hits.is_empty());
//! let verdict = screener.screen("Can I get a refill of my lisinopril?", Field::Details);
//! assert_eq!(verdict.level, Level::Routine);
//! ```
//!
//! This module never does I/O beyond reading the rules folder, never logs
//! member text, and never panics on any input text.

mod compile;
mod explain;
mod matcher;
mod normalize;
mod rules;
mod terms;

use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

pub use compile::Stats;
pub use explain::render_explanation;
pub use normalize::{Normalized, normalize};
pub(crate) use rules::MAX_DEPTH;
pub use rules::{CueKind, Location, Problem};
pub use terms::Lang;

/// How serious a text is, from weakest to strongest (so `Ord` compares).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fine for a reply within 24–48 business hours.
    Routine,
    /// A topic the member may prefer to discuss by phone.
    Sensitive,
    /// Needs same-day care: call the office or advice nurse today.
    Urgent,
    /// Suicidal thoughts, self-harm, harming others: call or text 988.
    Crisis,
    /// Life-threatening now: call 911 or go to the nearest ER.
    Emergency,
}

impl Level {
    /// All levels, strongest first.
    pub const ALL: [Level; 5] = [
        Level::Emergency,
        Level::Crisis,
        Level::Urgent,
        Level::Sensitive,
        Level::Routine,
    ];

    /// The level's name as written in rule files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Routine => "routine",
            Self::Sensitive => "sensitive",
            Self::Urgent => "urgent",
            Self::Crisis => "crisis",
            Self::Emergency => "emergency",
        }
    }

    /// Parses a level name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of a draft a text is: subject lines are also screened by the
/// subject rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The subject line of a message.
    Subject,
    /// Anything else the member types.
    #[default]
    Details,
}

/// A rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The rule's id.
    pub rule: String,
    /// The rule's level.
    pub level: Level,
    /// The member-facing reason.
    pub reason: String,
    /// Byte ranges of the matched words in the screened text.
    pub spans: Vec<Range<usize>>,
}

/// A rule hit that a context modifier or an exception cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// The rule whose hit was cancelled.
    pub rule: String,
    /// The rule's level.
    pub level: Level,
    /// Byte ranges of the cancelled hit in the screened text.
    pub spans: Vec<Range<usize>>,
    /// What cancelled it: a context kind, or `None` for the rule's own `unless`.
    pub by: Option<CueKind>,
    /// Byte range of the cue or exception in the screened text.
    pub cue: Range<usize>,
}

/// The outcome of screening one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The strongest level among the rules that fired (`Routine` if none).
    pub level: Level,
    /// Every rule that fired, strongest first.
    pub hits: Vec<Hit>,
    /// Every hit that was cancelled, and by what.
    pub suppressed: Vec<Suppression>,
}

impl Verdict {
    /// The ids of the rules that fired, strongest first.
    pub fn rule_ids(&self) -> Vec<&str> {
        self.hits.iter().map(|h| h.rule.as_str()).collect()
    }

    /// The hit that decided the level, if any rule fired.
    pub fn top(&self) -> Option<&Hit> {
        self.hits.first()
    }
}

/// Every problem found while loading a rules folder.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the rules:\n{}", .problems.len(), .problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct RulesError {
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

/// A compiled, immutable rule set. Cheap to share behind an `Arc`.
pub struct Screener {
    inner: compile::Compiled,
}

impl fmt::Debug for Screener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Screener")
            .field("stats", &self.inner.stats)
            .finish()
    }
}

impl Screener {
    /// Reads, validates and compiles every rule file under `dir`, and runs
    /// every rule's examples. Returns every problem if anything is wrong: a
    /// screener is only ever built from a complete, valid rule set.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, RulesError> {
        let screener = Self::load_unchecked(dir)?;
        let problems = screener.check_examples();
        if problems.is_empty() {
            Ok(screener)
        } else {
            Err(RulesError { problems })
        }
    }

    /// Like [`Screener::load`] but without running the rules' examples.
    pub fn load_unchecked(dir: impl AsRef<Path>) -> Result<Self, RulesError> {
        let mut problems = Vec::new();
        let started = std::time::Instant::now();
        let defs = rules::read_dir(dir.as_ref(), &mut problems);
        tracing::debug!(
            read_ms = started.elapsed().as_secs_f64() * 1e3,
            "read rule files"
        );
        Self::compiled(defs, problems)
    }

    /// Like [`Screener::load_unchecked`], for rule files held in memory:
    /// each `(path, text)` is read as the file at `path` would be (the path
    /// only appears in problem locations). No word lists are read, so no
    /// common word keeps a generated misspelling out. Does no I/O; for
    /// tests, fuzzing and tools that hold rule text rather than a folder.
    ///
    /// ```
    /// use careline::screening::{Field, Level, Screener};
    ///
    /// let rules = r#"
    /// [[rule]]
    /// id = "chest-pain"
    /// level = "emergency"
    /// reason = "Chest pain can be a heart attack."
    /// phrases = ["chest pain"]
    /// fire = ["I have chest pain"]
    /// "#;
    /// let screener = Screener::from_texts([("chest.toml", rules)]).unwrap();
    /// assert_eq!(screener.screen("Chest PAIN", Field::Details).level, Level::Emergency);
    /// assert!(Screener::from_texts([("bad.toml", "[[rule]]\nid = 1\n")]).is_err());
    /// ```
    pub fn from_texts<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, RulesError> {
        let mut problems = Vec::new();
        let defs = rules::read_texts(files, &mut problems);
        Self::compiled(defs, problems)
    }

    /// Compiles definitions unless reading them found a problem.
    fn compiled(defs: rules::Definitions, mut problems: Vec<Problem>) -> Result<Self, RulesError> {
        let compiled = compile::compile(defs, &mut problems);
        match compiled {
            Some(inner) if problems.is_empty() => Ok(Self { inner }),
            _ => Err(RulesError { problems }),
        }
    }

    /// Screens one text.
    pub fn screen(&self, text: &str, field: Field) -> Verdict {
        matcher::screen(&self.inner, text, field, None)
    }

    /// The level of one text and the ids of the rules that fire, strongest
    /// first: the same as [`Screener::screen`]'s `level` and
    /// [`Verdict::rule_ids`], for callers that need no spans, reasons or
    /// suppressions (batch screening). Cheaper: nothing is mapped back to
    /// the original text and no hit is built.
    ///
    /// ```
    /// use careline::screening::{Field, Level, Screener};
    ///
    /// let screener = Screener::load("rules").expect("the shipped rules are valid");
    /// let text = "my chest feels tight and heavy";
    /// let (level, rules) = screener.classify(text, Field::Details);
    /// let verdict = screener.screen(text, Field::Details);
    /// assert_eq!((level, rules), (verdict.level, verdict.rule_ids()));
    /// assert_eq!(level, Level::Emergency);
    /// ```
    pub fn classify(&self, text: &str, field: Field) -> (Level, Vec<&str>) {
        let (level, rules) = matcher::classify(&self.inner, text, field);
        let ids = rules
            .into_iter()
            .map(|r| self.inner.rules[r as usize].id.as_str())
            .collect();
        (level, ids)
    }

    /// Screens one text and also returns the normalized text and every raw
    /// match, for `careline rules explain`.
    pub fn explain(&self, text: &str, field: Field) -> Explanation {
        let mut trace = Vec::new();
        let verdict = matcher::screen(&self.inner, text, field, Some(&mut trace));
        Explanation {
            normalized: matcher::matched_text(&self.inner, text),
            matches: trace,
            verdict,
        }
    }

    /// Whether a text gets past the quick first look (each rule's rarest
    /// terms, looked up by one key word each) and so is screened in full.
    /// For measuring: [`Screener::screen`] does this itself.
    pub fn passes_gate(&self, text: &str, field: Field) -> bool {
        matcher::passes_gate(&self.inner, text, field)
    }

    /// Warnings about a rules folder that do not stop it from loading: a
    /// rule that writes a word the misspelling generator already makes from
    /// another rule word ("stiches" for "stitches"), which keeps that
    /// spelling from being read as the real word in every other rule.
    /// Reads the folder again (for `careline rules check`, not the bot).
    pub fn warnings(dir: impl AsRef<Path>) -> Vec<Problem> {
        let mut problems = Vec::new();
        let defs = rules::read_dir(dir.as_ref(), &mut problems);
        compile::misspelling_warnings(&defs)
    }

    /// Runs every rule's `fire` and `pass` examples; returns the failures.
    pub fn check_examples(&self) -> Vec<Problem> {
        compile::check_examples(self)
    }

    /// Counts of what was loaded.
    pub fn stats(&self) -> &Stats {
        &self.inner.stats
    }

    /// Every pattern string the automaton matches (canonical terms and
    /// generated variants), for benchmarks and baselines.
    pub fn patterns(&self) -> &[String] {
        &self.inner.patterns
    }

    /// A short fingerprint of the rule set (changes when any rule file does).
    pub fn fingerprint(&self) -> &str {
        &self.inner.stats.fingerprint
    }
}

/// What `careline rules explain` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The text as the matcher sees it (normalized, misspellings re-spelled).
    pub normalized: String,
    /// Every raw match in the normalized text, before context logic.
    pub matches: Vec<RawMatch>,
    /// The final verdict.
    pub verdict: Verdict,
}

/// One raw match of a pattern, as `rules explain` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct RawMatch {
    /// The matched normalized text.
    pub text: String,
    /// What it is: `phrase of R`, `near group N of R`, `unless of R`, or a cue kind.
    pub role: String,
}
