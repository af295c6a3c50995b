//! Corrective actions and the risk register in the TUI, in-process (issue
//! 8): key scripts through `App::handle_key` with every effect performed
//! through a real store, and the actions, risk register, risk editor,
//! walker form and finish screens snapshotted at 80×24 (fixed clock).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use tempfile::TempDir;
use tenken::actions::{self, CloseKind, Status};
use tenken::model::{
    Action, Answer, Asset, Draft, FORMAT, Id, Lang, PersonalData, RiskAssessment, Threat, Treatment,
};
use tenken::store::Store;
use tenken::tui::keymap::ScreenId;
use tenken::tui::{App, Effect};

use crate::support::TestEnv;
use crate::tui_support::{
    clock, git, id, new_repo, open_app, press, render, sato, screen_text, type_text,
};

const R1: &str = "self/ipa-five-principles/2026-04-20T100000-sato";
const R2: &str = "self/ipa-five-principles/2026-07-21T100000-sato";

/// When a run finished, its five answers (choice, action) and its `closes`.
type RunSpec = (
    &'static str,
    [(&'static str, Option<Action>); 5],
    Vec<String>,
);

struct Fixture {
    _env: TestEnv,
    _dir: TempDir,
    store: Store,
}

/// Two five-principles runs of `self` (on 2026-11-25 the first run's action
/// on item 2 is closed by the best answer, on item 3 still open, on item 4
/// closed explicitly and replaced by an overdue one) and two risk
/// assessments a year apart.
fn fixture() -> Fixture {
    let (env, dir, store) = new_repo();
    let catalog = store.catalog().unwrap();
    let template = &catalog.inspections[&id("ipa-five-principles")];
    let action = |text: &str, owner: &str, due: &str| {
        Some(Action {
            text: text.into(),
            owner: owner.into(),
            due: NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
        })
    };
    let runs: [RunSpec; 2] = [
        (
            "2026-04-20T10:00:00+09:00",
            [
                ("yes", None),
                (
                    "partly",
                    action("Patch the laptops", "Suzuki", "2026-06-30"),
                ),
                ("no", action("Write a password rule", "Sato", "2026-12-31")),
                ("partly", action("Back up the NAS", "Sato", "2026-09-30")),
                ("yes", None),
            ],
            Vec::new(),
        ),
        (
            "2026-07-21T10:00:00+09:00",
            [
                ("yes", None),
                ("yes", None),
                ("partly", None),
                (
                    "partly",
                    action("Back up the NAS offline", "Tanaka", "2026-10-31"),
                ),
                ("yes", None),
            ],
            vec![format!("{R1}#4")],
        ),
    ];
    for (at, answers, closes) in runs {
        let answers: BTreeMap<Id, Answer> = template
            .items()
            .zip(answers)
            .map(|((_, item), (choice, action))| {
                let mut a = Answer::new(id(choice));
                if choice == "no" {
                    a.note = "Not started.".into();
                }
                a.action = action;
                (item.id.clone(), a)
            })
            .collect();
        let draft = Draft {
            format: FORMAT,
            inspection: id("ipa-five-principles"),
            inspection_version: template.version,
            inspection_hash: None,
            subject: id("self"),
            inspector: sato(),
            started: DateTime::parse_from_rfc3339(at).unwrap(),
            answers,
            cursor: 0,
            supersedes: None,
            closes,
        };
        store.commit_run(draft, &catalog, clock(at)).unwrap();
    }
    for (at, second) in [
        ("2025-10-21T17:00:00+09:00", false),
        ("2026-10-26T17:00:00+09:00", true),
    ] {
        store
            .commit_risk(assessment(at, second), clock(at))
            .unwrap();
    }
    Fixture {
        _env: env,
        _dir: dir,
        store,
    }
}

fn threat(tid: &str, title: &str, t: u8, v: u8, treatment: Treatment, plan: &str) -> Threat {
    Threat {
        id: id(tid),
        title: title.into(),
        threat: t,
        vulnerability: v,
        treatment,
        plan: plan.into(),
        category: None,
        derived: None,
    }
}

fn asset(
    aid: &str,
    name: &str,
    cia: (u8, u8, u8),
    pd: PersonalData,
    threats: Vec<Threat>,
) -> Asset {
    Asset {
        id: id(aid),
        name: name.into(),
        business: "営業 sales".into(),
        owner: String::new(),
        medium: "クラウド cloud".into(),
        users: String::new(),
        personal_data: pd,
        c: cia.0,
        i: cia.1,
        a: cia.2,
        threats,
    }
}

/// A small ledger; the later one lowers one vulnerability, raises one
/// threat, adds an asset and drops another.
fn assessment(at: &str, later: bool) -> RiskAssessment {
    let pick = |before: u8, after: u8| if later { after } else { before };
    let mut assets = vec![
        asset(
            "customers",
            "顧客名簿 (customer list)",
            (2, 2, 1),
            PersonalData::Personal,
            vec![
                threat(
                    "leak",
                    "不正アクセス (breach)",
                    2,
                    pick(3, 2),
                    Treatment::Reduce,
                    "多要素認証 (MFA)",
                ),
                threat(
                    "misdirect",
                    "メール誤送信 (wrong recipient)",
                    3,
                    2,
                    Treatment::Reduce,
                    "送信前確認",
                ),
            ],
        ),
        asset(
            "website",
            "Webサイト (website)",
            (1, 3, 3),
            PersonalData::None,
            vec![threat(
                "deface",
                "改ざん (defacement)",
                pick(2, 3),
                2,
                Treatment::Transfer,
                "保守契約 (upkeep contract)",
            )],
        ),
        asset(
            "catalogue",
            "カタログ (catalogue)",
            (1, 2, 1),
            PersonalData::None,
            vec![threat(
                "outage",
                "停止 (outage)",
                2,
                3,
                Treatment::Retain,
                "",
            )],
        ),
    ];
    if later {
        assets.push(asset(
            "email",
            "電子メール (email)",
            (2, 2, 3),
            PersonalData::None,
            vec![threat(
                "phishing",
                "なりすまし (phishing)",
                3,
                3,
                Treatment::Reduce,
                "訓練 (training)",
            )],
        ));
    } else {
        assets.push(asset(
            "fax",
            "FAX",
            (2, 1, 1),
            PersonalData::None,
            vec![threat(
                "misfax",
                "誤送信 (wrong number)",
                2,
                3,
                Treatment::Avoid,
                "廃止 (stop)",
            )],
        ));
    }
    RiskAssessment {
        format: FORMAT,
        id: String::new(),
        assessor: sato(),
        date: DateTime::parse_from_rfc3339(at).unwrap().date_naive(),
        assets,
    }
}

fn app(f: &Fixture, lang: Lang) -> App {
    open_app(&f.store, lang)
}

#[test]
fn the_dashboard_counts_open_and_overdue_actions() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    assert!(
        screen_text(&mut app).contains("Actions · 2 open · 1 overdue — a: list · R: risk register"),
        "{}",
        screen_text(&mut app)
    );
    let mut app = self::app(&f, Lang::Ja);
    assert!(screen_text(&mut app).contains("是正処置 · 未完了 2件 · 期限切れ 1件"));
}

#[test]
fn the_actions_screen_lists_overdue_first_and_toggles_closed() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "a");
    assert_eq!(app.screen_id(), ScreenId::Actions);
    insta::assert_snapshot!("actions_open", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "a");
    insta::assert_snapshot!("actions_all", render(&mut app, 80, 24).backend());
    // The last row is the action closed explicitly; Enter opens its run.
    press(&f.store, &mut app, "j j j Enter");
    assert_eq!(app.screen_id(), ScreenId::RunView);
    assert!(screen_text(&mut app).contains("2026-04-20"));
    press(&f.store, &mut app, "Esc ?");
    insta::assert_snapshot!("help_actions", render(&mut app, 80, 24).backend());
}

#[test]
fn the_risk_register_sorted_by_value_with_changes() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "R");
    assert_eq!(app.screen_id(), ScreenId::Risks);
    insta::assert_snapshot!("risks", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "s");
    insta::assert_snapshot!("risks_ledger_order", render(&mut app, 80, 24).backend());
    let mut app = self::app(&f, Lang::Ja);
    press(&f.store, &mut app, "R");
    insta::assert_snapshot!("risks_ja", render(&mut app, 80, 24).backend());
}

#[test]
fn a_new_assessment_is_edited_saved_as_a_draft_and_committed() {
    let f = fixture();
    let sato = id("sato");
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "R n");
    assert_eq!(app.screen_id(), ScreenId::RiskEditor);
    insta::assert_snapshot!("risk_editor", render(&mut app, 80, 24).backend());
    // Customer list: C 2 → 3 (importance stays 3: personal data).
    let effects = press(&f.store, &mut app, "l 3");
    assert!(matches!(effects[..], [Effect::SaveRiskDraft(_)]));
    let draft = f.store.load_risk_draft(&sato).unwrap().unwrap();
    assert_eq!(draft.assets[0].c, 3);
    assert!(draft.id.is_empty());
    // A new threat to the customer list: typed title, threat 3,
    // vulnerability 3 → likelihood 3, value 9, live.
    press(&f.store, &mut app, "t");
    type_text(&f.store, &mut app, "USB stick lost");
    press(&f.store, &mut app, "Enter l 3 l 3");
    insta::assert_snapshot!("risk_editor_new_threat", render(&mut app, 80, 24).backend());
    // Leaving keeps the draft; n resumes it.
    press(&f.store, &mut app, "Esc");
    assert_eq!(app.screen_id(), ScreenId::Risks);
    assert!(screen_text(&mut app).contains("draft in progress"));
    press(&f.store, &mut app, "n");
    assert!(screen_text(&mut app).contains("USB stick lost"));
    // Out-of-range values are refused: 4 on a 1–3 field.
    press(&f.store, &mut app, "l 4");
    assert!(screen_text(&mut app).contains("This value is 1, 2 or 3."));
    // A new asset starts with its name.
    press(&f.store, &mut app, "a");
    type_text(&f.store, &mut app, "Payroll");
    press(&f.store, &mut app, "Enter l l l l 4");
    let draft = f.store.load_risk_draft(&sato).unwrap().unwrap();
    let payroll = draft.assets.last().unwrap();
    assert_eq!(payroll.name, "Payroll");
    assert_eq!(payroll.personal_data, PersonalData::MyNumber);
    // Commit: f asks, y commits exactly one new file under risks/.
    let before = git(f.store.root(), &["rev-list", "--count", "HEAD"]);
    press(&f.store, &mut app, "f");
    assert!(screen_text(&mut app).contains("Commit this risk assessment?"));
    let effects = press(&f.store, &mut app, "y");
    assert!(effects.iter().any(|e| matches!(e, Effect::CommitRisk(_))));
    assert_eq!(app.screen_id(), ScreenId::Risks);
    let after = git(f.store.root(), &["rev-list", "--count", "HEAD"]);
    assert_eq!(
        before.trim().parse::<u32>().unwrap() + 1,
        after.trim().parse::<u32>().unwrap()
    );
    let files = git(
        f.store.root(),
        &["show", "--name-only", "--format=%an|%s", "HEAD"],
    );
    assert_eq!(
        files,
        "Sato Hanako|risk: assessment by sato (5 assets)\n\nrisks/2026-11-25T090000-sato.ron\n"
    );
    assert_eq!(f.store.load_risk_draft(&sato).unwrap(), None);
    let risks = f.store.risks().unwrap();
    assert_eq!(risks.len(), 3);
    assert_eq!(risks[2].id, "2026-11-25T090000-sato");
    assert_eq!(
        risks[2].date,
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    );
    assert!(
        app.status_text()
            .unwrap_or_default()
            .starts_with("Committed the risk assessment"),
        "{:?}",
        app.status
    );
    insta::assert_snapshot!("risks_after_commit", render(&mut app, 80, 24).backend());
}

/// Issue 18: the measure status check feeds the vulnerability. A threat
/// gets a category (Space), `d` takes the vulnerability from the latest
/// answers (here the five principles' sharing settings, partly done → 2),
/// marked as derived; set against it by hand, the commit waits for a
/// reason (Enter on the vulnerability), which is kept with the derivation.
#[test]
fn a_vulnerability_is_derived_from_the_inspections_and_overridden_with_a_reason() {
    let f = fixture();
    let sato = id("sato");
    let mut app = app(&f, Lang::En);
    press(&f.store, &mut app, "R n");
    assert_eq!(app.screen_id(), ScreenId::RiskEditor);
    // The mail sent to the wrong person; its category field is the last.
    press(&f.store, &mut app, "j j l l l l l");
    press(&f.store, &mut app, "d");
    assert!(
        screen_text(&mut app).contains("Choose the threat's category first"),
        "{}",
        screen_text(&mut app)
    );
    // Space cycles: malware, unauthorised-access, website, phishing, mistakes.
    press(&f.store, &mut app, "Space Space Space Space Space");
    let text = screen_text(&mut app);
    assert!(
        text.contains("Category: Mis-sending and wrong settings"),
        "{text}"
    );
    assert!(
        text.contains("inspections suggest 2 (d takes it)"),
        "{text}"
    );
    press(&f.store, &mut app, "d");
    assert!(
        screen_text(&mut app)
            .contains("Vulnerability 2 from the answers: 0 measures in place, 1 partly, 0 not."),
        "{}",
        screen_text(&mut app)
    );
    let draft = f.store.load_risk_draft(&sato).unwrap().unwrap();
    let threat = &draft.assets[0].threats[1];
    assert_eq!(threat.category.as_ref().map(Id::as_str), Some("mistakes"));
    assert_eq!(threat.vulnerability, 2);
    let derived = threat.derived.clone().unwrap();
    assert_eq!((derived.value, derived.note.as_str()), (2, ""));
    assert_eq!(derived.runs, [R2]);
    insta::assert_snapshot!("risk_editor_derived", render(&mut app, 80, 24).backend());

    // Set by hand against the inspections: no commit without a reason.
    press(&f.store, &mut app, "h h h 3");
    assert!(
        screen_text(&mut app).contains("The inspections say 2 · press Enter to say why it differs")
    );
    press(&f.store, &mut app, "f");
    assert!(
        screen_text(&mut app).contains(
            "Say why the vulnerability differs from the inspections (Enter on it): row 3"
        ),
        "{}",
        screen_text(&mut app)
    );
    press(&f.store, &mut app, "Enter");
    type_text(&f.store, &mut app, "sharing links are checked by hand only");
    press(&f.store, &mut app, "Enter f y");
    let risks = f.store.risks().unwrap();
    let threat = &risks.last().unwrap().assets[0].threats[1];
    assert_eq!(threat.vulnerability, 3);
    let derived = threat.derived.as_ref().unwrap();
    assert_eq!(derived.value, 2);
    assert_eq!(derived.note, "sharing links are checked by hand only");
    // The committed file says so, and `check` accepts it.
    let file = std::fs::read_to_string(
        f.store
            .root()
            .join(format!("risks/{}.ron", risks.last().unwrap().id)),
    )
    .unwrap();
    assert!(file.contains("category: Some(\"mistakes\")"), "{file}");
    let now = DateTime::parse_from_rfc3339(crate::tui_support::NOW).unwrap();
    assert!(f.store.check(now).is_empty(), "{:?}", f.store.check(now));
}

#[test]
fn adding_an_action_in_the_walker() {
    let f = fixture();
    let mut app = app(&f, Lang::En);
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    // Start fresh rather than carrying the previous answers.
    press(&f.store, &mut app, "n");
    assert_eq!(app.screen_id(), ScreenId::Walker);
    // The best answer takes no action.
    press(&f.store, &mut app, "1 b a");
    assert!(
        screen_text(&mut app).contains("The best answer needs no corrective action."),
        "{}",
        screen_text(&mut app)
    );
    // Item 3 (an action still open from April): partly, back, a.
    press(&f.store, &mut app, "j 1 2 b");
    assert!(screen_text(&mut app).contains("⚑ Open since 2026-04-20 (due 2026-12-31)"));
    press(&f.store, &mut app, "a");
    type_text(&f.store, &mut app, "Adopt the password rule");
    press(&f.store, &mut app, "Tab");
    type_text(&f.store, &mut app, "Sato");
    // The due date starts 30 days out; a date that does not exist is refused.
    press(&f.store, &mut app, "Tab Bs Bs Bs Bs Bs Bs Bs Bs Bs Bs");
    type_text(&f.store, &mut app, "2026-02-30");
    insta::assert_snapshot!("walker_action_form", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "Enter");
    assert!(screen_text(&mut app).contains("The due date must be a real date as YYYY-MM-DD."));
    press(&f.store, &mut app, "Bs Bs Bs Bs Bs");
    type_text(&f.store, &mut app, "12-20");
    let effects = press(&f.store, &mut app, "Enter");
    // The draft is saved, then the typing kept for a lost session forgotten.
    let Some(Effect::SaveDraft(draft)) = effects
        .iter()
        .rev()
        .find(|e| matches!(e, Effect::SaveDraft(_)))
    else {
        panic!("saved: {effects:?}")
    };
    let a = draft.answers[&id("3")].action.clone().unwrap();
    assert_eq!(
        (
            a.text.as_str(),
            a.owner.as_str(),
            a.due.to_string().as_str()
        ),
        ("Adopt the password rule", "Sato", "2026-12-20")
    );
    // The new action replaces the open one of April.
    assert_eq!(draft.closes, [format!("{R1}#3")]);
    let on_disk = f
        .store
        .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
        .unwrap()
        .unwrap();
    assert_eq!(on_disk.answers[&id("3")].action, Some(a));
    insta::assert_snapshot!("walker_with_action", render(&mut app, 80, 24).backend());
    // Item 4 done (closes July's overdue action), item 5 done; finish.
    press(&f.store, &mut app, "j 1 1 f");
    assert_eq!(app.screen_id(), ScreenId::Finish);
    insta::assert_snapshot!("finish_with_actions", render(&mut app, 80, 24).backend());
    press(&f.store, &mut app, "y");
    assert_eq!(app.screen_id(), ScreenId::Dashboard);
    let runs = f.store.runs(&f.store.catalog().unwrap()).unwrap();
    let all = actions::derive(
        &runs,
        &f.store.catalog().unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    );
    let state = |key: &str| {
        let a = all.iter().find(|a| a.key() == key).unwrap();
        (a.status(), a.closed.as_ref().map(|c| c.kind))
    };
    assert_eq!(
        state(&format!("{R1}#3")),
        (Status::Closed, Some(CloseKind::Explicit))
    );
    assert_eq!(
        state(&format!("{R2}#4")),
        (Status::Closed, Some(CloseKind::Best))
    );
    let new = &runs.last().unwrap().id;
    assert_eq!(state(&format!("{new}#3")), (Status::Open, None));
    assert!(screen_text(&mut app).contains("Actions · 1 open · 0 overdue"));
}
