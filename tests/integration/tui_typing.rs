//! Nothing typed is lost in the risk editor and the register form (issue
//! 13): a session dropped with a field half-typed (a SIGKILL, a SIGHUP, a
//! lost link: here the `App` is simply dropped) leaves the text in
//! `.tenken/typing/<inspector>/`, and the next session that opens the same
//! editor finds the field open with the text and the cursor where they
//! were. Saving or cancelling the field forgets it.

use tenken::model::{Lang, SubjectKind};
use tenken::store::Store;
use tenken::tui::keymap::ScreenId;
use tenken::tui::{self, App, Effect};

use crate::tui_support::{id, new_repo, open_app, press, screen_text, type_text};

fn left(store: &Store, app: &mut App, times: usize) {
    for _ in 0..times {
        press(store, app, "Left");
    }
}

const BACK: &str = "What you were typing when the last session ended is back";

#[test]
fn regression_issue_13_the_risk_editor_keeps_what_is_being_typed() {
    let (_env, _dir, store) = new_repo();
    let sato = id("sato");
    let kept = store.root().join(Store::risk_typing_file(&sato));

    // A new asset's name, half-typed when the session goes.
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "R n a");
    type_text(&store, &mut app, "Customer li");
    drop(app);
    assert!(kept.exists(), "kept within the keystroke");
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "R n");
    assert_eq!(app.screen_id(), ScreenId::RiskEditor);
    let screen = screen_text(&mut app);
    assert!(screen.contains(BACK), "{screen}");
    assert!(screen.contains("Customer li"), "{screen}");
    // The field is open: what is typed goes on where it stopped.
    type_text(&store, &mut app, "st");
    press(&store, &mut app, "Enter");
    let draft = store.load_risk_draft(&sato).unwrap().unwrap();
    assert_eq!(draft.assets[0].name, "Customer list");
    assert!(!kept.exists(), "forgotten once in the draft");

    // A threat's title, with the cursor in the middle of it.
    press(&store, &mut app, "t");
    type_text(&store, &mut app, "USB stick");
    left(&store, &mut app, "stick".len());
    drop(app);
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "R n");
    type_text(&store, &mut app, "memory ");
    press(&store, &mut app, "Enter");
    let draft = store.load_risk_draft(&sato).unwrap().unwrap();
    assert_eq!(draft.assets[0].threats[0].title, "USB memory stick");
    assert!(!kept.exists());

    // Esc on a restored field drops it; the draft keeps what it had, and
    // the editor opened again has nothing to offer.
    press(&store, &mut app, "Enter");
    type_text(&store, &mut app, " (lost)");
    drop(app);
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "R n");
    assert!(screen_text(&mut app).contains("USB memory stick (lost)"));
    press(&store, &mut app, "Esc");
    assert!(!kept.exists());
    let draft = store.load_risk_draft(&sato).unwrap().unwrap();
    assert_eq!(draft.assets[0].threats[0].title, "USB memory stick");
    press(&store, &mut app, "Esc n");
    let screen = screen_text(&mut app);
    assert!(!screen.contains(BACK), "{screen}");
    assert!(!screen.contains("(lost)"), "{screen}");

    // Discarding the draft takes what was being typed in it along.
    press(&store, &mut app, "Enter");
    type_text(&store, &mut app, "x");
    assert!(kept.exists());
    let msg = tui::perform(&store, &app, Effect::DiscardRiskDraft);
    assert!(msg.is_none(), "{msg:?}");
    assert!(!kept.exists());
    assert_eq!(store.load_risk_draft(&sato).unwrap(), None);
}

#[test]
fn regression_issue_13_the_register_form_keeps_what_is_being_typed() {
    let (_env, _dir, store) = new_repo();
    let sato = id("sato");
    let adding = store.root().join(Store::register_typing_file(&sato, None));

    // A new supplier: id, criticality 3, the name half-typed with the
    // cursor moved back into it.
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "u +");
    type_text(&store, &mut app, "aoba");
    press(&store, &mut app, "Tab Tab Tab Tab 3 BackTab BackTab");
    type_text(&store, &mut app, "Aoba ccounting");
    left(&store, &mut app, "ccounting".len());
    drop(app);
    assert!(adding.exists(), "kept within the keystroke");
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "u +");
    assert_eq!(app.screen_id(), ScreenId::SubjectForm);
    let screen = screen_text(&mut app);
    assert!(screen.contains(BACK), "{screen}");
    assert!(screen.contains("Aoba ccounting"), "{screen}");
    type_text(&store, &mut app, "A");
    press(&store, &mut app, "Enter");
    assert_eq!(app.status_text(), Some("Saved register: add aoba"));
    let aoba = store
        .catalog()
        .unwrap()
        .subjects
        .get("aoba")
        .unwrap()
        .clone();
    assert_eq!(aoba.name, "Aoba Accounting".into());
    assert_eq!(aoba.criticality, 3);
    assert_eq!(aoba.kind, SubjectKind::Supplier);
    assert!(!adding.exists(), "forgotten once committed");

    // Editing it: the contact half-typed, the session lost, Esc drops it.
    let editing = store
        .root()
        .join(Store::register_typing_file(&sato, Some(&id("aoba"))));
    press(&store, &mut app, "u Enter E Tab Tab Tab Tab");
    type_text(&store, &mut app, "kato@");
    drop(app);
    assert!(editing.exists());
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "u Enter E");
    let screen = screen_text(&mut app);
    assert!(screen.contains("kato@"), "{screen}");
    assert!(screen.contains(BACK), "{screen}");
    press(&store, &mut app, "Esc");
    assert_eq!(app.screen_id(), ScreenId::Supplier);
    assert!(!editing.exists(), "forgotten when cancelled");
    press(&store, &mut app, "E");
    let screen = screen_text(&mut app);
    assert!(!screen.contains("kato@"), "{screen}");
    assert!(!screen.contains(BACK), "{screen}");
    // The new subject's form starts empty again too.
    press(&store, &mut app, "Esc Esc +");
    assert_eq!(app.screen_id(), ScreenId::SubjectForm);
    let screen = screen_text(&mut app);
    assert!(!screen.contains(BACK), "{screen}");
    assert!(!screen.contains("aoba"), "{screen}");
}

#[test]
fn regression_issue_13_a_second_session_never_changes_the_risk_draft() {
    let (_env, _dir, store) = new_repo();
    let sato = id("sato");
    let kept = store.root().join(Store::risk_typing_file(&sato));
    let draft_file = store.root().join(".tenken/risk-drafts/sato.ron");

    // The first session is typing a new asset's name.
    let mut first = open_app(&store, Lang::En);
    press(&store, &mut first, "R n a");
    type_text(&store, &mut first, "Customer");
    let draft_before = std::fs::read_to_string(&draft_file).unwrap();
    let typing_before = std::fs::read_to_string(&kept).unwrap();

    // A second session opens the editor: read-only, saying who has it;
    // the first session's live text is not opened here.
    let mut second = open_app(&store, Lang::En);
    press(&store, &mut second, "R n");
    assert_eq!(second.screen_id(), ScreenId::RiskEditor);
    let screen = screen_text(&mut second);
    assert!(
        screen.contains("Read only: this draft is open in another session"),
        "{screen}"
    );
    assert!(screen.contains("process"), "{screen}");
    assert!(!screen.contains(BACK), "{screen}");
    // Its footer offers leaving, not committing or adding.
    let footer = screen.lines().last().unwrap();
    assert!(
        footer.contains("Esc/q leave (the draft is not touched)"),
        "{footer}"
    );
    assert!(!footer.contains("commit"), "{footer}");
    // The panel's hint says so too, instead of offering Enter to edit.
    assert!(
        screen.contains("read only · ←/→ moves between fields"),
        "{screen}"
    );
    assert!(!screen.contains("Enter edits the text"), "{screen}");
    for keys in ["l 3", "a", "t", "Enter", "D y", "f y", "d"] {
        press(&store, &mut second, keys);
        type_text(&store, &mut second, "zz");
        assert_eq!(second.screen_id(), ScreenId::RiskEditor, "{keys}");
    }
    assert!(screen_text(&mut second).contains("Read only"));
    // Even an effect that got past the screen is refused where it writes.
    let msg = tui::perform(&store, &second, Effect::DiscardRiskDraft);
    assert!(matches!(msg, Some(tui::Msg::DraftSaved(Err(_)))), "{msg:?}");
    assert_eq!(std::fs::read_to_string(&draft_file).unwrap(), draft_before);
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), typing_before);
    assert!(!store.root().join("risks").exists(), "nothing committed");

    // The first session goes on, then is lost: the second, opening the
    // editor afresh, has the draft and the text the first was typing.
    type_text(&store, &mut first, "s");
    drop(first);
    press(&store, &mut second, "Esc");
    assert_eq!(second.screen_id(), ScreenId::Risks);
    press(&store, &mut second, "n");
    let screen = screen_text(&mut second);
    assert!(!screen.contains("Read only"), "{screen}");
    assert!(screen.contains(BACK), "{screen}");
    press(&store, &mut second, "Enter");
    let draft = store.load_risk_draft(&sato).unwrap().unwrap();
    assert_eq!(draft.assets[0].name, "Customers");
    assert!(!kept.exists());
}

#[test]
fn two_sessions_never_type_into_one_register_form() {
    let (_env, _dir, store) = new_repo();
    let sato = id("sato");
    let adding = store.root().join(Store::register_typing_file(&sato, None));

    // The second session starts before the first types anything, so what
    // it read at its start knows nothing of the first's form.
    let mut second = open_app(&store, Lang::En);
    let mut first = open_app(&store, Lang::En);
    press(&store, &mut first, "u +");
    type_text(&store, &mut first, "aoba");
    let typing_before = std::fs::read_to_string(&adding).unwrap();

    // The second opens the same form: read-only, saying who has it.
    press(&store, &mut second, "u +");
    assert_eq!(second.screen_id(), ScreenId::SubjectForm);
    let screen = screen_text(&mut second);
    assert!(
        screen.contains("Read only: this form is open in another session"),
        "{screen}"
    );
    assert!(screen.contains("process"), "{screen}");
    // Its footer offers leaving, not saving or cancelling.
    let footer = screen.lines().last().unwrap();
    assert!(
        footer.contains("Esc leave (the form is not touched)"),
        "{footer}"
    );
    assert!(!footer.contains("Enter"), "{footer}");
    for keys in ["Tab", "3", "Space", "Enter", "C-s"] {
        press(&store, &mut second, keys);
        type_text(&store, &mut second, "zz");
        assert_eq!(second.screen_id(), ScreenId::SubjectForm, "{keys}");
    }
    assert!(screen_text(&mut second).contains("Read only"));
    // Even an effect that got past the screen is refused where it writes.
    let msg = tui::perform(&store, &second, Effect::DiscardRegisterTyping(None));
    assert!(
        matches!(msg, Some(tui::Msg::SubjectsSaved(Err(_)))),
        "{msg:?}"
    );
    assert_eq!(std::fs::read_to_string(&adding).unwrap(), typing_before);
    assert!(store.catalog().unwrap().subjects.get("aoba").is_none());

    // The first goes on, then is lost. The second, opening the form
    // afresh, has what the first was typing, though it was typed after
    // the second started.
    press(&store, &mut first, "Tab Tab");
    type_text(&store, &mut first, "Aoba Accounting");
    drop(first);
    press(&store, &mut second, "Esc");
    assert_eq!(second.screen_id(), ScreenId::Suppliers);
    assert!(
        std::fs::read_to_string(&adding)
            .unwrap()
            .contains("Aoba Accounting")
    );
    press(&store, &mut second, "+");
    let screen = screen_text(&mut second);
    assert!(!screen.contains("Read only"), "{screen}");
    assert!(screen.contains(BACK), "{screen}");
    assert!(screen.contains("Aoba Accounting"), "{screen}");
    press(&store, &mut second, "Enter");
    assert_eq!(second.status_text(), Some("Saved register: add aoba"));
    let aoba = store
        .catalog()
        .unwrap()
        .subjects
        .get("aoba")
        .unwrap()
        .clone();
    assert_eq!(aoba.name, "Aoba Accounting".into());
    assert!(!adding.exists(), "forgotten once committed");
}
