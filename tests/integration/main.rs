//! The one integration-test binary (links once). Each module says what
//! belongs in it.
#![allow(clippy::disallowed_methods)]

/// `tenken init` and `tenken check` from the command line.
mod cli_init_check;
/// Shared helpers: the hermetic `TestEnv`, running the binary and real git.
mod support;
