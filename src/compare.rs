//! Run-against-run comparison, the choice of runs to compare (run ids,
//! dates, periods, `latest`, `previous`) and trends over periods.
//!
//! Pure: data in, data out. Nothing here reads files or the clock, and
//! nothing formats text for people; the CLI and the TUI render these values
//! (and escape the strings that came from data).
//!
//! How an item's change is decided, for an item of the later run's
//! template (items only in the earlier template are [`ItemChange::Removed`]):
//!
//! | earlier answer        | later answer          | change       |
//! | --------------------- | --------------------- | ------------ |
//! | any, or none          | none                  | `Unanswered` |
//! | none (or a new item)  | any                   | `Added`      |
//! | choice *c*            | the same choice *c*   | `Unchanged`  |
//! | *p* points            | *q* points, *q* > *p* | `Improved`   |
//! | *p* points            | *q* points, *q* < *p* | `Regressed`  |
//! | *p* points            | *p* points (another choice) | `Unchanged` |
//! | not applicable        | not applicable (another choice) | `Unchanged` |
//! | not applicable        | points                | `Added`      |
//! | points                | not applicable        | `Removed`    |
//!
//! Not applicable ↔ points: the item enters or leaves the score, so there
//! is no earlier (or later) level to measure against; it is reported as
//! added to or removed from the score, never as an improvement or a
//! regression. A choice missing from the item's scale counts as not
//! applicable (the loader reports such runs as invalid).
//!
//! Points are compared unweighted: weights scale an item's share of the
//! score, not the order of its choices.

mod diff;
mod select;
#[cfg(test)]
mod tests;
mod trend;

pub use diff::*;
pub use select::*;
pub use trend::*;
