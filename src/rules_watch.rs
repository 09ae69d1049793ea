//! Live rule reload: the running bot and console pick up edits to the rules
//! folder without a restart, and never run on a broken or partial rule set.
//!
//! Two pieces:
//!
//! - [`RulesHandle`]: the rule set in force, shared by every adapter. A turn
//!   reads it once with [`RulesHandle::current`] (an `Arc<Screener>`), so a
//!   turn sees one rule set from start to end even if a reload lands midway.
//!   [`RulesHandle::reload`] builds a complete new set with
//!   [`Screener::load`] (which validates every file, refuses a set without
//!   emergency rules, and runs every rule's `fire`/`pass` examples) and swaps
//!   it in only if all of that passes. On any problem the last good set stays
//!   in force, each problem is logged as `path:line:col: what is wrong`, and
//!   [`RulesHandle::status`] reports it until a later reload succeeds.
//! - [`RulesWatcher`]: a background thread that polls the folder and calls
//!   the reload when it has changed and then stayed unchanged for one poll
//!   interval (500 ms by default).
//!
//! ```
//! use std::sync::Arc;
//! use careline::rules_watch::RulesWatcher;
//! use careline::screening::Screener;
//!
//! // Refuses to start on invalid rules, or without emergency rules.
//! let (rules, watcher) = RulesWatcher::load("rules")?;
//! let screener: Arc<Screener> = rules.current(); // once per turn
//! assert!(rules.status().last_error.is_none()); // the last reload's problems, if any
//! drop(watcher); // stops watching
//! # Ok::<(), careline::screening::RulesError>(())
//! ```
//!
//! # Why polling, and why a lock
//!
//! The watcher lists the folder (recursively, following symbolic links) every
//! interval and compares each file's path, size and modification time with
//! the previous listing: std only, no new dependency, and nothing to get wrong
//! when an editor saves by writing a temporary file and renaming it over the
//! original, when a deploy swaps a symlinked folder, or when the folder is
//! briefly empty or missing mid-save (inotify-style watchers lose track of
//! replaced files and folders and need care for each case; a listing does
//! not). The folder is small (tens of files), so a listing every 500 ms costs
//! next to nothing. The debounce waits until two consecutive listings agree;
//! a listing with no rule file at all (empty or missing folder, the usual
//! mid-save state) must stay so for [`INCOMPLETE_POLLS`] polls before it is
//! tried and reported. A load during which the folder changed again is
//! discarded unseen and retried once the folder settles, so a half-written
//! file is never swapped in even when it happens to parse.
//!
//! The rule set is an `RwLock<Arc<Screener>>` rather than the `arc-swap`
//! crate: a turn takes the read lock once, for the time of an `Arc` clone,
//! next to several database round trips; the only writer is a reload, which
//! holds the lock for a pointer swap (building the set happens outside it).
//! Contention is therefore nil and a dependency buys nothing.
//!
//! Nothing here logs member text: only rule-file locations and problems.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock, mpsc};
use std::time::{Duration, SystemTime};

use crate::screening::{Problem, RulesError, Screener, Stats};

/// How often the watcher lists the rules folder by default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(500);

/// How many unchanged polls a listing without any rule file (an empty or
/// missing folder, often a save in progress) needs before it is loaded and
/// its error reported. A listing with rule files needs one.
pub const INCOMPLETE_POLLS: u32 = 4;

/// A failed reload: the set in force did not change.
#[derive(Debug, Clone)]
pub struct ReloadFailure {
    /// When the reload was tried.
    pub at: jiff::Timestamp,
    /// Every problem found, each displayed as `path:line:col: what is wrong`.
    pub problems: Vec<Problem>,
}

impl ReloadFailure {
    /// The problems, one `path:line:col: what is wrong` a line.
    pub fn lines(&self) -> String {
        self.problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// What admins see about the rule set in force.
#[derive(Debug, Clone)]
pub struct RulesStatus {
    /// The fingerprint of the set in force.
    pub fingerprint: String,
    /// Counts of the set in force.
    pub stats: Stats,
    /// When the set in force was loaded.
    pub loaded_at: jiff::Timestamp,
    /// Why the last reload failed, if it did (the set in force is then the
    /// last good one). Cleared by the next successful reload.
    pub last_error: Option<ReloadFailure>,
    /// Reloads tried so far (successful or not).
    pub attempts: u64,
}

type Listener = Box<dyn Fn(&RulesStatus) + Send + Sync>;

struct InForce {
    screener: Arc<Screener>,
    loaded_at: jiff::Timestamp,
    last_error: Option<ReloadFailure>,
    attempts: u64,
}

struct Shared {
    in_force: RwLock<InForce>,
    /// Serializes reloads, so listeners see them in order.
    reloading: Mutex<()>,
    listeners: Mutex<Vec<Listener>>,
}

/// The rule set in force, swappable as a whole; cheap to clone (all clones
/// share it).
#[derive(Clone)]
pub struct RulesHandle {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for RulesHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RulesHandle")
            .field("fingerprint", &self.current().fingerprint())
            .finish_non_exhaustive()
    }
}

impl RulesHandle {
    /// A handle whose set in force is `screener`, loaded now.
    pub fn new(screener: Arc<Screener>) -> Self {
        Self {
            shared: Arc::new(Shared {
                in_force: RwLock::new(InForce {
                    screener,
                    loaded_at: jiff::Timestamp::now(),
                    last_error: None,
                    attempts: 0,
                }),
                reloading: Mutex::new(()),
                listeners: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The set in force. Take it once per turn and screen the whole turn
    /// with it.
    pub fn current(&self) -> Arc<Screener> {
        Arc::clone(&self.read().screener)
    }

    /// The set in force, when it was loaded, and the last reload error.
    pub fn status(&self) -> RulesStatus {
        let s = self.read();
        RulesStatus {
            fingerprint: s.screener.fingerprint().to_string(),
            stats: s.screener.stats().clone(),
            loaded_at: s.loaded_at,
            last_error: s.last_error.clone(),
            attempts: s.attempts,
        }
    }

    /// Calls `f` with the new status after every reload (successful or
    /// not), on the thread that reloaded. Keep it short; it must not call
    /// [`RulesHandle::reload`].
    pub fn on_change(&self, f: impl Fn(&RulesStatus) + Send + Sync + 'static) {
        self.shared
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Box::new(f));
    }

    /// Loads `dir` with [`Screener::load`] and swaps the new set in if it is
    /// complete and valid; otherwise keeps the set in force and records the
    /// problems (see [`RulesHandle::status`]). Logs the outcome. Blocks for
    /// the time of a load (about 0.1 s for the shipped rules, optimized).
    pub fn reload(&self, dir: &Path) -> Result<(), RulesError> {
        let _one_at_a_time = self
            .shared
            .reloading
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.apply(dir, Screener::load(dir))
    }

    /// Swaps in a loaded set, or records why loading failed. The caller
    /// holds `reloading`.
    fn apply(&self, dir: &Path, loaded: Result<Screener, RulesError>) -> Result<(), RulesError> {
        let result = {
            let mut s = self
                .shared
                .in_force
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            s.attempts += 1;
            match loaded {
                Ok(screener) => {
                    let unchanged = screener.fingerprint() == s.screener.fingerprint();
                    let stats = screener.stats();
                    if unchanged && s.last_error.is_none() {
                        tracing::debug!(
                            folder = %dir.display(),
                            "rules folder touched; rules unchanged"
                        );
                    } else {
                        tracing::info!(
                            folder = %dir.display(),
                            fingerprint = screener.fingerprint(),
                            files = stats.files,
                            rules = stats.rules,
                            by_level = %by_level(stats),
                            examples = stats.examples,
                            patterns = stats.patterns,
                            "rules reloaded"
                        );
                    }
                    if !unchanged {
                        s.screener = Arc::new(screener);
                        s.loaded_at = jiff::Timestamp::now();
                    }
                    s.last_error = None;
                    Ok(())
                }
                Err(e) => {
                    tracing::error!(
                        folder = %dir.display(),
                        problems = e.problems.len(),
                        in_force = s.screener.fingerprint(),
                        loaded_at = %s.loaded_at,
                        "rules reload refused; the last good rules stay in force"
                    );
                    for p in &e.problems {
                        tracing::warn!("{p}");
                    }
                    s.last_error = Some(ReloadFailure {
                        at: jiff::Timestamp::now(),
                        problems: e.problems.clone(),
                    });
                    Err(e)
                }
            }
        };
        let status = self.status();
        for listener in self
            .shared
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            listener(&status);
        }
        result
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, InForce> {
        self.shared
            .in_force
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn by_level(stats: &Stats) -> String {
    stats
        .rules_by_level
        .iter()
        .map(|(level, n)| format!("{n} {level}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Watches a rules folder and reloads a [`RulesHandle`] when it changes.
/// Stops when dropped (within one poll interval, or once a load under way
/// finishes).
#[derive(Debug)]
pub struct RulesWatcher {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RulesWatcher {
    /// Loads `dir` with [`Screener::load`] and watches it every
    /// [`DEFAULT_INTERVAL`]. The folder is listed before it is loaded, so an
    /// edit saved during the load is picked up too. Refuses a set that
    /// [`Screener::load`] refuses (for a program's start: never run without
    /// valid rules).
    pub fn load(dir: impl Into<PathBuf>) -> Result<(RulesHandle, Self), RulesError> {
        let dir = dir.into();
        let listing = Listing::of(&dir);
        let rules = RulesHandle::new(Arc::new(Screener::load(&dir)?));
        let watcher = Self::start(dir, rules.clone(), DEFAULT_INTERVAL, listing);
        Ok((rules, watcher))
    }

    /// Watches `dir` every [`DEFAULT_INTERVAL`] and reloads `rules` from it.
    /// The folder as it is now is taken as the one `rules` was loaded from;
    /// prefer [`RulesWatcher::load`], which lists it before loading.
    pub fn spawn(dir: impl Into<PathBuf>, rules: RulesHandle) -> Self {
        Self::with_interval(dir, rules, DEFAULT_INTERVAL)
    }

    /// Like [`RulesWatcher::spawn`], polling every `interval`.
    pub fn with_interval(dir: impl Into<PathBuf>, rules: RulesHandle, interval: Duration) -> Self {
        let dir = dir.into();
        let listing = Listing::of(&dir);
        Self::start(dir, rules, interval, listing)
    }

    fn start(dir: PathBuf, rules: RulesHandle, interval: Duration, loaded: Listing) -> Self {
        let (stop, stopped) = mpsc::channel();
        tracing::info!(
            folder = %dir.display(),
            interval_ms = interval.as_millis() as u64,
            "watching the rules folder for changes"
        );
        // Like `std::thread::spawn`, panics only if the OS cannot start a thread.
        let thread = std::thread::Builder::new()
            .name("rules-watch".into())
            .spawn(move || watch(&dir, &rules, interval, loaded, &stopped))
            .expect("starting the rules watcher thread");
        Self {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Stops watching and waits for the thread to end.
    pub fn stop(mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for RulesWatcher {
    fn drop(&mut self) {
        // Dropping the sender wakes the thread, which then ends.
        self.stop.take();
    }
}

/// The watch loop: see the module documentation.
fn watch(
    dir: &Path,
    rules: &RulesHandle,
    interval: Duration,
    mut loaded: Listing,
    stopped: &mpsc::Receiver<()>,
) {
    let mut seen = loaded.clone();
    let mut stable = 0u32;
    while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(interval) {
        let now = Listing::of(dir);
        if now != seen {
            seen = now;
            stable = 0;
            continue;
        }
        if seen == loaded {
            continue;
        }
        stable += 1;
        let needed = if seen.has_rule_files() {
            1
        } else {
            INCOMPLETE_POLLS
        };
        if stable < needed {
            continue;
        }
        let _one_at_a_time = rules
            .shared
            .reloading
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let result = Screener::load(dir);
        let after = Listing::of(dir);
        if after != seen {
            tracing::debug!(
                folder = %dir.display(),
                "rules changed while loading; waiting for them to settle"
            );
            seen = after;
            stable = 0;
            continue;
        }
        loaded = seen.clone();
        let _ = rules.apply(dir, result);
    }
}

/// What a folder holds: every file's path, size and modification time, or
/// that it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listing(Option<Vec<Entry>>);

/// A file's path, and its size and modification time if it could be read.
type Entry = (PathBuf, Option<(u64, Option<SystemTime>)>);

impl Listing {
    fn of(dir: &Path) -> Self {
        let mut files = Vec::new();
        if list(dir, 0, &mut files).is_err() {
            return Self(None);
        }
        files.sort();
        Self(Some(files))
    }

    /// Whether any rule file is there (else the folder is empty, missing,
    /// or holds only word lists: probably mid-save).
    fn has_rule_files(&self) -> bool {
        self.0.as_ref().is_some_and(|files| {
            files
                .iter()
                .any(|(p, _)| p.extension().is_some_and(|e| e == "toml"))
        })
    }
}

// Deep enough for any sensible rules folder; stops symbolic-link loops
// (loading refuses a deeper folder, so the two agree).
use crate::screening::MAX_DEPTH;

fn list(dir: &Path, depth: usize, out: &mut Vec<Entry>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // Follows symbolic links, as reading the rules does.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                if depth < MAX_DEPTH {
                    // A subfolder that vanished mid-listing shows as an entry
                    // without metadata; the next listing sees the change.
                    if list(&path, depth + 1, out).is_err() {
                        out.push((path, None));
                    }
                }
            }
            Ok(m) => out.push((path, Some((m.len(), m.modified().ok())))),
            Err(_) => out.push((path, None)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
[[rule]]
id = "chest"
level = "emergency"
reason = "Chest pain can be a heart attack."
phrases = ["crushing chest pain"]
fire = ["crushing chest pain right now"]
"#;

    #[test]
    fn a_listing_sees_added_changed_and_removed_files() {
        let dir = tempfile::tempdir().unwrap();
        let empty = Listing::of(dir.path());
        assert_eq!(empty, Listing(Some(Vec::new())));
        assert!(!empty.has_rule_files());
        std::fs::create_dir(dir.path().join("en")).unwrap();
        std::fs::write(dir.path().join("en/a.toml"), RULE).unwrap();
        let one = Listing::of(dir.path());
        assert!(one.has_rule_files());
        assert_ne!(one, empty);
        std::fs::write(dir.path().join("en/a.toml"), format!("{RULE}\n")).unwrap();
        let changed = Listing::of(dir.path());
        assert_ne!(changed, one, "a size change is seen");
        std::fs::remove_file(dir.path().join("en/a.toml")).unwrap();
        assert_eq!(Listing::of(dir.path()), Listing(Some(Vec::new())));
        assert_eq!(Listing::of(&dir.path().join("missing")), Listing(None));
        assert!(!Listing(None).has_rule_files());
    }

    #[test]
    fn a_failed_reload_keeps_the_set_in_force_and_a_good_one_clears_the_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), RULE).unwrap();
        let handle = RulesHandle::new(Arc::new(Screener::load(dir.path()).unwrap()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        handle.on_change({
            let seen = Arc::clone(&seen);
            move |s| seen.lock().unwrap().push(s.last_error.is_some())
        });
        let before = handle.status();

        std::fs::write(dir.path().join("a.toml"), "[[rule]\n").unwrap();
        let err = handle.reload(dir.path()).unwrap_err();
        let status = handle.status();
        assert_eq!(status.fingerprint, before.fingerprint, "still the old set");
        assert_eq!(status.loaded_at, before.loaded_at);
        let failure = status.last_error.expect("the error is reported");
        assert_eq!(failure.problems, err.problems);
        assert!(failure.lines().contains("a.toml:1:"), "{}", failure.lines());

        std::fs::remove_file(dir.path().join("a.toml")).unwrap();
        handle.reload(dir.path()).unwrap_err();
        assert_eq!(handle.status().fingerprint, before.fingerprint);
        assert!(
            handle
                .status()
                .last_error
                .unwrap()
                .lines()
                .contains("holds no rule"),
            "an empty folder is refused"
        );

        std::fs::write(
            dir.path().join("a.toml"),
            RULE.replace("\"emergency\"", "\"urgent\""),
        )
        .unwrap();
        handle.reload(dir.path()).unwrap_err();
        assert_eq!(handle.status().fingerprint, before.fingerprint);
        let lines = handle.status().last_error.unwrap().lines();
        assert!(lines.contains("no emergency rule"), "{lines}");

        std::fs::write(
            dir.path().join("a.toml"),
            RULE.replace(
                "\"crushing chest pain\"",
                "\"crushing chest pain\", \"chest agony\"",
            ),
        )
        .unwrap();
        handle.reload(dir.path()).unwrap();
        let status = handle.status();
        assert!(status.last_error.is_none());
        assert_ne!(status.fingerprint, before.fingerprint);
        assert_eq!(status.attempts, 4);
        let level = handle
            .current()
            .screen("chest agony", crate::screening::Field::Details)
            .level;
        assert_eq!(level, crate::screening::Level::Emergency);
        assert_eq!(*seen.lock().unwrap(), [true, true, true, false]);
    }
}
