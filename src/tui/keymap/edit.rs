//! The editing keys of every text field, as data: [`LINE_EDIT`] for a
//! line, [`NOTE_EDIT`] for a note, [`FORM`] for moving between the fields
//! of a form. `TextInput` applies them; the footer and `?` help show them.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{Action, Binding, HELP_TYPING, alt, b, ctrl, key};

use KeyCode::{
    BackTab, Backspace, Char, Delete, Down, End, Enter, Esc, Home, Left, Right, Tab, Up,
};

/// What an editing key does to the text of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edit {
    /// Keep the text and close the field.
    Save,
    /// Close the field, dropping what was typed since it opened.
    Cancel,
    /// Start a new line (notes only).
    NewLine,
    /// One character left.
    Left,
    /// One character right.
    Right,
    /// One word left.
    WordLeft,
    /// One word right.
    WordRight,
    /// One line up (notes only).
    LineUp,
    /// One line down (notes only).
    LineDown,
    /// To the start of the line.
    Home,
    /// To the end of the line.
    End,
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Delete from the start of the line to the cursor.
    DeleteToStart,
    /// Delete from the cursor to the end of the line.
    DeleteToEnd,
    /// Undo the last change.
    Undo,
}

// The editing keys. A field takes every printable key, so its table holds
// only what is not typed: saving, cancelling, moving and deleting.
#[rustfmt::skip]
pub(super) const SAVE: Binding = b(&[key(Enter), ctrl(Char('s'))], "Enter", Action::Edit(Edit::Save), "保存", "save", true);
#[rustfmt::skip]
pub(super) const CANCEL: Binding = b(&[key(Esc)], "Esc", Action::Edit(Edit::Cancel), "取消", "cancel", true);
#[rustfmt::skip]
const EDIT_KEYS: [Binding; 13] = [
    b(&[key(Left), ctrl(Char('b'))], "←", Action::Edit(Edit::Left), "1文字左へ", "character left", false),
    b(&[key(Right), ctrl(Char('f'))], "→", Action::Edit(Edit::Right), "1文字右へ", "character right", false),
    b(&[ctrl(Left), alt(Left), alt(Char('b'))], "Ctrl-←", Action::Edit(Edit::WordLeft), "1語左へ", "word left", false),
    b(&[ctrl(Right), alt(Right), alt(Char('f'))], "Ctrl-→", Action::Edit(Edit::WordRight), "1語右へ", "word right", false),
    b(&[key(Home), ctrl(Char('a'))], "Home", Action::Edit(Edit::Home), "行頭へ", "start of line", false),
    b(&[key(End), ctrl(Char('e'))], "End", Action::Edit(Edit::End), "行末へ", "end of line", false),
    b(&[key(Backspace), ctrl(Char('h'))], "Backspace", Action::Edit(Edit::Backspace), "前の1文字を削除", "delete back", false),
    b(&[key(Delete), ctrl(Char('d'))], "Delete", Action::Edit(Edit::Delete), "次の1文字を削除", "delete forward", false),
    b(&[ctrl(Char('w')), alt(Backspace)], "Ctrl-W", Action::Edit(Edit::DeleteWord), "前の1語を削除", "delete word", false),
    b(&[ctrl(Char('u'))], "Ctrl-U", Action::Edit(Edit::DeleteToStart), "行頭まで削除", "delete to start", false),
    b(&[ctrl(Char('k'))], "Ctrl-K", Action::Edit(Edit::DeleteToEnd), "行末まで削除", "delete to end", false),
    b(&[ctrl(Char('z'))], "Ctrl-Z", Action::Edit(Edit::Undo), "元に戻す", "undo", false),
    HELP_TYPING,
];

/// The keys of every one-line field: the filter, the jump and evidence
/// prompts, the forms' fields.
#[rustfmt::skip]
pub const LINE_EDIT: &[Binding] = &[
    SAVE,
    CANCEL,
    EDIT_KEYS[0], EDIT_KEYS[1], EDIT_KEYS[2], EDIT_KEYS[3], EDIT_KEYS[4], EDIT_KEYS[5],
    EDIT_KEYS[6], EDIT_KEYS[7], EDIT_KEYS[8], EDIT_KEYS[9], EDIT_KEYS[10], EDIT_KEYS[11],
    EDIT_KEYS[12],
];

/// The keys of the note editor: those of a line, and new lines.
#[rustfmt::skip]
pub const NOTE_EDIT: &[Binding] = &[
    SAVE,
    b(&[alt(Enter), ctrl(Char('j'))], "Alt-Enter", Action::Edit(Edit::NewLine), "改行", "new line", true),
    b(&[key(Esc)], "Esc", Action::Edit(Edit::Cancel), "取消 (変更があれば2回)", "cancel (twice if changed)", true),
    b(&[key(Up)], "↑", Action::Edit(Edit::LineUp), "1行上へ", "line up", false),
    b(&[key(Down)], "↓", Action::Edit(Edit::LineDown), "1行下へ", "line down", false),
    EDIT_KEYS[0], EDIT_KEYS[1], EDIT_KEYS[2], EDIT_KEYS[3], EDIT_KEYS[4], EDIT_KEYS[5],
    EDIT_KEYS[6], EDIT_KEYS[7], EDIT_KEYS[8], EDIT_KEYS[9], EDIT_KEYS[10], EDIT_KEYS[11],
    EDIT_KEYS[12],
];

/// Moving between the fields of a form (the walker's corrective action,
/// the register form); the fields themselves take [`LINE_EDIT`].
#[rustfmt::skip]
pub const FORM: &[Binding] = &[
    b(&[key(Tab), key(Down)], "Tab/↓", Action::NextField, "次の項目", "next field", true),
    b(&[key(BackTab), key(Up)], "↑", Action::PrevField, "前の項目", "previous field", false),
    SAVE,
    CANCEL,
    HELP_TYPING,
];

/// Returns the editing key `key` means in a field with `bindings`
/// ([`LINE_EDIT`] or [`NOTE_EDIT`]), if it is one.
pub fn edit(bindings: &[Binding], key: KeyEvent) -> Option<Edit> {
    match bindings.iter().find(|b| b.matches(key))?.action {
        Action::Edit(e) => Some(e),
        _ => None,
    }
}
