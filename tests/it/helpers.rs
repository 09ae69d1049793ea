//! Shared helpers: fixture paths and screeners.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use careline::screening::Screener;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The small, stable fixture rule set used to test the engine itself.
pub fn fixture_screener() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| {
        Screener::load(root().join("tests/fixtures/rules")).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The rule set Careline ships.
pub fn shipped_screener() -> &'static Screener {
    shipped_arc()
}

/// The rule set Careline ships, shareable (loaded once per test binary).
pub fn shipped_arc() -> &'static Arc<Screener> {
    static S: OnceLock<Arc<Screener>> = OnceLock::new();
    S.get_or_init(|| {
        Arc::new(Screener::load(root().join("rules")).unwrap_or_else(|e| panic!("{e}")))
    })
}

/// Copies the fixture rules into a fresh temporary folder that a test may break.
pub fn scratch_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/fixtures/rules"), dir.path());
    dir
}

/// Copies a folder and everything below it.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
