//! The `tenken` binary: parse the command line, run it, map errors to exit
//! codes. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use tenken::{Error, cli};

fn main() -> ExitCode {
    let parsed = cli::Cli::parse();
    match cli::run(parsed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::from(err.kind().exit_code())
        }
    }
}

fn report(err: &Error) {
    if let Error::Invalid(diags) = err {
        for d in diags {
            eprintln!("{d}");
        }
        if diags.len() > 1 {
            eprintln!("error: {} problems found", diags.len());
        } else {
            eprintln!("error: 1 problem found");
        }
        return;
    }
    if let Error::Io { source, .. } = err {
        // Like ripgrep: a closed pipe on stdout is not worth a message.
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return;
        }
    }
    eprintln!("error: {err}");
    for hint in err.hints() {
        eprintln!("hint: {hint}");
    }
}
