//! The TUI at every size it must read well at (issue 17): a small tmux
//! split (60×20), an 80×24 terminal under tmux's status line (80×23) and
//! a large window (120×40), in Japanese and English, on the demo
//! repository. Each screen is snapshotted; the snapshots are read as a
//! user would (a word cut without "…", columns run together, a lost
//! border, a row starting with "、" are bugs, not baselines), and the
//! checks below assert what must hold on every screen at every size.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tempfile::TempDir;
use tenken::model::Lang;
use tenken::store::Store;
use tenken::tui::App;
use tenken::tui::keymap::ScreenId;

use crate::support::TestEnv;
use crate::tui_support::{NOW, clock, id, open_app, press, render, type_text};

/// The sizes: a small split, 80×24 under tmux, a large window.
const SIZES: [(u16, u16); 3] = [(60, 20), (80, 23), (120, 40)];

struct Demo {
    /// Runs the CLI on the same repository (and keeps its HOME alive).
    env: TestEnv,
    _dir: TempDir,
    store: Store,
}

fn demo() -> Demo {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    let store = tenken::demo::build(&dir.path().join("demo"), clock(NOW)).unwrap();
    Demo {
        env,
        _dir: dir,
        store,
    }
}

fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

/// Draws `app` at every size, checks what must hold everywhere and
/// snapshots each as `<name>_<lang>_<w>x<h>`.
fn snapshot_sizes(app: &mut App, name: &str, lang: Lang) {
    for (w, h) in SIZES {
        let terminal = render(app, w, h);
        check_screen(&terminal, &format!("{name} {w}x{h}"));
        insta::assert_snapshot!(
            format!("{name}_{}_{w}x{h}", lang_tag(lang)),
            terminal.backend()
        );
    }
}

/// What every screen at every size must hold: no "too small" notice, no
/// row starting with Japanese closing punctuation (kinsoku; ASCII `!` and
/// `?` start rows as marks), and no text touching a right border (`x│`
/// with no space between).
fn check_screen(terminal: &Terminal<TestBackend>, what: &str) {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    let rows: Vec<String> = (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect();
    let screen = rows.join("\n");
    assert!(
        !screen.contains("too small") && !screen.contains("小さすぎ"),
        "{what}: {screen}"
    );
    for row in &rows {
        // The text of a row inside a border: after "│" and any spaces.
        let inner = row.trim_start_matches(['│', ' ', '▸']);
        if let Some(first) = inner.chars().next() {
            assert!(
                first.is_ascii() || first == '…' || !tenken::tui::widget::wrap::no_start(first),
                "{what}: a row starts with {first:?}:\n{screen}"
            );
        }
        let chars: Vec<char> = row.chars().collect();
        if let Some(&'│') = chars.last() {
            let before = chars.get(chars.len().wrapping_sub(2)).copied();
            assert!(
                before.is_none_or(|c| c == ' ' || c == '│' || c == '─'),
                "{what}: text touches the right border:\n{screen}"
            );
        }
    }
}

#[test]
fn dashboard_history_and_compare_at_every_size() {
    let d = demo();
    for lang in [Lang::Ja, Lang::En] {
        let mut app = open_app(&d.store, lang);
        snapshot_sizes(&mut app, "dashboard", lang);
        press(&d.store, &mut app, "h");
        assert_eq!(app.screen_id(), ScreenId::History);
        snapshot_sizes(&mut app, "history", lang);
        // The latest run that has one before it, against that one.
        press(&d.store, &mut app, "c");
        assert_eq!(app.screen_id(), ScreenId::Compare, "{:?}", app.status);
        snapshot_sizes(&mut app, "compare", lang);
    }
}

#[test]
fn walker_and_finish_at_every_size() {
    for lang in [Lang::Ja, Lang::En] {
        // A demo each: the first language's draft would be offered back.
        let d = demo();
        let mut app = open_app(&d.store, lang);
        app.open_run(&id("ipa-self-check"), &id("self")).unwrap();
        if app.screen_id() == ScreenId::Picker {
            // Start empty rather than carrying the last run over.
            press(&d.store, &mut app, "n");
        }
        assert_eq!(app.screen_id(), ScreenId::Walker, "{:?}", app.status);
        // Best, partial, don't know (with its note), worst (with its note).
        press(&d.store, &mut app, "1 2 4");
        type_text(&d.store, &mut app, "担当者に確認中。");
        press(&d.store, &mut app, "Enter 3");
        type_text(&d.store, &mut app, "Not yet planned.");
        press(&d.store, &mut app, "Enter");
        snapshot_sizes(&mut app, "walker", lang);
        // The guidance cut at 60×20 scrolls to its end and no further.
        let text = |app: &mut App| format!("{}", render(app, 60, 20).backend());
        let first = text(&mut app);
        // The hint on the border: whole where it fits after the title.
        assert!(
            first.contains("PgDn/J ↓") || first.contains(" J↓ "),
            "{first}"
        );
        for _ in 0..12 {
            press(&d.store, &mut app, "J");
            text(&mut app);
        }
        let end = text(&mut app);
        assert!(
            (end.contains("PgUp/K ↑") || end.contains(" K↑ "))
                && !end.contains("J ↓")
                && !end.contains(" J↓ "),
            "{end}"
        );
        insta::assert_snapshot!(format!("walker_guidance_end_{}_60x20", lang_tag(lang)), end);
        press(&d.store, &mut app, "K K K K K K K K K K K K");
        assert_eq!(text(&mut app), first, "K scrolls back to the top");
        press(&d.store, &mut app, "f");
        assert_eq!(app.screen_id(), ScreenId::Finish);
        snapshot_sizes(&mut app, "finish", lang);
    }
}

#[test]
fn suppliers_actions_risks_and_the_other_screens_at_every_size() {
    for lang in [Lang::Ja, Lang::En] {
        // A demo each: the risk draft opened in one language would be
        // offered back in the other.
        let d = demo();
        let mut app = open_app(&d.store, lang);
        press(&d.store, &mut app, "u");
        assert_eq!(app.screen_id(), ScreenId::Suppliers);
        snapshot_sizes(&mut app, "suppliers", lang);
        press(&d.store, &mut app, "Enter");
        assert_eq!(app.screen_id(), ScreenId::Supplier);
        snapshot_sizes(&mut app, "supplier", lang);
        // The register form, on the supplier's record.
        press(&d.store, &mut app, "E");
        assert_eq!(app.screen_id(), ScreenId::SubjectForm);
        snapshot_sizes(&mut app, "subject_form", lang);
        press(&d.store, &mut app, "Esc Esc Esc");
        assert_eq!(app.screen_id(), ScreenId::Dashboard);

        press(&d.store, &mut app, "a");
        assert_eq!(app.screen_id(), ScreenId::Actions);
        snapshot_sizes(&mut app, "actions", lang);
        press(&d.store, &mut app, "Esc R");
        assert_eq!(app.screen_id(), ScreenId::Risks);
        snapshot_sizes(&mut app, "risks", lang);
        press(&d.store, &mut app, "n");
        assert_eq!(app.screen_id(), ScreenId::RiskEditor, "{:?}", app.status);
        snapshot_sizes(&mut app, "risk_editor", lang);
        press(&d.store, &mut app, "Esc Esc");
        assert_eq!(app.screen_id(), ScreenId::Dashboard);

        // Starting a run: which subject, then which inspection.
        press(&d.store, &mut app, "r");
        assert_eq!(app.screen_id(), ScreenId::Picker);
        snapshot_sizes(&mut app, "picker", lang);
        press(&d.store, &mut app, "Enter");
        assert_eq!(app.screen_id(), ScreenId::Picker);
        snapshot_sizes(&mut app, "picker_inspection", lang);
        press(&d.store, &mut app, "Esc Esc");
        assert_eq!(app.screen_id(), ScreenId::Dashboard);

        // The latest run, its help, and its trend.
        press(&d.store, &mut app, "h Enter");
        assert_eq!(app.screen_id(), ScreenId::RunView, "{:?}", app.status);
        snapshot_sizes(&mut app, "run_view", lang);
        // An answer is never broken over two rows ("実施して" / "いる").
        for (w, h) in SIZES {
            for row in rows_of(&render(&mut app, w, h)) {
                let (start, whole) = match lang {
                    Lang::Ja => ("実施して", "実施してい"),
                    Lang::En => ("Partly", "Partly done"),
                };
                assert!(
                    !row.contains(start) || row.contains(whole),
                    "{w}x{h}: an answer cut in {row:?}"
                );
            }
        }
        press(&d.store, &mut app, "?");
        snapshot_sizes(&mut app, "help_run_view", lang);
        press(&d.store, &mut app, "Esc Esc t");
        assert_eq!(app.screen_id(), ScreenId::Trend, "{:?}", app.status);
        snapshot_sizes(&mut app, "trend", lang);
    }
}

/// The rows of the screen as text, each wide character once (the cell it
/// hides is left out).
fn rows_of(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                row.push_str(symbol);
                x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1)).unwrap();
            }
            row
        })
        .collect()
}

/// `tenken path` on the demo in `lang`, as text.
fn path_text(d: &Demo, lang: Lang) -> String {
    let out = d
        .env
        .tenken()
        .arg("--repo")
        .arg(d.store.root())
        .args(["--inspector", "sato", "--lang", lang_tag(lang), "path"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Issue 18: the dashboard says where the organisation stands on the
/// guideline's path and the one thing to do next, as `tenken path` works
/// it out, in both languages; at 60×20 the panel keeps to its rows, the
/// list's border closes it and the list keeps its rows below.
#[test]
fn the_dashboard_shows_where_the_organisation_stands_on_the_path() {
    let d = demo();
    let cases = [
        (
            Lang::En,
            "Where you stand: Step 2: start organised measures — inspected, gaps remain",
            "Information security self-check (25 questions) — Sakura Design Works: \
             List every item not answered 'done' and work towards the full 100 points.",
            [
                "│  Next: Information security self-check (25 questions) · Sakura Design Works: List every item not answered 'done' and │",
                "│  work towards the full 100 points.                                                                                   │",
            ],
        ),
        (
            Lang::Ja,
            "現在地: ステップ2：組織的な取り組みを始める — 点検済み・課題あり",
            "情報セキュリティ自社診断（25問） — さくらデザイン工房: \
             「実施している」以外の項目を洗い出し、満点を目指して改善しましょう。",
            [
                "│  次にすること: 情報セキュリティ自社診断（25問） · さくらデザイン工房: 「実施している」以外の項目を洗い出し、満点を目 │",
                "│  指して改善しましょう。                                                                                              │",
            ],
        ),
    ];
    for (lang, heading, next, wide) in cases {
        // The CLI says the same: where the demo stands, and the first
        // thing missing at its step among what to do next.
        let cli = path_text(&d, lang);
        assert_eq!(cli.lines().next(), Some(heading), "{cli}");
        assert!(cli.contains(&format!("  - {next}\n")), "{cli}");

        let mut app = open_app(&d.store, lang);
        // 120×40: the heading in the panel's top border, the next thing
        // as the CLI words it on the two rows it needs, then the list's
        // border closing it.
        let rows = rows_of(&render(&mut app, 120, 40));
        assert!(
            rows[1].starts_with(&format!("┌ {heading} ─")),
            "{}",
            rows.join("\n")
        );
        assert!(rows[1].ends_with("─┐"), "{}", rows[1]);
        assert_eq!(rows[2..4], wide, "{}", rows.join("\n"));
        assert_eq!(rows[4], format!("├{}┤", "─".repeat(118)));

        // 60×20: the label gives way, the status stays; the next thing on
        // two rows, what to do first and what it is about cut with "…";
        // nothing runs into the borders, and the
        // list keeps its rows (corrective actions first) down to its
        // bottom border above the status line.
        let terminal = render(&mut app, 60, 20);
        check_screen(&terminal, "dashboard with the path 60x20");
        let rows = rows_of(&terminal);
        let screen = rows.join("\n");
        assert!(rows[1].starts_with("┌ "), "{screen}");
        assert!(
            rows[1].ends_with(" ┐") || rows[1].ends_with("─┐"),
            "{screen}"
        );
        let status = heading.rsplit(" — ").next().unwrap();
        assert!(rows[1].contains(&format!(" — {status} ")), "{screen}");
        assert!(
            rows[2].starts_with(&format!("│  {} ", lang.pick("次にすること:", "Next:"))),
            "{screen}"
        );
        assert!(
            rows[3].trim_end_matches([' ', '│']).ends_with('…'),
            "{screen}"
        );
        assert_eq!(rows[4], format!("├{}┤", "─".repeat(58)), "{screen}");
        assert!(
            rows[5].starts_with(&format!("│  {}", lang.pick("是正処置", "Actions"))),
            "{screen}"
        );
        for row in &rows[2..17] {
            assert!(row.starts_with('│') || row.starts_with('├'), "{screen}");
            assert!(row.ends_with('│') || row.ends_with('┤'), "{screen}");
            assert_eq!(
                unicode_width::UnicodeWidthStr::width(row.as_str()),
                60,
                "{screen}"
            );
        }
        assert!(
            rows[5..17].iter().any(|r| r.starts_with("│▸ ")),
            "the selection is in view:\n{screen}"
        );
        // The rows below the fold are said on the bottom border, so the
        // last heading in view does not look like an empty section.
        let hidden = format!(" {} ↓ ─┘", lang.pick("下に17行", "17 more"));
        assert!(rows[17].starts_with("└──"), "{screen}");
        assert!(rows[17].ends_with(&hidden), "{screen}");
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(rows[17].as_str()),
            60,
            "{screen}"
        );
        // At the last row (End) the same 17 rows are above the view: said
        // on the top border, and nothing below.
        press(&d.store, &mut app, "End");
        let rows = rows_of(&render(&mut app, 60, 20));
        let screen = rows.join("\n");
        let above = format!(" ↑ {} ─┤", lang.pick("上に17行", "17 more"));
        assert!(rows[4].starts_with("├──"), "{screen}");
        assert!(rows[4].ends_with(&above), "{screen}");
        assert_eq!(rows[16].chars().nth(1), Some('▸'), "{screen}");
        assert_eq!(rows[17], format!("└{}┘", "─".repeat(58)), "{screen}");
    }
}
