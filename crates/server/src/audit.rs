//! The audit log: every staff and cooperative-admin action, with who, what, when, and
//! the record before and after. Written in the same transaction as the change.

use crate::{AppState, auth::Staff, error::ApiResult};
use axum::{
    Json,
    extract::{Query, State},
};
use domain::account::AuditEntry;
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};

/// One action to record.
pub struct Action<'a> {
    pub actor_id: i64,
    pub actor_name: &'a str,
    /// Dotted verb, e.g. `member.add`, `cooperative.approve`.
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Action<'_> {
    pub async fn record(self, conn: &mut SqliteConnection, at: &str) -> ApiResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_user_id, actor_name, action, entity, entity_id, before_json, after_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(at)
        .bind(self.actor_id)
        .bind(self.actor_name)
        .bind(self.action)
        .bind(self.entity)
        .bind(&self.entity_id)
        .bind(self.before.map(|v| v.to_string()))
        .bind(self.after.map(|v| v.to_string()))
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// A value as JSON for the log.
pub fn json<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Only entries about this entity kind (e.g. `cooperative`).
    entity: Option<String>,
    /// At most this many entries, newest first (default 100, at most 500).
    limit: Option<u32>,
}

/// The audit log, newest first. Staff only.
#[utoipa::path(get, path = "/staff/audit", tag = "staff", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401), (status = 403)))]
pub async fn list(
    State(st): State<AppState>,
    _: Staff,
    Query(q): Query<AuditQuery>,
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
