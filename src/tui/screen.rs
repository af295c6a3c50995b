//! One module per screen: its state, its `update`, and its view.

pub mod actions;
pub mod compare;
pub mod dashboard;
pub mod finish;
pub mod help;
pub mod history;
pub mod picker;
pub mod risk_editor;
pub mod risks;
pub mod run_view;
pub mod subject_form;
pub mod supplier;
pub mod suppliers;
pub mod trend;
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

/// Opens the comparison of a run with the one before it: the latest run of
/// the previous quarter when there is one, else simply the previous run.
pub(crate) fn compare_with_previous(
    ctx: &crate::tui::app::Ctx,
    run: &crate::model::Run,
) -> crate::tui::app::Step {
    use crate::tui::app::{Nav, Screen, Step};
    let runs = ctx.data.runs_of(&run.subject, &run.inspection);
    let Some(pos) = runs.iter().position(|r| r.id == run.id) else {
        return Step::none();
    };
    let upto = &runs[..=pos];
    let fiscal = ctx.data.catalog.config.fiscal_year_start;
    let from = crate::compare::select_pair(upto, None, None, fiscal)
        .ok()
        .map(|(from, _)| from)
        .or_else(|| pos.checked_sub(1).map(|p| runs[p]));
    match from {
        Some(from) => match compare::CompareScreen::new(ctx, from, run) {
            Ok(screen) => Step::nav(Nav::Push(Screen::Compare(Box::new(screen)))),
            Err(e) => Step::notice(e),
        },
        None => Step::notice(ctx.tr(
            "この点検より前の結果がありません",
            "There is no earlier run to compare with.",
        )),
    }
}

/// Opens the trend of a run's subject × inspection.
pub(crate) fn trend_of(
    ctx: &crate::tui::app::Ctx,
    run: &crate::model::Run,
) -> crate::tui::app::Step {
    use crate::tui::app::{Nav, Screen, Step};
    Step::nav(Nav::Push(Screen::Trend(trend::TrendScreen::new(
        ctx,
        &run.subject,
        &run.inspection,
    ))))
}
