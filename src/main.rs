//! The `tenken` binary: parse the command line, run it, map errors to exit
//! codes. Everything else lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use tenken::escape;
use tenken::model::Lang;
use tenken::msg::{self, Message};
use tenken::{Error, cli, restricted};

/// mimalloc instead of glibc's allocator: a read command makes and keeps
/// tens of thousands of small values (one history entry per run), where
/// glibc's malloc/free and their page faults were a fifth of its time.
/// Its version 2 (the crate's `v2` feature): with version 3 the resident
/// size of one command at 10,000 runs was 52 MiB in some runs and 66 MiB
/// in others (transparent huge pages are taken 2 MiB at a time; the high
/// size came more often once the work tree was listed on threads of its
/// own); version 2 gives 41–46 MiB every time at the same speed
/// (BENCHMARKS.md, "Where issue 15 stands").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = cli::parse_args(args.clone(), std::env::var_os("SSH_ORIGINAL_COMMAND"));
    // Restricted mode never shows where the forced command put the
    // repository (`--repo`, `TENKEN_REPO`).
    let hidden = parsed
        .as_ref()
        .ok()
        .filter(|c| c.global.restricted)
        .and_then(|c| c.global.repo.clone());
    let global = parsed.as_ref().ok().map(|c| c.global.clone());
    match parsed.and_then(cli::run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let lang = cli::error_lang(global.as_ref(), &args);
            report(&err, lang, hidden.as_ref());
            ExitCode::from(err.kind().exit_code())
        }
    }
}

/// Prints `err` on stderr in `lang`: `error:`/`hint:` lines (`エラー:`/
/// `ヒント:` in Japanese; a message not in the catalogue yet is English,
/// prefix included).
fn report(err: &Error, lang: Lang, hidden: Option<&PathBuf>) {
    let shown = |text: &str| {
        let text = escape::output(text);
        match hidden {
            Some(repo) => restricted::hide_repo(&text, repo),
            None => text,
        }
    };
    let line = |prefix: msg::Label, m: &Message| {
        let lang = m.lang_shown(lang);
        eprintln!("{}: {}", prefix.get(lang), shown(m.get(lang)));
    };
    if let Error::Invalid(diags)
    | Error::Settings {
        problems: diags, ..
    } = err
    {
        for d in diags {
            eprintln!("{}", shown(&d.text(lang)));
        }
        let found = Message::of(|lang| {
            let found = msg::check::problems_found(lang, diags.len());
            match (err, lang) {
                // Not one command can go on safely without these files.
                (Error::Settings { .. }, Lang::Ja) => {
                    format!("{found}。{}", msg::check::SETTINGS_NEEDED.get(lang))
                }
                (Error::Settings { .. }, Lang::En) => {
                    format!("{found}; {}", msg::check::SETTINGS_NEEDED.get(lang))
                }
                _ => found,
            }
        });
        line(msg::ERROR, &found);
        for hint in err.hints() {
            line(msg::HINT, hint);
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
    line(msg::ERROR, &err.message());
    for hint in err.hints() {
        line(msg::HINT, hint);
    }
}
