//! The subject register edited in the TUI (issue 7): `+` on the supplier
//! review adds a supplier through the form, `E` edits it and `X` retires it,
//! each committed alone through the real store and checked with real git.

use tempfile::TempDir;
use tenken::model::{Lang, Name};
use tenken::store::Store;
use tenken::tui::keymap::ScreenId;
use tenken::tui::{self, App};

use crate::support::TestEnv;
use crate::tui_support::{new_repo, open_app, press, render, screen_text, type_text};

struct Fixture {
    env: TestEnv,
    _dir: TempDir,
    store: Store,
}

/// A fresh repository: the organisation only, no supplier yet.
fn fixture() -> Fixture {
    let (env, dir, store) = new_repo();
    Fixture {
        env,
        _dir: dir,
        store,
    }
}

impl Fixture {
    fn git(&self, args: &[&str]) -> String {
        self.env.git(self.store.root(), args).trim().to_owned()
    }

    fn commits(&self) -> String {
        self.git(&["rev-list", "--count", "HEAD"])
    }

    fn subjects_ron(&self) -> String {
        std::fs::read_to_string(self.store.root().join("subjects.ron")).unwrap()
    }
}

fn app(f: &Fixture, lang: Lang) -> App {
    open_app(&f.store, lang)
}

#[test]
fn add_edit_and_retire_a_supplier_from_the_tui() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    let before = f.commits();

    // `+` on the supplier review opens the form, kind preset to supplier.
    press(&f.store, &mut app, "u +");
    assert_eq!(app.screen_id(), ScreenId::SubjectForm);
    type_text(&f.store, &mut app, "aoba");
    press(&f.store, &mut app, "Tab Tab");
    type_text(&f.store, &mut app, "Aoba Accounting");
    press(&f.store, &mut app, "Tab Tab 3 Tab");
    type_text(&f.store, &mut app, "kato@aoba.example");
    press(&f.store, &mut app, "Tab");
    type_text(&f.store, &mut app, "cloud, payroll, cloud");
    press(&f.store, &mut app, "Tab");
    type_text(&f.store, &mut app, "給与計算");
    press(&f.store, &mut app, "Tab");
    type_text(&f.store, &mut app, "payroll data");
    insta::assert_snapshot!("subject_form_add", render(&mut app, 80, 24).backend());
    // Enter saves, from any field.
    press(&f.store, &mut app, "Enter");
    assert_eq!(app.screen_id(), ScreenId::Dashboard);
    let screen = screen_text(&mut app);
    assert_eq!(
        app.status_text(),
        Some("Saved register: add aoba"),
        "{screen}"
    );
    assert_eq!(
        f.commits().parse::<u32>().unwrap(),
        before.parse::<u32>().unwrap() + 1,
        "exactly one new commit"
    );
    assert_eq!(f.git(&["log", "-1", "--format=%s"]), "register: add aoba");
    assert_eq!(
        f.git(&["log", "-1", "--format=%an <%ae>"]),
        "Sato Hanako <sato@example.jp>"
    );
    assert_eq!(
        f.git(&["show", "--name-only", "--format=", "HEAD"]),
        "subjects.ron"
    );
    let ron = f.subjects_ron();
    assert!(ron.contains("id: \"aoba\""), "{ron}");
    assert!(ron.contains("Aoba Accounting"), "{ron}");
    let aoba = f
        .store
        .catalog()
        .unwrap()
        .subjects
        .get("aoba")
        .unwrap()
        .clone();
    assert_eq!(aoba.kind, tenken::model::SubjectKind::Supplier);
    assert_eq!(aoba.criticality, 3);
    assert_eq!(aoba.tags, ["cloud", "payroll"]);
    assert_eq!(aoba.services, ["給与計算".into()]);
    assert_eq!(aoba.data_handled, ["payroll data".into()]);
    assert_eq!(aoba.contact, "kato@aoba.example".into());

    // The new supplier is in the review; `E` edits its name (Ctrl-S saves).
    press(&f.store, &mut app, "u");
    assert!(screen_text(&mut app).contains("Aoba Accounting"));
    press(&f.store, &mut app, "Enter E");
    assert_eq!(app.screen_id(), ScreenId::SubjectForm);
    press(&f.store, &mut app, "Tab");
    for _ in 0.."Accounting".len() {
        press(&f.store, &mut app, "Backspace");
    }
    type_text(&f.store, &mut app, "Kaikei");
    press(&f.store, &mut app, "C-s");
    assert_eq!(app.status_text(), Some("Saved register: edit aoba"));
    assert_eq!(f.git(&["log", "-1", "--format=%s"]), "register: edit aoba");
    let aoba = f
        .store
        .catalog()
        .unwrap()
        .subjects
        .get("aoba")
        .unwrap()
        .clone();
    assert_eq!(aoba.name, "Aoba Kaikei".into());
    assert_eq!(aoba.criticality, 3, "the rest is unchanged");

    // `X` asks first; `n` keeps it, `y` retires it.
    press(&f.store, &mut app, "u Enter X");
    assert!(screen_text(&mut app).contains("Retire Aoba Kaikei?"));
    let count = f.commits();
    press(&f.store, &mut app, "n");
    assert_eq!(f.commits(), count, "n writes nothing");
    assert_eq!(app.screen_id(), ScreenId::Supplier);
    press(&f.store, &mut app, "X y");
    assert_eq!(app.status_text(), Some("Saved register: retire aoba"));
    assert_eq!(
        f.git(&["log", "-1", "--format=%s"]),
        "register: retire aoba"
    );
    assert!(
        f.store
            .catalog()
            .unwrap()
            .subjects
            .get("aoba")
            .unwrap()
            .retired
    );
    press(&f.store, &mut app, "u");
    let list = screen_text(&mut app);
    assert!(
        !list.contains("Aoba"),
        "retired suppliers leave the review:\n{list}"
    );
}

/// The id rule is explained in the session's language (it was English
/// after a Japanese "ID が不正です").
#[test]
fn an_invalid_id_is_explained_in_japanese() {
    let f = fixture();
    let mut app = app(&f, Lang::Ja);
    press(&f.store, &mut app, "u +");
    type_text(&f.store, &mut app, "Bad");
    press(&f.store, &mut app, "Tab Tab");
    type_text(&f.store, &mut app, "Bad Co");
    press(&f.store, &mut app, "C-s");
    let screen = format!(
        "{}",
        crate::tui_support::render(&mut app, 120, 30).backend()
    );
    assert!(
        screen.contains("ID が不正です: ID `Bad` は英小文字（a-z）か数字で始めてください"),
        "{screen}"
    );
}

#[test]
fn an_invalid_id_shows_an_error_and_writes_nothing() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    let before = f.commits();
    let ron = f.subjects_ron();
    press(&f.store, &mut app, "u +");
    type_text(&f.store, &mut app, "Bad Id");
    press(&f.store, &mut app, "Tab Tab");
    type_text(&f.store, &mut app, "Bad Co");
    press(&f.store, &mut app, "C-s");
    assert_eq!(
        app.screen_id(),
        ScreenId::SubjectForm,
        "the form stays open"
    );
    let screen = screen_text(&mut app);
    assert!(screen.contains("invalid subject id"), "{screen}");
    assert!(
        screen.contains("▸ id"),
        "the focus goes to the field to fix: {screen}"
    );
    // A duplicate of an existing id and an empty name are refused too.
    press(&f.store, &mut app, "Up Up");
    for _ in 0.."Bad Id".len() {
        press(&f.store, &mut app, "Backspace");
    }
    type_text(&f.store, &mut app, "self");
    press(&f.store, &mut app, "C-s");
    assert!(screen_text(&mut app).contains("already in the register"));
    // Esc cancels.
    press(&f.store, &mut app, "Esc");
    assert_eq!(app.screen_id(), ScreenId::Suppliers);
    assert_eq!(f.commits(), before, "nothing was committed");
    assert_eq!(f.subjects_ron(), ron, "nothing was written");
}

#[test]
fn control_characters_are_escaped_in_the_form() {
    let f = fixture();
    // A supplier whose name carries an escape sequence and a bidi override.
    let path = f.store.root().join("subjects.ron");
    let ron = f.subjects_ron().replacen(
        "    subjects: [\n",
        "    subjects: [\n        Subject(id: \"evil\", kind: Supplier, name: \"evil\\u{1b}[2J\\u{202e}Co\", criticality: 2),\n",
        1,
    );
    std::fs::write(&path, ron).unwrap();
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "u Enter E Tab");
    assert_eq!(app.screen_id(), ScreenId::SubjectForm);
    let screen = screen_text(&mut app);
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{202e}'),
        "{screen}"
    );
    assert!(
        screen.contains("evil\\u{1b}[2J\\u{202e}Co"),
        "shown escaped, being typed into: {screen}"
    );
    // A control character typed (a paste without bracketed paste) is not taken.
    type_text(&f.store, &mut app, "\u{7}!");
    press(&f.store, &mut app, "Esc");
    assert_eq!(app.screen_id(), ScreenId::Supplier, "Esc cancels");
    assert_eq!(
        std::fs::read_to_string(&path)
            .unwrap()
            .matches("evil")
            .count(),
        2,
        "nothing written"
    );
}

#[test]
fn restricted_mode_needs_edit_register_permission() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    app.ctx.restricted = true;
    let before = f.commits();
    press(&f.store, &mut app, "u +");
    assert_eq!(
        app.screen_id(),
        ScreenId::Suppliers,
        "the form does not open"
    );
    let status = app.status_text().unwrap_or_default().to_owned();
    assert!(
        status.contains("may not edit the register in restricted mode"),
        "{status}"
    );
    // Even an effect that got past the screens is refused where it writes.
    let mut subjects = f.store.catalog().unwrap().subjects;
    subjects.subjects[0].name = "Renamed".into();
    let effect = tui::Effect::SaveSubjects {
        subjects,
        message: "register: edit self".into(),
        typed: None,
    };
    let msg = tui::perform(&f.store, &app, effect);
    assert!(
        matches!(msg, Some(tui::Msg::SubjectsSaved(Err(_)))),
        "{msg:?}"
    );
    assert_eq!(f.commits(), before);
}

/// A bilingual name in the form (issue 17): the form shows the name in the
/// chosen language and, below, in the other; changing one keeps the other,
/// the contact and services are edited in the chosen language, and what
/// was not touched is written back as it was (a plain service stays plain).
#[test]
fn regression_issue_17_the_form_edits_one_language_and_keeps_the_other() {
    let f = fixture();
    let path = f.store.root().join("subjects.ron");
    let ron = f.subjects_ron().replacen(
        "    subjects: [\n",
        "    subjects: [\n        Subject(id: \"hikari\", kind: Supplier, name: (ja: \"ひかり印刷\", en: \"Hikari Printing\"), contact: (ja: \"山田\", en: \"Yamada\"), services: [(ja: \"印刷\", en: \"printing\"), \"DTP\"], criticality: 1),\n",
        1,
    );
    std::fs::write(&path, ron).unwrap();
    f.git(&["commit", "-qam", "hikari"]);

    // In Japanese: the Japanese name first, the English one below.
    let mut ja = app(&f, Lang::Ja);
    press(&f.store, &mut ja, "u Enter E Tab");
    assert_eq!(ja.screen_id(), ScreenId::SubjectForm);
    type_text(&f.store, &mut ja, "株式会社");
    press(&f.store, &mut ja, "Tab Tab Tab Tab Tab");
    type_text(&f.store, &mut ja, ", 製本");
    insta::assert_snapshot!(
        "subject_form_bilingual_ja",
        render(&mut ja, 80, 24).backend()
    );
    press(&f.store, &mut ja, "C-s");
    assert_eq!(
        ja.status_text(),
        Some("保存しました: register: edit hikari")
    );
    let hikari = f
        .store
        .catalog()
        .unwrap()
        .subjects
        .get("hikari")
        .unwrap()
        .clone();
    assert_eq!(
        hikari.name,
        Name::of("ひかり印刷株式会社", "Hikari Printing")
    );
    assert_eq!(hikari.contact, Name::of("山田", "Yamada"), "untouched");
    assert_eq!(
        hikari.services,
        [
            Name::of("印刷", "printing"),
            Name::from("DTP"),
            Name::from("製本")
        ]
    );

    // In English: the English name is edited; the Japanese one stays, and
    // the contact changes in English only.
    let mut en = app(&f, Lang::En);
    press(&f.store, &mut en, "u Enter E Tab");
    let screen = screen_text(&mut en);
    assert!(
        screen.contains("name (English)   Hikari Printing"),
        "{screen}"
    );
    assert!(
        screen.contains("name (Japanese)  ひかり印刷株式会社"),
        "{screen}"
    );
    assert!(screen.contains("contact          Yamada"), "{screen}");
    type_text(&f.store, &mut en, " Co.");
    press(&f.store, &mut en, "Tab Tab Tab");
    type_text(&f.store, &mut en, " Taro");
    press(&f.store, &mut en, "C-s");
    assert_eq!(en.status_text(), Some("Saved register: edit hikari"));
    let hikari = f
        .store
        .catalog()
        .unwrap()
        .subjects
        .get("hikari")
        .unwrap()
        .clone();
    assert_eq!(
        hikari.name,
        Name::of("ひかり印刷株式会社", "Hikari Printing Co.")
    );
    assert_eq!(hikari.contact, Name::of("山田", "Yamada Taro"));
    // The supplier review shows the English name.
    press(&f.store, &mut en, "u");
    let list = format!("{}", render(&mut en, 120, 30).backend());
    assert!(list.contains("Hikari Printing Co."), "{list}");
    assert!(!list.contains("ひかり"), "{list}");

    // The supplier screen: name, contact and services in English (the
    // service added in Japanese is plain, the same in both).
    press(&f.store, &mut en, "Enter");
    let screen = format!("{}", render(&mut en, 120, 30).backend());
    assert!(screen.contains("Hikari Printing Co. (hikari)"), "{screen}");
    assert!(screen.contains("services: printing, DTP, 製本"), "{screen}");
    assert!(screen.contains("contact Yamada Taro"), "{screen}");
    assert!(
        !screen.contains("山田") && !screen.contains("印刷,"),
        "{screen}"
    );

    // Emptying the other language's name makes the name plain.
    press(&f.store, &mut en, "E Tab Tab");
    for _ in 0.."ひかり印刷株式会社".chars().count() {
        press(&f.store, &mut en, "Backspace");
    }
    press(&f.store, &mut en, "C-s");
    let text = f.subjects_ron();
    assert!(text.contains("name: \"Hikari Printing Co.\","), "{text}");
}
