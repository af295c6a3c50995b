//! tenken (点検): a terminal audit and inspection kit.
//!
//! Crate map, and who may do I/O:
//!
//! - `model`: plain serde types (templates, runs, subjects, profiles,
//!   settings, risk assessments). No I/O.
//! - `escape`: how text from data is shown (control, format and separator
//!   characters escaped, by named policies; JSON with `\u` escapes). Pure.
//! - `evidence`: what may be attached as an evidence file (type by
//!   content, name, digest, limits). Pure.
//! - `load`: reads RON files and validates them into the model, reporting
//!   `path:line:column: message`. Reads, never writes.
//! - `number`: how numbers are shown (one decimal, signs, counts), for
//!   every CLI line and report.
//! - `score`, `compare`, `period`: pure computations; `actions` derives
//!   corrective actions from history and `risk` the risk register's computed
//!   columns, both pure too.
//! - `schedule` (what is due) and `supplier` (the supplier review and
//!   questionnaire): pure computations over the register and history.
//! - `steps`: where the organisation stands on the guideline's four steps,
//!   from the step profiles, the latest runs and the register. Pure.
//! - `store`: the repository layout, drafts, the lock and git. The only
//!   module that writes files or touches git.
//! - `bundle`: the checklists and profiles embedded in the binary.
//! - `report`: renders reports from data gathered by the CLI; Markdown
//!   and HTML from one document model (`report::doc`), CSV, JSON and
//!   OSCAL from the data; pure, each renderer returns a `String`.
//! - `cli`: one function per command; `tui`: the terminal interface.
//! - `msg`: the message catalogue, every word the command line prints in
//!   Japanese and English. Pure.
//! - `roles`: the management structure as people read it (role
//!   references such as `role:inspection-lead`, holders' names). Pure.
//! - `restricted`: the rules of restricted mode (SSH forced commands) and
//!   per-inspector permissions, as pure functions.

pub mod actions;
pub mod bundle;
pub mod cli;
pub mod clock;
pub mod compare;
pub mod demo;
pub mod error;
pub mod escape;
pub mod evidence;
pub mod load;
pub mod model;
pub mod msg;
pub mod number;
pub mod period;
pub mod report;
pub mod restricted;
pub mod risk;
pub mod roles;
pub mod schedule;
pub mod score;
pub mod steps;
pub mod store;
pub mod supplier;
pub mod tui;

pub use error::{Diagnostic, Error, ErrorKind, Result};
