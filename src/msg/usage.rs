//! A command line tenken cannot read: clap's refusals (an unknown flag or
//! command, a value that is not one of the choices, a number out of its
//! range, a malformed id, a missing argument) in tenken's words, and an id
//! that breaks the id rule.
//!
//! Flags, values and argument names are quoted as typed (escaped by the
//! caller); the English reads as clap's own message did.

use super::{Label, Message};
use crate::model::IdError;

/// An argument the command does not take.
pub fn unexpected(arg: &str) -> Message {
    Message::new(
        format!("`{arg}` はこのコマンドでは使えません"),
        format!("unexpected argument `{arg}` found"),
    )
}

/// A command tenken does not have.
pub fn unknown_command(name: &str) -> Message {
    Message::new(
        format!("`{name}` というコマンドはありません"),
        format!("unrecognized subcommand `{name}`"),
    )
}

/// A value that is not one of the choices, or no value at all (`value`
/// empty), for `arg` (as `--format <FORMAT>`).
pub fn invalid_value(arg: &str, value: &str) -> Message {
    if value.is_empty() {
        return Message::new(
            format!("`{arg}` に値を指定してください"),
            format!("a value is required for `{arg}` but none was supplied"),
        );
    }
    Message::new(
        format!("`{arg}` に `{value}` は指定できません"),
        format!("invalid value `{value}` for `{arg}`"),
    )
}

/// A value its parser refused, with why (`why` in both languages).
pub fn refused_value(arg: &str, value: &str, why: &Message) -> Message {
    Message::of(|lang| match lang {
        crate::model::Lang::Ja => format!("`{arg}` の `{value}` は使えません: {}", why.get(lang)),
        crate::model::Lang::En => {
            format!("invalid value `{value}` for `{arg}`: {}", why.get(lang))
        }
    })
}

/// The values `arg` takes.
pub fn possible_values(values: &str) -> Message {
    Message::new(
        format!("指定できる値: {values}"),
        format!("possible values: {values}"),
    )
}

/// Arguments the command needs and did not get (quoted, joined).
pub fn missing(args: &str) -> Message {
    Message::new(
        format!("必要な引数が指定されていません: {args}"),
        format!("the following required arguments were not provided: {args}"),
    )
}

/// A command that needs a subcommand, given none.
pub fn missing_subcommand(command: &str) -> Message {
    Message::new(
        format!("`{command}` にはサブコマンドが必要です"),
        format!("`{command}` requires a subcommand but one was not provided"),
    )
}

/// The subcommands there are.
pub fn subcommands(names: &str) -> Message {
    Message::new(
        format!("サブコマンド: {names}"),
        format!("subcommands: {names}"),
    )
}

/// Two arguments that exclude each other (`others` quoted, joined).
pub fn conflict(arg: &str, others: &str) -> Message {
    Message::new(
        format!("`{arg}` は {others} と一緒には使えません"),
        format!("the argument `{arg}` cannot be used with {others}"),
    )
}

/// An argument given twice.
pub fn twice(arg: &str) -> Message {
    Message::new(
        format!("`{arg}` は一度しか指定できません"),
        format!("the argument `{arg}` cannot be used multiple times"),
    )
}

/// `--flag=value` is required.
pub fn no_equals(arg: &str) -> Message {
    Message::new(
        format!("`{arg}` の値は等号（=）でつないで指定してください"),
        format!("equal sign is needed when assigning values to `{arg}`"),
    )
}

/// One value more than `arg` takes.
pub fn too_many_values(arg: &str, value: &str) -> Message {
    Message::new(
        format!("`{arg}` に余分な値 `{value}` があります"),
        format!("unexpected value `{value}` for `{arg}` found; no more were expected"),
    )
}

/// Fewer (or other) values than `arg` takes.
pub fn wrong_number(arg: &str, expected: isize, actual: isize) -> Message {
    Message::new(
        format!("`{arg}` には値が {expected}個 必要ですが、{actual}個 です"),
        format!("{expected} values required for `{arg}` but {actual} were provided"),
    )
}

/// An argument that is not UTF-8.
pub const NOT_UTF8: Label = Label::new(
    "引数に、文字として読めないバイト列があります（UTF-8 で渡してください）",
    "invalid UTF-8 was detected in one or more arguments",
);

/// A subcommand has the flag given before it (`sub --flag`).
pub fn exists_in(usage: &str) -> Message {
    Message::new(
        format!("`{usage}` なら使えます"),
        format!("`{usage}` exists"),
    )
}

/// `-- sub`: the subcommand after `--` is not read as one.
pub fn remove_double_dash(sub: &str) -> Message {
    Message::new(
        format!("コマンド `{sub}` があります。使うには前の `--` を外してください"),
        format!("subcommand `{sub}` exists; to use it, remove the `--` before it"),
    )
}

/// Where to read how the command is used.
pub fn see_help(command: &str) -> Message {
    Message::new(
        format!("使い方は `{command} --help` で確かめられます"),
        format!("for more information, try `{command} --help`"),
    )
}

/// A number outside `min..=max` (or no number).
pub fn out_of_range(value: &str, min: i64, max: i64) -> Message {
    Message::new(
        format!("{min} から {max} までの整数で指定してください"),
        format!("{value} is not in {min}..={max}"),
    )
}

/// Why `raw` is not an id.
pub fn bad_id(e: &IdError, raw: &str) -> Message {
    let ja = match e {
        IdError::Empty => "ID は空にできません".to_owned(),
        IdError::TooLong(id) => format!("ID `{id}` が 64 文字より長くなっています"),
        IdError::BadStart(id) => {
            format!("ID `{id}` は英小文字（a-z）か数字で始めてください")
        }
        IdError::BadChar { id, .. } => {
            let bad = raw.chars().find(|c| {
                !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
            });
            let what = match bad {
                Some(c) if c.is_control() => format!("制御文字（{}）", c.escape_default()),
                Some(c @ ('/' | '\\')) => format!("パスの区切り `{c}`"),
                Some(c) => format!("`{c}`"),
                None => "使えない文字".to_owned(),
            };
            format!(
                "ID `{id}` に {what} が含まれています。使えるのは a-z、0-9、`.`、`_`、`-` だけです"
            )
        }
    };
    Message::new(ja, e.to_string())
}

/// `evidence add` given a target that is no run id and no
/// `<subject>/<inspection>` (`why`: the id rule it breaks).
pub fn neither_run_nor_draft(target: &str, why: &Message) -> Message {
    Message::of(|lang| match lang {
        crate::model::Lang::Ja => format!(
            "`{target}` は記録の ID でも `<対象>/<点検>` でもありません: {}",
            why.get(lang)
        ),
        crate::model::Lang::En => format!(
            "`{target}` is neither a run id nor `<subject>/<inspection>`: {}",
            why.get(lang)
        ),
    })
}
