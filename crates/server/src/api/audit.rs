//! The audit log, as staff read it.

use crate::{
    AppState,
    auth::Staff,
    http::error::{ApiQuery, ApiResult},
};
use axum::{Json, extract::State};
use domain::{account::AuditEntry, api::ErrorBody};
use serde::Deserialize;
use sqlx::Row;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this entity kind (e.g. `cooperative`).
    entity: Option<String>,
    /// At most this many entries, newest first (default 100, at most 500).
    limit: Option<u32>,
}

/// The audit log, newest first. Staff only.
#[utoipa::path(get, path = "/staff/audit", tag = "staff", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn list(
    State(st): State<AppState>,
    _: Staff,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let limit = q.limit.unwrap_or(100).clamp(1, 500) as i64;
    let rows = sqlx::query(
        "SELECT id, at, actor_user_id, actor_name, action, entity, entity_id, before_json, after_json FROM audit_log
         WHERE ($1 IS NULL OR entity = $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(q.entity)
    .bind(limit)
    .fetch_all(&st.db)
    .await?;
    let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str(&t).ok());
    let entries = rows
        .iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor_id: r.try_get("actor_user_id")?,
                actor_name: r.try_get("actor_name")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                before: parse(r.try_get("before_json")?),
                after: parse(r.try_get("after_json")?),
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Json(entries))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(routes!(list))
}
