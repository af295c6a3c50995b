//! clap's refusals of a command line, turned into tenken's own usage
//! errors (exit 2) so that they are shown in the chosen language like
//! every other error: the sentence from clap's error kind and context,
//! what clap suggested as hints (`did you mean`, the possible values), and
//! where to read the command's help. Help and version still go through
//! clap, which prints them and exits.
//!
//! Also the value parsers whose refusals are typed, so that their words
//! can be tenken's: numbers in a range.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::error::Error;
use crate::escape;
use crate::model::{DateError, IdError};
use crate::msg::{Message, errors, usage};

/// A number outside the range an option takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not in {min}..={max}")]
pub struct RangeError {
    /// The value as typed.
    pub value: String,
    /// The smallest allowed.
    pub min: i64,
    /// The largest allowed.
    pub max: i64,
}

/// Parses a whole number from `min` to `max`.
fn in_range<T: TryFrom<i64>>(s: &str, min: i64, max: i64) -> Result<T, RangeError> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| RangeError {
            value: s.to_owned(),
            min,
            max,
        })
}

/// A subject's criticality, 1 to 3 (`--criticality`).
pub fn criticality(s: &str) -> Result<u8, RangeError> {
    in_range(s, 1, 3)
}

/// A month, 1 to 12 (`--fiscal-year-start`).
pub fn month(s: &str) -> Result<u32, RangeError> {
    in_range(s, 1, 12)
}

/// Turns clap's refusal `e` of the command line `args` into tenken's
/// usage error; help and version (which are not refusals) are printed by
/// clap, which exits.
pub fn own_error(e: clap::Error, args: &[OsString]) -> Error {
    let Some(message) = sentence(&e) else {
        e.exit()
    };
    if is_date(&e) {
        // The sentence says what to write.
        return Error::usage(message);
    }
    let mut hints = Vec::new();
    if let Some(ContextValue::Strings(values)) = e.get(ContextKind::ValidValue)
        && !values.is_empty()
    {
        hints.push(usage::possible_values(&quoted_list(values, true)));
    }
    if let Some(ContextValue::Strings(names)) = e.get(ContextKind::ValidSubcommand)
        && !names.is_empty()
    {
        hints.push(usage::subcommands(&quoted_list(names, true)));
    }
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        match e.get(kind) {
            Some(ContextValue::String(near)) => {
                hints.push(errors::did_you_mean(&escape::line(near)));
            }
            Some(ContextValue::Strings(near)) if !near.is_empty() => {
                let near: Vec<String> = near.iter().map(|n| escape::line(n)).collect();
                hints.push(errors::did_you_mean(&near.join("`, `")));
            }
            _ => {}
        }
    }
    if let Some(ContextValue::StyledStrs(tips)) = e.get(ContextKind::Suggested) {
        hints.extend(tips.iter().filter_map(|t| tip(&t.to_string())));
    }
    let command = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(line)) => command_of(&line.to_string()),
        _ => command_path(args),
    };
    hints.push(usage::see_help(&command));
    Error::UsageHint { message, hints }
}

/// Whether `e` refuses a date (tenken's own parser).
fn is_date(e: &clap::Error) -> bool {
    std::error::Error::source(e).is_some_and(|s| s.downcast_ref::<DateError>().is_some())
}

/// The sentence for `e`, or `None` for what is not a refusal (help,
/// version) or cannot be put in tenken's words (clap's own I/O).
fn sentence(e: &clap::Error) -> Option<Message> {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(escape::line(s)),
        _ => None,
    };
    let number = |kind| match e.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    Some(match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::Io
        | ErrorKind::Format => return None,
        ErrorKind::ValueValidation => {
            let (arg, value) = (arg?, value?);
            let source = std::error::Error::source(e);
            if let Some(date) = source.and_then(|s| s.downcast_ref::<DateError>()) {
                let flag = arg.split_whitespace().next().unwrap_or_default();
                let flag = flag.starts_with('-').then_some(flag);
                return Some(errors::bad_date(flag, date));
            }
            let raw = match e.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(s)) => s.as_str(),
                _ => "",
            };
            let why = if let Some(id) = source.and_then(|s| s.downcast_ref::<IdError>()) {
                usage::bad_id(id, raw)
            } else if let Some(r) = source.and_then(|s| s.downcast_ref::<RangeError>()) {
                usage::out_of_range(&value, r.min, r.max)
            } else {
                Message::from(source.map(ToString::to_string).unwrap_or_default())
            };
            usage::refused_value(&arg, &value, &why)
        }
        ErrorKind::InvalidValue => usage::invalid_value(&arg?, &value?),
        ErrorKind::UnknownArgument => usage::unexpected(&arg?),
        ErrorKind::InvalidSubcommand => {
            usage::unknown_command(&text(ContextKind::InvalidSubcommand)?)
        }
        ErrorKind::MissingRequiredArgument => match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(args)) => usage::missing(&quoted_list(args, true)),
            _ => return Some(fallback(e)),
        },
        ErrorKind::MissingSubcommand => {
            usage::missing_subcommand(&text(ContextKind::InvalidSubcommand)?)
        }
        ErrorKind::ArgumentConflict => {
            let arg = arg?;
            match e.get(ContextKind::PriorArg) {
                Some(ContextValue::String(prior)) if escape::line(prior) == arg => {
                    usage::twice(&arg)
                }
                Some(ContextValue::String(prior)) => {
                    usage::conflict(&arg, &format!("`{}`", escape::line(prior)))
                }
                Some(ContextValue::Strings(prior)) => {
                    usage::conflict(&arg, &quoted_list(prior, true))
                }
                _ => return Some(fallback(e)),
            }
        }
        ErrorKind::NoEquals => usage::no_equals(&arg?),
        ErrorKind::TooManyValues => usage::too_many_values(&arg?, &value?),
        ErrorKind::TooFewValues => usage::wrong_number(
            &arg?,
            number(ContextKind::MinValues)?,
            number(ContextKind::ActualNumValues)?,
        ),
        ErrorKind::WrongNumberOfValues => usage::wrong_number(
            &arg?,
            number(ContextKind::ExpectedNumValues)?,
            number(ContextKind::ActualNumValues)?,
        ),
        ErrorKind::InvalidUtf8 => usage::NOT_UTF8.into(),
        _ => return Some(fallback(e)),
    })
    .or_else(|| Some(fallback(e)))
}

/// clap's own first line, for a refusal whose context is not the usual
/// one: English in both languages.
fn fallback(e: &clap::Error) -> Message {
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    Message::from(escape::line(first))
}

/// `values` escaped, each in backticks when `quote`, joined by commas.
fn quoted_list(values: &[String], quote: bool) -> String {
    values
        .iter()
        .map(|v| {
            let v = escape::line(v);
            if quote { format!("`{v}`") } else { v }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The command a usage line is of (`Usage: tenken history [OPTIONS]` →
/// `tenken history`).
fn command_of(usage_line: &str) -> String {
    let line = usage_line.lines().next().unwrap_or_default();
    // After the heading, `Usage:` or its translation.
    let line = line.split_once(':').map_or(line, |(_, rest)| rest);
    let words: Vec<&str> = line
        .split_whitespace()
        .take_while(|w| {
            w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-')
        })
        .collect();
    if words.is_empty() {
        "tenken".to_owned()
    } else {
        escape::line(&words.join(" "))
    }
}

/// The command `args` name (`tenken subjects add`), as far as they name
/// one: words that are subcommands, past flags and their values.
fn command_path(args: &[OsString]) -> String {
    let mut cmd = super::command(crate::model::Lang::En);
    let mut path = vec!["tenken".to_owned()];
    let mut words = args.iter().skip(1).map(|w| w.to_string_lossy());
    while let Some(word) = words.next() {
        if let Some(flag) = word.strip_prefix("--") {
            let takes_value = !flag.contains('=')
                && cmd
                    .get_arguments()
                    .find(|a| a.get_long() == Some(flag))
                    .is_some_and(|a| a.get_action().takes_values());
            if takes_value {
                words.next();
            }
            continue;
        }
        if word.starts_with('-') {
            continue;
        }
        let Some(sub) = cmd.find_subcommand(word.as_ref()).cloned() else {
            break;
        };
        path.push(sub.get_name().to_owned());
        cmd = sub;
    }
    escape::line(&path.join(" "))
}

/// One of clap's tips, in tenken's words; `None` for a tip tenken does
/// not pass on (how to give a value that starts with `-`: tenken takes
/// none).
fn tip(text: &str) -> Option<Message> {
    if let Some(rest) = text.strip_prefix("subcommand '") {
        let sub = rest.split('\'').next()?;
        return Some(usage::remove_double_dash(&escape::line(sub)));
    }
    let inner = text.strip_prefix('\'')?.strip_suffix("' exists")?;
    Some(usage::exists_in(&escape::line(inner)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_read_from_the_usage_line() {
        assert_eq!(
            command_of("Usage: tenken history [OPTIONS]"),
            "tenken history"
        );
        assert_eq!(
            command_of("Usage: tenken subjects add [OPTIONS] <ID>"),
            "tenken subjects add"
        );
        assert_eq!(command_of("Usage: tenken [OPTIONS] [COMMAND]"), "tenken");
        assert_eq!(
            command_of("使い方: tenken history [OPTIONS]"),
            "tenken history"
        );
    }

    #[test]
    fn the_command_is_found_in_the_arguments() {
        let args = |line: &str| -> Vec<OsString> { line.split(' ').map(OsString::from).collect() };
        assert_eq!(
            command_path(&args(
                "tenken --lang ja --repo /r subjects add Aoba --kind site"
            )),
            "tenken subjects add"
        );
        assert_eq!(
            command_path(&args("tenken --lang=ja history --format xml")),
            "tenken history"
        );
        assert_eq!(command_path(&args("tenken nothing")), "tenken");
    }

    #[test]
    fn tips_are_put_in_tenken_words_or_left_out() {
        assert_eq!(
            tip("'history --format' exists").map(|m| m.to_string()),
            Some("`history --format` exists".to_owned())
        );
        assert_eq!(tip("to pass '--x' as a value, use '-- --x'"), None);
    }

    #[test]
    fn ranges_are_checked() {
        assert_eq!(criticality("2"), Ok(2));
        assert_eq!(
            criticality("4").unwrap_err().to_string(),
            "4 is not in 1..=3"
        );
        assert!(month("0").is_err() && month("x").is_err() && month("12").is_ok());
    }
}
