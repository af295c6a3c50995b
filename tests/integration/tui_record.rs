//! The walker keeps the record true (issue 13, the TUI part), in-process
//! through a real store, checked in the files and with `git`: a changed
//! answer never keeps a note written for another answer, a partial run
//! needs its own key, what is typed is in the draft after every key, one
//! draft has one session, and runs are corrected and withdrawn from the
//! run view.

use std::collections::BTreeMap;

use chrono::DateTime;
use tempfile::TempDir;
use tenken::model::{Answer, Draft, FORMAT, Lang, Run};
use tenken::store::Store;
use tenken::tui::App;
use tenken::tui::keymap::ScreenId;

use crate::support::TestEnv;
use crate::tui_support::{clock, git, id, new_repo, open_app, press, sato, screen_text};

/// The note the previous run wrote for item 3 ("Not done").
const OLD_NOTE: &str = "No update server yet.";

/// A repository with one committed self-check of `self` (2026-10-22):
/// item 3 "Not done" with a note and an evidence reference, the other 24
/// items "Done".
struct Fixture {
    _env: TestEnv,
    _dir: TempDir,
    store: Store,
}

fn fixture() -> Fixture {
    let (env, dir, store) = new_repo();
    let catalog = store.catalog().unwrap();
    let template = &catalog.inspections[&id("ipa-self-check")];
    let at = "2026-10-22T10:00:00+09:00";
    let mut answers = BTreeMap::new();
    for (_, item) in template.items() {
        let mut a = Answer::new(id(if item.id.as_str() == "3" { "no" } else { "yes" }));
        if item.id.as_str() == "3" {
            a.note = OLD_NOTE.into();
            a.evidence.push("WSUS report 2026-10".to_owned().into());
        }
        answers.insert(item.id.clone(), a);
    }
    let draft = Draft {
        format: FORMAT,
        inspection: id("ipa-self-check"),
        inspection_version: template.version,
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
    Fixture {
        _env: env,
        _dir: dir,
        store,
    }
}

impl Fixture {
    fn app(&self) -> App {
        open_app(&self.store, Lang::En)
    }

    /// The draft of the self-check on disk.
    fn draft(&self) -> Draft {
        self.store
            .load_draft(&id("sato"), &id("self"), &id("ipa-self-check"))
            .unwrap()
            .expect("a draft on disk")
    }

    /// The draft of `inspection` for `self` on disk.
    fn draft_of(&self, inspection: &str) -> Draft {
        self.store
            .load_draft(&id("sato"), &id("self"), &id(inspection))
            .unwrap()
            .expect("a draft on disk")
    }

    /// The run committed last, read back from the store.
    fn latest(&self) -> Run {
        let catalog = self.store.catalog().unwrap();
        self.store.runs(&catalog).unwrap().pop().unwrap()
    }

    /// Opens the self-check carrying the previous answers over, on item 3.
    fn carried_on_item_3(&self) -> App {
        let mut app = self.app();
        app.open_run(&id("ipa-self-check"), &id("self")).unwrap();
        press(&self.store, &mut app, "y g 3 Enter");
        assert_eq!(app.screen_id(), ScreenId::Walker);
        assert!(screen_text(&mut app).contains("Item 3 · 3 / 25"));
        app
    }
}

#[test]
fn regression_issue_13_a_carried_note_never_stays_on_a_changed_answer() {
    let f = fixture();
    let mut app = f.carried_on_item_3();
    // "Not done" + note becomes "Done": the walker asks before anything
    // else happens on the item.
    press(&f.store, &mut app, "1");
    let screen = screen_text(&mut app);
    assert!(
        screen.contains("Written for “Not done”:") && screen.contains("Does it fit “Done”?"),
        "{screen}"
    );
    assert!(
        screen.contains(OLD_NOTE),
        "the question shows the note: {screen}"
    );
    insta::assert_snapshot!("walker_settle_question", screen);
    // The draft already says what the words were written for.
    let answer = &f.draft().answers[&id("3")];
    assert_eq!(answer.choice, id("yes"));
    assert_eq!(answer.written_for, Some(id("no")));
    // Choice keys and moving on wait for the answer.
    press(&f.store, &mut app, "2 j s");
    assert!(screen_text(&mut app).contains("Item 3 · 3 / 25"));
    assert_eq!(f.draft().answers[&id("3")].choice, id("yes"));
    // Clear: note and evidence go, the walker moves on.
    press(&f.store, &mut app, "x");
    assert!(screen_text(&mut app).contains("Item 4 · 4 / 25"));
    let answer = &f.draft().answers[&id("3")];
    assert_eq!((answer.note.as_str(), answer.evidence.len()), ("", 0));
    assert_eq!(answer.written_for, None);
    press(&f.store, &mut app, "f y");
    assert_eq!(app.screen_id(), ScreenId::Dashboard, "{:?}", app.status);
    let run = f.latest();
    let item3 = &run.answers[&id("3")];
    assert_eq!(item3.choice, id("yes"));
    assert_eq!((item3.note.as_str(), item3.evidence.len()), ("", 0));
    assert!(!item3.carried);
    let file = git(
        f.store.root(),
        &["show", &format!("HEAD:runs/{}.ron", run.id)],
    );
    assert!(!file.contains(OLD_NOTE), "{file}");
    assert!(!file.contains("written_for"), "{file}");
}

#[test]
fn a_changed_answer_whose_choice_needs_a_note_asks_for_one() {
    let f = fixture();
    let mut app = f.carried_on_item_3();
    // "Not done" + note becomes "Don't know", which needs a note: the old
    // note is not taken as the new one without asking.
    press(&f.store, &mut app, "4");
    assert!(screen_text(&mut app).contains("Does it fit “Don't know”?"));
    press(&f.store, &mut app, "x");
    let screen = screen_text(&mut app);
    assert!(
        screen.contains("Item 3: this answer needs a note"),
        "cleared, the note is asked for: {screen}"
    );
    // The editor is open already: nothing tells the inspector to press a
    // key, which would be typed into the note.
    assert!(screen.contains("write it below"), "{screen}");
    assert!(!screen.contains("press n"), "{screen}");
    crate::tui_support::type_text(&f.store, &mut app, "Nobody could say.");
    press(&f.store, &mut app, "Enter");
    assert!(screen_text(&mut app).contains("Item 4 · 4 / 25"));
    press(&f.store, &mut app, "f y");
    let item3 = &f.latest().answers[&id("3")];
    assert_eq!(item3.choice, id("unknown"));
    assert_eq!(item3.note, "Nobody could say.");
    assert_eq!(item3.evidence.len(), 0);
}

#[test]
fn keeping_rewriting_and_undoing_a_changed_answers_note() {
    let f = fixture();
    let mut app = f.carried_on_item_3();
    // Keep: the inspector says the words fit the new answer too.
    press(&f.store, &mut app, "4 y");
    let answer = &f.draft().answers[&id("3")];
    assert_eq!(
        (answer.choice.as_str(), answer.note.as_str()),
        ("unknown", OLD_NOTE)
    );
    assert_eq!(answer.written_for, None);
    assert!(!answer.carried);
    // Rewrite: the note editor opens on the old note; Esc in it goes back
    // to the question, Enter keeps the new text.
    press(&f.store, &mut app, "b 2 n");
    assert_eq!(
        app.screen().unwrap().keys()[0].label,
        "Enter",
        "the note editor"
    );
    press(&f.store, &mut app, "Esc");
    let screen = screen_text(&mut app);
    assert!(screen.contains("Does it fit “Partly done”?"), "{screen}");
    press(&f.store, &mut app, "n C-u");
    crate::tui_support::type_text(&f.store, &mut app, "Two servers left.");
    press(&f.store, &mut app, "Enter");
    let answer = &f.draft().answers[&id("3")];
    assert_eq!(
        (answer.choice.as_str(), answer.note.as_str()),
        ("partly", "Two servers left.")
    );
    assert_eq!(answer.evidence.len(), 1, "shown in the question, kept");
    assert_eq!(answer.written_for, None);
    // Undo: Esc takes the change back exactly.
    press(&f.store, &mut app, "b 1 Esc");
    let answer = &f.draft().answers[&id("3")];
    assert_eq!(
        (answer.choice.as_str(), answer.note.as_str()),
        ("partly", "Two servers left.")
    );
    assert_eq!(answer.written_for, None);
}

#[test]
fn a_question_left_open_by_a_lost_session_is_asked_again_and_blocks_finishing() {
    let f = fixture();
    let mut app = f.carried_on_item_3();
    press(&f.store, &mut app, "1");
    drop(app); // the link dropped with the question open
    let mut app = f.app();
    app.open_run(&id("ipa-self-check"), &id("self")).unwrap();
    press(&f.store, &mut app, "r");
    let screen = screen_text(&mut app);
    assert!(screen.contains("Item 3 · 3 / 25"), "{screen}");
    assert!(screen.contains("Does it fit “Done”?"), "{screen}");
    // The store itself refuses such a draft, whatever screen sends it.
    let catalog = f.store.catalog().unwrap();
    let err = f
        .store
        .commit_run(f.draft(), &catalog, clock(crate::tui_support::NOW))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "item 3 was changed to `yes`, but its note, evidence or action were written for `no`"
        ),
        "{err}"
    );
    // Esc goes back to the answer the words were written for.
    press(&f.store, &mut app, "Esc");
    let answer = &f.draft().answers[&id("3")];
    assert_eq!(
        (answer.choice.as_str(), answer.note.as_str()),
        ("no", OLD_NOTE)
    );
    assert_eq!(answer.written_for, None);
}

#[test]
fn regression_issue_13_enter_alone_never_commits_a_partial_run() {
    let f = fixture();
    let mut app = f.app();
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&f.store, &mut app, "1 1 s s s f");
    assert_eq!(app.screen_id(), ScreenId::Finish);
    let before = git(f.store.root(), &["rev-list", "--count", "HEAD"]);
    press(&f.store, &mut app, "Enter y");
    let screen = screen_text(&mut app);
    assert!(
        screen.contains("Not committed: 3 items are unanswered (3, 4, 5). P commits the run as it"),
        "{screen}"
    );
    insta::assert_snapshot!("finish_partial", screen);
    assert_eq!(
        git(f.store.root(), &["rev-list", "--count", "HEAD"]),
        before
    );
    press(&f.store, &mut app, "P");
    assert_eq!(app.screen_id(), ScreenId::Dashboard, "{:?}", app.status);
    let after = git(f.store.root(), &["rev-list", "--count", "HEAD"]);
    assert_eq!(
        before.trim().parse::<u32>().unwrap() + 1,
        after.trim().parse::<u32>().unwrap()
    );
    assert_eq!(f.latest().answers.len(), 2);
}

/// The store's copy of what sato is typing in the five-principles draft.
fn typing_on_disk(f: &Fixture) -> Option<tenken::store::Typing> {
    f.store
        .load_typing(&id("sato"), &id("self"), &id("ipa-five-principles"))
        .unwrap()
}

/// Opens the five-principles draft again, as a new session would.
fn resumed(f: &Fixture) -> App {
    let mut app = f.app();
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&f.store, &mut app, "r");
    assert_eq!(app.screen_id(), ScreenId::Walker);
    app
}

#[test]
fn regression_issue_13_what_is_being_typed_survives_a_lost_session() {
    let f = fixture();
    let mut app = f.app();
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    // "Not done" opens the note it needs; half a note is typed, then the
    // link drops (the app is gone without closing the field).
    press(&f.store, &mut app, "3");
    crate::tui_support::type_text(&f.store, &mut app, "No update ser");
    let five = || f.draft_of("ipa-five-principles");
    assert_eq!(
        five().answers[&id("1")].note,
        "",
        "not saved into the draft"
    );
    let Some(typing) = typing_on_disk(&f) else {
        panic!("the text is on disk after the last key")
    };
    assert_eq!(typing.item, id("1"));
    assert!(
        matches!(&typing.field, tenken::store::TypedField::Note { text, .. } if text == "No update ser"),
        "{typing:?}"
    );
    drop(app);

    // The next session opens the note again where it was.
    let mut app = resumed(&f);
    let screen = screen_text(&mut app);
    assert!(screen.contains("Item 1 · 1 / 5"), "{screen}");
    assert!(
        screen.contains("What you were typing when the last session ended is back"),
        "{screen}"
    );
    assert!(screen.contains("No update ser"), "{screen}");
    insta::assert_snapshot!("walker_typing_restored", screen);
    crate::tui_support::type_text(&f.store, &mut app, "ver");
    press(&f.store, &mut app, "Enter");
    assert_eq!(five().answers[&id("1")].note, "No update server");
    assert_eq!(typing_on_disk(&f), None, "saved into the draft, forgotten");
    assert!(screen_text(&mut app).contains("Item 2 · 2 / 5"));

    // An evidence reference, the same way.
    press(&f.store, &mut app, "2 b e");
    crate::tui_support::type_text(&f.store, &mut app, "WSUS rep");
    drop(app);
    let mut app = resumed(&f);
    assert!(screen_text(&mut app).contains("Item 2 · 2 / 5"));
    crate::tui_support::type_text(&f.store, &mut app, "ort");
    press(&f.store, &mut app, "Enter");
    assert_eq!(
        five().answers[&id("2")].evidence,
        vec![tenken::model::Evidence::from("WSUS report")]
    );
    assert_eq!(typing_on_disk(&f), None);

    // The corrective-action form, with the field that was being typed in.
    press(&f.store, &mut app, "b a");
    crate::tui_support::type_text(&f.store, &mut app, "Install WSUS");
    press(&f.store, &mut app, "Tab");
    crate::tui_support::type_text(&f.store, &mut app, "Tanaka");
    drop(app);
    let mut app = resumed(&f);
    crate::tui_support::type_text(&f.store, &mut app, " Jiro");
    press(&f.store, &mut app, "Enter");
    let Some(action) = five().answers[&id("1")].action.clone() else {
        panic!("the action is in the draft")
    };
    assert_eq!(
        (action.text.as_str(), action.owner.as_str()),
        ("Install WSUS", "Tanaka Jiro")
    );
    assert_eq!(typing_on_disk(&f), None);

    // A restored note dropped with Esc leaves the note as it was.
    press(&f.store, &mut app, "n");
    crate::tui_support::type_text(&f.store, &mut app, " Ask IT.");
    drop(app);
    let mut app = resumed(&f);
    press(&f.store, &mut app, "Esc Esc");
    assert_eq!(five().answers[&id("1")].note, "No update server");
    assert_eq!(typing_on_disk(&f), None);
    // Discarding the draft discards what was typed in it.
    press(&f.store, &mut app, "n");
    crate::tui_support::type_text(&f.store, &mut app, "x");
    drop(app);
    let mut app = f.app();
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&f.store, &mut app, "d");
    assert_eq!(typing_on_disk(&f), None);
}

#[test]
fn regression_issue_13_a_second_session_on_a_draft_never_overwrites_it() {
    let f = fixture();
    let five = || f.draft_of("ipa-five-principles");
    // The first session answers two items.
    let mut first = f.app();
    first
        .open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&f.store, &mut first, "1 1");
    assert_eq!(five().answers.len(), 2);

    // A second session of the same inspector resumes the same draft: it
    // is told who has it and can only look.
    let mut second = resumed(&f);
    let screen = screen_text(&mut second);
    let status = second.screen().unwrap().status().unwrap().text.clone();
    let who = format!(
        "Read only: this draft is open in another session (inspector sato, process {} on ",
        std::process::id()
    );
    assert!(status.starts_with(&who), "{status}");
    assert!(
        status.ends_with(", since 2026-11-25 09:00). Nothing here changes it."),
        "{status}"
    );
    assert!(
        screen.contains(" Read only: this draft is open"),
        "{screen}"
    );
    assert!(
        screen.contains("q leave (the draft is not touched)"),
        "{screen}"
    );
    // Keys that would answer, write a note, jump, finish or take a
    // choice change nothing on disk.
    press(&f.store, &mut second, "3 2 n x Enter e y Enter a f P j j 1");
    assert_eq!(five().answers.len(), 2);
    assert_eq!(five().answers[&id("1")].choice, id("yes"));
    assert_eq!(typing_on_disk(&f), None);
    press(&f.store, &mut second, "q");
    assert_eq!(second.screen_id(), ScreenId::Dashboard);
    // Discarding it from the second session is refused too.
    second
        .open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&f.store, &mut second, "d");
    assert_eq!(five().answers.len(), 2, "not discarded");
    press(&f.store, &mut second, "q");

    // The first session goes on as before.
    press(&f.store, &mut first, "2");
    assert_eq!(five().answers.len(), 3);
    // Once it has left (here: gone, as after a kill), the draft is free.
    drop(first);
    let mut third = resumed(&f);
    assert!(!screen_text(&mut third).contains("Read only"));
    press(&f.store, &mut third, "1");
    assert_eq!(five().answers.len(), 4);
}

/// Issue 18: the finish screen reads the score on the reduced scale when
/// items are not applicable, lists the "don't know" items first, and an
/// action owned by a role reads with the role.
#[test]
fn the_finish_screen_says_the_scale_and_lists_dont_know_first() {
    let f = fixture();
    let catalog = f.store.catalog().unwrap();
    let template = &catalog.inspections[&id("ipa-self-check")];
    let mut answers = BTreeMap::new();
    for (_, item) in template.items() {
        let (choice, note) = match item.id.as_str() {
            "9" => ("na", "No Wi-Fi in the office."),
            "23" => ("na", "No outside services."),
            "14" => ("unknown", "Nobody has checked the laptops."),
            "3" => ("no", "Short passwords."),
            _ => ("yes", ""),
        };
        let mut a = Answer::new(id(choice));
        a.note = note.into();
        if choice == "no" {
            a.action = Some(tenken::model::Action {
                text: "Set a password rule".into(),
                owner: "role:inspection-lead".into(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
            });
        }
        answers.insert(item.id.clone(), a);
    }
    let at = "2026-11-20T10:00:00+09:00";
    f.store
        .save_draft(&Draft {
            format: FORMAT,
            inspection: id("ipa-self-check"),
            inspection_version: template.version,
            inspection_hash: None,
            subject: id("self"),
            inspector: sato(),
            started: DateTime::parse_from_rfc3339(at).unwrap(),
            answers,
            cursor: 0,
            supersedes: None,
            closes: Vec::new(),
        })
        .unwrap();
    let mut app = f.app();
    app.open_run(&id("ipa-self-check"), &id("self")).unwrap();
    press(&f.store, &mut app, "r f");
    assert_eq!(
        app.screen_id(),
        ScreenId::Finish,
        "{}",
        screen_text(&mut app)
    );
    let screen = screen_text(&mut app);
    // 21 items done (84), item 3 not done (0), item 14 don't know (−1);
    // 23 items apply, so the maximum is 92.
    assert!(screen.contains("Score 83/92"), "{screen}");
    assert!(
        screen.contains("83 of 92 applicable points (2 items not applicable); the guideline's"),
        "{screen}"
    );
    let dont_know = screen
        .find("don't know — find out these facts first (1)")
        .unwrap();
    assert!(screen[dont_know..].contains("? 14 "), "{screen}");
    assert!(
        screen.contains("3: Set a password rule · Inspection lead (not assigned) · due 2026-12-20"),
        "{screen}"
    );
}

#[test]
fn a_run_is_corrected_and_withdrawn_from_the_run_view() {
    let f = fixture();
    let old = f.latest();
    let mut app = f.app();
    press(&f.store, &mut app, "h Enter");
    assert_eq!(app.screen_id(), ScreenId::RunView);
    let screen = screen_text(&mut app);
    assert!(screen.contains("e correct  W withdraw"), "{screen}");
    // Correct: the walker opens on the run's answers as recorded
    // (confirmed, not carried); item 3 was wrong.
    press(&f.store, &mut app, "e");
    assert_eq!(app.screen_id(), ScreenId::Walker);
    let screen = screen_text(&mut app);
    assert!(screen.contains("25/25 answered"), "{screen}");
    assert!(!screen.contains("carried"), "{screen}");
    assert_eq!(
        app.status_text()
            .or(app.screen().unwrap().status().map(|n| n.text.as_str())),
        Some(
            format!(
                "Correcting {}: change what was wrong; the run finished with f supersedes it.",
                old.id
            )
            .as_str()
        )
    );
    press(&f.store, &mut app, "g 3 Enter 1 x f y");
    assert_eq!(app.screen_id(), ScreenId::Dashboard, "{:?}", app.status);
    let new = f.latest();
    assert_ne!(new.id, old.id);
    assert_eq!(new.supersedes.as_deref(), Some(old.id.as_str()));
    assert_eq!(new.answers[&id("3")].choice, id("yes"));
    assert!(new.answers.values().all(|a| !a.carried));
    // It restates the inspection it corrects: same time, same period.
    assert_eq!((new.started, new.finished), (old.started, old.finished));
    let message = git(f.store.root(), &["log", "-1", "--format=%B"]);
    assert!(
        message.contains(&format!("Tenken-Supersedes: {}", old.id)),
        "{message}"
    );
    // The old file is untouched.
    git(
        f.store.root(),
        &[
            "diff",
            "--exit-code",
            "HEAD~1",
            "HEAD",
            "--",
            &format!("runs/self/ipa-self-check/{}.ron", old.id),
        ],
    );

    // Withdraw the correction: a reason is needed.
    press(&f.store, &mut app, "h Enter");
    assert_eq!(app.screen_id(), ScreenId::RunView);
    assert!(screen_text(&mut app).contains(&new.date().to_string()));
    press(&f.store, &mut app, "W Enter");
    let said = app.screen().unwrap().status().map(|n| n.text.clone());
    assert_eq!(
        said.as_deref(),
        Some("Say why the run is withdrawn (Esc cancels).")
    );
    crate::tui_support::type_text(&f.store, &mut app, "Recorded against the wrong office.");
    insta::assert_snapshot!("run_view_withdraw_reason", screen_text(&mut app));
    press(&f.store, &mut app, "Enter");
    assert_eq!(app.screen_id(), ScreenId::Dashboard, "{:?}", app.status);
    assert_eq!(
        app.status_text()
            .map(|t| t.starts_with(&format!("Withdrawn: {} (commit ", new.id))),
        Some(true),
        "{:?}",
        app.status
    );
    let file = git(
        f.store.root(),
        &["show", &format!("HEAD:withdrawals/{}.ron", new.id)],
    );
    assert!(
        file.contains("reason: \"Recorded against the wrong office.\""),
        "{file}"
    );
    let message = git(f.store.root(), &["log", "-1", "--format=%B"]);
    assert!(
        message.contains(&format!("Tenken-Withdraws: {}", new.id)),
        "{message}"
    );
}

/// A correction made in a later quarter keeps the corrected run's date (so
/// the quarter keeps its result), its corrective actions and the actions it
/// closed: correcting one answer never reopens or loses an action.
#[test]
fn a_correction_keeps_the_runs_date_its_actions_and_what_it_closed() {
    let (_env, _dir, store) = new_repo();
    let catalog = store.catalog().unwrap();
    let template = &catalog.inspections[&id("ipa-self-check")];
    let draft = |at: &str, gap: &str, closes: Vec<String>| {
        let mut answers = BTreeMap::new();
        for (_, item) in template.items() {
            let mut a = Answer::new(id("yes"));
            if item.id.as_str() == gap {
                a = Answer::new(id("no"));
                a.note = "Not in place.".into();
                a.action = Some(tenken::model::Action {
                    text: format!("Fix item {gap}"),
                    owner: "role:inspection-lead".into(),
                    due: chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
                });
            }
            answers.insert(item.id.clone(), a);
        }
        Draft {
            format: FORMAT,
            inspection: id("ipa-self-check"),
            inspection_version: template.version,
            inspection_hash: None,
            subject: id("self"),
            inspector: sato(),
            started: DateTime::parse_from_rfc3339(at).unwrap(),
            answers,
            cursor: 0,
            supersedes: None,
            closes,
        }
    };
    // April: item 2 has an action. June: item 2 still "no" but its action
    // is closed explicitly, and item 3 gets one.
    let april = "2026-04-20T10:00:00+09:00";
    let first = store
        .record_run(
            draft(april, "2", Vec::new()),
            &catalog,
            DateTime::parse_from_rfc3339(april).unwrap(),
            clock(april),
        )
        .unwrap();
    let june = "2026-06-15T10:00:00+09:00";
    let mut second = draft(june, "3", vec![format!("{}#2", first.run.id)]);
    second.answers.insert(id("2"), Answer::new(id("yes")));
    second.answers.get_mut(&id("2")).unwrap().carried = true;
    let second = store
        .record_run(
            second,
            &catalog,
            DateTime::parse_from_rfc3339(june).unwrap(),
            clock(june),
        )
        .unwrap();
    let open_before = open_actions(&store);
    assert_eq!(open_before, vec![format!("{}#3", second.run.id)]);

    // November (another quarter): correct the June run's item 10.
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "h Enter");
    assert_eq!(app.screen_id(), ScreenId::RunView);
    assert!(
        screen_text(&mut app).contains("2026-06-15"),
        "{}",
        screen_text(&mut app)
    );
    press(&store, &mut app, "e g 1 0 Enter 2 f y");
    assert_eq!(app.screen_id(), ScreenId::Dashboard, "{:?}", app.status);
    let catalog = store.catalog().unwrap();
    let runs = store.runs(&catalog).unwrap();
    let new = runs.iter().find(|r| r.supersedes.is_some()).unwrap();
    assert_eq!(new.supersedes.as_deref(), Some(second.run.id.as_str()));
    assert_eq!(
        new.finished, second.run.finished,
        "the June run stays in June"
    );
    assert_eq!(
        new.started, second.run.started,
        "it never finishes before it starts"
    );
    // `check` finds nothing wrong with the correction's file.
    let problems: Vec<String> = store
        .check(DateTime::parse_from_rfc3339("2026-11-25T12:00:00+09:00").unwrap())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems, Vec::<String>::new());
    assert_eq!(new.answers[&id("10")].choice, id("partly"));
    assert_eq!(
        new.answers[&id("3")].action,
        second.run.answers[&id("3")].action
    );
    assert!(
        new.answers[&id("2")].carried,
        "a carried answer stays carried"
    );
    assert!(!new.answers[&id("4")].carried);
    assert_eq!(new.closes, second.run.closes);
    // The open action is now the correction's; item 2's stays closed.
    assert_eq!(open_actions(&store), vec![format!("{}#3", new.id)]);
    let message = git(store.root(), &["log", "-1", "--format=%s"]);
    assert!(message.contains(" on 2026-06-15 "), "{message}");
}

/// The keys (`<run>#<item>`) of the open corrective actions.
fn open_actions(store: &Store) -> Vec<String> {
    let catalog = store.catalog().unwrap();
    let history = store
        .history(&catalog, &tenken::store::HistoryFilter::default())
        .unwrap();
    tenken::actions::derive(
        &history,
        &catalog,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    )
    .into_iter()
    .filter(tenken::actions::CorrectiveAction::is_open)
    .map(|a| a.key())
    .collect()
}
