//! The one integration-test binary (links once). Each module says what
//! belongs in it.
#![allow(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

/// `tenken actions` and `tenken risks` over recorded runs and committed assessments (issue 8).
mod actions;
/// A broken template, profile or register through every read command and the dashboard (issue 17).
mod broken;
/// The bundled checklists' content: score tables, label sets, step profiles (issue 18).
mod checklists;
/// `tenken init` and `tenken check` from the command line.
mod cli_init_check;
/// `tenken compare` and `tenken trend` over a fixed history built with `record --date` (issue 6).
mod compare;
/// Issue 13: corrections, withdrawals and uncommitted runs through every read command's JSON.
mod corrections;
/// `sync`, register edits and risk commits killed at random points, then healed (issue 14).
mod crash;
/// Bundled inspections and profiles always load; every text bilingual.
mod data;
/// The loader's exact diagnostics over `tests/fixtures/invalid/`, nesting and size limits.
mod diagnostics;
/// Evidence files: attach, dedup, limits, hostile inputs, restricted inbox, verify (issue 19).
mod evidence;
/// The walker's evidence field with files: Tab completion, inbox, checks, commit (issue 19).
mod evidence_tui;
/// Property tests: the RON loaders and the CSV import never panic on any input (issue 10).
mod fuzz;
/// `tenken sync` against a real git server over SSH (git-shell account, loopback sshd) (issue 14).
mod git_server;
/// The guideline as a path (`tenken path`) and a staff handbook (`tenken handbook`), over the demo and an empty repository (issue 18).
mod guide;
/// Smaller points of issue 17: help that names the inspections, dates that say their form.
mod habits;
/// What a commit from the shared remote may bring, and what it must never do (issue 14).
mod incoming;
/// The derived index (issue 15): same outputs with, without and after deleting it; kills; two writers.
mod index;
/// The TUI's screens draw the same with the index built, read, rebuilt or unsavable (issue 15).
mod index_tui;
/// Issue 13: frozen scores and `check`'s missing bump, the second run of a day, dates.
mod integrity;
/// Every read command with `--lang ja` on the demo prints no English of its own (issue 17).
mod lang_ja;
/// Errors of the command line, the store and the TUI in Japanese and English (issue 17).
mod lang_ja_errors;
/// Permissions for every write in restricted mode, and no environment values shown (issue 14).
mod permissions;
/// The real binary in a pseudo-terminal, screen parsed with vt100 (at most six tests).
mod pty;
/// The supplier questionnaire: CSV (UTF-8, CP932) and xlsx exported, filled by other programs (LibreOffice too) and recorded (issue 17).
mod questionnaire;
/// `tenken report` in every format over the demo: snapshots, HTML, OSCAL schema, CSV read back (issue 9).
mod report;
mod report_layout;
/// The management structure (`roles.ron`): init, check, `tenken roles` and its commits (issue 18).
mod roles;
/// Restricted mode, permissions, hostile text, links, oversize input, kills and the lock (issue 10).
mod security;
/// Signed commits both ways with git and ssh-keygen: key file, agent, server key, allowed_signers over time (issue 19).
mod signing;
/// A real OpenSSH server on loopback and the real `ssh` client in tmux (issue 10).
mod ssh_e2e;
/// The run store: `record`, `history`, drafts, commits checked with git, concurrency, SIGKILL.
mod store;
/// `subjects`, `suppliers` and `due` (issue 7).
mod suppliers;
/// Shared helpers: the hermetic `TestEnv`, running the binary and real git.
mod support;
/// `tenken sync` against local bare repositories: two clones, merges, conflicts, refusals.
mod sync;
/// OSCAL reports loaded by compliance-trestle, a real OSCAL library (issue 19).
mod trestle;
/// Corrective actions and the risk register in-process: walker form, finish, actions, risks, editor (issue 8).
mod tui_actions;
/// The TUI in-process: key scripts, effects through a real store, screen snapshots.
mod tui_flow;
/// The walker keeps the record true: changed answers, partial runs, typed text, claims, corrections (issue 13).
mod tui_record;
/// The subject register edited in the TUI: form, edit, retire, checked with git (issue 7).
mod tui_register;
/// The TUI at 60×20, 80×23 and 120×40 in both languages on the demo, snapshotted (issue 17).
mod tui_sizes;
/// The supplier review and supplier screens in-process, snapshotted (issue 7).
mod tui_suppliers;
/// Helpers shared by the in-process TUI tests (key scripts, rendering).
mod tui_support;
/// Nothing typed is lost in the risk editor and the register form (issue 13).
mod tui_typing;
/// `tenken verify`: clean histories, merges, corrections and every kind of tampering.
mod verify;
