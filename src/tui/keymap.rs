//! Key bindings per screen, each with the description that the footer and
//! the `?` help show, so the docs and the keys cannot drift apart. The only
//! place raw keys become intents (choice keys come from the template). The
//! editing keys of every text field are in `keymap/edit.rs` ([`LINE_EDIT`],
//! [`NOTE_EDIT`], [`FORM`]): one set, so every form answers the same keys.
//!
//! Over 700 lines on purpose: it is data, one table per screen, kept in one
//! file so that the collision test and a reader see every table together.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::Lang;

mod edit;

use edit::{CANCEL, SAVE};
pub use edit::{Edit, FORM, LINE_EDIT, NOTE_EDIT, edit};

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
    /// Go to the first row.
    First,
    /// Go to the last row.
    Last,
    /// Compare with the previous run.
    Compare,
    /// Show the trend.
    Trend,
    /// Correct the run shown: the walker opens on its answers, and the run
    /// it finishes supersedes it.
    Correct,
    /// Withdraw the run shown, with a reason.
    Withdraw,
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
    /// Take a value from the inspections' answers (the risk editor's
    /// vulnerability from the measure status check).
    Derive,
    /// Add a subject to the register.
    AddSubject,
    /// Edit the subject in the register.
    EditSubject,
    /// Retire the subject (after a confirmation).
    RetireSubject,
    /// Say yes to the question shown.
    Yes,
    /// Say no to the question shown.
    No,
    /// Clear what no longer fits (a changed answer's note, evidence and action).
    Clear,
    /// Commit although items are unanswered.
    CommitPartial,
    /// An editing key of a text field.
    Edit(Edit),
}

/// A bound key: its code and the modifiers held with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key itself.
    pub code: KeyCode,
    /// Ctrl and Alt, as they must be held (Shift is part of the character).
    pub mods: KeyModifiers,
}

impl Key {
    /// Returns true when `event` is this key. Shift is ignored: it is
    /// already in the character (`R`, `?`) or the code (`BackTab`).
    pub fn matches(self, event: KeyEvent) -> bool {
        self.code == event.code && self.mods == event.modifiers - KeyModifiers::SHIFT
    }
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::CONTROL,
    }
}

const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}

/// One binding: keys, how they are shown, what they do, what that means.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys that trigger it (none: described only, such as choice keys).
    pub keys: &'static [Key],
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

    /// Returns true when `event` is one of this binding's keys.
    pub fn matches(&self, event: KeyEvent) -> bool {
        self.keys.iter().any(|k| k.matches(event))
    }
}

const fn b(
    keys: &'static [Key],
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

use KeyCode::{
    BackTab, Char, Delete, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp, Right, Tab, Up,
};

// The tables stay one binding per line: easier to scan than rustfmt's layout.
#[rustfmt::skip]
const UP: Binding = b(&[key(Up), ch('k')], "↑/k", Action::Up, "上へ", "up", false);
#[rustfmt::skip]
const DOWN: Binding = b(&[key(Down), ch('j')], "↓/j", Action::Down, "下へ", "down", false);
#[rustfmt::skip]
const PGUP: Binding = b(&[key(PageUp)], "PgUp", Action::PageUp, "前のページ", "page up", false);
#[rustfmt::skip]
const PGDN: Binding = b(&[key(PageDown)], "PgDn", Action::PageDown, "次のページ", "page down", false);
#[rustfmt::skip]
const FIRST: Binding = b(&[key(Home)], "Home", Action::First, "先頭へ", "first row", false);
#[rustfmt::skip]
const LAST: Binding = b(&[key(End)], "End", Action::Last, "末尾へ", "last row", false);
#[rustfmt::skip]
const HELP: Binding = b(&[ch('?'), key(F(1))], "?", Action::Help, "ヘルプ", "help", true);
/// Help while a field takes the printable keys (`?` is then typed).
#[rustfmt::skip]
const HELP_TYPING: Binding = b(&[key(F(1))], "F1", Action::Help, "ヘルプ", "help", true);
/// Says in `?` help how to list a field's keys (F1 itself is [`HELP`]).
#[rustfmt::skip]
const GUIDANCE_DOWN: Binding = b(&[key(PageDown), ch('J')], "PgDn/J", Action::PageDown, "説明の続き", "more of the guidance", false);
#[rustfmt::skip]
const GUIDANCE_UP: Binding = b(&[key(PageUp), ch('K')], "PgUp/K", Action::PageUp, "説明を戻る", "guidance back up", false);
#[rustfmt::skip]
const FIELD_KEYS: Binding = b(&[], "F1", Action::Help, "入力中: その欄のキー一覧", "while typing: the field's keys", false);
#[rustfmt::skip]
const BACK: Binding = b(&[key(Esc), ch('q')], "Esc/q", Action::Back, "戻る", "back", true);
#[rustfmt::skip]
const COMPARE: Binding = b(&[ch('c')], "c", Action::Compare, "前回と比較", "compare", true);
#[rustfmt::skip]
const TREND: Binding = b(&[ch('t')], "t", Action::Trend, "推移", "trend", true);

/// Keys that mean the same on every screen, whatever is open (a field, a
/// question, the help): looked up before the screen's own table.
#[rustfmt::skip]
const ANYWHERE: &[Binding] = &[
    HELP_TYPING,
    b(&[ctrl(Char('c'))], "Ctrl-C", Action::Quit, "終了 (下書きは保存されます)", "quit (drafts are kept)", false),
];

#[rustfmt::skip]
const DASHBOARD: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    FIRST,
    LAST,
    b(&[key(Enter)], "Enter", Action::Select, "開く", "open", true),
    b(&[ch('r')], "r", Action::NewRun, "新しい点検", "new run", true),
    b(&[ch('h')], "h", Action::History, "履歴", "history", true),
    b(&[ch('u')], "u", Action::Suppliers, "委託先", "suppliers", true),
    COMPARE,
    TREND,
    b(&[ch('a')], "a", Action::Actions, "是正処置", "actions", true),
    b(&[ch('R')], "R", Action::Risks, "リスク台帳", "risks", true),
    HELP,
    b(&[ch('q')], "q", Action::Quit, "終了", "quit", true),
    // Esc goes back everywhere; here there is nothing to go back to, and
    // it never quits (the screen says that q does).
    b(&[key(Esc)], "Esc", Action::Back, "戻る (ここでは何もしません)", "back (nothing to go back to here)", false),
];

/// The question before quitting while a draft is open in the session.
#[rustfmt::skip]
const QUIT_CONFIRM: &[Binding] = &[
    b(&[ch('y')], "y", Action::Yes, "終了する", "quit", true),
    b(&[ch('n'), key(Esc)], "n/Esc", Action::No, "続ける", "stay", true),
];

/// The `?` help while it is open: its pages; any other key closes it.
#[rustfmt::skip]
const HELP_OVERLAY: &[Binding] = &[
    b(&[key(PageDown), key(Down), ch('j'), key(Char(' '))], "PgDn/↓", Action::PageDown, "次のページ", "next page", true),
    b(&[key(PageUp), key(Up), ch('k')], "PgUp/↑", Action::PageUp, "前のページ", "previous page", true),
];

#[rustfmt::skip]
const PICKER: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[key(Enter)], "Enter", Action::Select, "選択", "choose", true),
    HELP,
    BACK,
];

/// The picker while it asks whether to resume a draft.
#[rustfmt::skip]
const PICKER_RESUME: &[Binding] = &[
    b(&[ch('r'), key(Enter)], "r", Action::Yes, "再開", "resume", true),
    b(&[ch('d')], "d", Action::Discard, "破棄して新規", "discard and start over", true),
    HELP,
    BACK,
];

/// The picker while it asks whether to carry the previous answers over.
#[rustfmt::skip]
const PICKER_CARRY: &[Binding] = &[
    b(&[ch('y'), key(Enter)], "y", Action::Yes, "引き継ぐ", "carry over", true),
    b(&[ch('n')], "n", Action::No, "白紙から", "start empty", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const WALKER: &[Binding] = &[
    UP,
    DOWN,
    b(&[ch('n')], "n", Action::Note, "メモ", "note", true),
    b(&[ch('e')], "e", Action::Evidence, "証跡", "evidence", true),
    b(&[ch('s')], "s", Action::Skip, "スキップ", "skip", true),
    b(&[ch('b')], "b", Action::PrevItem, "前へ", "back", true),
    b(&[ch('g')], "g", Action::Jump, "番号へ", "jump", true),
    b(&[ch('c'), key(Enter)], "c/Enter", Action::ConfirmCarried, "前回回答を確認", "confirm carried", false),
    b(&[ch('f')], "f", Action::Finish, "完了", "finish", true),
    GUIDANCE_DOWN,
    GUIDANCE_UP,
    b(&[ch('a')], "a", Action::CorrectiveAction, "是正処置 (内容・担当・期限)", "corrective action (what, owner, due)", true),
    b(&[], "1-9…", Action::Select, "選択肢のキー (点検表で定義)", "choice keys (from the template)", false),
    HELP,
    FIELD_KEYS,
    b(&[key(Esc), ch('q')], "q", Action::Back, "中断", "leave", true),
];

/// The walker while a changed answer still carries a note, evidence or an
/// action written for the choice before: keep them, clear them, rewrite
/// the note, or take the change back.
#[rustfmt::skip]
const WALKER_SETTLE: &[Binding] = &[
    b(&[ch('y')], "y", Action::Yes, "残す (新しい回答にも当てはまる)", "keep them", true),
    b(&[ch('x')], "x", Action::Clear, "消す", "clear them", true),
    b(&[ch('n')], "n", Action::Note, "メモを書き直す", "rewrite the note", true),
    b(&[key(Esc)], "Esc", Action::No, "回答を元に戻す", "undo the change", true),
    HELP,
    b(&[ch('q')], "q", Action::Back, "中断 (下書きに残す)", "leave (the draft keeps it)", false),
];

/// The walker on a draft another session has open: look, and leave.
#[rustfmt::skip]
const WALKER_READ_ONLY: &[Binding] = &[
    UP,
    DOWN,
    GUIDANCE_DOWN,
    GUIDANCE_UP,
    HELP,
    b(&[key(Esc), ch('q')], "q", Action::Back, "戻る (下書きはそのまま)", "leave (the draft is not touched)", true),
];

#[rustfmt::skip]
const FINISH: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[ch('y'), key(Enter)], "y/Enter", Action::Commit, "確定してコミット", "commit", true),
    b(&[key(Esc), ch('b'), ch('q')], "b/Esc", Action::Back, "回答に戻る", "back to answers", true),
    HELP,
];

/// The finish screen of a run with unanswered items: `y`/Enter only says
/// so; committing it takes `P`.
#[rustfmt::skip]
const FINISH_PARTIAL: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[ch('y'), key(Enter)], "y/Enter", Action::Commit, "(未回答があるためコミットしません)", "(does not commit: items are unanswered)", false),
    b(&[ch('P')], "P", Action::CommitPartial, "未回答のままコミット", "commit anyway", true),
    b(&[key(Esc), ch('b'), ch('q')], "b/Esc", Action::Back, "回答に戻る", "back to answers", true),
    HELP,
];

#[rustfmt::skip]
const HISTORY: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    FIRST,
    LAST,
    b(&[key(Enter)], "Enter", Action::Select, "開く", "open", true),
    b(&[ch('/')], "/", Action::Filter, "絞り込み", "filter", true),
    b(&[ch('m')], "m", Action::Mark, "比較元に印", "mark to compare", true),
    COMPARE,
    TREND,
    HELP,
    FIELD_KEYS,
    BACK,
];

#[rustfmt::skip]
const RUN_VIEW: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    COMPARE,
    TREND,
    b(&[ch('e')], "e", Action::Correct, "訂正", "correct", true),
    b(&[ch('W')], "W", Action::Withdraw, "取り下げ", "withdraw", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const COMPARE_SCREEN: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[ch('v')], "v", Action::Filter, "変化のみ", "changed only", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const TREND_SCREEN: &[Binding] = &[
    b(&[ch('p')], "p", Action::Cycle, "期間の単位", "period kind", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const SUPPLIERS: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    FIRST,
    LAST,
    b(&[key(Enter)], "Enter", Action::Select, "開く", "open", true),
    b(&[ch('s')], "s", Action::Cycle, "並べ替え (リスク/期限/変化)", "sort: risk/overdue/change", true),
    b(&[ch('+')], "+", Action::AddSubject, "委託先を台帳に追加", "add a supplier to the register", false),
    HELP,
    BACK,
];

#[rustfmt::skip]
const SUPPLIER: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[key(Enter)], "Enter", Action::Select, "最新結果", "latest check", true),
    COMPARE,
    TREND,
    b(&[ch('r')], "r", Action::NewRun, "点検開始", "new check", true),
    b(&[ch('E')], "E", Action::EditSubject, "台帳の登録内容を編集", "edit the register entry", false),
    b(&[ch('X')], "X", Action::RetireSubject, "廃止 (確認あり)", "retire (asks first)", false),
    HELP,
    BACK,
];

#[rustfmt::skip]
const ACTIONS: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    FIRST,
    LAST,
    b(&[key(Enter)], "Enter", Action::Select, "元の点検を開く", "open its run", true),
    b(&[ch('a')], "a", Action::Cycle, "未完了/すべて", "open/all", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const RISKS: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    FIRST,
    LAST,
    b(&[ch('s')], "s", Action::Cycle, "並べ替え (リスク値/台帳順)", "sort: value/ledger", true),
    b(&[ch('n')], "n", Action::NewRun, "新しい評価 (前回から)", "new assessment", true),
    HELP,
    BACK,
];

#[rustfmt::skip]
const RISK_EDITOR: &[Binding] = &[
    UP,
    DOWN,
    PGUP,
    PGDN,
    b(&[key(Left), ch('h'), key(BackTab)], "←/h", Action::PrevField, "前の項目", "previous field", false),
    b(&[key(Right), ch('l'), key(Tab)], "→/l", Action::NextField, "次の項目", "next field", false),
    b(&[ch('1'), ch('2'), ch('3'), ch('4')], "1-4", Action::SetValue, "値", "value", true),
    b(&[key(Enter)], "Enter", Action::Select, "文字を編集", "edit text", false),
    b(&[ch('f')], "f", Action::Finish, "コミット", "commit", true),
    b(&[ch('a')], "a", Action::AddAsset, "資産を追加", "new asset", true),
    b(&[ch('t')], "t", Action::AddThreat, "脅威を追加", "new threat", true),
    b(&[ch('x'), key(Delete)], "x", Action::Delete, "行を削除", "delete row", true),
    b(&[ch('D')], "D", Action::Discard, "下書きを破棄して最新から", "discard the draft", false),
    b(&[key(Char(' '))], "Space", Action::Cycle, "脅威の分類を切り替え", "next threat category", false),
    b(&[ch('d')], "d", Action::Derive, "脆弱性を点検結果から", "vulnerability from inspections", true),
    HELP,
    FIELD_KEYS,
    b(&[key(Esc), ch('q')], "Esc/q", Action::Back, "中断", "leave", true),
];

/// The register form: fields, and the two that take keys of their own.
#[rustfmt::skip]
const SUBJECT_FORM: &[Binding] = &[
    FORM[0],
    FORM[1],
    b(&[key(Char(' ')), key(Left), key(Right)], "Space", Action::Cycle, "種別を切り替え", "change the kind", false),
    b(&[ch('1'), ch('2'), ch('3')], "1-3", Action::SetValue, "事業影響度", "criticality", false),
    SAVE,
    CANCEL,
    HELP_TYPING,
];

/// The register form while another session has it open: fields and
/// leaving only.
#[rustfmt::skip]
const SUBJECT_FORM_READ_ONLY: &[Binding] = &[
    FORM[0],
    FORM[1],
    HELP_TYPING,
    b(&[key(Esc)], "Esc", Action::Back, "戻る (フォームはそのまま)", "leave (the form is not touched)", true),
];

/// The risk editor while another session has the risk draft open: moving
/// through the ledger and leaving only.
#[rustfmt::skip]
const RISK_EDITOR_READ_ONLY: &[Binding] = &[
    UP,
    DOWN,
    b(&[key(Left), ch('h'), key(BackTab)], "←/h", Action::PrevField, "前の項目", "previous field", false),
    b(&[key(Right), ch('l'), key(Tab)], "→/l", Action::NextField, "次の項目", "next field", false),
    HELP,
    b(&[key(Esc), ch('q')], "Esc/q", Action::Back, "戻る (下書きはそのまま)", "leave (the draft is not touched)", true),
];

/// Returns the bindings of `screen` while no field is being typed into.
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

/// Returns the picker's bindings while it asks about a draft (`true`) or
/// about carrying answers over (`false`).
pub fn picker_question(draft: bool) -> &'static [Binding] {
    if draft { PICKER_RESUME } else { PICKER_CARRY }
}

/// Returns the walker's bindings while a changed answer's words are in
/// question.
pub fn walker_settle() -> &'static [Binding] {
    WALKER_SETTLE
}

/// Returns the walker's bindings on a draft another session has open.
pub fn walker_read_only() -> &'static [Binding] {
    WALKER_READ_ONLY
}

/// Returns the register form's bindings while another session has it.
pub fn subject_form_read_only() -> &'static [Binding] {
    SUBJECT_FORM_READ_ONLY
}

/// Returns the risk editor's bindings while another session has the risk
/// draft.
pub fn risk_editor_read_only() -> &'static [Binding] {
    RISK_EDITOR_READ_ONLY
}

/// Returns the finish screen's bindings for a run with unanswered items.
pub fn finish_partial() -> &'static [Binding] {
    FINISH_PARTIAL
}

/// Returns the keys that mean the same on every screen (F1, Ctrl-C).
pub fn anywhere() -> &'static [Binding] {
    ANYWHERE
}

/// Returns the keys of the question asked before quitting.
pub fn quit_confirm() -> &'static [Binding] {
    QUIT_CONFIRM
}

/// Returns the keys of the open `?` help (paging; any other key closes it).
pub fn help_overlay() -> &'static [Binding] {
    HELP_OVERLAY
}

/// One mark and what it means, for a legend in the `?` help.
#[derive(Debug, Clone, Copy)]
pub struct Legend {
    /// The mark as drawn.
    pub mark: &'static str,
    /// Japanese meaning.
    pub ja: &'static str,
    /// English meaning.
    pub en: &'static str,
}

/// A group of bindings (or of marks) in the `?` help.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// Japanese heading.
    pub ja: &'static str,
    /// English heading.
    pub en: &'static str,
    /// The bindings listed.
    pub bindings: &'static [Binding],
    /// The marks explained (a legend), after the bindings.
    pub legend: &'static [Legend],
}

impl Section {
    /// Returns the section listing `bindings` under "Keys".
    pub fn keys(bindings: &'static [Binding]) -> Self {
        Self {
            ja: "キー",
            en: "Keys",
            bindings,
            legend: &[],
        }
    }

    /// Returns the section of the editing keys every field answers.
    pub fn typing() -> Self {
        Self {
            ja: "入力欄の編集",
            en: "Editing a field",
            bindings: LINE_EDIT,
            legend: &[],
        }
    }

    /// Returns the section of the keys that work on every screen.
    pub fn anywhere() -> Self {
        Self {
            ja: "どの画面でも",
            en: "On every screen",
            bindings: ANYWHERE,
            legend: &[],
        }
    }

    /// Returns a section explaining `legend` under a heading.
    pub fn legend(ja: &'static str, en: &'static str, legend: &'static [Legend]) -> Self {
        Self {
            ja,
            en,
            bindings: &[],
            legend,
        }
    }
}

/// Returns the action `key` means among `bindings`, if any.
///
/// A key held with Alt alone also matches its plain binding: a quick Esc
/// then `q` reaches tenken as Alt-q, and meant `q`. (Ctrl-C is in
/// [`anywhere`], which the app asks first.)
pub fn lookup(bindings: &[Binding], key: KeyEvent) -> Option<Action> {
    let exact = bindings.iter().find(|b| b.matches(key));
    let loose = || {
        let mods = key.modifiers - KeyModifiers::SHIFT;
        (mods == KeyModifiers::ALT)
            .then(|| {
                let plain = KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT);
                bindings.iter().find(|b| b.matches(plain))
            })
            .flatten()
    };
    exact.or_else(loose).map(|b| b.action)
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

    fn every_table() -> Vec<&'static [Binding]> {
        let mut tables: Vec<&'static [Binding]> = ALL.iter().map(|s| bindings(*s)).collect();
        tables.extend([
            LINE_EDIT,
            NOTE_EDIT,
            FORM,
            picker_question(true),
            picker_question(false),
            walker_settle(),
            walker_read_only(),
            subject_form_read_only(),
            risk_editor_read_only(),
            finish_partial(),
            ANYWHERE,
            QUIT_CONFIRM,
            HELP_OVERLAY,
        ]);
        tables
    }

    #[test]
    fn no_two_bindings_share_a_key_within_a_table() {
        for table in every_table() {
            let mut seen = Vec::new();
            for binding in table {
                for key in binding.keys {
                    assert!(
                        !seen.contains(key),
                        "{:?}: {key:?} bound twice",
                        binding.action
                    );
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn walker_keys_are_the_reserved_keys_of_the_loader() {
        for binding in bindings(ScreenId::Walker) {
            for key in binding.keys {
                if let KeyCode::Char(c) = key.code {
                    assert!(
                        crate::model::RESERVED_KEYS.contains(&c),
                        "`{c}` is not reserved in load"
                    );
                }
            }
        }
    }

    #[test]
    fn every_binding_is_described_in_both_languages() {
        for table in every_table() {
            for binding in table {
                assert!(
                    !binding.ja.is_empty() && !binding.en.is_empty() && !binding.label.is_empty(),
                    "{:?}",
                    binding.action
                );
            }
        }
    }

    #[test]
    fn every_field_can_be_saved_cancelled_and_help_opened_from_it() {
        for table in [LINE_EDIT, NOTE_EDIT, FORM, bindings(ScreenId::SubjectForm)] {
            let has = |k: KeyEvent| table.iter().any(|b| b.matches(k));
            let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
            assert!(has(plain(Enter)) && has(plain(Esc)) && has(plain(F(1))));
        }
    }

    #[test]
    fn modifiers_decide_between_editing_keys_and_plain_ones() {
        let ev = KeyEvent::new;
        assert_eq!(
            edit(LINE_EDIT, ev(Char('w'), KeyModifiers::CONTROL)),
            Some(Edit::DeleteWord)
        );
        assert_eq!(edit(LINE_EDIT, ev(Char('w'), KeyModifiers::NONE)), None);
        assert_eq!(
            edit(NOTE_EDIT, ev(Enter, KeyModifiers::ALT)),
            Some(Edit::NewLine)
        );
        assert_eq!(edit(LINE_EDIT, ev(Enter, KeyModifiers::ALT)), None);
        // Shift is part of the character.
        assert_eq!(
            lookup(DASHBOARD, ev(Char('R'), KeyModifiers::SHIFT)),
            Some(Action::Risks)
        );
        // A quick Esc then q arrives as Alt-q.
        assert_eq!(
            lookup(HISTORY, ev(Char('q'), KeyModifiers::ALT)),
            Some(Action::Back)
        );
        assert_eq!(
            lookup(ANYWHERE, ev(Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(lookup(WALKER, ev(Char('c'), KeyModifiers::CONTROL)), None);
    }

    #[test]
    fn keys_that_work_anywhere_mean_nothing_else_on_any_screen() {
        // The app asks `ANYWHERE` first: a screen binding the same key for
        // something else could never be reached.
        for table in every_table() {
            for binding in table.iter().filter(|b| b.action != Action::Help) {
                for key in binding.keys {
                    assert!(
                        !ANYWHERE.iter().any(|a| a.keys.contains(key))
                            || std::ptr::eq(table, ANYWHERE),
                        "{:?} takes {key:?}, which works on every screen",
                        binding.action
                    );
                }
            }
        }
    }

    #[test]
    fn esc_goes_back_and_never_quits() {
        // Issue 17: Esc quit the dashboard without asking.
        let esc = KeyEvent::new(Esc, KeyModifiers::NONE);
        for screen in ALL {
            assert_ne!(
                lookup(bindings(screen), esc),
                Some(Action::Quit),
                "{screen:?}"
            );
        }
        assert_eq!(lookup(DASHBOARD, esc), Some(Action::Back));
    }
}
