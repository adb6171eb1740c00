//! Cooperatives' websites as staff manage them: hiding a profile's public page (with a
//! reason the cooperative sees) and the cooperative's own domains (Host routing,
//! `http::host`). Every change writes the audit log in its transaction; a change to the
//! domains empties `AppState::domains` once committed.

use crate::{
    AppState,
    auth::Staff,
    db::audit::{self, Action},
    http::error::{ApiError, ApiJson, ApiPath, ApiResult},
};
use axum::{Json, extract::State};
use domain::{
    api::ErrorBody,
    profile::{DomainList, ProfileVisibility, StaffSite},
    validate::{Errors, FieldError},
};
use sqlx::{Row, SqliteConnection};

async fn site_of(conn: &mut SqliteConnection, coop_id: i64) -> ApiResult<StaffSite> {
    let row = sqlx::query("SELECT slug, name, profile_hidden_reason FROM cooperatives WHERE id = $1")
        .bind(coop_id)
        .fetch_one(&mut *conn)
        .await?;
    let domains: Vec<String> =
        sqlx::query_scalar("SELECT domain FROM cooperative_domains WHERE cooperative_id = $1 ORDER BY domain")
            .bind(coop_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(StaffSite {
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        hidden_reason: row.try_get("profile_hidden_reason")?,
        domains,
    })
}

async fn coop_id(conn: &mut SqliteConnection, slug: &str) -> ApiResult<i64> {
    sqlx::query_scalar("SELECT id FROM cooperatives WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(ApiError::NotFound("cooperative"))
}

/// Every cooperative's website: hidden or not, its domains. Staff only.
#[utoipa::path(get, path = "/staff/sites", tag = "staff",
    responses((status = 200, body = Vec<StaffSite>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_sites(State(st): State<AppState>, _staff: Staff) -> ApiResult<Json<Vec<StaffSite>>> {
    // Two reads for the whole list, not two per cooperative.
    let mut conn = st.db.acquire().await?;
    let mut domains: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for row in sqlx::query("SELECT cooperative_id, domain FROM cooperative_domains ORDER BY domain")
        .fetch_all(&mut *conn)
        .await?
    {
        domains.entry(row.try_get("cooperative_id")?).or_default().push(row.try_get("domain")?);
    }
    let rows = sqlx::query("SELECT id, slug, name, profile_hidden_reason FROM cooperatives ORDER BY name, id")
        .fetch_all(&mut *conn)
        .await?;
    let sites = rows
        .iter()
        .map(|row| {
            Ok(StaffSite {
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                hidden_reason: row.try_get("profile_hidden_reason")?,
                domains: domains.remove(&row.try_get::<i64, _>("id")?).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Json(sites))
}

/// Hides a cooperative's public page (with a reason) or shows it again. A hidden page is
/// 404 to everyone; the cooperative's products stay as they are. Staff only.
#[utoipa::path(put, path = "/staff/cooperatives/{slug}/visibility", tag = "staff",
    params(("slug" = String, Path)), request_body = ProfileVisibility,
    responses((status = 200, body = StaffSite), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn set_visibility(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<ProfileVisibility>,
) -> ApiResult<Json<StaffSite>> {
    let reason = req.validate()?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let id = coop_id(&mut tx, &slug).await?;
    let before = site_of(&mut tx, id).await?;
    sqlx::query("UPDATE cooperatives SET profile_hidden_reason = $1 WHERE id = $2")
        .bind(&reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let after = site_of(&mut tx, id).await?;
    Action {
        actor_id: staff.id,
        actor_name: &staff.name,
        action: if reason.is_some() { "cooperative.profile_hide" } else { "cooperative.profile_show" },
        entity: "cooperative",
        entity_id: id.to_string(),
        before: audit::json(&before),
        after: audit::json(&after),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok(Json(after))
}

/// Sets the whole list of a cooperative's own domains (at most 5; empty removes them). A
/// domain another cooperative has, or the market's own host, is refused per entry
/// (`domains.N`). Staff only.
#[utoipa::path(put, path = "/staff/cooperatives/{slug}/domains", tag = "staff",
    params(("slug" = String, Path)), request_body = DomainList,
    responses((status = 200, body = StaffSite), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn set_domains(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<DomainList>,
) -> ApiResult<Json<StaffSite>> {
    let domains = req.validate()?;
    let market = st.config.market_hosts();
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    // A write first: the lock is held before the other cooperatives' domains are read.
    sqlx::query("UPDATE cooperatives SET slug = slug WHERE slug = $1").bind(&slug).execute(&mut *tx).await?;
    let id = coop_id(&mut tx, &slug).await?;
    let before = site_of(&mut tx, id).await?;
    let mut errors = Errors::new();
    for (i, d) in req.domains.iter().enumerate() {
        let Ok(d) = domain::profile::check_domain(d) else { continue };
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT cooperative_id FROM cooperative_domains WHERE domain = $1 AND cooperative_id <> $2",
        )
        .bind(&d)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() || market.contains(&d) {
            errors.add(format!("domains.{i}"), FieldError::Duplicate);
        }
    }
    errors.into_result(())?;
    sqlx::query("DELETE FROM cooperative_domains WHERE cooperative_id = $1").bind(id).execute(&mut *tx).await?;
    for d in &domains {
        sqlx::query("INSERT INTO cooperative_domains (domain, cooperative_id, created_at) VALUES ($1, $2, $3)")
            .bind(d)
            .bind(id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    let after = site_of(&mut tx, id).await?;
    Action {
        actor_id: staff.id,
        actor_name: &staff.name,
        action: "cooperative.domains",
        entity: "cooperative",
        entity_id: id.to_string(),
        before: audit::json(&before.domains),
        after: audit::json(&after.domains),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    st.domains.invalidate();
    Ok(Json(after))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(list_sites))
        .routes(routes!(set_visibility))
        .routes(routes!(set_domains))
}
