//! Reading rule files: TOML text → rule and context definitions, with every
//! problem located as `path:line:col`.
//!
//! The parser is tolerant on purpose: it keeps going after an error so that
//! an admin sees every problem in one run of `careline rules check`, never
//! only the first. It never builds a screener; see `compile.rs`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Level;
use super::terms::{Lang, Term};

/// Where something is in a rules file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: Arc<Path>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.col)
    }
}

/// One problem found in a rules folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is, when it is in a file.
    pub location: Option<Location>,
    /// What is wrong, in words an admin understands.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A text with its path, to turn byte offsets into locations.
pub(crate) struct SourceFile {
    pub path: Arc<Path>,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            path: path.into(),
            text,
            line_starts,
        }
    }

    pub fn locate(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let line_start = self.line_starts[line - 1];
        let col = self.text[line_start..offset].chars().count() + 1;
        Location {
            path: self.path.clone(),
            line,
            col,
        }
    }
}

/// Which texts a rule screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSet {
    /// Every text a member types (subject lines included).
    Details,
    /// Subject lines only.
    Subject,
}

/// A term as written, with its location and parse result.
#[derive(Debug, Clone)]
pub(crate) struct TermDef {
    pub raw: String,
    pub term: Term,
    pub loc: Location,
}

/// An example text of a rule.
#[derive(Debug, Clone)]
pub(crate) struct ExampleDef {
    pub text: String,
    pub loc: Location,
}

/// A rule as written in a file.
#[derive(Debug, Clone)]
pub(crate) struct RuleDef {
    pub id: String,
    pub level: Level,
    pub lang: Lang,
    pub set: RuleSet,
    pub reason: String,
    pub phrases: Vec<TermDef>,
    pub near: Vec<Vec<TermDef>>,
    pub window: usize,
    /// How many consecutive sentences a co-occurrence may span (1: one).
    pub sentences: usize,
    pub unless: Vec<TermDef>,
    /// Exceptions that cancel a hit only where they overlap one of its
    /// terms, not the words between them.
    pub unless_term: Vec<TermDef>,
    pub context: ContextKinds,
    /// Whether idioms (`pseudo` cues) may cancel the rule's hits.
    pub idioms: bool,
    pub fire: Vec<ExampleDef>,
    pub pass: Vec<ExampleDef>,
    pub loc: Location,
}

impl RuleDef {
    /// Every term the rule writes: phrases, `near` groups and exceptions.
    pub(crate) fn terms(&self) -> impl Iterator<Item = &TermDef> {
        self.phrases
            .iter()
            .chain(self.near.iter().flatten())
            .chain(&self.unless)
            .chain(&self.unless_term)
    }
}

/// The kind of a context modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CueKind {
    /// "no", "denies", "without": the finding is absent.
    Negation,
    /// "went away", "is fine now", "ya está bien": the finding is over. Works
    /// as a negation, but is its own kind so that a rule can leave it out:
    /// feeling fine says nothing about the pills or the battery swallowed.
    Resolution,
    /// "last year", "history of", "used to": the finding is in the past.
    Historical,
    /// "what if", "in case": the finding is not happening.
    Hypothetical,
    /// "but", "however": ends every scope.
    Terminator,
    /// "now", "today": ends historical and hypothetical scopes; present time wins.
    Present,
    /// Idioms and pseudo-triggers ("dying to know"): cancel hits they overlap.
    Pseudo,
    /// "he", "my", "no" at the start of a clause: a new clause with its own
    /// subject, so a negation's scope from before the comma stops there
    /// ("no helmet, he was knocked out").
    Opener,
}

impl CueKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "negation" => Self::Negation,
            "resolution" => Self::Resolution,
            "historical" => Self::Historical,
            "hypothetical" => Self::Hypothetical,
            "terminator" => Self::Terminator,
            "present" => Self::Present,
            "pseudo" => Self::Pseudo,
            "opener" => Self::Opener,
            _ => return None,
        })
    }

    /// Whether a hit in this cue's scope is suppressed.
    pub fn suppresses(self) -> bool {
        matches!(
            self,
            Self::Negation | Self::Resolution | Self::Historical | Self::Hypothetical
        )
    }

    /// Whether this cue denies the finding (a negation or a resolution),
    /// term by term, rather than framing the whole hit in another time.
    pub fn denies(self) -> bool {
        matches!(self, Self::Negation | Self::Resolution)
    }
}

/// Which suppressing context kinds may cancel a rule's hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextKinds(u8);

impl ContextKinds {
    /// Negation, resolution, historical and hypothetical cues all apply.
    pub const ALL: Self = Self(0b1111);
    /// No cue applies (`context = false`).
    pub const NONE: Self = Self(0);

    fn bit(kind: CueKind) -> u8 {
        match kind {
            CueKind::Negation => 1,
            CueKind::Historical => 2,
            CueKind::Hypothetical => 4,
            CueKind::Resolution => 8,
            _ => 0,
        }
    }

    /// These kinds and `kind`.
    pub fn with(self, kind: CueKind) -> Self {
        Self(self.0 | Self::bit(kind))
    }

    /// Whether cues of `kind` may cancel the rule's hits.
    pub fn allows(self, kind: CueKind) -> bool {
        self.0 & Self::bit(kind) != 0
    }
}

/// The direction of a cue's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Forward,
    Backward,
    Both,
}

/// A group of context cues as written in a file.
#[derive(Debug, Clone)]
pub(crate) struct ContextDef {
    pub kind: CueKind,
    pub direction: Direction,
    pub window: usize,
    /// A forward scope that stops at the end of its clause (`,` `:` `(`).
    pub clause_only: bool,
    /// A cue that comes after other words of its clause ("transplant 2
    /// years ago") does not scope forward into a next clause that opens
    /// with its own subject.
    pub trailing_clause: bool,
    /// `verbs = true`: on an opener group, the openers are verbs that open
    /// a clause whose subject is dropped ("no helmet, passed out"); on a
    /// negation group, the negation denies verbs and goes on through a list
    /// of them ("never fainted, passed out or had a seizure"), so verb
    /// openers do not end its scope.
    pub verbs: bool,
    pub cues: Vec<TermDef>,
}

/// Everything read from one folder.
#[derive(Default)]
pub(crate) struct Definitions {
    pub rules: Vec<RuleDef>,
    pub contexts: Vec<ContextDef>,
    /// Common words (from `words/*.txt`) that no generated variant may be.
    /// Each with its rank in its list (0 = most frequent).
    pub common_words: Vec<(String, u32)>,
    pub files: usize,
    /// A hash of every file's path and content.
    pub fingerprint: u64,
}

pub(crate) const DEFAULT_WINDOW: usize = 8;
pub(crate) const MAX_WINDOW: usize = 30;
/// The most consecutive sentences a co-occurrence may span.
pub(crate) const MAX_SENTENCES: usize = 3;
const DEFAULT_CUE_WINDOW: usize = 6;

/// Reads every `*.toml` file below `dir`, collecting problems instead of
/// stopping at the first.
pub(crate) fn read_dir(dir: &Path, problems: &mut Vec<Problem>) -> Definitions {
    let mut defs = Definitions::default();
    let mut paths = Vec::new();
    if let Err(e) = collect_toml(dir, 0, &mut paths) {
        problems.push(Problem {
            location: None,
            message: format!("cannot read rules folder {}: {e}", dir.display()),
        });
        return defs;
    }
    paths.sort();
    let mut hasher = std::hash::DefaultHasher::new();
    read_word_lists(&dir.join("words"), &mut defs, &mut hasher, problems);
    // each file, or why it cannot be read, in order
    let mut files: Vec<Result<SourceFile, Problem>> = Vec::with_capacity(paths.len());
    for path in paths {
        files.push(match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    std::hash::Hash::hash(&(&path, &text), &mut hasher);
                    Ok(SourceFile::new(path, text))
                }
                Err(e) => {
                    let offset = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    let file = SourceFile::new(path, text);
                    Err(Problem {
                        location: Some(file.locate(offset)),
                        message: "the file is not valid UTF-8 (save it as UTF-8)".into(),
                    })
                }
            },
            Err(e) => Err(Problem {
                location: None,
                message: format!("cannot read {}: {e}", path.display()),
            }),
        });
    }
    defs.files = files.iter().filter(|f| f.is_ok()).count();
    read_files(files, &mut defs, problems);
    defs.fingerprint = std::hash::Hasher::finish(&hasher);
    defs
}

/// Parses `files` in order, the second half of the bytes on a second
/// thread (parsing is most of the time it takes to load the rules); rules,
/// contexts and problems come out in file order either way.
fn read_files(
    files: Vec<Result<SourceFile, Problem>>,
    defs: &mut Definitions,
    problems: &mut Vec<Problem>,
) {
    let size = |f: &Result<SourceFile, Problem>| f.as_ref().map_or(0, |f| f.text.len());
    let total: usize = files.iter().map(size).sum();
    let (mut half, mut bytes) = (0, 0);
    while half < files.len() && bytes < total / 2 {
        bytes += size(&files[half]);
        half += 1;
    }
    let (first, second) = files.split_at(half);
    let parse = |files: &[Result<SourceFile, Problem>]| -> Vec<(Definitions, Vec<Problem>)> {
        files
            .iter()
            .map(|f| {
                let mut defs = Definitions::default();
                let mut problems = Vec::new();
                match f {
                    Ok(file) => read_file(file, &mut defs, &mut problems),
                    Err(p) => problems.push(p.clone()),
                }
                (defs, problems)
            })
            .collect()
    };
    let (a, b) = std::thread::scope(|scope| {
        let later = (!second.is_empty()).then(|| scope.spawn(|| parse(second)));
        let a = parse(first);
        // a parse that panicked is a bug: raise it here
        let b = later.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (a, b)
    });
    for (d, p) in a.into_iter().chain(b.into_iter().flatten()) {
        defs.rules.extend(d.rules);
        defs.contexts.extend(d.contexts);
        problems.extend(p);
    }
}

/// Reads rule files held in memory, as [`read_dir`] reads the files of a
/// folder: each `(path, text)` is parsed as a file at `path` (the path is
/// only used in problem locations). No word lists are read.
pub(crate) fn read_texts<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    problems: &mut Vec<Problem>,
) -> Definitions {
    let mut defs = Definitions::default();
    let mut hasher = std::hash::DefaultHasher::new();
    for (path, text) in files {
        defs.files += 1;
        std::hash::Hash::hash(&(path, text), &mut hasher);
        let file = SourceFile::new(PathBuf::from(path), text.to_string());
        read_file(&file, &mut defs, problems);
    }
    defs.fingerprint = std::hash::Hasher::finish(&hasher);
    defs
}

/// Reads `words/*.txt`: one common word a line, `#` starts a comment.
fn read_word_lists(
    dir: &Path,
    defs: &mut Definitions,
    hasher: &mut std::hash::DefaultHasher,
    problems: &mut Vec<Problem>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return; // word lists are optional
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                std::hash::Hash::hash(&(&path, &text), hasher);
                defs.common_words.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .enumerate()
                        .map(|(rank, l)| {
                            let word = if l.bytes().all(|b| b.is_ascii_lowercase()) {
                                l.to_string()
                            } else {
                                super::normalize::normalize(l).text
                            };
                            (word, rank as u32)
                        }),
                );
            }
            Err(e) => problems.push(Problem {
                location: None,
                message: format!("cannot read word list {}: {e}", path.display()),
            }),
        }
    }
}

/// How deep rule folders may nest (as deep as the reload watcher looks).
pub(crate) const MAX_DEPTH: usize = 8;

/// The `.toml` files under `dir`, at most [`MAX_DEPTH`] folders down: a
/// deeper folder (a link that loops back, most likely) is an error rather
/// than a walk without end.
fn collect_toml(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if depth >= MAX_DEPTH {
                return Err(std::io::Error::other(format!(
                    "{} is more than {MAX_DEPTH} folders deep (a link that loops back?)",
                    path.display()
                )));
            }
            collect_toml(&path, depth + 1, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// A small cursor over one file that records problems with locations.
struct Reader<'a> {
    file: &'a SourceFile,
    problems: &'a mut Vec<Problem>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push(Problem {
            location: Some(self.file.locate(span.start)),
            message: message.into(),
        });
    }

    fn loc(&self, span: Range<usize>) -> Location {
        self.file.locate(span.start)
    }

    fn check_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], what: &str) {
        for key in table.keys() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                let msg = format!(
                    "unknown key `{}` in {what} (expected one of: {})",
                    key.get_ref(),
                    allowed.join(", ")
                );
                self.error(key.span(), msg);
            }
        }
    }

    fn string(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let msg = format!("`{key}` must be a string, not {}", other.type_str());
                self.error(v.span(), msg);
                None
            }
        }
    }

    /// A scope key of a context entry: `true` for "clause", `false` for
    /// "sentence" or no key.
    /// A `true` / `false` key; `default` when it is absent or not a boolean
    /// (the latter is an error).
    fn flag(&mut self, v: Option<&Value<'_>>, key: &str, default: bool) -> bool {
        let Some(v) = v else { return default };
        v.get_ref().as_bool().unwrap_or_else(|| {
            self.error(v.span(), format!("`{key}` must be true or false"));
            default
        })
    }

    fn clause_scope(&mut self, v: Option<&Value<'_>>, key: &str) -> bool {
        let Some(v) = v else { return false };
        match self.string(v, key).as_deref() {
            Some("clause") => true,
            Some("sentence") | None => false,
            Some(other) => {
                let msg = format!("unknown scope `{other}` (expected clause or sentence)");
                self.error(v.span(), msg);
                false
            }
        }
    }

    fn strings(&mut self, v: &Value<'_>, key: &str) -> Vec<(String, Range<usize>)> {
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.string(item, key).map(|s| (s, item.span())))
                .collect(),
            other => {
                let msg = format!(
                    "`{key}` must be a list of strings, not {}",
                    other.type_str()
                );
                self.error(v.span(), msg);
                Vec::new()
            }
        }
    }

    fn terms(&mut self, v: &Value<'_>, key: &str, classes: &[Term]) -> Vec<TermDef> {
        let mut out = Vec::new();
        for (raw, span) in self.strings(v, key) {
            match Term::parse(&raw) {
                Ok(term) => {
                    if matches!(term, Term::Number | Term::Year) && !classes.contains(&term) {
                        self.error(span, format!("`{raw}` is not allowed in `{key}`"));
                        continue;
                    }
                    out.push(TermDef {
                        raw,
                        term,
                        loc: self.loc(span),
                    });
                }
                Err(e) => self.error(span, format!("in `{key}`: {e}")),
            }
        }
        out
    }

    fn window(&mut self, v: &Value<'_>, key: &str) -> Option<usize> {
        self.whole_number(v, key, MAX_WINDOW)
    }

    /// A whole number from 1 to `max`, or an error naming `key` and the range.
    fn whole_number(&mut self, v: &Value<'_>, key: &str, max: usize) -> Option<usize> {
        match v.get_ref() {
            DeValue::Integer(i) => match i.as_str().parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Some(n),
                _ => {
                    let msg = format!("`{key}` must be a whole number from 1 to {max}");
                    self.error(v.span(), msg);
                    None
                }
            },
            other => {
                let msg = format!("`{key}` must be a whole number, not {}", other.type_str());
                self.error(v.span(), msg);
                None
            }
        }
    }

    fn tables<'t, 'i>(&mut self, v: &'t Value<'i>, key: &str) -> Vec<&'t Spanned<DeValue<'i>>> {
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    if item.get_ref().is_table() {
                        out.push(item);
                    } else {
                        self.error(item.span(), format!("`[[{key}]]` entries must be tables"));
                    }
                }
                out
            }
            _ => {
                self.error(
                    v.span(),
                    format!("`{key}` must be written as `[[{key}]]` tables"),
                );
                Vec::new()
            }
        }
    }
}

fn read_file(file: &SourceFile, defs: &mut Definitions, problems: &mut Vec<Problem>) {
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    let mut r = Reader { file, problems };
    for e in &errors {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        r.error(span, format!("TOML syntax: {message}"));
    }
    let doc = doc.get_ref();
    r.check_keys(doc, &["lang", "set", "rule", "context"], "a rules file");

    let mut lang = Lang::En;
    if let Some(v) = doc.get("lang")
        && let Some(s) = r.string(v, "lang")
    {
        match Lang::parse(&s) {
            Some(l) => lang = l,
            None => r.error(
                v.span(),
                format!("unknown lang `{s}` (expected en, es or any)"),
            ),
        }
    }
    let mut set = RuleSet::Details;
    if let Some(v) = doc.get("set")
        && let Some(s) = r.string(v, "set")
    {
        match s.as_str() {
            "details" => set = RuleSet::Details,
            "subject" => set = RuleSet::Subject,
            _ => r.error(
                v.span(),
                format!("unknown set `{s}` (expected details or subject)"),
            ),
        }
    }
    if let Some(v) = doc.get("rule") {
        for t in r.tables(v, "rule") {
            if let Some(rule) = read_rule(&mut r, t, lang, set) {
                defs.rules.push(rule);
            }
        }
    }
    if let Some(v) = doc.get("context") {
        for t in r.tables(v, "context") {
            if let Some(ctx) = read_context(&mut r, t) {
                defs.contexts.push(ctx);
            }
        }
    }
}

const RULE_KEYS: &[&str] = &[
    "id",
    "level",
    "lang",
    "reason",
    "phrases",
    "near",
    "window",
    "sentences",
    "unless",
    "unless_term",
    "context",
    "idioms",
    "fire",
    "pass",
];

fn read_rule(r: &mut Reader<'_>, v: &Value<'_>, lang: Lang, set: RuleSet) -> Option<RuleDef> {
    let t = v.get_ref().as_table()?;
    let here = v.span();
    r.check_keys(t, RULE_KEYS, "a rule");
    let before = r.problems.len();

    let id = match t.get("id") {
        Some(v) => r.string(v, "id").and_then(|id| {
            let ok = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
            if !ok {
                r.error(
                    v.span(),
                    format!("rule id `{id}` may only use a-z, 0-9, `.`, `_` and `-`"),
                );
            }
            ok.then_some(id)
        }),
        None => {
            r.error(here.clone(), "a rule needs an `id`");
            None
        }
    };
    let level = match t.get("level") {
        Some(v) => r.string(v, "level").and_then(|s| match Level::parse(&s) {
            Some(Level::Routine) | None => {
                r.error(
                    v.span(),
                    format!(
                        "unknown level `{s}` (expected emergency, crisis, urgent or sensitive)"
                    ),
                );
                None
            }
            Some(l) => Some(l),
        }),
        None => {
            r.error(here.clone(), "a rule needs a `level`");
            None
        }
    };
    let lang = match t.get("lang") {
        Some(v) => r.string(v, "lang").and_then(|s| {
            let l = Lang::parse(&s);
            if l.is_none() {
                r.error(
                    v.span(),
                    format!("unknown lang `{s}` (expected en, es or any)"),
                );
            }
            l
        }),
        None => Some(lang),
    };
    let reason = match t.get("reason") {
        Some(v) => r.string(v, "reason").filter(|s| {
            let ok = !s.trim().is_empty();
            if !ok {
                r.error(v.span(), "`reason` must not be empty: members read it");
            }
            ok
        }),
        None => {
            r.error(
                here.clone(),
                "a rule needs a `reason` (shown to the member)",
            );
            None
        }
    };
    let phrases = t
        .get("phrases")
        .map(|v| r.terms(v, "phrases", &[]))
        .unwrap_or_default();
    let mut near = Vec::new();
    if let Some(v) = t.get("near") {
        match v.get_ref() {
            DeValue::Array(groups) => {
                for g in groups.iter() {
                    let terms = r.terms(g, "near", &[Term::Number]);
                    if terms.is_empty() {
                        r.error(g.span(), "an empty `near` group can never match");
                    }
                    near.push(terms);
                }
                if near.len() == 1 {
                    r.error(
                        v.span(),
                        "`near` needs two or more groups (one group alone: use `phrases`)",
                    );
                }
                if near.len() > 8 {
                    r.error(v.span(), "`near` takes at most 8 groups");
                }
            }
            other => {
                let msg = format!("`near` must be a list of groups, not {}", other.type_str());
                r.error(v.span(), msg);
            }
        }
    }
    let window = t
        .get("window")
        .and_then(|v| r.window(v, "window"))
        .unwrap_or(DEFAULT_WINDOW);
    let sentences = t
        .get("sentences")
        .and_then(|v| r.whole_number(v, "sentences", MAX_SENTENCES))
        .unwrap_or(1);
    let unless = t
        .get("unless")
        .map(|v| r.terms(v, "unless", &[]))
        .unwrap_or_default();
    let unless_term = t
        .get("unless_term")
        .map(|v| r.terms(v, "unless_term", &[]))
        .unwrap_or_default();
    let context = match t.get("context") {
        Some(v) => match v.get_ref() {
            DeValue::Boolean(true) => ContextKinds::ALL,
            DeValue::Boolean(false) => ContextKinds::NONE,
            DeValue::Array(_) => {
                let mut kinds = ContextKinds::NONE;
                for (name, span) in r.strings(v, "context") {
                    match CueKind::parse(&name).filter(|k| k.suppresses()) {
                        Some(k) => kinds = kinds.with(k),
                        None => r.error(
                            span,
                            format!(
                                "unknown context kind `{name}` (expected negation, resolution, \
                                 historical or hypothetical)"
                            ),
                        ),
                    }
                }
                kinds
            }
            _ => {
                r.error(
                    v.span(),
                    "`context` must be true, false or a list such as [\"negation\", \"historical\"]",
                );
                ContextKinds::ALL
            }
        },
        None => ContextKinds::ALL,
    };
    let idioms = r.flag(t.get("idioms"), "idioms", true);
    let examples = |r: &mut Reader<'_>, key: &str| -> Vec<ExampleDef> {
        t.get(key)
            .map(|v| r.strings(v, key))
            .unwrap_or_default()
            .into_iter()
            .map(|(text, span)| ExampleDef {
                text,
                loc: r.loc(span),
            })
            .collect()
    };
    let fire = examples(r, "fire");
    let pass = examples(r, "pass");
    if phrases.is_empty()
        && near.is_empty()
        && t.get("phrases").is_none()
        && t.get("near").is_none()
    {
        r.error(here.clone(), "a rule needs `phrases`, `near` or both");
    } else if phrases.is_empty() && near.is_empty() {
        r.error(
            here.clone(),
            "the rule has no usable phrase: it can never fire",
        );
    }
    if fire.is_empty() {
        r.error(here.clone(), "a rule needs at least one `fire` example");
    }
    if r.problems.len() > before {
        return None;
    }
    Some(RuleDef {
        id: id?,
        level: level?,
        lang: lang?,
        set,
        reason: reason?,
        phrases,
        near,
        window,
        sentences,
        unless,
        unless_term,
        context,
        idioms,
        fire,
        pass,
        loc: r.loc(here),
    })
}

fn read_context(r: &mut Reader<'_>, v: &Value<'_>) -> Option<ContextDef> {
    let t = v.get_ref().as_table()?;
    let here = v.span();
    r.check_keys(
        t,
        &[
            "kind",
            "direction",
            "window",
            "within",
            "trailing",
            "verbs",
            "cues",
        ],
        "a context entry",
    );
    let before = r.problems.len();
    let kind = match t.get("kind") {
        Some(v) => r.string(v, "kind").and_then(|s| {
            let k = CueKind::parse(&s);
            if k.is_none() {
                r.error(
                    v.span(),
                    format!(
                        "unknown kind `{s}` (expected negation, resolution, historical, \
                         hypothetical, terminator, present, pseudo or opener)"
                    ),
                );
            }
            k
        }),
        None => {
            r.error(here.clone(), "a context entry needs a `kind`");
            None
        }
    };
    let direction = match t.get("direction") {
        Some(v) => r.string(v, "direction").and_then(|s| {
            let d = match s.as_str() {
                "forward" => Some(Direction::Forward),
                "backward" => Some(Direction::Backward),
                "both" => Some(Direction::Both),
                _ => None,
            };
            if d.is_none() {
                r.error(
                    v.span(),
                    format!("unknown direction `{s}` (expected forward, backward or both)"),
                );
            }
            d
        }),
        None => Some(Direction::Forward),
    };
    let window = t
        .get("window")
        .and_then(|v| r.window(v, "window"))
        .unwrap_or(DEFAULT_CUE_WINDOW);
    let clause_only = r.clause_scope(t.get("within"), "within");
    let trailing_clause = r.clause_scope(t.get("trailing"), "trailing");
    let verbs = r.flag(t.get("verbs"), "verbs", false);
    let cues = match t.get("cues") {
        Some(v) => r.terms(v, "cues", &[Term::Year]),
        None => {
            r.error(here.clone(), "a context entry needs `cues`");
            Vec::new()
        }
    };
    if r.problems.len() > before {
        return None;
    }
    Some(ContextDef {
        kind: kind?,
        direction: direction?,
        window,
        clause_only,
        trailing_clause,
        verbs,
        cues,
    })
}
