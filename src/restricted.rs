//! Restricted mode (`--restricted`, or `TENKEN_RESTRICTED=1`), for an SSH
//! forced command: the rules, as pure functions. No I/O here; `cli` applies
//! them to the command line and the environment, the walker and `record`
//! to runs, `sync` and `subjects` to their permissions.
//!
//! What the mode guarantees, with where each part is enforced:
//!
//! - The repository and the inspector come from the forced command line
//!   (`--repo`, `--inspector`, or `TENKEN_REPO`/`TENKEN_INSPECTOR` set by
//!   it); without both, nothing runs ([`check_identity`]). Nothing inside
//!   tenken can change them: the interface has no way to open another
//!   repository, and an SSH client's command may not name them
//!   ([`ssh_words`]).
//! - An SSH client's own command (`SSH_ORIGINAL_COMMAND`) may only name a
//!   read command ([`SSH_COMMANDS`]); it is split into words here, without
//!   a shell, so no expansion, globbing, pipe or redirection can happen.
//! - No external program is started: there is no `std::process::Command`
//!   in tenken (`clippy.toml` forbids it), git is libgit2 in-process, SSH
//!   for `sync` is libssh2 in-process, and git's credential helpers (which
//!   are programs) are never asked in restricted mode.
//! - No file is written outside the repository: `init`, `demo` and file
//!   exports are refused, and the store refuses to write through a symbolic
//!   link that leads out of the repository.
//! - Per-inspector permissions from `tenken.ron` ([`check_run`]): which
//!   subjects and inspections an inspector may run (enforced in every mode,
//!   and the same rule for closing a corrective action, [`check_closes`],
//!   and for correcting or withdrawing a run, [`may_run_subject`]), and
//!   whether they may `sync`, edit the register or commit risk assessments
//!   (restricted mode; each off unless set).

use crate::error::{Error, Result};
use crate::escape;
use crate::model::{Config, Id, Lang};
use crate::msg::permissions::{self, Scope};
use crate::msg::ssh;

/// The commands an SSH client may name in `SSH_ORIGINAL_COMMAND`: each only
/// reads the repository and writes to stdout.
pub const SSH_COMMANDS: &[&str] = &[
    "history",
    "compare",
    "trend",
    "subjects",
    "roles",
    "suppliers",
    "due",
    "path",
    "actions",
    "risks",
    "report",
    "handbook",
    "check",
    "verify",
    "help",
];

/// Characters a shell would treat specially; tenken runs no shell, so an
/// SSH command using them unquoted is refused with an explanation rather
/// than passed on literally.
const SHELL_SPECIALS: &[char] = &[';', '|', '&', '<', '>', '`', '$', '(', ')', '*', '?'];

/// Splits an SSH command line into words the way a user expects from a
/// shell, but without one: words are separated by whitespace, `'…'` keeps
/// everything literally, `"…"` keeps everything but `\"` and `\\`, and a
/// backslash outside quotes keeps the next character. There is no
/// expansion, globbing or command substitution.
///
/// An unquoted shell operator (`;`, `|`, `&`, `<`, `>`, `` ` ``, `$`,
/// brackets, `*`, `?`) or an unterminated quote is refused.
pub fn split_words(line: &str) -> Result<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err(unterminated('\'')),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err(unterminated('"')),
                        },
                        Some(c) => w.push(c),
                        None => return Err(unterminated('"')),
                    }
                }
            }
            '\\' => {
                let w = word.get_or_insert_with(String::new);
                if let Some(c) = chars.next() {
                    w.push(c);
                }
            }
            c if SHELL_SPECIALS.contains(&c) => {
                return Err(Error::usage(ssh::shell_special(&escape::line(
                    &c.to_string(),
                ))));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word {
        words.push(w);
    }
    Ok(words)
}

fn unterminated(quote: char) -> Error {
    Error::usage(ssh::unterminated(quote))
}

/// Checks the words of an SSH client's command (`SSH_ORIGINAL_COMMAND`) and
/// returns the arguments to append to the forced command line.
///
/// A leading `tenken` is dropped (`ssh host tenken history` and `ssh host
/// history` are the same). `--restricted` is dropped (the mode is already
/// on). `--repo` and `--inspector` are refused: the key fixes them. The
/// command must be one of [`SSH_COMMANDS`], or there may be none (the
/// interface opens), or only `--help`/`--version`. `report` may not write a
/// file (`-o`/`--output`). Every refusal is a usage error (exit 2).
pub fn ssh_words(original: &str) -> Result<Vec<String>> {
    let mut words = split_words(original)?;
    if words.first().is_some_and(|w| w == "tenken") {
        words.remove(0);
    }
    let mut out = Vec::with_capacity(words.len());
    let mut command: Option<String> = None;
    let mut iter = words.into_iter();
    while let Some(word) = iter.next() {
        let flag = word.split('=').next().unwrap_or_default();
        match flag {
            "--repo" | "--inspector" => {
                return Err(Error::usage(ssh::fixed_flag(flag)));
            }
            "--restricted" => continue,
            // The one global flag with a value that may come before the
            // command: keep it and its value together.
            "--lang" if command.is_none() && !word.contains('=') => {
                out.push(word);
                if let Some(value) = iter.next() {
                    out.push(value);
                }
                continue;
            }
            _ => {}
        }
        if command.is_none() && !word.starts_with('-') {
            if !SSH_COMMANDS.contains(&word.as_str()) {
                return Err(not_allowed(&word));
            }
            command = Some(word.clone());
        } else if let Some(c @ ("report" | "handbook")) = command.as_deref()
            && writes_file(&word)
        {
            return Err(Error::usage(ssh::no_output_file(c)));
        }
        out.push(word);
    }
    Ok(out)
}

fn writes_file(word: &str) -> bool {
    word.starts_with("-o") || word.starts_with("--out")
}

fn not_allowed(word: &str) -> Error {
    Error::usage(ssh::not_allowed(&escape::line(word), SSH_COMMANDS))
}

/// Checks the command an SSH client's words parsed into: one of
/// [`SSH_COMMANDS`] without a nested subcommand (`subjects add` edits the
/// register, `suppliers export` writes a file), or none at all.
///
/// This repeats [`ssh_words`]' check on what clap actually understood, so
/// an alias or an abbreviation can never reach another command.
pub fn check_ssh_command(command: Option<&str>, nested: Option<&str>) -> Result<()> {
    let Some(command) = command else {
        return Ok(());
    };
    if !SSH_COMMANDS.contains(&command) || command == "help" {
        return Err(not_allowed(command));
    }
    if let Some(nested) = nested {
        return Err(not_allowed(&format!("{command} {nested}")));
    }
    Ok(())
}

/// Refuses a forced command that carries a subcommand of its own (a
/// single-purpose key such as `… --restricted run ipa-self-check`) when the
/// SSH client asked for a command too: such a key runs exactly its own
/// command, and the client's is not run instead or in addition.
pub fn refuse_single_purpose(forced: &str, original: &str) -> Error {
    Error::usage(ssh::single_purpose(forced, &escape::line(original.trim())))
}

/// Requires the repository and the inspector to be fixed by the command
/// line (or by `TENKEN_REPO`/`TENKEN_INSPECTOR` set by the forced command):
/// restricted mode never searches for a repository or asks git who the
/// user is.
pub fn check_identity(repo_given: bool, inspector_given: bool) -> Result<()> {
    let missing = match (repo_given, inspector_given) {
        (true, true) => return Ok(()),
        (false, true) => ssh::Missing::Repo,
        (true, false) => ssh::Missing::Inspector,
        (false, false) => ssh::Missing::Both,
    };
    Err(Error::usage(ssh::needs_identity(missing)))
}

/// Returns `text` with the repository's path (as the forced command gave
/// it) replaced by `<repository>`: restricted mode shows no value of its
/// command line or environment in errors.
pub fn hide_repo(text: &str, repo: &std::path::Path) -> String {
    let shown = repo.display().to_string();
    let shown = shown.trim_end_matches('/');
    if shown.is_empty() || shown == "." {
        return text.to_owned();
    }
    text.replace(shown, "<repository>")
}

/// Refuses a command that would write outside the repository in restricted
/// mode (`init`, `demo`).
pub fn refuse_outside(command: &str) -> Error {
    Error::usage(ssh::writes_outside(command))
}

/// Checks that `inspector` may run `inspection` for `subject` under the
/// repository's per-inspector permissions (`inspectors` in `tenken.ron`).
///
/// An inspector who is not listed may run everything; a listed one only
/// the subjects and inspections in their lists, where an empty list means
/// all. Enforced in every mode: outside restricted mode the identity is
/// not authenticated, so there it is a guard against mistakes.
pub fn check_run(config: &Config, inspector: &Id, subject: &Id, inspection: &Id) -> Result<()> {
    if !may_run_subject(config, inspector, subject) {
        return Err(not_permitted(config, inspector, Scope::Subject, subject));
    }
    if !may_run_inspection(config, inspector, inspection) {
        return Err(not_permitted(
            config,
            inspector,
            Scope::Inspection,
            inspection,
        ));
    }
    Ok(())
}

/// Returns true when `inspector` may run inspections for `subject`.
pub fn may_run_subject(config: &Config, inspector: &Id, subject: &Id) -> bool {
    config
        .inspectors
        .get(inspector)
        .is_none_or(|p| p.subjects.is_empty() || p.subjects.contains(subject))
}

/// Returns true when `inspector` may run `inspection`.
pub fn may_run_inspection(config: &Config, inspector: &Id, inspection: &Id) -> bool {
    config
        .inspectors
        .get(inspector)
        .is_none_or(|p| p.inspections.is_empty() || p.inspections.contains(inspection))
}

fn not_permitted(config: &Config, inspector: &Id, scope: Scope, id: &Id) -> Error {
    Error::user_hint(
        permissions::may_not_run(inspector.as_str(), scope, id.as_str()),
        allowed(config, inspector, scope),
    )
}

/// What `tenken.ron` allows `inspector` in `scope`.
fn allowed(config: &Config, inspector: &Id, scope: Scope) -> crate::msg::Message {
    let ids = config
        .inspectors
        .get(inspector)
        .map_or_else(String::new, |p| {
            let list = match scope {
                Scope::Subject => &p.subjects,
                Scope::Inspection => &p.inspections,
            };
            list.iter().map(Id::as_str).collect::<Vec<_>>().join(", ")
        });
    permissions::allowed(inspector.as_str(), scope, &ids)
}

/// Returns the subject of a run id (`<subject>/<inspection>/<stamp>`) or of
/// an action key (`<run id>#<item>`), if it names one.
pub fn subject_of(run_or_action: &str) -> Option<Id> {
    let run = run_or_action.split('#').next().unwrap_or_default();
    let subject = run.split('/').next().unwrap_or_default();
    Id::new(subject).ok()
}

/// Checks that `inspector` may close every corrective action in `closes`
/// (`<run id>#<item>`): closing one needs the right to run its subject,
/// the same rule as starting a run. Enforced in every mode.
pub fn check_closes(config: &Config, inspector: &Id, closes: &[String]) -> Result<()> {
    for key in closes {
        let Some(subject) = subject_of(key) else {
            return Err(Error::user(ssh::not_an_action(&escape::line(key))));
        };
        if !may_run_subject(config, inspector, &subject) {
            return Err(Error::user_hint(
                permissions::may_not_close(
                    inspector.as_str(),
                    &escape::line(key),
                    subject.as_str(),
                ),
                allowed(config, inspector, Scope::Subject),
            ));
        }
    }
    Ok(())
}

/// Returns true when `inspector` may run `sync` in restricted mode.
pub fn may_sync(config: &Config, inspector: &Id) -> bool {
    config.inspectors.get(inspector).is_some_and(|p| p.sync)
}

/// Returns true when `inspector` may edit the register in restricted mode.
pub fn may_edit_register(config: &Config, inspector: &Id) -> bool {
    config
        .inspectors
        .get(inspector)
        .is_some_and(|p| p.edit_register)
}

/// Returns true when `inspector` may commit risk assessments in restricted
/// mode (`edit_risks: true` in `tenken.ron`).
pub fn may_edit_risks(config: &Config, inspector: &Id) -> bool {
    config
        .inspectors
        .get(inspector)
        .is_some_and(|p| p.edit_risks)
}

/// Returns why `inspector` may not commit a risk assessment, in `lang`, if
/// they may not: in restricted mode it needs `edit_risks: true`.
pub fn edit_risks_refusal(
    config: &Config,
    inspector: &Id,
    restricted: bool,
    lang: Lang,
) -> Option<String> {
    if !restricted || may_edit_risks(config, inspector) {
        return None;
    }
    Some(match lang {
        Lang::Ja => format!(
            "制限モードでは点検者 `{inspector}` はリスク評価を記録できません (tenken.ron の edit_risks: true で許可)"
        ),
        Lang::En => format!(
            "inspector `{inspector}` may not record risk assessments in restricted mode (`edit_risks: true` in tenken.ron allows it)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, Permissions};

    fn words(line: &str) -> Vec<String> {
        split_words(line).unwrap()
    }

    fn refused(line: &str) -> String {
        ssh_words(line).unwrap_err().to_string()
    }

    #[test]
    fn splits_like_a_shell_without_one() {
        assert_eq!(
            words("  history   --subject self "),
            ["history", "--subject", "self"]
        );
        assert_eq!(
            words("compare 'a b' \"c \\\"d\\\"\""),
            ["compare", "a b", "c \"d\""]
        );
        assert_eq!(words("a\\ b ''"), ["a b", ""]);
        assert_eq!(words("x\t\ny"), ["x", "y"]);
        assert_eq!(words("'$HOME' \"*\""), ["$HOME", "*"]);
        assert!(words("").is_empty());
        for bad in [
            "history; sh",
            "history | cat",
            "a && b",
            "x > f",
            "$(id)",
            "`id`",
            "*",
            "a$HOME",
        ] {
            let err = split_words(bad).unwrap_err();
            assert!(
                err.to_string().contains("tenken runs no shell"),
                "{bad}: {err}"
            );
            assert_eq!(err.kind().exit_code(), 2);
        }
        assert!(
            split_words("'open")
                .unwrap_err()
                .to_string()
                .contains("unterminated ' quote")
        );
        assert!(
            split_words("\"open")
                .unwrap_err()
                .to_string()
                .contains("unterminated \" quote")
        );
    }

    #[test]
    fn passes_read_commands_and_drops_what_is_already_fixed() {
        assert_eq!(ssh_words("history").unwrap(), ["history"]);
        assert_eq!(
            ssh_words("tenken history --format json").unwrap(),
            ["history", "--format", "json"]
        );
        assert_eq!(
            ssh_words("--lang ja trend").unwrap(),
            ["--lang", "ja", "trend"]
        );
        assert_eq!(
            ssh_words("--restricted compare latest previous").unwrap(),
            ["compare", "latest", "previous"]
        );
        assert_eq!(ssh_words("--version").unwrap(), ["--version"]);
        assert_eq!(ssh_words("help").unwrap(), ["help"]);
        assert_eq!(
            ssh_words("report --format md").unwrap(),
            ["report", "--format", "md"]
        );
        assert!(ssh_words("").unwrap().is_empty());
    }

    #[test]
    fn refuses_everything_else_with_a_usage_error() {
        assert_eq!(
            refused("sh -c id"),
            "`sh` is not allowed over ssh: this key opens tenken only, and an ssh command may name only a read command (history, compare, trend, subjects, roles, suppliers, due, path, actions, risks, report, handbook, check, verify, help)"
        );
        for line in [
            "run ipa-self-check",
            "record x --subject self --answers /etc/passwd",
            "sync",
            "init /tmp/x",
            "demo",
            "/bin/sh",
            "scp -t /tmp",
            "git-upload-pack 'x'",
        ] {
            assert!(refused(line).contains("is not allowed over ssh"), "{line}");
        }
        assert!(
            refused("history --repo /tmp/other").starts_with("`--repo` cannot be given over ssh")
        );
        assert!(refused("--inspector=tanaka history").starts_with("`--inspector` cannot be given"));
        assert!(refused("report --format md -o /tmp/x.md").contains("writes to stdout only"));
        assert!(refused("report --output=x").contains("writes to stdout only"));
        assert_eq!(ssh_words("sh -c id").unwrap_err().kind().exit_code(), 2);
    }

    #[test]
    fn the_parsed_command_is_checked_again() {
        check_ssh_command(None, None).unwrap();
        check_ssh_command(Some("history"), None).unwrap();
        assert!(check_ssh_command(Some("run"), None).is_err());
        assert!(
            check_ssh_command(Some("subjects"), Some("add"))
                .unwrap_err()
                .to_string()
                .contains("`subjects add`")
        );
        assert!(check_ssh_command(Some("suppliers"), Some("export")).is_err());
        let err = refuse_single_purpose("run", "history");
        assert!(
            err.to_string().starts_with(
                "this key runs only `tenken run`; the ssh command `history` was not run"
            ),
            "{err}"
        );
    }

    #[test]
    fn the_repository_path_is_hidden() {
        let repo = std::path::Path::new("/srv/tenken/inspections/");
        assert_eq!(
            hide_repo(
                "/srv/tenken/inspections is not a tenken repository; see /srv/tenken/inspections/.tenken/lock",
                repo
            ),
            "<repository> is not a tenken repository; see <repository>/.tenken/lock"
        );
        assert_eq!(hide_repo("a . b", std::path::Path::new(".")), "a . b");
    }

    #[test]
    fn identity_must_be_fixed() {
        check_identity(true, true).unwrap();
        assert_eq!(
            check_identity(false, true).unwrap_err().to_string(),
            "restricted mode needs `--repo DIR` on the command line (or TENKEN_REPO and TENKEN_INSPECTOR set by the forced command)"
        );
        assert!(
            check_identity(true, false)
                .unwrap_err()
                .to_string()
                .contains("`--inspector ID`")
        );
    }

    #[test]
    fn permissions_limit_listed_inspectors_only() {
        let id = |s: &str| Id::new(s).unwrap();
        let mut config = Config::new("Example", Lang::En, 4, Vec::new());
        config.inspectors.insert(
            id("sato"),
            Permissions {
                subjects: vec![id("self")],
                inspections: vec![id("ipa-self-check"), id("ipa-five-principles")],
                sync: true,
                ..Permissions::default()
            },
        );
        config
            .inspectors
            .insert(id("tanaka"), Permissions::default());
        check_run(&config, &id("sato"), &id("self"), &id("ipa-self-check")).unwrap();
        let err =
            check_run(&config, &id("sato"), &id("nimbus"), &id("ipa-self-check")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "inspector `sato` may not run subject `nimbus`"
        );
        assert_eq!(
            err.hints()[0].get(Lang::En),
            "tenken.ron allows `sato` the subjects self"
        );
        assert_eq!(
            err.text(Lang::Ja),
            "点検者 `sato` は対象 `nimbus` を点検できません"
        );
        assert_eq!(
            err.hints()[0].get(Lang::Ja),
            "tenken.ron で `sato` に許可されている対象: self"
        );
        let err = check_run(&config, &id("sato"), &id("self"), &id("telework")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "inspector `sato` may not run inspection `telework`"
        );
        // Empty lists and unlisted inspectors mean everything.
        check_run(&config, &id("tanaka"), &id("nimbus"), &id("telework")).unwrap();
        check_run(&config, &id("suzuki"), &id("nimbus"), &id("telework")).unwrap();
        assert!(may_sync(&config, &id("sato")));
        assert!(!may_sync(&config, &id("tanaka")));
        assert!(!may_sync(&config, &id("suzuki")));
        assert!(!may_edit_register(&config, &id("sato")));
        assert!(!may_edit_risks(&config, &id("sato")));
        assert!(edit_risks_refusal(&config, &id("sato"), false, Lang::En).is_none());
        assert_eq!(
            edit_risks_refusal(&config, &id("sato"), true, Lang::En).unwrap(),
            "inspector `sato` may not record risk assessments in restricted mode (`edit_risks: true` in tenken.ron allows it)"
        );
        // Closing an action follows the right to run its subject.
        check_closes(
            &config,
            &id("sato"),
            &["self/ipa-self-check/2026-01-01T090000-sato#3".into()],
        )
        .unwrap();
        let err = check_closes(
            &config,
            &id("sato"),
            &["tokyo-office/ipa-self-check/2026-01-01T090000-suzuki#1".into()],
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "inspector `sato` may not close `tokyo-office/ipa-self-check/2026-01-01T090000-suzuki#1`: closing an action needs the right to run subject `tokyo-office`"
        );
        check_closes(&config, &id("tanaka"), &["nimbus/x/y#1".into()]).unwrap();
        assert_eq!(
            subject_of("nimbus/x/2026-01-01T090000-a#2"),
            Some(id("nimbus"))
        );
        assert_eq!(subject_of("Bad Id/x"), None);
    }
}
