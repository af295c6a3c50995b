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

use ratatui::widgets::{ListState, TableState};

/// A list or table selection that steps by rows, clamped to the rows there
/// are; with no rows it stays as it is.
pub(crate) trait StepSelection {
    /// Moves the selection by `delta` rows (from the top when nothing is
    /// selected) within `len` rows.
    fn step(&mut self, len: usize, delta: isize);
}

fn stepped(selected: Option<usize>, len: usize, delta: isize) -> Option<usize> {
    (len > 0).then(|| {
        selected
            .unwrap_or(0)
            .saturating_add_signed(delta)
            .min(len - 1)
    })
}

impl StepSelection for ListState {
    fn step(&mut self, len: usize, delta: isize) {
        if let Some(n) = stepped(self.selected(), len, delta) {
            self.select(Some(n));
        }
    }
}

impl StepSelection for TableState {
    fn step(&mut self, len: usize, delta: isize) {
        if let Some(n) = stepped(self.selected(), len, delta) {
            self.select(Some(n));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_clamps_to_the_rows_and_leaves_an_empty_list_alone() {
        let mut table = TableState::default();
        table.step(3, 1);
        assert_eq!(
            table.selected(),
            Some(1),
            "from the top when nothing is selected"
        );
        table.step(3, 10);
        assert_eq!(table.selected(), Some(2));
        table.step(3, -10);
        assert_eq!(table.selected(), Some(0));
        let mut list = ListState::default();
        list.step(0, 1);
        assert_eq!(list.selected(), None);
    }
}
