//! `Clock`: the one source of "now", fixed by `TENKEN_NOW` in tests so runs,
//! commits and snapshots are deterministic.

use chrono::{DateTime, FixedOffset, Local, NaiveDate};

use crate::error::{Error, Result};

/// Where the current time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, in the local offset.
    System,
    /// A fixed instant.
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    /// Reads `TENKEN_NOW` (RFC 3339) if set, else uses the system clock.
    pub fn from_env() -> Result<Self> {
        match std::env::var("TENKEN_NOW") {
            Ok(s) if !s.is_empty() => {
                DateTime::parse_from_rfc3339(&s)
                    .map(Self::Fixed)
                    .map_err(|e| {
                        Error::user(crate::msg::commit::bad_now(
                            &crate::escape::line(&s),
                            &e.to_string(),
                        ))
                    })
            }
            _ => Ok(Self::System),
        }
    }

    /// Returns the current time with its offset.
    pub fn now(self) -> DateTime<FixedOffset> {
        match self {
            Self::System => Local::now().fixed_offset(),
            Self::Fixed(t) => t,
        }
    }

    /// Returns today's date in the clock's offset.
    pub fn today(self) -> NaiveDate {
        self.now().date_naive()
    }
}
