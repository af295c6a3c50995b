//! The TUI reads history through the derived index (issue 15) as the read
//! commands do: every screen that shows runs draws the same whether the
//! index was just built from git, read as saved, rebuilt after it was
//! deleted or damaged, or could not be saved at all (then each start
//! builds it from git, as `TENKEN_INDEX=off` does for the commands).

use std::path::Path;

use tenken::model::Lang;
use tenken::store::Store;

use crate::index::corrections_repo;
use crate::support::TestEnv;
use crate::tui_support::{open_app, press, render};

/// Keys from the dashboard to each screen that shows runs, drawn after
/// each step: the dashboard, history, the latest run, it compared with
/// the one before, the trend, actions, suppliers, risks.
const STEPS: &[&str] = &[
    "",
    "h",
    "Enter",
    "Esc c",
    "Esc t",
    "Esc Esc a",
    "Esc u",
    "Esc R",
];

/// Opens the TUI on `repo` in both languages and draws every step at
/// 100×40.
fn screens(repo: &Path) -> Vec<String> {
    let store = Store::open(repo).unwrap();
    let mut out = Vec::new();
    for lang in [Lang::En, Lang::Ja] {
        let mut app = open_app(&store, lang);
        for keys in STEPS {
            press(&store, &mut app, keys);
            out.push(format!(
                "{lang:?} after `{keys}`:\n{}",
                render(&mut app, 100, 40).backend()
            ));
        }
    }
    out
}

/// Asserts that `got` draws what `want` drew, screen by screen.
fn assert_same(what: &str, want: &[String], got: &[String]) {
    assert_eq!(want.len(), got.len());
    for (w, g) in want.iter().zip(got) {
        assert_eq!(w, g, "{what}: the screen differs");
    }
}

#[test]
fn tui_screens_draw_the_same_with_a_built_read_rebuilt_or_unsavable_index() {
    let env = TestEnv::new();
    let repo = corrections_repo(&env);
    let index_dir = repo.join(".tenken/index");
    let file = index_dir.join("runs.idx");
    let _ = std::fs::remove_dir_all(&index_dir);

    let built = screens(&repo);
    assert!(file.is_file(), "opening the TUI saves the index it built");
    // What the screens show comes from the whole history: the correction's
    // score (the superseded run's is not current), the runs scored against
    // template version 1 and 2, and the action of a `no` answer.
    let history = &built[1];
    assert!(history.contains("2026-08-20"), "{history}");
    assert!(history.contains("2026-10-20"), "{history}");
    assert!(!history.contains("2026-11-20"), "withdrawn: {history}");
    assert!(built[5].contains("fix it"), "{}", built[5]);

    let saved = std::fs::read(&file).unwrap();
    assert_same("index read as saved", &built, &screens(&repo));

    std::fs::remove_dir_all(&index_dir).unwrap();
    assert_same("index deleted", &built, &screens(&repo));

    // Damage: random bytes, then a truncated file; each is rebuilt.
    let noise: Vec<u8> = (0..saved.len())
        .map(|i| u8::try_from((i * 151 + 7) % 251).unwrap())
        .collect();
    std::fs::write(&file, &noise).unwrap();
    assert_same("index of random bytes", &built, &screens(&repo));
    assert_ne!(std::fs::read(&file).unwrap(), noise, "rebuilt and saved");
    let half = &saved[..saved.len() / 2];
    std::fs::write(&file, half).unwrap();
    assert_same("truncated index", &built, &screens(&repo));
    assert_ne!(std::fs::read(&file).unwrap(), half, "rebuilt and saved");

    // No index can be saved (its folder is a file): built from git on
    // every start.
    std::fs::remove_dir_all(&index_dir).unwrap();
    std::fs::write(&index_dir, b"not a folder").unwrap();
    assert_same("no index at all", &built, &screens(&repo));
    assert!(index_dir.is_file());
}
