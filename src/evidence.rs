//! What may be attached as an evidence file, decided from its bytes: the
//! media type by content sniffing (crate `infer`, plus a strict text check),
//! the file name people see, the digest that names the stored file, and the
//! size limits. Pure; `store` reads and writes the files.
//!
//! The rules, in the order they are applied:
//!
//! - the content decides the type: images (JPEG, PNG, GIF, WebP, BMP, TIFF,
//!   HEIF/HEIC), PDF, office documents (Word, Excel, `PowerPoint`, both the
//!   XML and the 97–2003 forms, and OpenDocument) and plain text (UTF-8 or
//!   `Shift_JIS` without control characters). Anything else — an executable,
//!   an archive, HTML, XML or SVG markup (a browser would run its scripts) —
//!   is refused;
//! - a name whose extension claims another kind of file than the content
//!   is (an HTML page named `photo.jpg`, a text named `report.pdf`) is
//!   refused, so nobody is misled by the name;
//! - the name kept is the last component only, without control or format
//!   characters, at most [`MAX_NAME_CHARS`] characters;
//! - limits: per file and per run, from `tenken.ron`
//!   (`evidence: (max_file_mib: 20, max_run_mib: 100)`, the defaults).

use sha2::{Digest, Sha256};

use crate::model::{EvidenceFile, Lang, extension_of};

/// The longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// The kinds of file evidence may be; the error for a refused file names
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A photo, screenshot or scan.
    Image,
    /// A PDF document.
    Pdf,
    /// An office document.
    Office,
    /// Plain text.
    Text,
}

impl Kind {
    fn of_media_type(media_type: &str) -> Option<Self> {
        if media_type.starts_with("image/") {
            Some(Self::Image)
        } else if media_type == "application/pdf" {
            Some(Self::Pdf)
        } else if media_type.starts_with("text/") {
            Some(Self::Text)
        } else if extension_of(media_type).is_some() {
            Some(Self::Office)
        } else {
            None
        }
    }

    fn words(self, lang: Lang) -> &'static str {
        match self {
            Self::Image => lang.pick("画像", "an image"),
            Self::Pdf => lang.pick("PDF", "a PDF"),
            Self::Office => lang.pick("オフィス文書", "an office document"),
            Self::Text => lang.pick("テキスト", "text"),
        }
    }
}

/// Why a file cannot be evidence; [`Refusal::message`] says it in either
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The file is empty.
    Empty,
    /// The content is of no allowed type; `what` names it when known.
    Type {
        /// What the content is, when sniffing knew (`text/html`, `application/zip`).
        what: Option<String>,
    },
    /// The name's extension claims another kind than the content is.
    Misnamed {
        /// What the name claims.
        claimed: Kind,
        /// What the content is.
        actual: Kind,
    },
    /// The name has no usable characters.
    BadName,
    /// The file is larger than the per-file limit.
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The run's evidence files together would pass the per-run limit.
    RunTooLarge {
        /// The total with this file.
        total: u64,
        /// The limit.
        limit: u64,
    },
}

impl Refusal {
    /// Returns one sentence saying why, in `lang`, for the file `name`.
    pub fn message(&self, name: &str, lang: Lang) -> String {
        let name = crate::escape::line(name);
        #[allow(clippy::cast_precision_loss)] // sizes are far below 2^52
        let mib = |n: u64| crate::number::round1(n as f64 / 1_048_576.0);
        match (self, lang) {
            (Self::Empty, Lang::Ja) => format!("{name} は空のファイルです"),
            (Self::Empty, Lang::En) => format!("{name} is empty"),
            (Self::Type { what }, Lang::Ja) => format!(
                "{name} は証拠として受け付けない形式です{}。受け付けるのは画像、PDF、テキスト、オフィス文書です",
                what.as_deref()
                    .map(|w| match w {
                        MARKUP => "（HTML/XML のマークアップ）".to_owned(),
                        // A media type, as written.
                        w => format!("（`{}`）", crate::escape::line(w)),
                    })
                    .unwrap_or_default()
            ),
            (Self::Type { what }, Lang::En) => format!(
                "{name} is not a kind of file tenken keeps as evidence{}; images, PDF, text and office documents are",
                what.as_ref()
                    .map(|w| format!(" (its content is {})", crate::escape::line(w)))
                    .unwrap_or_default()
            ),
            (Self::Misnamed { claimed, actual }, _) => match lang {
                Lang::Ja => format!(
                    "{name} は名前では{}ですが、中身は{}です。中身に合った名前で添付してください",
                    claimed.words(lang),
                    actual.words(lang)
                ),
                Lang::En => format!(
                    "{name} is named as {} but its content is {}; give it a name that says what it is",
                    claimed.words(lang),
                    actual.words(lang)
                ),
            },
            (Self::BadName, Lang::Ja) => "ファイル名に使える文字がありません".to_owned(),
            (Self::BadName, Lang::En) => "the file name has no usable characters".to_owned(),
            (Self::TooLarge { size, limit }, Lang::Ja) => format!(
                "{name} は {} MiB で、1ファイルの上限 {} MiB を超えています (tenken.ron の evidence で変更できます)",
                mib(*size),
                mib(*limit)
            ),
            (Self::TooLarge { size, limit }, Lang::En) => format!(
                "{name} is {} MiB, over the limit of {} MiB per file (`evidence` in tenken.ron sets it)",
                mib(*size),
                mib(*limit)
            ),
            (Self::RunTooLarge { total, limit }, Lang::Ja) => format!(
                "{name} を加えると証拠ファイルの合計が {} MiB になり、1回の点検の上限 {} MiB を超えます",
                mib(*total),
                mib(*limit)
            ),
            (Self::RunTooLarge { total, limit }, Lang::En) => format!(
                "with {name} the run's evidence files would total {} MiB, over the limit of {} MiB per run",
                mib(*total),
                mib(*limit)
            ),
        }
    }
}

/// Returns what is wrong with the evidence files of the answer to `item`,
/// one sentence each: a digest that is not 64 lowercase hex digits, a media
/// type tenken does not store, a name with a path or hidden characters.
pub fn entry_problems(
    item: &crate::model::Id,
    evidence: &[crate::model::Evidence],
) -> Vec<crate::msg::Message> {
    use crate::msg::load::run as words;
    let mut out = Vec::new();
    for file in evidence.iter().filter_map(crate::model::Evidence::file) {
        let shown = crate::escape::line(&file.name);
        if !crate::model::is_sha256(&file.sha256) {
            out.push(words::evidence_digest(&shown, item.as_str()));
        }
        if extension_of(&file.media_type).is_none() {
            out.push(words::evidence_media_type(
                &shown,
                item.as_str(),
                &crate::escape::line(&file.media_type),
            ));
        }
        if clean_name(&file.name).as_deref() != Ok(file.name.as_str()) {
            out.push(words::evidence_name(&shown, item.as_str()));
        }
    }
    out
}

/// Returns true when the walker's evidence field names a file to attach
/// rather than a reference in words: a path starting with `/`, `./`,
/// `../`, `~/` or `inbox/` (in restricted mode only `inbox/`).
pub fn names_a_file(entry: &str, restricted: bool) -> bool {
    let prefixes: &[&str] = if restricted {
        &["inbox/"]
    } else {
        &["/", "./", "../", "~/", "inbox/"]
    };
    prefixes.iter().any(|p| entry.starts_with(p))
}

/// Returns the refusal when adding `file` to `answers` would take the
/// run's distinct evidence files past `limit` bytes.
pub fn over_run_limit(
    answers: &std::collections::BTreeMap<crate::model::Id, crate::model::Answer>,
    file: &EvidenceFile,
    limit: u64,
) -> Option<Refusal> {
    let mut seen = std::collections::HashSet::new();
    let mut total: u64 = answers
        .values()
        .flat_map(|a| a.evidence.iter().filter_map(crate::model::Evidence::file))
        .filter(|f| seen.insert(f.sha256.clone()))
        .map(|f| f.size)
        .sum();
    if seen.insert(file.sha256.clone()) {
        total += file.size;
    }
    (total > limit).then_some(Refusal::RunTooLarge { total, limit })
}

/// Returns the lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Returns the name to keep for a file given as `given`: its last path
/// component, with control and format characters and anything a path could
/// use to climb (`/`, `\`) removed, cut to [`MAX_NAME_CHARS`].
pub fn clean_name(given: &str) -> Result<String, Refusal> {
    let last = given
        .rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| !crate::escape::is_hidden(*c))
        .take(MAX_NAME_CHARS)
        .collect();
    let kept = kept.trim().to_owned();
    if kept.is_empty() || kept.chars().all(|c| c == '.') {
        return Err(Refusal::BadName);
    }
    Ok(kept)
}

/// Decides the media type of a file named `name` with content `bytes`
/// (the rules are in the module's header).
pub fn sniff(name: &str, bytes: &[u8]) -> Result<&'static str, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let media_type = content_type(&ext, bytes)?;
    let actual = Kind::of_media_type(media_type).ok_or(Refusal::Type {
        what: Some(media_type.to_owned()),
    })?;
    if let Some(claimed) = claimed_kind(&ext)
        && claimed != actual
    {
        return Err(Refusal::Misnamed { claimed, actual });
    }
    Ok(media_type)
}

/// Describes a file that passed [`sniff`], for the answer.
pub fn describe(name: String, media_type: &str, bytes: &[u8]) -> EvidenceFile {
    EvidenceFile {
        name,
        media_type: media_type.to_owned(),
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
    }
}

/// What a refusal says markup is (HTML or XML, under any name).
const MARKUP: &str = "HTML/XML markup";

/// The media type the content shows, or the refusal.
fn content_type(ext: &str, bytes: &[u8]) -> Result<&'static str, Refusal> {
    if infer::text::is_html(bytes) || infer::text::is_xml(bytes) || looks_like_markup(bytes) {
        return Err(Refusal::Type {
            what: Some(MARKUP.to_owned()),
        });
    }
    if let Some(t) = infer::get(bytes) {
        let m = t.mime_type();
        let known = match m {
            "image/jpeg"
            | "image/png"
            | "image/gif"
            | "image/webp"
            | "image/bmp"
            | "image/tiff"
            | "image/heif"
            | "application/pdf"
            | "application/msword"
            | "application/vnd.ms-excel"
            | "application/vnd.ms-powerpoint" => extension_of(m).map(|_| m),
            m if m.starts_with("application/vnd.openxmlformats-officedocument.")
                || m.starts_with("application/vnd.oasis.opendocument.") =>
            {
                MEDIA_TYPES_OFFICE.iter().copied().find(|x| *x == m)
            }
            _ => None,
        };
        if let Some(known) = known {
            return Ok(known);
        }
        // An OOXML file infer could not place (written by another program
        // in another order): its extension says which.
        if m == "application/vnd.openxmlformats-officedocument" {
            let by_ext = match ext {
                "docx" => Some(MEDIA_TYPES_OFFICE[0]),
                "xlsx" => Some(MEDIA_TYPES_OFFICE[1]),
                "pptx" => Some(MEDIA_TYPES_OFFICE[2]),
                _ => None,
            };
            if let Some(m) = by_ext {
                return Ok(m);
            }
        }
        if !m.starts_with("text/") {
            return Err(Refusal::Type {
                what: Some(m.to_owned()),
            });
        }
    }
    if is_plain_text(bytes) {
        return Ok(match ext {
            "csv" => "text/csv",
            "md" | "markdown" => "text/markdown",
            _ => "text/plain",
        });
    }
    Err(Refusal::Type { what: None })
}

const MEDIA_TYPES_OFFICE: [&str; 6] = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

/// Markup a browser would render (and run scripts in) that `infer`'s
/// WHATWG patterns miss: `<svg`, `<html>` written without a space, any
/// text that opens with a tag.
fn looks_like_markup(bytes: &[u8]) -> bool {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|i| {
        head[i] == b'<'
            && head
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'!' | b'?' | b'/'))
    })
}

/// True for UTF-8 (or strict `Shift_JIS`) text with no control characters
/// but tab, line feed, carriage return and form feed.
fn is_plain_text(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(body) {
                Some(t) => t,
                None => return false,
            }
        }
    };
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

/// The kind a file name's extension claims, if it names a known one.
fn claimed_kind(ext: &str) -> Option<Kind> {
    Some(match ext {
        "jpg" | "jpeg" | "jpe" | "png" | "gif" | "webp" | "bmp" | "tif" | "tiff" | "heic"
        | "heif" | "svg" => Kind::Image,
        "pdf" => Kind::Pdf,
        "txt" | "text" | "csv" | "md" | "markdown" | "log" => Kind::Text,
        "doc" | "docx" | "xls" | "xlsx" | "ppt" | "pptx" | "odt" | "ods" | "odp" => Kind::Office,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";

    #[test]
    fn the_content_decides_the_type() {
        assert_eq!(sniff("a.png", PNG), Ok("image/png"));
        assert_eq!(sniff("photo", JPEG), Ok("image/jpeg"));
        // A PNG named .jpg is still an image: kept as what it is.
        assert_eq!(sniff("a.jpg", PNG), Ok("image/png"));
        assert_eq!(sniff("a.pdf", b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(
            sniff("log.txt", "点検メモ\r\n".as_bytes()),
            Ok("text/plain")
        );
        assert_eq!(sniff("list.csv", b"a,b\n1,2\n"), Ok("text/csv"));
        let sjis = encoding_rs::SHIFT_JIS.encode("点検メモ").0;
        assert_eq!(sniff("memo.txt", &sjis), Ok("text/plain"));
    }

    #[test]
    fn markup_executables_and_archives_are_refused() {
        for (name, bytes) in [
            ("photo.jpg", &b"<html><script>alert(1)</script></html>"[..]),
            ("photo.png", b"<!DOCTYPE html>\n<p>x"),
            ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            ("a.txt", b"  <?xml version='1.0'?><a/>"),
            ("tool", b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"),
            ("x.zip", b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
            ("bin.txt", b"a\0b"),
        ] {
            assert!(
                matches!(sniff(name, bytes), Err(Refusal::Type { .. })),
                "{name}: {:?}",
                sniff(name, bytes)
            );
        }
        assert_eq!(sniff("empty.png", b""), Err(Refusal::Empty));
    }

    #[test]
    fn a_name_that_claims_another_kind_is_refused() {
        assert_eq!(
            sniff("photo.jpg", b"just some words"),
            Err(Refusal::Misnamed {
                claimed: Kind::Image,
                actual: Kind::Text
            })
        );
        assert!(matches!(
            sniff("report.pdf", PNG),
            Err(Refusal::Misnamed { .. })
        ));
        let msg = sniff("photo.jpg", b"words")
            .unwrap_err()
            .message("photo.jpg", Lang::Ja);
        assert!(msg.contains("中身はテキスト"), "{msg}");
    }

    #[test]
    fn names_keep_their_last_component_without_hidden_characters() {
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\写真.jpg").unwrap(), "写真.jpg");
        assert_eq!(clean_name("a\u{202E}gpj.exe").unwrap(), "agpj.exe");
        assert_eq!(clean_name("x\n\u{1b}[31m.png").unwrap(), "x[31m.png");
        assert_eq!(clean_name(".."), Err(Refusal::BadName));
        assert_eq!(clean_name("/"), Err(Refusal::BadName));
        assert_eq!(
            clean_name(&"長".repeat(500)).unwrap().chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn digests_are_lowercase_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_walker_reads_paths_as_files_and_words_as_references() {
        for path in [
            "/tmp/a.png",
            "./a.png",
            "../a.png",
            "~/a.png",
            "inbox/a.png",
        ] {
            assert!(names_a_file(path, false), "{path}");
        }
        assert!(names_a_file("inbox/a.png", true));
        for path in ["/tmp/a.png", "./a.png", "~/a.png"] {
            assert!(!names_a_file(path, true), "{path}");
        }
        assert!(!names_a_file("WSUS report 2026-11", false));
        assert!(!names_a_file("photo.png", false));
    }

    #[test]
    fn the_run_limit_counts_each_distinct_file_once() {
        use crate::model::{Answer, Evidence, EvidenceFile, Id};
        let file = |sha: &str, size| EvidenceFile {
            name: format!("{sha}.png"),
            media_type: "image/png".into(),
            size,
            sha256: sha.into(),
        };
        let mut answers = std::collections::BTreeMap::new();
        for item in ["1", "2"] {
            let mut a = Answer::new(Id::new("yes").unwrap());
            a.evidence = vec![Evidence::File(file("aa", 60)), "words".into()];
            answers.insert(Id::new(item).unwrap(), a);
        }
        // 60 bytes stored once; the same file again adds nothing.
        assert_eq!(over_run_limit(&answers, &file("aa", 60), 60), None);
        assert_eq!(over_run_limit(&answers, &file("bb", 40), 100), None);
        assert_eq!(
            over_run_limit(&answers, &file("bb", 41), 100),
            Some(Refusal::RunTooLarge {
                total: 101,
                limit: 100
            })
        );
    }
}
