//! Words of `tenken risks` that are not the register's own columns (those
//! are picked in cli/risks.rs, beside the table they head).

use super::Label;

/// No risk assessment has been made yet.
pub const NONE_YET: Label = Label::new(
    "リスク評価はまだありません。TUI のリスク台帳（R）で n を押すと始められます。\n",
    "No risk assessments yet. Start one in the TUI: risk register (R), then n.\n",
);
