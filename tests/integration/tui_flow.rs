//! The TUI in-process: key scripts through `App::handle_key`, effects
//! performed through a real `Store` on a temporary repository, and every
//! screen rendered to a `TestBackend` and snapshotted (fixed clock).

use std::collections::BTreeMap;

use chrono::DateTime;
use tempfile::TempDir;
use tenken::model::{Answer, Draft, FORMAT, Lang};
use tenken::store::Store;
use tenken::tui::keymap::ScreenId;
use tenken::tui::{App, Effect};

use crate::support::TestEnv;
use crate::tui_support::{
    clock, git, id, new_repo, open_app, press, render, sato, screen_text, type_text,
};

/// A repository with three quarters of self-check history for `self`.
struct Fixture {
    _env: TestEnv,
    _dir: TempDir,
    store: Store,
}

fn fixture() -> Fixture {
    let (env, dir, store) = new_repo();
    let catalog = store.catalog().unwrap();
    let self_check = &catalog.inspections[&id("ipa-self-check")];
    // Quarter by quarter the company gets better, with one regression.
    for (at, yes_upto, regress) in [
        ("2026-04-20T10:00:00+09:00", 12, None),
        ("2026-07-21T10:00:00+09:00", 17, None),
        ("2026-10-22T10:00:00+09:00", 20, Some("3")),
    ] {
        let mut answers = BTreeMap::new();
        for (n, (_, item)) in self_check.items().enumerate() {
            let choice = match (n < yes_upto, regress == Some(item.id.as_str())) {
                (_, true) => "no",
                (true, false) => "yes",
                (false, false) => "partly",
            };
            let mut a = Answer::new(id(choice));
            if choice == "no" {
                a.note = "Password rules lapsed after the office move.".into();
            }
            answers.insert(item.id.clone(), a);
        }
        let draft = Draft {
            format: FORMAT,
            inspection: id("ipa-self-check"),
            inspection_version: self_check.version,
            inspection_hash: None,
            subject: id("self"),
            inspector: sato(),
            started: DateTime::parse_from_rfc3339(at).unwrap(),
            answers,
            cursor: 0,
            supersedes: None,
            closes: Vec::new(),
        };
        store.commit_run(draft, &catalog, clock(at)).unwrap();
    }
    Fixture {
        _env: env,
        _dir: dir,
        store,
    }
}

fn app(f: &Fixture, lang: Lang) -> App {
    open_app(&f.store, lang)
}

#[test]
fn walking_a_checklist_saves_after_every_answer_and_commits_once() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    assert_eq!(app.screen_id(), ScreenId::Walker);
    let effects = press(&f.store, &mut app, "1 1 2 1 1");
    let saves = effects
        .iter()
        .filter(|e| matches!(e, Effect::SaveDraft(_)))
        .count();
    assert!(saves >= 5, "a draft save per answer, got {effects:?}");
    let Some(Effect::SaveDraft(last)) = effects
        .iter()
        .rev()
        .find(|e| matches!(e, Effect::SaveDraft(_)))
    else {
        unreachable!()
    };
    assert_eq!(last.answers.len(), 5);
    let on_disk = f
        .store
        .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
        .unwrap()
        .unwrap();
    assert_eq!(on_disk.answers.len(), 5);
    assert_eq!(on_disk.answers[&id("3")].choice, id("partly"));

    let commits_before = git(f.store.root(), &["rev-list", "--count", "HEAD"]);
    press(&f.store, &mut app, "f");
    assert_eq!(app.screen_id(), ScreenId::Finish);
    let effects = press(&f.store, &mut app, "y");
    assert_eq!(
        effects
            .iter()
            .filter(|e| matches!(e, Effect::CommitRun(_)))
            .count(),
        1
    );
    assert_eq!(app.screen_id(), ScreenId::Dashboard);
    let commits_after = git(f.store.root(), &["rev-list", "--count", "HEAD"]);
    assert_eq!(
        commits_before.trim().parse::<u32>().unwrap() + 1,
        commits_after.trim().parse::<u32>().unwrap()
    );
    let subject = git(f.store.root(), &["log", "-1", "--format=%an|%s"]);
    assert_eq!(
        subject,
        "Sato Hanako|run: ipa-five-principles for self — 9/10\n"
    );
    assert!(
        f.store
            .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
            .unwrap()
            .is_none()
    );
    assert!(
        app.status_text()
            .unwrap_or_default()
            .starts_with("Committed"),
        "{:?}",
        app.status
    );
}

#[test]
fn a_required_note_is_asked_for_before_moving_on() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    // "no" on item 1 requires a note: the editor opens and the walker stays.
    press(&f.store, &mut app, "3");
    insta::assert_snapshot!("walker_note_required", render(&mut app, 80, 24).backend());
    // Leaving the editor empty keeps the item open.
    press(&f.store, &mut app, "Esc j");
    let draft = f
        .store
        .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
        .unwrap()
        .unwrap();
    assert_eq!(draft.cursor, 0, "still on item 1");
    press(&f.store, &mut app, "n N o Space E D R Enter");
    let draft = f
        .store
        .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
        .unwrap()
        .unwrap();
    assert_eq!(draft.answers[&id("1")].note, "No EDR");
    assert_eq!(draft.cursor, 1, "the note released the walker");
    let screen = format!("{}", render(&mut app, 80, 24).backend());
    assert!(
        !screen.contains("needs a note"),
        "the notice goes once the note is written: {screen}"
    );
}

#[test]
fn leaving_and_resuming_keeps_every_answer() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&f.store, &mut app, "1 2 q");
    assert_eq!(app.screen_id(), ScreenId::Dashboard);
    // A new session offers the draft.
    let mut app = self::app(&f, Lang::En);
    insta::assert_snapshot!("dashboard_with_draft", render(&mut app, 80, 24).backend());
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    assert_eq!(app.screen_id(), ScreenId::Picker, "asks resume or discard");
    press(&f.store, &mut app, "r");
    assert_eq!(app.screen_id(), ScreenId::Walker);
    press(&f.store, &mut app, "1 1 1 f y");
    let last = git(f.store.root(), &["log", "-1", "--format=%s"]);
    assert_eq!(last, "run: ipa-five-principles for self — 9/10\n");
}

/// Issue 17: Esc quit the dashboard without asking, and Ctrl-C was
/// ignored in the walker. Esc goes back and never quits; Ctrl-C leaves
/// from every screen keeping the draft; q asks while a draft of this
/// session is open.
#[test]
fn esc_never_quits_ctrl_c_leaves_everywhere_and_q_asks_about_open_drafts() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "Esc Esc");
    assert!(!app.quitting);
    assert_eq!(app.screen_id(), ScreenId::Dashboard);
    assert!(
        app.status_text()
            .unwrap_or_default()
            .contains("press q to quit"),
        "{:?}",
        app.status
    );

    // Ctrl-C in the walker, while the note editor is open: leaves, and
    // the draft is saved once more as it stands.
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    let effects = press(&f.store, &mut app, "1 n C-c");
    assert!(app.quitting, "Ctrl-C left from the walker");
    let saved: Vec<&Draft> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveDraft(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(saved.last().map(|d| d.answers.len()), Some(1));
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert!(
        app.status_text().unwrap_or_default().contains("Draft kept"),
        "{:?}",
        app.status
    );

    // q on the dashboard quits at once with no draft of this session open,
    let mut app = self::app(&f, Lang::En);
    press(&f.store, &mut app, "q");
    assert!(app.quitting);
    // and asks once one is (n stays, y quits).
    let mut app = self::app(&f, Lang::En);
    app.open_run(&id("ipa-self-check"), &id("self")).unwrap();
    press(&f.store, &mut app, "n 1 q");
    assert_eq!(app.screen_id(), ScreenId::Dashboard);
    press(&f.store, &mut app, "q");
    assert!(!app.quitting);
    assert!(
        app.status_text()
            .unwrap_or_default()
            .contains("quit anyway?"),
        "{:?}",
        app.status
    );
    press(&f.store, &mut app, "n");
    assert!(!app.quitting);
    press(&f.store, &mut app, "q y");
    assert!(app.quitting);
}

#[test]
fn carried_answers_stay_marked_until_confirmed() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    app.open_run(&id("ipa-self-check"), &id("self")).unwrap();
    assert_eq!(
        app.screen_id(),
        ScreenId::Picker,
        "offers to carry the previous run"
    );
    press(&f.store, &mut app, "y");
    assert_eq!(app.screen_id(), ScreenId::Walker);
    // Confirm item 1, change item 2, leave the rest carried.
    press(&f.store, &mut app, "Enter 2");
    insta::assert_snapshot!("walker_carried", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "f");
    insta::assert_snapshot!("finish_with_carried", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "y");
    let runs = f.store.runs(&f.store.catalog().unwrap()).unwrap();
    let latest = runs.last().unwrap();
    assert!(!latest.answers[&id("1")].carried);
    assert!(!latest.answers[&id("2")].carried);
    assert_eq!(latest.answers[&id("2")].choice, id("partly"));
    assert_eq!(latest.carried_count(), 23);
}

#[test]
fn screens_at_80x24() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    insta::assert_snapshot!("dashboard", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "?");
    insta::assert_snapshot!("help_dashboard", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "Esc h");
    insta::assert_snapshot!("history", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "Enter");
    insta::assert_snapshot!("run_view", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "Esc Esc r");
    insta::assert_snapshot!("picker_subject", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "Enter");
    insta::assert_snapshot!("picker_inspection", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "Enter n");
    insta::assert_snapshot!("walker_fresh", render(&mut app, 80, 24).backend());
}

#[test]
fn wide_japanese_and_too_small_terminals() {
    let f = fixture();
    let mut app = app(&f, Lang::Ja);
    insta::assert_snapshot!("dashboard_ja", render(&mut app, 80, 24).backend());
    insta::assert_snapshot!(
        "dashboard_120x40",
        render(&mut self::app(&f, Lang::En), 120, 40).backend()
    );
    // 60×20 is the smallest size drawn (tui_sizes); one less either way
    // is too small.
    insta::assert_snapshot!("too_small", render(&mut app, 59, 20).backend());
    let screen = format!("{}", render(&mut app, 60, 19).backend());
    assert!(screen.contains("60×19 < 60×20"), "{screen}");
    let mut app = app;
    app.open_run(&id("ipa-self-check"), &id("self")).unwrap();
    press(&f.store, &mut app, "n");
    insta::assert_snapshot!("walker_ja", render(&mut app, 80, 24).backend());
}

#[test]
fn hostile_text_from_data_is_escaped_on_screen() {
    let f = fixture();
    let path = f.store.root().join("subjects.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "name: \"Example KK\"",
        "name: \"Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J Co\"",
    );
    std::fs::write(&path, text).unwrap();
    let mut app = app(&f, Lang::En);
    let terminal = render(&mut app, 80, 24);
    let screen = format!("{}", terminal.backend());
    assert!(
        !screen.contains('\u{1b}'),
        "no raw escape reaches the screen"
    );
    assert!(
        screen.contains("Evil\\u{1b}]0;pwne"),
        "shown escaped: {screen}"
    );
}

#[test]
fn compare_this_quarter_with_last_and_the_trend() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    // The first recent run is the latest self-check (2026-10-22, with a
    // regression on item 3 against July).
    press(&f.store, &mut app, "j j j j c");
    assert_eq!(app.screen_id(), ScreenId::Compare, "{:?}", app.status);
    let screen = format!("{}", render(&mut app, 80, 24).backend());
    assert!(
        screen.contains("2026-07-21 84/100 (84%) → 2026-10-22 86/100 (86%)"),
        "{screen}"
    );
    assert!(screen.contains("▼1 regressed"), "{screen}");
    insta::assert_snapshot!("compare", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "v");
    insta::assert_snapshot!("compare_changed_only", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "Esc t");
    assert_eq!(app.screen_id(), ScreenId::Trend);
    insta::assert_snapshot!("trend", render(&mut app, 80, 24).backend());
}

#[test]
fn history_compares_a_marked_run_with_the_selected_one() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    // Newest first: mark the April run (third row), compare with the latest.
    press(&f.store, &mut app, "h j j m k k c");
    assert_eq!(app.screen_id(), ScreenId::Compare);
    let screen = format!("{}", render(&mut app, 80, 24).backend());
    assert!(
        screen.contains("2026-04-20 74/100 (74%) → 2026-10-22 86/100 (86%)"),
        "{screen}"
    );
}

#[test]
fn every_field_answers_the_same_keys() {
    // Issue 16: one text field everywhere (Enter saves, Esc cancels, the
    // same editing keys), pastes reach only an open field.
    let f = fixture();
    let mut app = app(&f, Lang::En);
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    let note = |f: &Fixture| {
        f.store
            .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
            .unwrap()
            .unwrap()
            .answers[&id("1")]
            .note
            .clone()
    };
    press(&f.store, &mut app, "2 b n");
    type_text(&f.store, &mut app, "first line");
    press(&f.store, &mut app, "C-w");
    type_text(&f.store, &mut app, "words");
    press(&f.store, &mut app, "A-Enter");
    app.handle_paste("pasted 1\n2".into());
    let screen = screen_text(&mut app);
    assert!(
        screen.contains("first words") && screen.contains("pasted 1"),
        "{screen}"
    );
    assert!(
        screen.contains("Alt-Enter new line"),
        "the footer shows the note's keys: {screen}"
    );
    press(&f.store, &mut app, "F1");
    assert!(
        screen_text(&mut app).contains("delete word"),
        "F1 lists the field's keys"
    );
    press(&f.store, &mut app, "x");
    // Esc on a changed note asks once, then drops what was typed.
    press(&f.store, &mut app, "Esc");
    assert!(screen_text(&mut app).contains("Esc again drops the changes"));
    press(&f.store, &mut app, "Esc");
    assert_eq!(note(&f), "", "cancelled");
    press(&f.store, &mut app, "n");
    type_text(&f.store, &mut app, "kept");
    press(&f.store, &mut app, "Home Delete Enter");
    assert_eq!(note(&f), "ept", "Enter saves");
    // A paste with no field open presses no key: item 1 stays unchanged.
    let effects = app.handle_paste("3".into());
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.screen_id(), ScreenId::Walker);

    // The history filter: the table follows the text, Esc restores the
    // filter before, Enter keeps it.
    press(&f.store, &mut app, "q h /");
    type_text(&f.store, &mut app, "zzz");
    assert!(screen_text(&mut app).contains("(0 runs)"));
    press(&f.store, &mut app, "Esc");
    assert!(screen_text(&mut app).contains("3 runs · / to filter"));
    press(&f.store, &mut app, "/");
    type_text(&f.store, &mut app, "2026-10");
    press(&f.store, &mut app, "Enter");
    let screen = screen_text(&mut app);
    assert!(screen.contains("Filter: 2026-10  (1 runs)"), "{screen}");
}
