//! Trade-promotion staff accounts. The first one comes from the configuration
//! (`CHOHTX_STAFF_LOGIN` + `CHOHTX_STAFF_PASSWORD`) or the `create-staff` command; staff
//! then create each other here.

use crate::{
    AppState,
    auth::{self, Staff},
    db::{
        Pool,
        audit::{self, Action},
    },
    http::error::{ApiJson, ApiResult},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::{
    account::{SignUpRequest, User},
    api::ErrorBody,
};

/// Creates a staff account. Staff only.
#[utoipa::path(post, path = "/staff/users", tag = "staff", request_body = SignUpRequest,
    responses((status = 201, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn create_staff(
    State(st): State<AppState>,
    Staff(viewer): Staff,
    ApiJson(req): ApiJson<SignUpRequest>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let valid = req.validate()?;
    let hash = auth::hash_password(valid.password).await?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let id = auth::create_user(&mut tx, &valid.name, &valid.login, &hash, true, &now).await?;
    let user = auth::load_user(&mut tx, id).await?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "staff.create",
        entity: "user",
        entity_id: id.to_string(),
        before: None,
        after: audit::json(&user),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Makes sure a staff account with this login exists (creating it with `password`, or
/// promoting an existing account). Returns whether anything changed.
pub async fn ensure_staff(db: &Pool, name: &str, login: &str, password: &str, now: &str) -> anyhow::Result<bool> {
    let req = SignUpRequest { name: name.into(), login: login.into(), password: password.into() };
    let valid = req.validate().map_err(|e| {
        let reasons: Vec<String> = e.0.iter().map(|(f, err)| format!("{f}: {}", err.message())).collect();
        anyhow::anyhow!("the staff account is not valid: {}", reasons.join(" "))
    })?;
    let mut conn = db.acquire().await?;
    if let Some(auth::Account { id, .. }) =
        auth::find_user(&mut conn, &valid.login).await.map_err(|e| anyhow::anyhow!("{e}"))?
    {
        let done = sqlx::query("UPDATE users SET is_staff = 1 WHERE id = $1 AND is_staff = 0")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok(done.rows_affected() == 1);
    }
    let hash = auth::hash_password(valid.password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    auth::create_user(&mut conn, &valid.name, &valid.login, &hash, true, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(true)
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(routes!(create_staff))
}
