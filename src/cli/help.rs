//! `--help` in Japanese. clap's derive writes the English help from the
//! doc comments; in a Japanese session (the language is known before the
//! command line is parsed, see [`super::error_lang`]) the built command is
//! walked and every description, argument help, possible value, heading
//! and clap's own words are taken from the catalogue's tables
//! (`msg::help`). A value list, default or environment variable that clap
//! would print in English is written into the Japanese help instead. A
//! unit test walks the whole tree, so that an argument added without
//! Japanese fails.

use std::fmt::Write as _;

use clap::{Arg, Command};

use crate::msg::help::{ABOUT, ARGS, VALUES};

/// The layout of a help page, clap's default with its one English heading
/// (`Usage:`) in Japanese.
const TEMPLATE: &str = "\
{before-help}{about-with-newline}
使い方: {usage}

{all-args}{after-help}";

/// The key of the command at `path` in [`ABOUT`]: clap's `help` command
/// (`help subjects add`, `subjects help add`) copies the commands it
/// explains, which keep their descriptions; `help` last is help itself.
fn about_key(path: &str) -> String {
    let mut words: Vec<&str> = path.split(' ').collect();
    if words.last() == Some(&"help") {
        return "help".to_owned();
    }
    if let Some(i) = words.iter().position(|w| *w == "help") {
        words.remove(i);
    }
    words.join(" ")
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The key of `arg` under the command at `path` in [`ARGS`].
fn key(path: &str, arg: &Arg) -> String {
    match arg.get_long() {
        Some(long) => format!("{path} --{long}").trim_start().to_owned(),
        None => format!("{path} <{}>", arg.get_id()).trim_start().to_owned(),
    }
}

/// Returns `cmd` (built) with its help in Japanese.
pub(super) fn japanese(mut cmd: Command) -> Command {
    cmd.build();
    localise(cmd, "")
}

fn localise(mut cmd: Command, path: &str) -> Command {
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("コマンド")
        .subcommand_value_name("コマンド");
    if let Some(about) = lookup(ABOUT, &about_key(path)) {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    let args: Vec<(clap::Id, String, Option<&str>)> = cmd
        .get_arguments()
        .map(|a| {
            let key = key(path, a);
            let global = a.get_long().map(|l| format!("--{l}"));
            let help = lookup(ARGS, &key).or_else(|| lookup(ARGS, global.as_deref()?));
            (a.get_id().clone(), key, help)
        })
        .collect();
    for (id, _, help) in args {
        cmd = cmd.mut_arg(id, |a| argument(a, help));
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subcommands {
        let sub = format!("{path} {name}").trim_start().to_owned();
        cmd = cmd.mut_subcommand(name, |s| localise(s, &sub));
    }
    cmd
}

/// The argument with its help (if known) in Japanese and what clap adds
/// to it (values, default, environment variable) written in Japanese.
fn argument(arg: Arg, help: Option<&str>) -> Arg {
    let heading = if arg.is_positional() {
        "引数"
    } else {
        "オプション"
    };
    let arg = arg.help_heading(heading);
    let Some(help) = help else {
        return arg;
    };
    let mut text = help.to_owned();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| {
            let name = v.get_name();
            match v.get_help().and_then(|h| lookup(VALUES, &h.to_string())) {
                Some(ja) => format!("\n- {name}: {ja}"),
                None => format!("\n- {name}"),
            }
        })
        .collect();
    let takes_value = arg.get_num_args().is_none_or(|n| n.takes_values());
    if takes_value && !values.is_empty() {
        text.push_str("\n\n値:");
        text.extend(values);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() {
        let _ = write!(text, "\n［既定: {}］", defaults.join(", "));
    }
    if let Some(env) = arg.get_env() {
        let _ = write!(text, "\n［環境変数: {}］", env.to_string_lossy());
    }
    arg.help(text.clone())
        .long_help(text)
        .hide_possible_values(true)
        .hide_default_value(true)
        .hide_env(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every description and argument of the command line has Japanese,
    /// and every entry of the tables is used.
    #[test]
    fn every_command_and_argument_has_japanese_help() {
        fn walk(
            cmd: &Command,
            path: &str,
            missing: &mut Vec<String>,
            used: &mut std::collections::BTreeSet<String>,
        ) {
            match lookup(ABOUT, &about_key(path)) {
                Some(_) => {
                    used.insert(about_key(path));
                }
                None => missing.push(format!("about of `{path}`")),
            }
            for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                let key = key(path, a);
                let global = a.get_long().map(|l| format!("--{l}")).unwrap_or_default();
                if lookup(ARGS, &key).is_some() {
                    used.insert(key);
                } else if lookup(ARGS, &global).is_some() {
                    used.insert(global);
                } else {
                    missing.push(key);
                }
                for v in a.get_possible_values() {
                    if let Some(help) = v.get_help().map(ToString::to_string) {
                        if lookup(VALUES, &help).is_some() {
                            used.insert(help);
                        } else {
                            missing.push(format!("value `{}`: {help}", v.get_name()));
                        }
                    }
                }
            }
            for s in cmd.get_subcommands() {
                let sub = format!("{path} {}", s.get_name()).trim_start().to_owned();
                walk(s, &sub, missing, used);
            }
        }
        let mut cmd = super::super::command(crate::model::Lang::En);
        cmd.build();
        let mut missing = Vec::new();
        let mut used = std::collections::BTreeSet::new();
        walk(&cmd, "", &mut missing, &mut used);
        assert_eq!(missing, Vec::<String>::new(), "no Japanese help");
        let stale: Vec<&str> = ABOUT
            .iter()
            .chain(ARGS)
            .chain(VALUES)
            .map(|(k, _)| *k)
            .filter(|k| !used.contains(*k))
            .collect();
        assert_eq!(stale, Vec::<&str>::new(), "entries no command has");
    }

    /// The rendered help of every command: Japanese, and none of clap's
    /// English words left.
    #[test]
    fn rendered_help_is_japanese_throughout() {
        let mut cmd = japanese(super::super::command(crate::model::Lang::En));
        let mut pages = vec![cmd.render_long_help().to_string()];
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_owned())
            .collect();
        for name in names {
            let sub = cmd.find_subcommand_mut(&name).unwrap();
            pages.push(sub.render_long_help().to_string());
            pages.push(sub.render_help().to_string());
        }
        for page in &pages {
            assert!(page.contains("使い方: tenken"), "{page}");
            for english in [
                "Usage:",
                "Options:",
                "Arguments:",
                "Commands:",
                "Possible values",
                "[default:",
                "[env:",
                "Print help",
                "Print version",
            ] {
                assert!(!page.contains(english), "`{english}` in\n{page}");
            }
        }
        let history = &pages[pages
            .iter()
            .position(|p| p.contains("使い方: tenken history"))
            .unwrap()];
        assert!(
            history.contains("完了した点検を古い順に一覧します"),
            "{history}"
        );
        assert!(
            history.contains("値:\n") && history.contains("- json: JSON（DESIGN §7 の形）"),
            "{history}"
        );
        assert!(history.contains("［既定: text］"), "{history}");
        assert!(history.contains("［環境変数: TENKEN_REPO］"), "{history}");
    }
}
