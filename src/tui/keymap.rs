//! Key bindings per screen, each with the description that the footer and
//! the `?` help show, so the docs and the keys cannot drift apart. The only
//! place raw keys become intents (choice keys come from the template).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::Lang;

/// Which screen a binding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    /// The dashboard.
    Dashboard,
    /// Choosing subject and inspection for a new run.
    Picker,
    /// Walking through a checklist.
    Walker,
    /// The finish summary.
    Finish,
    /// The run history table.
    History,
    /// A read-only view of one run.
    RunView,
    /// Two runs compared item by item.
    Compare,
    /// Percent over periods.
    Trend,
    /// The supplier review table.
    Suppliers,
    /// One supplier: checks, trend, failing items.
    Supplier,
    /// Corrective actions, overdue first.
    Actions,
    /// The risk register of the latest assessment.
    Risks,
    /// Editing a new risk assessment.
    RiskEditor,
    /// Adding or editing a subject of the register.
    SubjectForm,
}

/// An intent a key can express.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Open or confirm the selection.
    Select,
    /// Leave the screen.
    Back,
    /// Quit tenken.
    Quit,
    /// Show or hide the help.
    Help,
    /// Start a new run.
    NewRun,
    /// Open the history.
    History,
    /// Edit the note of the current item.
    Note,
    /// Add an evidence reference.
    Evidence,
    /// Leave the item unanswered and go on.
    Skip,
    /// Go back one item.
    PrevItem,
    /// Jump to an item by id.
    Jump,
    /// Finish the run.
    Finish,
    /// Confirm a carried answer.
    ConfirmCarried,
    /// Commit the finished run.
    Commit,
    /// Filter the list.
    Filter,
    /// Page down.
    PageDown,
    /// Page up.
    PageUp,
    /// Compare with the previous run.
    Compare,
    /// Show the trend.
    Trend,
    /// Mark a run as the earlier side of a comparison.
    Mark,
    /// Cycle through options (such as the period kind).
    Cycle,
    /// Open the supplier review.
    Suppliers,
    /// Open the corrective actions.
    Actions,
    /// Open the risk register.
    Risks,
    /// Add or edit the corrective action of the current answer.
    CorrectiveAction,
    /// Focus the previous field of a form.
    PrevField,
    /// Focus the next field of a form.
    NextField,
    /// Set the focused value (the digit itself reaches the screen as
    /// `Msg::SetValue`).
    SetValue,
    /// Add an asset to the assessment.
    AddAsset,
    /// Add a threat to the selected asset.
    AddThreat,
    /// Delete the selected row.
    Delete,
    /// Throw the draft away.
    Discard,
    /// Add a subject to the register.
    AddSubject,
    /// Edit the subject in the register.
    EditSubject,
    /// Retire the subject (after a confirmation).
    RetireSubject,
}

/// One binding: keys, how they are shown, what they do, what that means.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [KeyCode],
    /// How the keys are shown.
    pub label: &'static str,
    /// The intent.
    pub action: Action,
    /// Japanese description.
    pub ja: &'static str,
    /// English description.
    pub en: &'static str,
    /// Shown in the footer (the rest only in `?` help).
    pub footer: bool,
}

impl Binding {
    /// Returns the description in `lang`.
    pub fn desc(&self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
}

const fn b(
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    ja: &'static str,
    en: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        ja,
        en,
        footer,
    }
}

// The tables stay one binding per line: easier to scan than rustfmt's layout.
#[rustfmt::skip]
const UP: Binding = b(&[KeyCode::Up, KeyCode::Char('k')], "↑/k", Action::Up, "上へ", "up", false);
#[rustfmt::skip]
const DOWN: Binding = b(&[KeyCode::Down, KeyCode::Char('j')], "↓/j", Action::Down, "下へ", "down", false);
#[rustfmt::skip]
const PGUP: Binding = b(&[KeyCode::PageUp], "PgUp", Action::PageUp, "前のページ", "page up", false);
#[rustfmt::skip]
const PGDN: Binding = b(&[KeyCode::PageDown], "PgDn", Action::PageDown, "次のページ", "page down", false);
#[rustfmt::skip]
const HELP: Binding = b(&[KeyCode::Char('?')], "?", Action::Help, "ヘルプ", "help", true);
#[rustfmt::skip]
const BACK: Binding = b(&[KeyCode::Esc, KeyCode::Char('q')], "Esc/q", Action::Back, "戻る", "back", true);
#[rustfmt::skip]
const COMPARE: Binding = b(&[KeyCode::Char('c')], "c", Action::Compare, "前回と比較", "compare", true);
#[rustfmt::skip]
const TREND: Binding = b(&[KeyCode::Char('t')], "t", Action::Trend, "推移", "trend", true);

#[rustfmt::skip]
const DASHBOARD: &[Binding] = &[
    UP,
    DOWN,
    b(&[KeyCode::Enter], "Enter", Action::Select, "開く", "open", true),
    b(&[KeyCode::Char('r')], "r", Action::NewRun, "新しい点検", "new run", true),
    b(&[KeyCode::Char('h')], "h", Action::History, "履歴", "history", true),
    b(&[KeyCode::Char('u')], "u", Action::Suppliers, "委託先", "suppliers", true),
    COMPARE,
    TREND,
    b(&[KeyCode::Char('a')], "a", Action::Actions, "是正処置", "actions", true),
    b(&[KeyCode::Char('R')], "R", Action::Risks, "リスク台帳", "risks", true),
    HELP,
    b(&[KeyCode::Char('q'), KeyCode::Esc], "q", Action::Quit, "終了", "quit", true),
];

#[rustfmt::skip]
const PICKER: &[Binding] = &[
    UP,
    DOWN,
    b(&[KeyCode::Enter], "Enter", Action::Select, "選択", "choose", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const WALKER: &[Binding] = &[
    UP,
    DOWN,
    b(&[KeyCode::Char('n')], "n", Action::Note, "メモ", "note", true),
    b(&[KeyCode::Char('e')], "e", Action::Evidence, "証跡", "evidence", true),
    b(&[KeyCode::Char('s')], "s", Action::Skip, "スキップ", "skip", true),
    b(&[KeyCode::Char('b')], "b", Action::PrevItem, "前へ", "back", true),
    b(&[KeyCode::Char('g')], "g", Action::Jump, "番号へ", "jump", true),
    b(&[KeyCode::Char('c'), KeyCode::Enter], "c/Enter", Action::ConfirmCarried, "前回回答を確認", "confirm carried", false),
    b(&[KeyCode::Char('f')], "f", Action::Finish, "完了", "finish", true),
    b(&[KeyCode::Char('a')], "a", Action::CorrectiveAction, "是正処置 (内容・担当・期限)", "corrective action (what, owner, due)", true),
    HELP,
    b(&[KeyCode::Esc, KeyCode::Char('q')], "q", Action::Back, "中断", "leave", true),
];

#[rustfmt::skip]
const FINISH: &[Binding] = &[
    UP,
    DOWN,
    b(&[KeyCode::Char('y'), KeyCode::Enter], "y/Enter", Action::Commit, "確定してコミット", "commit", true),
    b(&[KeyCode::Esc, KeyCode::Char('b'), KeyCode::Char('q')], "b/Esc", Action::Back, "回答に戻る", "back to answers", true),
    HELP,
];

#[rustfmt::skip]
const HISTORY: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[KeyCode::Enter], "Enter", Action::Select, "開く", "open", true),
    b(&[KeyCode::Char('/')], "/", Action::Filter, "絞り込み", "filter", true),
    b(&[KeyCode::Char('m')], "m", Action::Mark, "比較元に印", "mark to compare", true),
    COMPARE,
    TREND,
    HELP,
    BACK,
];

#[rustfmt::skip]
const RUN_VIEW: &[Binding] = &[UP, DOWN, PGUP, PGDN, COMPARE, TREND, HELP, BACK];

#[rustfmt::skip]
const COMPARE_SCREEN: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[KeyCode::Char('v')], "v", Action::Filter, "変化のみ", "changed only", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const TREND_SCREEN: &[Binding] = &[
    b(&[KeyCode::Char('p')], "p", Action::Cycle, "期間の単位", "period kind", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const SUPPLIERS: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[KeyCode::Enter], "Enter", Action::Select, "開く", "open", true),
    b(&[KeyCode::Char('s')], "s", Action::Cycle, "並べ替え (リスク/期限/変化)", "sort: risk/overdue/change", true),
    b(&[KeyCode::Char('+')], "+", Action::AddSubject, "委託先を台帳に追加", "add a supplier to the register", false),
    HELP,
    BACK,
];

#[rustfmt::skip]
const SUPPLIER: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[KeyCode::Enter], "Enter", Action::Select, "最新結果", "latest check", true),
    COMPARE,
    TREND,
    b(&[KeyCode::Char('r')], "r", Action::NewRun, "点検開始", "new check", true),
    b(&[KeyCode::Char('E')], "E", Action::EditSubject, "台帳の登録内容を編集", "edit the register entry", false),
    b(&[KeyCode::Char('X')], "X", Action::RetireSubject, "廃止 (確認あり)", "retire (asks first)", false),
    HELP,
    BACK,
];

#[rustfmt::skip]
const ACTIONS: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[KeyCode::Enter], "Enter", Action::Select, "元の点検を開く", "open its run", true),
    b(&[KeyCode::Char('a')], "a", Action::Cycle, "未完了/すべて", "open/all", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const RISKS: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[KeyCode::Char('s')], "s", Action::Cycle, "並べ替え (リスク値/台帳順)", "sort: value/ledger", true),
    b(&[KeyCode::Char('n')], "n", Action::NewRun, "新しい評価 (前回から)", "new assessment", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const RISK_EDITOR: &[Binding] = &[
    UP,
    DOWN,
    b(&[KeyCode::Left, KeyCode::Char('h'), KeyCode::BackTab], "←/h", Action::PrevField, "前の項目", "previous field", false),
    b(&[KeyCode::Right, KeyCode::Char('l'), KeyCode::Tab], "→/l", Action::NextField, "次の項目", "next field", false),
    b(&[KeyCode::Char('1'), KeyCode::Char('2'), KeyCode::Char('3'), KeyCode::Char('4')], "1-4", Action::SetValue, "値", "value", true),
    b(&[KeyCode::Enter], "Enter", Action::Select, "文字を編集", "edit text", false),
    b(&[KeyCode::Char('f')], "f", Action::Finish, "コミット", "commit", true),
    b(&[KeyCode::Char('a')], "a", Action::AddAsset, "資産を追加", "new asset", true),
    b(&[KeyCode::Char('t')], "t", Action::AddThreat, "脅威を追加", "new threat", true),
    b(&[KeyCode::Char('x'), KeyCode::Delete], "x", Action::Delete, "行を削除", "delete row", true),
    b(&[KeyCode::Char('D')], "D", Action::Discard, "下書きを破棄して最新から", "discard the draft", false),
    HELP,
    b(&[KeyCode::Esc, KeyCode::Char('q')], "Esc/q", Action::Back, "中断", "leave", true),
];

// The form takes every key while it is open (`App::handle_key` sends them
// as `Msg::Input`); the table only describes them for the footer and help.
#[rustfmt::skip]
const SUBJECT_FORM: &[Binding] = &[
    b(&[KeyCode::Tab, KeyCode::Down], "Tab/↓", Action::NextField, "次の項目", "next field", true),
    b(&[KeyCode::BackTab, KeyCode::Up], "↑", Action::PrevField, "前の項目", "previous field", false),
    b(&[KeyCode::Char(' '), KeyCode::Left, KeyCode::Right], "Space", Action::Cycle, "種別を切り替え", "change the kind", false),
    b(&[KeyCode::Char('1'), KeyCode::Char('2'), KeyCode::Char('3')], "1-3", Action::SetValue, "重要度", "criticality", false),
    b(&[KeyCode::Enter], "Enter", Action::Select, "次へ (最後の項目で保存)", "next; save on the last", true),
    b(&[], "Ctrl-S", Action::Commit, "保存してコミット", "save", true),
    b(&[KeyCode::Esc], "Esc", Action::Back, "取消", "cancel", true),
];

/// Returns the bindings of `screen`.
pub fn bindings(screen: ScreenId) -> &'static [Binding] {
    match screen {
        ScreenId::Dashboard => DASHBOARD,
        ScreenId::Picker => PICKER,
        ScreenId::Walker => WALKER,
        ScreenId::Finish => FINISH,
        ScreenId::History => HISTORY,
        ScreenId::RunView => RUN_VIEW,
        ScreenId::Compare => COMPARE_SCREEN,
        ScreenId::Trend => TREND_SCREEN,
        ScreenId::Suppliers => SUPPLIERS,
        ScreenId::Supplier => SUPPLIER,
        ScreenId::Actions => ACTIONS,
        ScreenId::Risks => RISKS,
        ScreenId::RiskEditor => RISK_EDITOR,
        ScreenId::SubjectForm => SUBJECT_FORM,
    }
}

/// Returns the action `key` means on `screen`, if any.
pub fn lookup(screen: ScreenId, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            _ => None,
        };
    }
    bindings(screen)
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ScreenId; 14] = [
        ScreenId::Dashboard,
        ScreenId::Picker,
        ScreenId::Walker,
        ScreenId::Finish,
        ScreenId::History,
        ScreenId::RunView,
        ScreenId::Compare,
        ScreenId::Trend,
        ScreenId::Suppliers,
        ScreenId::Supplier,
        ScreenId::Actions,
        ScreenId::Risks,
        ScreenId::RiskEditor,
        ScreenId::SubjectForm,
    ];

    #[test]
    fn no_two_bindings_share_a_key_within_a_screen() {
        for screen in ALL {
            let mut seen = Vec::new();
            for binding in bindings(screen) {
                for key in binding.keys {
                    assert!(!seen.contains(key), "{screen:?}: {key:?} bound twice");
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn walker_keys_are_the_reserved_keys_of_the_loader() {
        for binding in bindings(ScreenId::Walker) {
            for key in binding.keys {
                if let KeyCode::Char(c) = key {
                    assert!(
                        crate::model::RESERVED_KEYS.contains(c),
                        "`{c}` is not reserved in load"
                    );
                }
            }
        }
    }

    #[test]
    fn every_binding_is_described_in_both_languages() {
        for screen in ALL {
            for binding in bindings(screen) {
                assert!(
                    !binding.ja.is_empty() && !binding.en.is_empty(),
                    "{:?}",
                    binding.action
                );
            }
        }
    }
}
