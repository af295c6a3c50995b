//! One module per screen: its state, its `update`, and its view.

pub mod dashboard;
pub mod finish;
pub mod help;
pub mod history;
pub mod picker;
pub mod run_view;
pub mod walker;

use ratatui::widgets::ListState;

/// Moves a list selection by `delta` rows within `len`, clamped.
pub(crate) fn move_selection(state: &mut ListState, len: usize, delta: isize) {
    if len == 0 {
        state.select(None);
        return;
    }
    let current = state.selected().unwrap_or(0);
    let next = current.saturating_add_signed(delta).min(len - 1);
    state.select(Some(next));
}
