//! Product photos: upload (through `http::photos`, the pipeline every upload takes), alt
//! texts, order and removal.

use super::product_of;
use crate::{
    AppState,
    auth::Member,
    db::products::{images_of, seller_image_of as image_of},
    http::{
        error::{ApiBytes, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult},
        photos::{UPLOAD_MAX_BYTES, store_photo},
    },
};
use axum::{Json, extract::State, http::StatusCode};
use domain::api::ErrorCode;
use domain::{
    api::ErrorBody,
    seller::{ImageAlt, ImageOrder, MAX_IMAGES, SellerImage},
    validate::{Errors, FieldError},
};
use serde::Deserialize;

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
