//! The cell references in a workbook's XML, checked before calamine reads
//! them. calamine 0.38 turns `A1` references into numbers and subtracts
//! range corners without checks (`get_dimension`,
//! `get_row_and_optional_column`): a reversed `<dimension ref="B2:A1"/>`
//! or an over-long `AAAAAAAAA1` panics in a debug build and wraps to a
//! wrong cell in a release build. So every reference calamine would do
//! arithmetic on is read here first, the way calamine reads it (element by
//! local name, attribute by its exact key, the raw value), and one outside
//! Excel's grid or a range whose corners are reversed refuses the file.
//! A reference of another shape is left alone: calamine refuses it itself.

use quick_xml::Reader;
use quick_xml::events::Event;

/// Excel's grid: columns `A`..=`XFD`, rows 1..=1,048,576.
const MAX_COLUMN: u64 = 16_384;
const MAX_ROW: u64 = 1_048_576;

/// The elements (by local name) and attributes (by exact key) whose values
/// calamine parses as cell references or ranges when it streams a sheet.
const CHECKED: &[(&[u8], &[u8])] = &[
    (b"dimension", b"ref"),
    (b"row", b"r"),
    (b"c", b"r"),
    (b"f", b"ref"),
];

/// The first reference in `xml` that calamine must not be given, if any.
/// XML that does not parse is left to calamine, which reports it.
pub fn first_bad(xml: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    // As calamine reads: mismatched end tags and odd comments do not stop it.
    config.check_end_names = false;
    config.check_comments = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let element = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => e,
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => continue,
        };
        let local = element.local_name();
        let keys: Vec<_> = CHECKED
            .iter()
            .filter(|(name, _)| *name == local.as_ref().as_bytes())
            .map(|(_, key)| *key)
            .collect();
        if keys.is_empty() {
            continue;
        }
        let bad = raw_attributes(element.attributes_raw().as_bytes())
            .find(|(key, value)| keys.contains(key) && !fits(value));
        if let Some((_, value)) = bad {
            return Some(String::from_utf8_lossy(value).into_owned());
        }
    }
}

/// An element's attributes as calamine splits them (its `attrs.rs`): the
/// key is everything up to `=`, the value what the next quote encloses,
/// raw (entities stay as written, as calamine reads them); the first malformed attribute ends the list, as it makes
/// calamine refuse the cell. Written here rather than with quick-xml's
/// attribute reader so that both see the same keys in a damaged tag.
fn raw_attributes(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let eq = rest.iter().position(|&b| b == b'=')?;
        let key = rest[..eq].trim_ascii();
        let after = rest[eq + 1..].trim_ascii_start();
        let quote = *after.first().filter(|q| matches!(q, b'"' | b'\''))?;
        let value = &after[1..];
        let end = value
            .iter()
            .position(|&b| b == quote)
            .unwrap_or(value.len());
        rest = value.get(end + 1..).unwrap_or_default();
        Some((key, &value[..end]))
    })
}

/// Whether a reference or range calamine would accept lies in Excel's grid
/// with its corners in order. Values calamine would refuse pass here.
fn fits(value: &[u8]) -> bool {
    let corners: Vec<_> = value.split(|&b| b == b':').map(corner).collect();
    if corners.iter().any(|c| matches!(c, Corner::OutOfGrid)) {
        return false;
    }
    match corners.as_slice() {
        [Corner::At(row0, col0), Corner::At(row1, col1)] => row0 <= row1 && col0 <= col1,
        _ => true,
    }
}

enum Corner {
    /// Row and column (1-based; column 0 when there are no letters).
    At(u64, u64),
    OutOfGrid,
    /// Not a reference calamine reads; it refuses it itself.
    Other,
}

/// Reads `letters digits` as calamine does (letters in either case), with
/// numbers that cannot overflow.
fn corner(text: &[u8]) -> Corner {
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (column, row) = text.split_at(letters);
    if row.is_empty() || !row.iter().all(u8::is_ascii_digit) {
        return Corner::Other;
    }
    let column = column.iter().fold(0_u64, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    let row = row.iter().fold(0_u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    if column > MAX_COLUMN || row > MAX_ROW {
        Corner::OutOfGrid
    } else {
        Corner::At(row, column)
    }
}

#[cfg(test)]
mod tests {
    use super::first_bad;

    fn sheet(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{body}</worksheet>"#
        )
    }

    #[test]
    fn a_sound_sheet_passes() {
        let xml = sheet(
            r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="xfd1048576"><f t="shared" ref="B2:B9" si="0">1</f></c></row></sheetData>"#,
        );
        assert_eq!(first_bad(xml.as_bytes()), None);
    }

    #[test]
    fn references_outside_the_grid_or_reversed_are_named() {
        for (body, bad) in [
            (r#"<dimension ref="B2:A1"/>"#, "B2:A1"),
            (r#"<dimension ref="A2:B1"/>"#, "A2:B1"),
            (r#"<x:dimension ref="A1:XFE1"/>"#, "A1:XFE1"),
            (r#"<sheetData><row r="1048577"/></sheetData>"#, "1048577"),
            (
                r#"<sheetData><row r="1"><c r="AAAAAAAAAAAAAAAA1"/></row></sheetData>"#,
                "AAAAAAAAAAAAAAAA1",
            ),
            (
                r#"<sheetData><row r="1"><c r="A99999999999999999999999"/></row></sheetData>"#,
                "A99999999999999999999999",
            ),
            (
                r#"<sheetData><row><c><f t="shared" ref="C3:C1" si="0"/></c></row></sheetData>"#,
                "C3:C1",
            ),
        ] {
            assert_eq!(
                first_bad(sheet(body).as_bytes()).as_deref(),
                Some(bad),
                "{body}"
            );
        }
    }

    #[test]
    fn shapes_calamine_refuses_itself_are_left_to_it() {
        for body in [
            r#"<dimension ref="1A"/>"#,
            r#"<dimension ref="A1:B2:C3"/>"#,
            r#"<sheetData><row r=""/></sheetData>"#,
            r#"<sheetData><row r="&#49;"/></sheetData>"#,
            r#"<other ref="B2:A1"/>"#,
        ] {
            assert_eq!(first_bad(sheet(body).as_bytes()), None, "{body}");
        }
    }
}
