//! Evidence attached to an answer: a reference in words (a document name, a
//! ticket, a URL), or a file kept in the repository under
//! `evidence/<sha256>.<ext>`, named by its content. Plain data; sniffing a
//! file's type is `crate::evidence`'s job, storing it `store`'s.
//!
//! In a run file a reference is a plain string, exactly as runs have always
//! written it (so an older run reads, and writes back, byte for byte the
//! same), and a file is a `File(…)` record beside it:
//!
//! ```ron
//! evidence: [
//!     "WSUS report 2026-11",
//!     File(name: "cabinet.jpg", media_type: "image/jpeg", size: 48213, sha256: "9f86…"),
//! ],
//! ```

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The folder of evidence files, at the repository root.
pub const EVIDENCE_DIR: &str = "evidence";

/// One piece of evidence for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// A reference in words: where the evidence is kept outside tenken.
    Text(String),
    /// A file stored in the repository.
    File(EvidenceFile),
}

/// A file attached as evidence, identified by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EvidenceFile {
    /// The file's name as the inspector gave it (no folders), for people.
    pub name: String,
    /// Its media type, from its content (`image/jpeg`, `application/pdf`).
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The lowercase hex SHA-256 of its content.
    pub sha256: String,
}

/// The media types evidence may have, with the extension of their stored
/// file. The extension is part of the stored path, so an entry here may be
/// added but never changed.
pub const MEDIA_TYPES: &[(&str, &str)] = &[
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
    ("image/bmp", "bmp"),
    ("image/tiff", "tif"),
    ("image/heif", "heif"),
    ("application/pdf", "pdf"),
    ("text/plain", "txt"),
    ("text/csv", "csv"),
    ("text/markdown", "md"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    ("application/vnd.oasis.opendocument.text", "odt"),
    ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ("application/vnd.oasis.opendocument.presentation", "odp"),
    ("application/msword", "doc"),
    ("application/vnd.ms-excel", "xls"),
    ("application/vnd.ms-powerpoint", "ppt"),
];

/// Returns the stored file's extension for `media_type`, if evidence may
/// have that type.
pub fn extension_of(media_type: &str) -> Option<&'static str> {
    MEDIA_TYPES
        .iter()
        .find(|(m, _)| *m == media_type)
        .map(|(_, e)| *e)
}

/// Returns true when `s` is 64 lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl EvidenceFile {
    /// Returns the stored file's name, `<sha256>.<ext>`, or `None` when the
    /// digest or media type is not one tenken stores (a hand-edited run).
    pub fn stored_name(&self) -> Option<String> {
        let ext = extension_of(&self.media_type)?;
        is_sha256(&self.sha256).then(|| format!("{}.{ext}", self.sha256))
    }

    /// Returns the stored file's path relative to the repository root,
    /// `evidence/<sha256>.<ext>`, `/`-separated.
    pub fn stored_path(&self) -> Option<String> {
        Some(format!("{EVIDENCE_DIR}/{}", self.stored_name()?))
    }

    /// Returns true for the image types reports can show as thumbnails.
    pub fn is_thumbnailable(&self) -> bool {
        matches!(self.media_type.as_str(), "image/jpeg" | "image/png")
    }
}

impl Evidence {
    /// Returns the file, if this evidence is one.
    pub fn file(&self) -> Option<&EvidenceFile> {
        match self {
            Self::File(f) => Some(f),
            Self::Text(_) => None,
        }
    }

    /// Returns what people read for this evidence: the reference, or the
    /// file's name.
    pub fn label(&self) -> &str {
        match self {
            Self::Text(t) => t,
            Self::File(f) => &f.name,
        }
    }
}

impl From<String> for Evidence {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for Evidence {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl PartialEq<&str> for Evidence {
    fn eq(&self, other: &&str) -> bool {
        matches!(self, Self::Text(t) if t == other)
    }
}

impl PartialEq<str> for Evidence {
    fn eq(&self, other: &str) -> bool {
        matches!(self, Self::Text(t) if t == other)
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::File(f) => {
                let mut s = serializer.serialize_struct("File", 4)?;
                s.serialize_field("name", &f.name)?;
                s.serialize_field("media_type", &f.media_type)?;
                s.serialize_field("size", &f.size)?;
                s.serialize_field("sha256", &f.sha256)?;
                s.end()
            }
        }
    }
}

const FILE_FIELDS: &[&str] = &["name", "media_type", "size", "sha256"];

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EvidenceVisitor)
    }
}

struct EvidenceVisitor;

impl<'de> Visitor<'de> for EvidenceVisitor {
    type Value = Evidence;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a reference (a string) or File(name: …, media_type: …, size: …, sha256: …)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Evidence, E> {
        Ok(Evidence::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Evidence, E> {
        Ok(Evidence::Text(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Evidence, A::Error> {
        let (mut name, mut media_type, mut size, mut sha256) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => put(&mut name, "name", map.next_value::<String>()?)?,
                "media_type" => put(&mut media_type, "media_type", map.next_value::<String>()?)?,
                "size" => put(&mut size, "size", map.next_value::<u64>()?)?,
                "sha256" => put(&mut sha256, "sha256", map.next_value::<String>()?)?,
                other => return Err(de::Error::unknown_field(other, FILE_FIELDS)),
            }
        }
        Ok(Evidence::File(EvidenceFile {
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            media_type: media_type.ok_or_else(|| de::Error::missing_field("media_type"))?,
            size: size.ok_or_else(|| de::Error::missing_field("size"))?,
            sha256: sha256.ok_or_else(|| de::Error::missing_field("sha256"))?,
        }))
    }
}

fn put<T, E: de::Error>(slot: &mut Option<T>, field: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(field));
    }
    *slot = Some(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answer, Id, to_ron};

    fn file() -> EvidenceFile {
        EvidenceFile {
            name: "cabinet.jpg".into(),
            media_type: "image/jpeg".into(),
            size: 48_213,
            sha256: "ab".repeat(32),
        }
    }

    #[test]
    fn references_are_written_as_plain_strings_and_files_as_records() {
        let mut a = Answer::new(Id::new("yes").unwrap());
        a.evidence = vec!["WSUS report".into(), Evidence::File(file())];
        let text = to_ron(&a).unwrap();
        assert!(text.contains("\"WSUS report\","), "{text}");
        assert!(
            text.contains("File(\n            name: \"cabinet.jpg\",")
                || text.contains("File(name: \"cabinet.jpg\""),
            "{text}"
        );
        let back: Answer = crate::load::parse(std::path::Path::new("a.ron"), &text).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn an_old_answer_reads_and_writes_back_the_same() {
        let old = "Answer(\n    choice: \"yes\",\n    evidence: [\n        \"WSUS report 2026-11\",\n    ],\n)\n";
        let a: Answer = crate::load::parse(std::path::Path::new("a.ron"), old).unwrap();
        assert_eq!(a.evidence, ["WSUS report 2026-11"]);
        assert_eq!(to_ron(&a).unwrap(), old);
    }

    #[test]
    fn a_file_record_with_an_unknown_field_is_refused_where_it_is() {
        let text = "Answer(choice: \"yes\", evidence: [File(name: \"a\", media_type: \"image/png\", size: 1, sha256: \"x\", path: \"/etc\")])";
        let err = crate::load::parse::<Answer>(std::path::Path::new("a.ron"), text).unwrap_err();
        assert!(err.message.to_string().contains("path"), "{err}");
        assert_eq!(err.line, 1);
    }

    #[test]
    fn stored_paths_come_from_the_digest_and_type_only() {
        assert_eq!(
            file().stored_path().unwrap(),
            format!("evidence/{}.jpg", "ab".repeat(32))
        );
        let mut bad = file();
        bad.sha256 = "../../etc/passwd".into();
        assert_eq!(bad.stored_path(), None);
        let mut bad = file();
        bad.media_type = "text/html".into();
        assert_eq!(bad.stored_path(), None);
    }
}
