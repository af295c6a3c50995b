//! Thumbnails of image evidence for the HTML report: a JPEG or PNG decoded
//! with hard limits (a decompression bomb is refused, not decoded), scaled
//! to fit [`MAX_SIDE`], and encoded as a small JPEG to embed as a `data:`
//! URI, so the report stays one self-contained file. Pure: bytes in, bytes
//! out.

use std::io::Cursor;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageReader, Limits};

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
}
