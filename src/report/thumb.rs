//! Thumbnails of image evidence for the HTML report: a JPEG or PNG decoded
//! with hard limits (a decompression bomb is refused, not decoded), scaled
//! to fit [`MAX_SIDE`], and encoded as a small JPEG to embed as a `data:`
//! URI, so the report stays one self-contained file; and which images of
//! a report get one within its size budget. Pure: bytes in, bytes out.

use std::collections::BTreeMap;
use std::io::Cursor;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageReader, Limits};

use crate::model::EvidenceFile;
use crate::report::Preview;

/// The longest side of a thumbnail, in pixels.
pub const MAX_SIDE: u32 = 320;

/// The most an image may need in memory while it is decoded.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// The widest and tallest image decoded.
const MAX_DIMENSION: u32 = 16_384;

/// A thumbnail ready to embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// `data:image/jpeg;base64,…`.
    pub data_uri: String,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// Makes the thumbnail of a JPEG or PNG, or says why it cannot.
pub fn make(bytes: &[u8]) -> Result<Thumbnail, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| e.to_string())?;
    // Only ever scaled down: a small screenshot is shown as it is.
    let small = if image.width() <= MAX_SIDE && image.height() <= MAX_SIDE {
        image.to_rgb8()
    } else {
        image.thumbnail(MAX_SIDE, MAX_SIDE).to_rgb8()
    };
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 75)
        .encode_image(&small)
        .map_err(|e| e.to_string())?;
    Ok(Thumbnail {
        data_uri: format!("data:image/jpeg;base64,{}", STANDARD.encode(&jpeg)),
        width: small.width(),
        height: small.height(),
    })
}

/// Returns what the HTML report shows of each image among `files` (each
/// digest once, other types skipped): thumbnails made by `make` in order
/// while their `data:` URIs fit in `budget` bytes, then
/// [`Preview::OverBudget`] for every later image, without making it.
pub fn within_budget<'a>(
    files: impl IntoIterator<Item = &'a EvidenceFile>,
    budget: usize,
    mut make: impl FnMut(&EvidenceFile) -> Result<Thumbnail, String>,
) -> BTreeMap<String, Preview> {
    let mut out = BTreeMap::new();
    let mut used = 0;
    for f in files {
        if !f.is_thumbnailable() || out.contains_key(&f.sha256) {
            continue;
        }
        let preview = if used >= budget {
            Preview::OverBudget
        } else {
            match make(f) {
                Ok(t) if used + t.data_uri.len() > budget => {
                    used = budget;
                    Preview::OverBudget
                }
                Ok(t) => {
                    used += t.data_uri.len();
                    Preview::Thumbnail(t)
                }
                Err(why) => Preview::Unavailable(why),
            }
        };
        out.insert(f.sha256.clone(), preview);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::cast_possible_truncation)] // a test pattern, taken modulo 256
    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn large_images_are_scaled_to_fit_and_small_ones_kept() {
        let t = make(&png(1600, 900)).unwrap();
        assert_eq!((t.width, t.height), (320, 180));
        assert!(t.data_uri.starts_with("data:image/jpeg;base64,/9j/"));
        assert!(t.data_uri.len() < 40_000, "{}", t.data_uri.len());
        let t = make(&png(40, 30)).unwrap();
        assert_eq!((t.width, t.height), (40, 30));
    }

    #[test]
    fn broken_and_bomb_images_are_refused_not_decoded() {
        assert!(make(b"\x89PNG\r\n\x1a\nnot really").is_err());
        // A PNG header claiming 100,000 × 100,000 pixels.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(make(&bomb).is_err());
    }

    #[test]
    fn thumbnails_stop_at_the_budget_and_later_images_are_not_decoded() {
        let file = |sha: &str, media_type: &str| EvidenceFile {
            name: format!("{sha}.x"),
            media_type: media_type.into(),
            size: 1,
            sha256: sha.into(),
        };
        let files = [
            file("a", "image/png"),
            file("pdf", "application/pdf"),
            file("a", "image/png"),
            file("b", "image/jpeg"),
            file("bad", "image/png"),
            file("c", "image/png"),
            file("d", "image/png"),
        ];
        let mut made = Vec::new();
        let previews = within_budget(files.iter(), 1000, |f| {
            made.push(f.sha256.clone());
            if f.sha256 == "bad" {
                return Err("not a PNG".into());
            }
            Ok(Thumbnail {
                data_uri: "x".repeat(400),
                width: 1,
                height: 1,
            })
        });
        // a and b fit (800 bytes); c would pass 1000: left out, and d is
        // not even made. The PDF is not an image; `a` is made once.
        assert_eq!(made, ["a", "b", "bad", "c"]);
        assert!(matches!(previews["a"], Preview::Thumbnail(_)));
        assert!(matches!(previews["b"], Preview::Thumbnail(_)));
        assert_eq!(previews["bad"], Preview::Unavailable("not a PNG".into()));
        assert_eq!(previews["c"], Preview::OverBudget);
        assert_eq!(previews["d"], Preview::OverBudget);
        assert!(!previews.contains_key("pdf"));
    }
}
