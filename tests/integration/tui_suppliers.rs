//! The supplier review and the supplier screen in-process (issue 7): key
//! scripts through `App::handle_key` over a real repository with supplier
//! checks, each screen rendered to a `TestBackend` at 80×24 and
//! snapshotted (fixed clock).

use std::collections::BTreeMap;

use chrono::DateTime;
use tempfile::TempDir;
use tenken::model::{Action, Answer, Draft, FORMAT, Id, Lang, Subject, SubjectKind};
use tenken::store::{Identity, Store};
use tenken::tui::App;
use tenken::tui::keymap::ScreenId;

use crate::support::TestEnv;
use crate::tui_support::{NOW, clock, id, new_repo, open_app, press, render, sato, screen_text};

struct Fixture {
    _env: TestEnv,
    _dir: TempDir,
    store: Store,
}

fn supplier(id_: &str, name: &str, criticality: u8) -> Subject {
    Subject {
        id: id(id_),
        kind: SubjectKind::Supplier,
        name: name.into(),
        contact: tenken::model::Name::default(),
        services: Vec::new(),
        data_handled: Vec::new(),
        criticality,
        tags: Vec::new(),
        retired: false,
    }
}

/// Four suppliers: Aoba (criticality 3, two checks, three failing items in
/// the latest), Kumo (2, one check two years ago: overdue), Minato (1,
/// never checked) and Nimbus (3, 100% then 50%).
fn fixture(aoba_name: &str) -> Fixture {
    let (env, dir, store) = new_repo();
    let mut subjects = store.catalog().unwrap().subjects;
    let mut aoba = supplier("aoba", aoba_name, 3);
    aoba.services = vec!["payroll".into(), "給与計算".into()];
    aoba.data_handled = vec!["給与データ (payroll data)".into()];
    aoba.contact = "kato@aoba.example".into();
    subjects.subjects.extend([
        aoba,
        supplier("kumo", "くもストレージ (Kumo Storage)", 2),
        supplier("minato", "Minato Web", 1),
        supplier("nimbus", "Nimbus Mail", 3),
    ]);
    store
        .save_subjects(
            &subjects,
            &Identity::from_inspector(&sato()),
            "register: suppliers",
            clock(NOW),
        )
        .unwrap();
    let catalog = store.catalog().unwrap();
    let template = &catalog.inspections[&id("supplier-check")];
    let items: Vec<Id> = template.items().map(|(_, i)| i.id.clone()).collect();
    let check = |subject: &str, at: &str, choice: &dyn Fn(usize) -> Answer| {
        let answers: BTreeMap<Id, Answer> = items
            .iter()
            .enumerate()
            .map(|(n, item)| (item.clone(), choice(n)))
            .collect();
        let draft = Draft {
            format: FORMAT,
            inspection: id("supplier-check"),
            inspection_version: template.version,
            inspection_hash: None,
            subject: id(subject),
            inspector: sato(),
            started: DateTime::parse_from_rfc3339(at).unwrap(),
            answers,
            cursor: 0,
            supersedes: None,
            closes: Vec::new(),
        };
        let finished = DateTime::parse_from_rfc3339(at).unwrap();
        store
            .record_run(draft, &catalog, finished, clock(NOW))
            .unwrap();
    };
    let plain = |c: &'static str| move |_: usize| Answer::new(id(c));
    check("kumo", "2024-06-01T10:00:00+09:00", &plain("partly"));
    check("aoba", "2025-10-15T10:00:00+09:00", &plain("partly"));
    check("aoba", "2026-10-20T10:00:00+09:00", &|n| match n {
        0 => {
            let mut a = Answer::new(id("no"));
            a.note = "No written policy; the owner says one is planned.".into();
            a.evidence = vec!["委託契約書 第12条 (contract §12)".into()];
            a.action = Some(Action {
                text: "Ask for the policy and a date".into(),
                owner: "IT 佐藤".into(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            });
            a
        }
        3 => {
            let mut a = Answer::new(id("partly"));
            a.note = "NDA signed, training records missing".into();
            a
        }
        5 => {
            let mut a = Answer::new(id("unknown"));
            a.note = "委託先に確認中 (asking the supplier)".into();
            a
        }
        _ => Answer::new(id("yes")),
    });
    check("nimbus", "2026-04-10T10:00:00+09:00", &plain("yes"));
    check("nimbus", "2026-11-01T10:00:00+09:00", &plain("partly"));
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
fn supplier_review_sorts_and_opens_a_supplier() {
    let f = fixture("あおば会計 (Aoba Accounting)");
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "u");
    assert_eq!(app.screen_id(), ScreenId::Suppliers);
    // By risk: Nimbus 3 × 50, Kumo 2 × 50 (overdue first), Minato 1 × 100,
    // Aoba last.
    insta::assert_snapshot!("suppliers_by_risk", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "s");
    insta::assert_snapshot!("suppliers_by_overdue", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "s");
    let by_change = screen_text(&mut app);
    let row = |name: &str| by_change.lines().position(|l| l.contains(name)).unwrap();
    assert!(
        row("Nimbus") < row("あおば"),
        "worst change first:\n{by_change}"
    );
    assert!(
        row("あおば") < row("くもストレージ"),
        "no previous check last:\n{by_change}"
    );
    press(&f.store, &mut app, "s");
    assert!(
        screen_text(&mut app).contains("by risk"),
        "the sort cycles back"
    );

    // Aoba is the last row by risk.
    press(&f.store, &mut app, "j j j Enter");
    assert_eq!(app.screen_id(), ScreenId::Supplier);
    insta::assert_snapshot!("supplier_detail", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "j j");
    let moved = screen_text(&mut app);
    assert!(
        moved
            .lines()
            .any(|l| l.contains("▸ ") && l.contains("unknown")
                || l.contains("▸ ") && l.contains("Don't know")),
        "the selection moved to the third failing item:\n{moved}"
    );
    // Enter opens the latest check; `c` compares it with the one before.
    press(&f.store, &mut app, "Enter");
    assert_eq!(app.screen_id(), ScreenId::RunView);
    press(&f.store, &mut app, "Esc c");
    assert_eq!(app.screen_id(), ScreenId::Compare);
    press(&f.store, &mut app, "Esc Esc");
    assert_eq!(app.screen_id(), ScreenId::Suppliers);

    // Minato was never checked: `r` starts its first check.
    press(&f.store, &mut app, "k Enter");
    insta::assert_snapshot!("supplier_never_checked", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "r");
    assert!(
        matches!(app.screen_id(), ScreenId::Walker | ScreenId::Picker),
        "{:?}",
        app.screen_id()
    );
}

#[test]
fn supplier_screens_in_japanese() {
    let f = fixture("あおば会計 (Aoba Accounting)");
    let mut app = app(&f, Lang::Ja);
    press(&f.store, &mut app, "u");
    insta::assert_snapshot!("suppliers_ja", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "j j j Enter");
    insta::assert_snapshot!("supplier_detail_ja", render(&mut app, 80, 24).backend());
}

#[test]
fn a_hostile_supplier_name_is_escaped_on_both_screens() {
    let f = fixture("Evil\u{1b}]0;pwned\u{7}\u{1b}[2J Co");
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "u");
    let list = screen_text(&mut app);
    press(&f.store, &mut app, "j j j Enter");
    assert_eq!(app.screen_id(), ScreenId::Supplier);
    let detail = screen_text(&mut app);
    for screen in [&list, &detail] {
        assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
        assert!(
            screen.contains("Evil\\u{1b}]0;"),
            "shown escaped:\n{screen}"
        );
    }
}

#[test]
fn one_supplier_is_counted_in_the_singular() {
    let (_env, _dir, store) = new_repo();
    let mut subjects = store.catalog().unwrap().subjects;
    subjects.subjects.push(supplier("minato", "Minato Web", 1));
    store
        .save_subjects(
            &subjects,
            &Identity::from_inspector(&sato()),
            "register: one supplier",
            clock(NOW),
        )
        .unwrap();
    let mut app = open_app(&store, Lang::En);
    press(&store, &mut app, "u");
    assert_eq!(app.screen_id(), ScreenId::Suppliers);
    let screen = screen_text(&mut app);
    assert!(screen.contains(" 1 supplier · 0 overdue · "), "{screen}");
}
