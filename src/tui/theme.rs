//! The 16-colour palette, and the unstyled theme `NO_COLOR` asks for.
//! Meaning never rests on colour alone: every coloured marker also has a
//! symbol or a word.

use ratatui::style::{Color, Modifier, Style};

/// Styles for every role on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Plain text.
    pub text: Style,
    /// Less important text: hints, dates.
    pub dim: Style,
    /// Titles and headings.
    pub title: Style,
    /// The selected row.
    pub selected: Style,
    /// Good news: improved, done, top band.
    pub good: Style,
    /// Bad news: regressed, overdue, errors.
    pub bad: Style,
    /// Things that need attention: partly, carried, due soon.
    pub warn: Style,
    /// Keys in the footer and help.
    pub key: Style,
    /// Borders.
    pub border: Style,
}

impl Theme {
    /// The coloured theme, using only the 16 ANSI colours.
    pub fn color() -> Self {
        Self {
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            good: Style::new().fg(Color::Green),
            bad: Style::new().fg(Color::Red),
            warn: Style::new().fg(Color::Yellow),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
        }
    }

    /// The theme without colour, for `NO_COLOR`: only bold and reverse.
    pub fn plain() -> Self {
        Self {
            text: Style::new(),
            dim: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            good: Style::new(),
            bad: Style::new().add_modifier(Modifier::BOLD),
            warn: Style::new(),
            key: Style::new().add_modifier(Modifier::BOLD),
            border: Style::new(),
        }
    }

    /// Picks the theme from the environment: plain when `NO_COLOR` is set
    /// and not empty (<https://no-color.org>).
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Self::plain(),
            _ => Self::color(),
        }
    }
}
