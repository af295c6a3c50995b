//! `Error` and `ErrorKind`: every failure tenken reports, and the exit code
//! each kind maps to. The kind is decided where the error is made, not where
//! it is printed.
//!
//! The words of a user or usage error and of its hints are a
//! [`Message`] in both languages; `main` prints them in the language the
//! command line or the repository chose (see `msg`).

use std::fmt;
use std::path::PathBuf;

use crate::model::Lang;
use crate::msg::Message;

/// What sort of failure an error is; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A mistake the user can fix (exit 1).
    User,
    /// The command line was wrong (exit 2).
    Usage,
    /// Data failed validation or verification (exit 3).
    Invalid,
    /// `--fail-on-regression` found a regression (exit 4).
    Regression,
    /// Something that should not happen (exit 1).
    Internal,
}

impl ErrorKind {
    /// Returns the process exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::User | Self::Internal => 1,
            Self::Usage => 2,
            Self::Invalid => 3,
            Self::Regression => 4,
        }
    }
}

/// One problem in one file, located by line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the repository where possible.
    pub path: PathBuf,
    /// The line, from 1; 0 when the problem is the file as a whole (it
    /// cannot be read, is not a regular file, is too large), shown as
    /// `path: message`.
    pub line: usize,
    /// The column in characters, from 1; 0 when the problem is a whole
    /// line (a CSV row), shown as `path:line: message`.
    pub col: usize,
    /// What is wrong, as one sentence without a final period, in both
    /// languages (see `msg::load`).
    pub message: Message,
}

impl Diagnostic {
    /// Returns where the problem is: `path:line:col`, `path:line` for a
    /// whole row, `path` for the file as a whole.
    pub fn place(&self) -> String {
        match (self.line, self.col) {
            // The file as a whole (missing, not a regular file, too large).
            (0, _) => self.path.display().to_string(),
            // A whole row (of a CSV file).
            (line, 0) => format!("{}:{line}", self.path.display()),
            (line, col) => format!("{}:{line}:{col}", self.path.display()),
        }
    }

    /// Returns the line shown for the problem in `lang`:
    /// `path:line:col: message` (the place is the same in both).
    pub fn text(&self, lang: Lang) -> String {
        format!("{}: {}", self.place(), self.message.get(lang))
    }

    /// Returns the whole line in both languages, for an error or a notice
    /// that quotes the problem.
    pub fn located(&self) -> Message {
        let place = self.place();
        self.message
            .clone()
            .wrap(|_, message| format!("{place}: {message}"))
    }
}

/// The line in English, for logs and tests (see [`Diagnostic::text`]).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Every error tenken reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A mistake the user can fix, with optional hints.
    #[error("{message}")]
    User {
        /// One sentence naming the path or id involved.
        message: Message,
        /// Extra lines printed as `hint: …`.
        hints: Vec<Message>,
    },
    /// A wrong command line.
    #[error("{0}")]
    Usage(Message),
    /// A wrong command line, with hints on what to write instead.
    #[error("{message}")]
    UsageHint {
        /// One sentence naming the flag or value involved.
        message: Message,
        /// Extra lines printed as `hint: …`.
        hints: Vec<Message>,
    },
    /// One or more files are invalid.
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<Diagnostic>),
    /// `tenken.ron` or `subjects.ron` is invalid, so nothing can safely go
    /// on: every problem, and hints naming where the change came from.
    #[error("{}", invalid_summary(.problems))]
    Settings {
        /// Every problem of the two files.
        problems: Vec<Diagnostic>,
        /// Extra lines printed as `hint: …`.
        hints: Vec<Message>,
    },
    /// Verification found problems, already described.
    #[error("{0}")]
    Verification(Message),
    /// `--fail-on-regression` found a regression.
    #[error("{0}")]
    Regression(Message),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// git reported an error.
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
    /// A bug or an impossible state.
    #[error("internal error: {0}")]
    Internal(String),
}

fn invalid_summary(diags: &[Diagnostic]) -> String {
    match diags {
        [one] => one.to_string(),
        many => format!("{} problems found", many.len()),
    }
}

impl Error {
    /// Builds a user error from one sentence.
    pub fn user(message: impl Into<Message>) -> Self {
        Self::User {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Builds a user error with a hint.
    pub fn user_hint(message: impl Into<Message>, hint: impl Into<Message>) -> Self {
        Self::User {
            message: message.into(),
            hints: vec![hint.into()],
        }
    }

    /// Builds a usage error (exit 2) with a hint.
    pub fn usage_hint(message: impl Into<Message>, hint: impl Into<Message>) -> Self {
        Self::UsageHint {
            message: message.into(),
            hints: vec![hint.into()],
        }
    }

    /// Builds a usage error (exit 2).
    pub fn usage(message: impl Into<Message>) -> Self {
        Self::Usage(message.into())
    }

    /// Builds an I/O error naming `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// Returns the kind that decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::User { .. } | Self::Io { .. } | Self::Git(_) => ErrorKind::User,
            Self::Usage(_) | Self::UsageHint { .. } => ErrorKind::Usage,
            Self::Invalid(_) | Self::Settings { .. } | Self::Verification(_) => ErrorKind::Invalid,
            Self::Regression(_) => ErrorKind::Regression,
            Self::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Returns the error's words in both languages: the message of a user
    /// or usage error, how many problems were found for invalid files, the
    /// path and cause of an I/O error; git's and the system's own words
    /// after them stay English.
    pub fn message(&self) -> Message {
        match self {
            Self::User { message, .. }
            | Self::Usage(message)
            | Self::UsageHint { message, .. }
            | Self::Verification(message)
            | Self::Regression(message) => message.clone(),
            Self::Invalid(diags)
            | Self::Settings {
                problems: diags, ..
            } => match diags.as_slice() {
                [one] => one.located(),
                _ => Message::of(|lang| crate::msg::check::problems_found(lang, diags.len())),
            },
            Self::Io { path, source } => crate::msg::files::io(&path.display().to_string(), source),
            Self::Git(e) => crate::msg::files::git(e.message()),
            Self::Internal(why) => crate::msg::files::internal(why),
        }
    }

    /// Returns the error in `lang`, for a screen that shows it in one line.
    pub fn text(&self, lang: Lang) -> String {
        self.message().get(lang).to_owned()
    }

    /// Returns the hint lines to print after the error.
    pub fn hints(&self) -> &[Message] {
        match self {
            Self::User { hints, .. }
            | Self::UsageHint { hints, .. }
            | Self::Settings { hints, .. } => hints,
            _ => &[],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Self::Invalid(vec![d])
    }
}

/// The result type of the whole crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
