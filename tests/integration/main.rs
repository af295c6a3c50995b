//! The one integration-test binary (links once). Each module says what
//! belongs in it.
#![allow(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

/// `tenken init` and `tenken check` from the command line.
mod cli_init_check;
/// `tenken compare` and `tenken trend` over a fixed history built with `record --date` (issue 6).
mod compare;
/// Bundled inspections and profiles always load; every text bilingual.
mod data;
/// The loader's exact diagnostics over `tests/fixtures/invalid/`, nesting and size limits.
mod diagnostics;
/// The real binary in a pseudo-terminal, screen parsed with vt100 (at most six tests).
mod pty;
/// The run store: `record`, `history`, drafts, commits checked with git, concurrency, SIGKILL.
mod store;
/// `subjects`, `suppliers`, `due` and the questionnaire round trip (issue 7).
mod suppliers;
/// Shared helpers: the hermetic `TestEnv`, running the binary and real git.
mod support;
/// `tenken sync` against local bare repositories: two clones, merges, conflicts, refusals.
mod sync;
/// The TUI in-process: key scripts, effects through a real store, screen snapshots.
mod tui_flow;
/// The supplier review and supplier screens in-process, snapshotted (issue 7).
mod tui_suppliers;
/// `tenken verify`: clean histories, merges, corrections and every kind of tampering.
mod verify;
