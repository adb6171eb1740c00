//! The photo pipeline every upload goes through (product photos, a cooperative's
//! pictures, lot event photos).
//!
//! An upload is the raw file as the request body (so the browser can report upload
//! progress). The server trusts nothing about it: the type comes from the content's
//! magic bytes (JPEG, PNG or WebP), the size is capped ([`UPLOAD_MAX_BYTES`]), the pixel
//! count is checked from the header before anything is decoded (so a small file that
//! inflates to gigabytes — an image bomb — is refused cheaply), and decoding runs under
//! memory limits. The photo is turned upright (EXIF orientation) and re-encoded, which
//! drops every metadata block (GPS position, camera serial…). The copies are written to
//! the media folder under content-hashed names and served with an immutable cache.

use crate::{
    AppState,
    http::error::{ApiError, ApiResult},
    secret::sha256_hex,
};
use axum::http::StatusCode;
use domain::{api::ErrorCode, catalog::Rendition};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Largest accepted upload: [`domain::seller::MAX_UPLOAD_BYTES`] (10 MiB).
pub const UPLOAD_MAX_BYTES: usize = domain::seller::MAX_UPLOAD_BYTES;
/// Largest accepted picture: 16 megapixels (a 12 MP phone photo, 4032 × 3024, fits; a
/// small file that would decode to hundreds of megabytes does not).
pub const MAX_PIXELS: u64 = 16_000_000;

/// Decoding and resizing take a core and up to 64 MB each: one photo at a time per core
/// pair, the others wait.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
/// Largest side of either dimension.
pub const MAX_SIDE: u32 = 12_000;
/// Widths of the WebP copies (never wider than the original).
pub const RENDITION_WIDTHS: [u32; 3] = [320, 640, 1280];
/// WebP quality of the copies.
const WEBP_QUALITY: f32 = 78.0;

/// Why an upload was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    NotAnImage,
    TooManyPixels,
    Corrupt,
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> ApiError {
        match r {
            Refusal::NotAnImage => ApiError::status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedImage,
                "This file is not a JPEG, PNG or WebP picture.",
            ),
            Refusal::TooManyPixels => ApiError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::ImageTooLarge,
                format!("The picture has too many pixels (at most {} megapixels).", MAX_PIXELS / 1_000_000),
            ),
            Refusal::Corrupt => ApiError::status(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidImage,
                "The picture could not be read; it may be damaged.",
            ),
        }
    }
}

/// One encoded copy.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub webp: Vec<u8>,
}

/// Checks and decodes an upload, turns it upright, and encodes the WebP copies
/// (narrowest first). CPU-bound: call it from a blocking thread.
pub fn process(bytes: &[u8]) -> Result<Vec<Encoded>, Refusal> {
    let format = image::guess_format(bytes).map_err(|_| Refusal::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(Refusal::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (16 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Corrupt,
    })?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Refusal::Corrupt);
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Refusal::TooManyPixels);
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Corrupt,
    })?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let mut widths: Vec<u32> = RENDITION_WIDTHS.iter().copied().filter(|&rw| rw < img.width()).collect();
    if widths.len() < RENDITION_WIDTHS.len() {
        // Smaller than the widest copy: the original width is the last one.
        widths.push(img.width().min(RENDITION_WIDTHS[RENDITION_WIDTHS.len() - 1]));
    }
    widths.dedup();
    let mut out = Vec::with_capacity(widths.len());
    for rw in widths {
        let resized = if rw == img.width() {
            img.clone()
        } else {
            let rh = ((u64::from(img.height()) * u64::from(rw)) / u64::from(img.width())).max(1) as u32;
            img.resize_exact(rw, rh, image::imageops::FilterType::Lanczos3)
        };
        let rgba = resized.to_rgba8();
        let webp = webp::Encoder::from_rgba(rgba.as_raw(), rgba.width(), rgba.height()).encode(WEBP_QUALITY);
        out.push(Encoded { width: rgba.width(), height: rgba.height(), webp: webp.to_vec() });
    }
    Ok(out)
}

/// Checks and re-encodes an uploaded photo (see [`process`]) and writes its copies to the
/// media folder's `folder`: their renditions (narrowest first) and the largest one's size.
pub async fn store_photo(
    st: &AppState,
    folder: &str,
    body: axum::body::Bytes,
) -> ApiResult<(Vec<Rendition>, (u32, u32))> {
    if body.is_empty() {
        return Err(Refusal::NotAnImage.into());
    }
    let hash = sha256_hex(&body);
    let copies = {
        let _turn = DECODING.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
        tokio::task::spawn_blocking(move || process(&body)).await.map_err(|e| ApiError::Internal(e.into()))??
    };
    let dir = st.config.media_dir.join(folder);
    tokio::fs::create_dir_all(&dir).await.map_err(|e| ApiError::Internal(e.into()))?;
    let mut renditions = Vec::new();
    for c in &copies {
        let name = format!("{}-{}.webp", &hash[..20], c.width);
        tokio::fs::write(dir.join(&name), &c.webp).await.map_err(|e| ApiError::Internal(e.into()))?;
        renditions.push(Rendition { url: format!("/media/{folder}/{name}"), width: c.width });
    }
    let largest = copies.last().expect("at least one copy");
    Ok((renditions, (largest.width, largest.height)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn makes_webp_copies_no_wider_than_the_original() {
        let copies = process(&png(900, 600)).unwrap();
        let widths: Vec<u32> = copies.iter().map(|c| c.width).collect();
        assert_eq!(widths, [320, 640, 900]);
        assert_eq!(copies[1].height, 426);
        assert!(copies.iter().all(|c| &c.webp[..4] == b"RIFF" && &c.webp[8..12] == b"WEBP"));
        let small = process(&png(200, 100)).unwrap();
        assert_eq!(small.iter().map(|c| c.width).collect::<Vec<_>>(), [200]);
    }

    #[test]
    fn refuses_what_is_not_a_picture() {
        assert_eq!(process(b"%PDF-1.7 not a picture at all").err(), Some(Refusal::NotAnImage));
        assert_eq!(process(b"GIF89a\x01\x00\x01\x00").err(), Some(Refusal::NotAnImage));
        let mut broken = png(50, 50);
        broken.truncate(60);
        assert_eq!(process(&broken).err(), Some(Refusal::Corrupt));
    }

    #[test]
    fn refuses_an_image_bomb_before_decoding_it() {
        // A PNG header claiming 60,000 × 60,000 pixels: tiny file, 14 GB decoded.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        // The IHDR chunk's CRC-32 over its type and data (bytes 12..29).
        let crc = bomb[12..29].iter().fold(!0u32, |mut c, &b| {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
            c
        });
        bomb[29..33].copy_from_slice(&(!crc).to_be_bytes());
        assert_eq!(process(&bomb).err(), Some(Refusal::TooManyPixels));
    }
}
