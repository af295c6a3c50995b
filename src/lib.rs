//! tenken (点検): a terminal audit and inspection kit.
//!
//! Crate map, and who may do I/O:
//!
//! - `model`: plain serde types (templates, runs, subjects, profiles,
//!   settings, risk assessments). No I/O.
//! - `load`: reads RON files and validates them into the model, reporting
//!   `path:line:column: message`. Reads, never writes.
//! - `score`, `compare`, `period`: pure computations.
//! - `store`: the repository layout, drafts, the lock and git. The only
//!   module that writes files or touches git.
//! - `bundle`: the checklists and profiles embedded in the binary.
//! - `cli`: one function per command; `tui`: the terminal interface.

pub mod bundle;
pub mod cli;
pub mod clock;
pub mod compare;
pub mod demo;
pub mod error;
pub mod load;
pub mod model;
pub mod period;
pub mod schedule;
pub mod score;
pub mod store;
pub mod tui;

pub use error::{Diagnostic, Error, ErrorKind, Result};
