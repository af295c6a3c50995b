//! Words of the loader's diagnostics (`path:line:col: message`): what is
//! wrong in a repository file or an answers file, in both languages.
//!
//! A diagnostic is made while a file is read, before anyone knows the
//! language it will be shown in, so every function returns a [`Message`].
//! The place (`path:line:col`), ids, field names and values quoted from
//! the file are the same in both languages; field names and ids stay in
//! backticks, as written in the file.
//!
//! [`Message`]: super::Message

pub mod answers;
pub mod file;
pub mod register;
pub mod run;
pub mod store;
pub mod syntax;
pub mod template;

#[cfg(test)]
mod tests;
