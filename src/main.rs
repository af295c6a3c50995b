//! The `tenken` binary: parse the command line, run it, map errors to exit
//! codes. Everything else lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use tenken::escape;
use tenken::{Error, cli, restricted};

fn main() -> ExitCode {
    let parsed = cli::parse_args(
        std::env::args_os().collect(),
        std::env::var_os("SSH_ORIGINAL_COMMAND"),
    );
    // Restricted mode never shows where the forced command put the
    // repository (`--repo`, `TENKEN_REPO`).
    let hidden = parsed
        .as_ref()
        .ok()
        .filter(|c| c.global.restricted)
        .and_then(|c| c.global.repo.clone());
    match parsed.and_then(cli::run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err, hidden.as_ref());
            ExitCode::from(err.kind().exit_code())
        }
    }
}

fn report(err: &Error, hidden: Option<&PathBuf>) {
    let shown = |text: &str| {
        let text = escape::output(text);
        match hidden {
            Some(repo) => restricted::hide_repo(&text, repo),
            None => text,
        }
    };
    if let Error::Invalid(diags)
    | Error::Settings {
        problems: diags, ..
    } = err
    {
        for d in diags {
            eprintln!("{}", shown(&d.to_string()));
        }
        let found = if diags.len() > 1 {
            format!("{} problems found", diags.len())
        } else {
            "1 problem found".to_owned()
        };
        if let Error::Settings { .. } = err {
            // Not one command can go on safely without these two files.
            eprintln!(
                "error: {found}; tenken needs tenken.ron, subjects.ron and roles.ron to be valid"
            );
        } else {
            eprintln!("error: {found}");
        }
        for hint in err.hints() {
            eprintln!("hint: {}", shown(hint));
        }
        return;
    }
    if let Error::Io { source, .. } = err {
        // Like ripgrep: a closed pipe on stdout is not worth a message.
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return;
        }
    }
    // Messages may quote paths and values from data: escaped like stdout.
    eprintln!("error: {}", shown(&err.to_string()));
    for hint in err.hints() {
        eprintln!("hint: {}", shown(hint));
    }
}
