//! Product photos: upload, checks, resized WebP copies, and serving them.
//!
//! An upload is the raw file as the request body (so the browser can report upload
//! progress). The server trusts nothing about it: the type comes from the content's
//! magic bytes (JPEG, PNG or WebP), the size is capped ([`UPLOAD_MAX_BYTES`]), the pixel
//! count is checked from the header before anything is decoded (so a small file that
//! inflates to gigabytes — an image bomb — is refused cheaply), and decoding runs under
//! memory limits. The photo is turned upright (EXIF orientation) and re-encoded, which
//! drops every metadata block (GPS position, camera serial…). The copies are written to
//! the media folder under content-hashed names and served with an immutable cache.

use super::product_of;
use crate::{
    AppState,
    auth::Member,
    db::products::{images_of, seller_image_of as image_of},
    http::error::{ApiBytes, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult},
    secret::sha256_hex,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::api::ErrorCode;
use domain::{
    api::ErrorBody,
    catalog::Rendition,
    seller::{ImageAlt, ImageOrder, MAX_IMAGES, SellerImage},
    validate::{Errors, FieldError},
};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::Deserialize;
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
pub(crate) async fn store_photo(
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// What the picture shows, in Vietnamese (required: screen readers read it).
    alt: Option<String>,
    /// The same in English (optional).
    alt_en: Option<String>,
}

fn alt_errors(vi: &str, en: &str) -> Result<(String, String), Errors> {
    let mut e = Errors::new();
    let vi = e.text("alt.vi", vi, 200);
    let en = e.optional_text("alt.en", en, 200);
    e.into_result((vi, en))
}

/// Uploads a photo (the raw file as the body, at most 10 MiB) with its alt text.
#[utoipa::path(post, path = "/seller/{coop}/products/{slug}/images", tag = "seller",
    params(("coop" = String, Path), ("slug" = String, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG, PNG or WebP file"),
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 201, body = SellerImage), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, slug)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<(StatusCode, Json<SellerImage>)> {
    let (alt_vi, alt_en) = alt_errors(q.alt.as_deref().unwrap_or(""), q.alt_en.as_deref().unwrap_or(""))?;
    let mut conn = st.db.acquire().await?;
    // Photos are stored and decoded for cooperatives that staff approved, not for anyone
    // who registered one a minute ago.
    let coop_status: domain::catalog::CoopStatus =
        sqlx::query_scalar("SELECT status FROM cooperatives WHERE id = $1").bind(coop_id).fetch_one(&mut *conn).await?;
    if coop_status != domain::catalog::CoopStatus::Approved {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::CooperativeNotApproved,
            "Photos can be added once the cooperative is approved.",
        ));
    }
    let (product_id, _) = product_of(&mut conn, coop_id, &slug).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM product_images WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(&mut *conn)
        .await?;
    if count >= MAX_IMAGES as i64 {
        return Err(ApiError::field("images", FieldError::TooMany { max: MAX_IMAGES }));
    }
    drop(conn);
    let (renditions, largest) = store_photo(&st, "products", body).await?;
    let mut tx = st.db.begin().await?;
    // A write first, so the transaction holds SQLite's write lock before it counts: two
    // uploads at once cannot both take the last free place (the check above only spares
    // the work of decoding).
    sqlx::query("UPDATE products SET updated_at = $1 WHERE id = $2")
        .bind(st.clock.now_rfc3339())
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM product_images WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(&mut *tx)
        .await?;
    if count >= MAX_IMAGES as i64 {
        return Err(ApiError::field("images", FieldError::TooMany { max: MAX_IMAGES }));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO product_images (product_id, position, url, alt_vi, alt_en, width, height, renditions)
         VALUES ($1, (SELECT COALESCE(MAX(position), -1) + 1 FROM product_images WHERE product_id = $1), $2, $3, $4, $5, $6, $7)
         RETURNING id",
    )
    .bind(product_id)
    .bind(&renditions.last().expect("at least one copy").url)
    .bind(&alt_vi)
    .bind(&alt_en)
    .bind(i64::from(largest.0))
    .bind(i64::from(largest.1))
    .bind(serde_json::to_string(&renditions).map_err(anyhow::Error::from)?)
    .fetch_one(&mut *tx)
    .await?;
    let row = sqlx::query("SELECT * FROM product_images WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(image_of(&row)?)))
}

/// Changes an image's alt text.
#[utoipa::path(patch, path = "/seller/{coop}/products/{slug}/images/{id}", tag = "seller",
    params(("coop" = String, Path), ("slug" = String, Path), ("id" = i64, Path)), request_body = ImageAlt,
    responses((status = 200, body = SellerImage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn set_alt(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, slug, id)): ApiPath<(String, String, i64)>,
    ApiJson(req): ApiJson<ImageAlt>,
) -> ApiResult<Json<SellerImage>> {
    let (vi, en) = alt_errors(&req.alt.vi, &req.alt.en)?;
    let mut tx = st.db.begin().await?;
    let (product_id, _) = product_of(&mut tx, coop_id, &slug).await?;
    let row =
        sqlx::query("UPDATE product_images SET alt_vi = $1, alt_en = $2 WHERE id = $3 AND product_id = $4 RETURNING *")
            .bind(&vi)
            .bind(&en)
            .bind(id)
            .bind(product_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(ApiError::NotFound("image"))?;
    tx.commit().await?;
    Ok(Json(image_of(&row)?))
}

/// Puts the product's images in a new order (every image id, once).
#[utoipa::path(put, path = "/seller/{coop}/products/{slug}/images/order", tag = "seller",
    params(("coop" = String, Path), ("slug" = String, Path)), request_body = ImageOrder,
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = Vec<SellerImage>), (status = 400, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn reorder(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, slug)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<ImageOrder>,
) -> ApiResult<Json<Vec<SellerImage>>> {
    let mut tx = st.db.begin().await?;
    let (product_id, _) = product_of(&mut tx, coop_id, &slug).await?;
    let mut current: Vec<i64> = sqlx::query_scalar("SELECT id FROM product_images WHERE product_id = $1")
        .bind(product_id)
        .fetch_all(&mut *tx)
        .await?;
    let mut asked = req.ids.clone();
    current.sort_unstable();
    asked.sort_unstable();
    if current != asked {
        return Err(ApiError::field("ids", FieldError::UnknownChoice));
    }
    for (pos, id) in req.ids.iter().enumerate() {
        sqlx::query("UPDATE product_images SET position = $1 WHERE id = $2")
            .bind(pos as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let images = images_of(&mut tx, product_id).await?;
    tx.commit().await?;
    Ok(Json(images))
}

/// Removes an image from the product (its files stay: other rows may share them).
#[utoipa::path(delete, path = "/seller/{coop}/products/{slug}/images/{id}", tag = "seller",
    params(("coop" = String, Path), ("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn remove(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, slug, id)): ApiPath<(String, String, i64)>,
) -> ApiResult<StatusCode> {
    let mut tx = st.db.begin().await?;
    let (product_id, _) = product_of(&mut tx, coop_id, &slug).await?;
    let done = sqlx::query("DELETE FROM product_images WHERE id = $1 AND product_id = $2")
        .bind(id)
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound("image"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

/// This feature's routes, under `/api/v1`.
pub(crate) fn routes() -> OpenApiRouter<crate::AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_alt, remove))
        .routes(routes!(reorder))
        // Photos are the one body larger than the API's 64 KiB.
        .merge(OpenApiRouter::new().routes(routes!(upload)).layer(DefaultBodyLimit::max(UPLOAD_MAX_BYTES)))
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
