//! Helpers shared by the in-process TUI tests: the fixed clock, the test
//! inspector, key scripts performed through a real store, and rendering to
//! a `TestBackend`.

use std::path::Path;

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;
use tenken::clock::Clock;
use tenken::model::Lang;
use tenken::model::{Id, Inspector};
use tenken::store::{Identity, InitOptions, Store};

use crate::support::TestEnv;
use tenken::tui::{self, App, Effect, theme::Theme};

/// The fixed "now" of the TUI tests.
pub const NOW: &str = "2026-11-25T09:00:00+09:00";

/// A clock fixed at `at` (RFC 3339).
pub fn clock(at: &str) -> Clock {
    Clock::Fixed(DateTime::parse_from_rfc3339(at).unwrap())
}

/// An id known to be valid.
pub fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

/// The inspector of every TUI test.
pub fn sato() -> Inspector {
    Inspector {
        id: id("sato"),
        name: "Sato Hanako".into(),
        email: "sato@example.jp".into(),
    }
}

/// One key of a script: a single character, or a name such as `Enter`,
/// `Esc`, `Tab`, `BackTab`, `Up`, `Down`, `Left`, `Right`, `Home`, `End`,
/// `Delete`, `Bs`, `Space`, `F1`, `C-x` (Ctrl-x) or `A-Enter` (Alt-Enter).
pub fn key(token: &str) -> KeyEvent {
    let plain = |code| (code, KeyModifiers::NONE);
    let (code, modifiers) = match token {
        "Enter" => plain(KeyCode::Enter),
        "A-Enter" => (KeyCode::Enter, KeyModifiers::ALT),
        "Esc" => plain(KeyCode::Esc),
        "Tab" => plain(KeyCode::Tab),
        "BackTab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
        "Up" => plain(KeyCode::Up),
        "Down" => plain(KeyCode::Down),
        "Left" => plain(KeyCode::Left),
        "Right" => plain(KeyCode::Right),
        "Home" => plain(KeyCode::Home),
        "End" => plain(KeyCode::End),
        "Delete" => plain(KeyCode::Delete),
        "Bs" | "Backspace" => plain(KeyCode::Backspace),
        "Space" => plain(KeyCode::Char(' ')),
        "F1" => plain(KeyCode::F(1)),
        t if t.starts_with("C-") && t.chars().count() == 3 => (
            KeyCode::Char(t.chars().nth(2).unwrap()),
            KeyModifiers::CONTROL,
        ),
        t if t.chars().count() == 1 => plain(KeyCode::Char(t.chars().next().unwrap())),
        t => panic!("unknown key token {t}"),
    };
    KeyEvent::new(code, modifiers)
}

/// Presses the space-separated keys, performing every effect through the
/// store, and returns the effects in order.
pub fn press(store: &Store, app: &mut App, keys: &str) -> Vec<Effect> {
    let mut all = Vec::new();
    for token in keys.split_whitespace() {
        let effects = app.handle_key(key(token));
        all.extend(effects.iter().cloned());
        tui::drain(store, app, effects);
    }
    all
}

/// Types `text` one character at a time.
pub fn type_text(store: &Store, app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        tui::drain(store, app, effects);
    }
}

/// Opens the dashboard of `store` as [`sato`] at [`NOW`], without colour.
pub fn open_app(store: &Store, lang: Lang) -> App {
    let options = tui::Options {
        lang: Some(lang),
        clock: clock(NOW),
        theme: Theme::plain(),
        restricted: false,
    };
    tui::build_app(store, sato(), options).unwrap()
}

/// Draws the app on a `w`×`h` test terminal.
pub fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|frame| app.render(frame.area(), frame.buffer_mut()))
        .unwrap();
    terminal
}

/// The screen at 80×24 as text.
pub fn screen_text(app: &mut App) -> String {
    format!("{}", render(app, 80, 24).backend())
}

/// Runs the real git CLI in `dir` and returns stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A fresh repository for "Example KK" (profile `sme-standard`, fiscal year
/// from April, English) made by `Store::init` at [`NOW`] by [`sato`], with
/// the test HOME and the temporary folder that must outlive it.
pub fn new_repo() -> (TestEnv, TempDir, Store) {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    let opts = InitOptions {
        organisation: "Example KK".into(),
        profile: id("sme-standard"),
        fiscal_year_start: 4,
        lang: Lang::En,
    };
    let who = Identity::from_inspector(&sato());
    let store = Store::init(&dir.path().join("repo"), &opts, &who, clock(NOW)).unwrap();
    (env, dir, store)
}
