//! Decoding a body with its long lists sized once: postcard says how long
//! a list is, and serde, rightly wary of a length it cannot check, sizes
//! the vector for at most a mebibyte and then doubles it as it fills, which
//! copies the rows of a large index several times. Here a list is sized
//! for the length it claims, but never for more entries than the body has
//! bytes for (each entry takes at least a known number of bytes), and a
//! size the allocator refuses just falls back to growing.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};

use super::{Body, RunRow, TemplateRow, WithdrawalRow};

/// The fewest bytes an encoded template row takes (two one-byte string
/// references and a blob id).
const MIN_TEMPLATE_BYTES: usize = 22;
/// The fewest bytes an encoded run row takes (a string reference, a blob
/// id and three one-byte option tags).
const MIN_RUN_BYTES: usize = 24;

/// Decodes the body in `bytes` (bytes after it are left, as
/// `postcard::from_bytes` leaves them).
pub(super) fn body(bytes: &[u8]) -> postcard::Result<Body<'_>> {
    let mut de = postcard::Deserializer::from_bytes(bytes);
    BodySeed { bytes: bytes.len() }.deserialize(&mut de)
}

/// Decodes a body of at most `bytes` bytes.
struct BodySeed {
    bytes: usize,
}

impl<'de> DeserializeSeed<'de> for BodySeed {
    type Value = Body<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Body<'de>, D::Error> {
        // Postcard writes a struct as its fields one after the other.
        d.deserialize_tuple(7, self)
    }
}

impl<'de> Visitor<'de> for BodySeed {
    type Value = Body<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an index body")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body<'de>, A::Error> {
        let missing = || de::Error::custom("the body is cut short");
        let repo = seq.next_element()?.ok_or_else(missing)?;
        let head = seq.next_element()?.ok_or_else(missing)?;
        let strings = seq
            .next_element_seed(List::<&str>::most(self.bytes))?
            .ok_or_else(missing)?;
        let templates = seq
            .next_element_seed(List::<TemplateRow>::most(self.bytes / MIN_TEMPLATE_BYTES))?
            .ok_or_else(missing)?;
        let runs = seq
            .next_element_seed(List::<RunRow>::most(self.bytes / MIN_RUN_BYTES))?
            .ok_or_else(missing)?;
        let withdrawals: Option<Vec<WithdrawalRow>> = seq.next_element()?.ok_or_else(missing)?;
        let named = seq.next_element()?.ok_or_else(missing)?;
        Ok(Body {
            repo,
            head,
            strings,
            templates,
            runs,
            withdrawals,
            named,
        })
    }
}

/// Decodes a list sized for the length it claims, up to `most` entries.
struct List<T> {
    most: usize,
    of: PhantomData<T>,
}

impl<T> List<T> {
    fn most(most: usize) -> Self {
        Self {
            most,
            of: PhantomData,
        }
    }
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for List<T> {
    type Value = Vec<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for List<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        let claimed = seq.size_hint().unwrap_or(0).min(self.most);
        // Refused (too large for the allocator): grown as it fills instead.
        let _ = out.try_reserve_exact(claimed);
        while let Some(x) = seq.next_element()? {
            out.push(x);
        }
        Ok(out)
    }
}
