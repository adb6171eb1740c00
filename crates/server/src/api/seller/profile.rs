//! A cooperative's public profile, edited by its admins: texts, contact, place, and the
//! logo, banner and gallery (uploaded like product photos). Changes go live at once;
//! every change writes the audit log.

use crate::{
    AppState,
    auth::{Member, forbidden},
    db::{
        audit::{self, Action},
        decode_err,
        products::{json_image, json_images},
    },
    http::error::{ApiBytes, ApiError, ApiJson, ApiQuery, ApiResult},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::{
    I18nText,
    account::MemberRole,
    api::{ErrorBody, ErrorCode},
    catalog::{CoopStatus, Image},
    profile::{MAX_GALLERY, ProfileDraft, ProfileImageKind, SellerProfile},
    validate::{Errors, FieldError},
};
use serde::Deserialize;
use sqlx::{Row, SqliteConnection};

fn admin(member: &Member) -> ApiResult<i64> {
    if member.role == MemberRole::Admin { Ok(member.coop_id) } else { Err(forbidden()) }
}

/// The profile of cooperative `coop_id` as the editor reads it.
async fn read_profile(conn: &mut SqliteConnection, coop_id: i64) -> ApiResult<SellerProfile> {
    let row = sqlx::query("SELECT * FROM cooperatives WHERE id = $1").bind(coop_id).fetch_one(&mut *conn).await?;
    let sectors: String = row.try_get("sectors")?;
    let gallery = json_images(&row, "gallery")?;
    let (latitude, longitude): (Option<f64>, Option<f64>) = (row.try_get("latitude")?, row.try_get("longitude")?);
    let founded: Option<i64> = row.try_get("founded_year")?;
    Ok(SellerProfile {
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
        profile: ProfileDraft {
            summary: I18nText { vi: row.try_get("summary_vi")?, en: row.try_get("summary_en")? },
            story: I18nText { vi: row.try_get("story_vi")?, en: row.try_get("story_en")? },
            specialties: serde_json::from_str(&sectors).map_err(|_| decode_err("sectors", &sectors))?,
            founded_year: founded,
            member_count: row.try_get("member_count")?,
            phone: row.try_get("phone")?,
            email: row.try_get("email")?,
            zalo: row.try_get("zalo")?,
            facebook: row.try_get("facebook_url")?,
            hours: I18nText { vi: row.try_get("hours_vi")?, en: row.try_get("hours_en")? },
            street: row.try_get("street")?,
            latitude,
            longitude,
            gallery: gallery.iter().map(|i| i.url.clone()).collect(),
        },
        logo: json_image(&row, "logo_json")?,
        banner: json_image(&row, "banner_json")?,
        gallery,
        hidden_reason: row.try_get("profile_hidden_reason")?,
    })
}

/// The cooperative's profile, for its admins.
#[utoipa::path(get, path = "/seller/{coop}/profile", tag = "seller", params(("coop" = String, Path)),
    responses((status = 200, body = SellerProfile), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin of the cooperative", body = ErrorBody),
        (status = 404, description = "`not_found`: no such cooperative", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn get_profile(State(st): State<AppState>, member: Member) -> ApiResult<Json<SellerProfile>> {
    let coop_id = admin(&member)?;
    let mut conn = st.db.acquire().await?;
    Ok(Json(read_profile(&mut conn, coop_id).await?))
}

/// Saves the profile's texts, contact and place (live at once). The gallery's order and
/// removals come with it; its photos are uploaded through `…/profile/images`.
#[utoipa::path(put, path = "/seller/{coop}/profile", tag = "seller", params(("coop" = String, Path)), request_body = ProfileDraft,
    responses((status = 200, body = SellerProfile), (status = 400, description = "Invalid fields, each named", body = ErrorBody),
        (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin of the cooperative", body = ErrorBody),
        (status = 404, description = "`not_found`: no such cooperative", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn save_profile(
    State(st): State<AppState>,
    member: Member,
    ApiJson(draft): ApiJson<ProfileDraft>,
) -> ApiResult<Json<SellerProfile>> {
    let coop_id = admin(&member)?;
    let this_year = i64::from(st.clock.today_vn().year());
    let valid = draft.validate(this_year)?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    // The write first: the lock is held before the gallery is read.
    sqlx::query("UPDATE cooperatives SET street = street WHERE id = $1").bind(coop_id).execute(&mut *tx).await?;
    let before = read_profile(&mut tx, coop_id).await?;
    let mut gallery = Vec::new();
    for url in &valid.gallery {
        match before.gallery.iter().find(|i| &i.url == url) {
            Some(image) => gallery.push(image.clone()),
            None => return Err(ApiError::field("gallery", FieldError::UnknownChoice)),
        }
    }
    sqlx::query(
        "UPDATE cooperatives SET summary_vi = $1, summary_en = $2, story_vi = $3, story_en = $4, sectors = $5,
            founded_year = $6, member_count = $7, phone = $8, email = $9, zalo = $10, facebook_url = $11,
            hours_vi = $12, hours_en = $13, street = $14, latitude = $15, longitude = $16, gallery = $17
         WHERE id = $18",
    )
    .bind(&valid.summary.vi)
    .bind(&valid.summary.en)
    .bind(&valid.story.vi)
    .bind(&valid.story.en)
    .bind(serde_json::to_string(&valid.specialties).map_err(anyhow::Error::from)?)
    .bind(valid.founded_year.map(i64::from))
    .bind(i64::from(valid.member_count))
    .bind(valid.phone.e164())
    .bind(valid.email.as_deref().unwrap_or(""))
    .bind(valid.zalo.as_ref().map_or("", |z| z.e164()))
    .bind(valid.facebook.as_deref().unwrap_or(""))
    .bind(&valid.hours.vi)
    .bind(&valid.hours.en)
    .bind(&valid.street)
    .bind(valid.location.map(|p| p.lat))
    .bind(valid.location.map(|p| p.lng))
    .bind(serde_json::to_string(&gallery).map_err(anyhow::Error::from)?)
    .bind(coop_id)
    .execute(&mut *tx)
    .await?;
    let after = read_profile(&mut tx, coop_id).await?;
    Action {
        actor_id: member.viewer.id,
        actor_name: &member.viewer.name,
        action: "cooperative.profile",
        entity: "cooperative",
        entity_id: coop_id.to_string(),
        before: audit::json(&before.profile),
        after: audit::json(&after.profile),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok(Json(after))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfileImageQuery {
    /// `logo`, `banner` or `gallery`.
    kind: Option<String>,
    /// What a gallery photo shows, in Vietnamese (required for the gallery).
    alt: Option<String>,
    /// The same in English (optional).
    alt_en: Option<String>,
}

/// Uploads the logo or the banner (replacing the one before) or a gallery photo (added at
/// the end): the raw file as the body, at most 10 MiB, checked and re-encoded like product
/// photos. Live at once.
#[utoipa::path(post, path = "/seller/{coop}/profile/images", tag = "seller",
    params(("coop" = String, Path), ProfileImageQuery),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG, PNG or WebP file"),
    responses((status = 201, body = SellerProfile), (status = 400, body = ErrorBody),
        (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin of the cooperative", body = ErrorBody),
        (status = 404, description = "`not_found`: no such cooperative", body = ErrorBody),
        (status = 409, description = "`cooperative_not_approved`", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_profile_image(
    State(st): State<AppState>,
    member: Member,
    ApiQuery(q): ApiQuery<ProfileImageQuery>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<(StatusCode, Json<SellerProfile>)> {
    let coop_id = admin(&member)?;
    let mut e = Errors::new();
    let kind = match q.kind.as_deref().map(str::trim) {
        None | Some("") => {
            e.add("kind", FieldError::Required);
            None
        }
        Some(k) => ProfileImageKind::from_code(k).or_else(|| {
            e.add("kind", FieldError::UnknownChoice);
            None
        }),
    };
    let alt_vi = q.alt.as_deref().unwrap_or("");
    let alt = if kind == Some(ProfileImageKind::Gallery) {
        I18nText {
            vi: e.text("alt.vi", alt_vi, 200),
            en: e.optional_text("alt.en", q.alt_en.as_deref().unwrap_or(""), 200),
        }
    } else {
        I18nText {
            vi: e.optional_text("alt.vi", alt_vi, 200),
            en: e.optional_text("alt.en", q.alt_en.as_deref().unwrap_or(""), 200),
        }
    };
    let kind = e.into_result(kind)?.expect("a kind once the errors are empty");
    let status: CoopStatus =
        sqlx::query_scalar("SELECT status FROM cooperatives WHERE id = $1").bind(coop_id).fetch_one(&st.db).await?;
    if status != CoopStatus::Approved {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::CooperativeNotApproved,
            "Photos can be added once the cooperative is approved.",
        ));
    }
    let (renditions, (width, height)) = crate::http::photos::store_photo(&st, "cooperatives", body).await?;
    let url = renditions.last().expect("at least one copy").url.clone();
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    sqlx::query("UPDATE cooperatives SET street = street WHERE id = $1").bind(coop_id).execute(&mut *tx).await?;
    let before = read_profile(&mut tx, coop_id).await?;
    let name = before.name.clone();
    let alt = if alt.vi.is_empty() { I18nText { vi: name.clone(), en: name } } else { alt };
    let image = Image { url: url.clone(), alt, width, height, renditions };
    let json = serde_json::to_string(&image).map_err(anyhow::Error::from)?;
    match kind {
        ProfileImageKind::Logo => {
            sqlx::query("UPDATE cooperatives SET logo_json = $1, logo_url = $2 WHERE id = $3")
                .bind(&json)
                .bind(&url)
                .bind(coop_id)
                .execute(&mut *tx)
                .await?;
        }
        ProfileImageKind::Banner => {
            sqlx::query("UPDATE cooperatives SET banner_json = $1, banner_url = $2 WHERE id = $3")
                .bind(&json)
                .bind(&url)
                .bind(coop_id)
                .execute(&mut *tx)
                .await?;
        }
        ProfileImageKind::Gallery => {
            if before.gallery.len() >= MAX_GALLERY as usize {
                return Err(ApiError::field("gallery", FieldError::TooMany { max: MAX_GALLERY }));
            }
            let mut gallery = before.gallery.clone();
            gallery.push(image.clone());
            sqlx::query("UPDATE cooperatives SET gallery = $1 WHERE id = $2")
                .bind(serde_json::to_string(&gallery).map_err(anyhow::Error::from)?)
                .bind(coop_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    Action {
        actor_id: member.viewer.id,
        actor_name: &member.viewer.name,
        action: match kind {
            ProfileImageKind::Logo => "cooperative.logo",
            ProfileImageKind::Banner => "cooperative.banner",
            ProfileImageKind::Gallery => "cooperative.gallery_add",
        },
        entity: "cooperative",
        entity_id: coop_id.to_string(),
        before: None,
        after: audit::json(&image),
    }
    .record(&mut tx, &now)
    .await?;
    let after = read_profile(&mut tx, coop_id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(after)))
}

use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

/// This feature's routes, under `/api/v1`.
pub(crate) fn routes() -> OpenApiRouter<crate::AppState> {
    OpenApiRouter::new().routes(routes!(get_profile, save_profile)).merge(
        OpenApiRouter::new()
            .routes(routes!(upload_profile_image))
            .layer(DefaultBodyLimit::max(crate::http::photos::UPLOAD_MAX_BYTES)),
    )
}
