//! `tenken sync`: fetch, integrate and push the shared remote.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use crate::cli::{Ctx, print};
use crate::error::{Error, Result};
use crate::store::{Identity, SyncOptions, SyncProgress};

/// Fetch, merge and push the shared remote
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The git remote to use (default: `remote` in tenken.ron, else `origin`)
    #[arg(long, value_name = "NAME")]
    pub remote: Option<String>,
}

/// Fetches, fast-forwards or merges, then pushes; prints what happened.
pub fn cmd_sync(ctx: &Ctx, args: &SyncArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let inspector = ctx.inspector(Some(&store))?;
    if ctx.global.restricted {
        let allowed = crate::restricted::may_sync(&catalog.config, &inspector.id);
        if !allowed {
            return Err(Error::user(crate::msg::permissions::may_not_sync(
                inspector.id.as_str(),
            )));
        }
    }
    let opts = SyncOptions {
        remote: args
            .remote
            .clone()
            .unwrap_or_else(|| catalog.config.remote.clone()),
        ssh_key: catalog.config.ssh_key.as_ref().map(PathBuf::from),
        credential_helpers: !ctx.global.restricted,
        identity: Identity::from_inspector(&inspector),
        clock: ctx.clock,
    };
    let mut meter = Meter::new(std::io::stderr().is_terminal());
    let report = store.sync(&opts, &mut |p| meter.show(p));
    meter.finish();
    let lang = ctx.lang(catalog.config.lang);
    print(&crate::msg::sync::summary(lang, &report?))
}

/// Shows transfer progress on stderr, only when it is a terminal, at most
/// ten times a second.
struct Meter {
    enabled: bool,
    last: Option<Instant>,
    shown: bool,
}

impl Meter {
    fn new(enabled: bool) -> Self {
        Self {
            enabled,
            last: None,
            shown: false,
        }
    }

    fn show(&mut self, p: SyncProgress) {
        if !self.enabled {
            return;
        }
        let (what, done, total, bytes) = match p {
            SyncProgress::Receiving {
                received,
                total,
                bytes,
            } => ("Receiving objects", received, total, bytes),
            SyncProgress::Sending { sent, total, bytes } => ("Sending objects", sent, total, bytes),
        };
        let complete = total > 0 && done == total;
        let due = self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if !(due || complete) || total == 0 {
            return;
        }
        self.last = Some(Instant::now());
        self.shown = true;
        let percent = done * 100 / total;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{what}: {percent:3}% ({done}/{total}), {} KiB",
            bytes / 1024
        );
        let _ = err.flush();
    }

    fn finish(&mut self) {
        if self.shown {
            eprintln!();
            self.shown = false;
        }
    }
}
