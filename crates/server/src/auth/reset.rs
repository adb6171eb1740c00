//! Password reset: a one-time link (logged, no mail server in the demo) that sets a new
//! password and ends every session of the account.

use super::{
    accounts::{Account, find_user},
    passwords::hash_password,
};
use crate::{
    AppState,
    http::error::{ApiError, ApiJson, ApiResult},
    secret::{new_token, sha256_hex},
};
use axum::{extract::State, http::StatusCode};
use domain::api::ErrorCode;
use domain::{
    account::{Login, PasswordResetConfirm, PasswordResetRequest, check_password},
    api::ErrorBody,
};
use sqlx::{Row, SqliteConnection};
use time::Duration;

/// A password-reset link works this long, once.
const RESET_TTL: Duration = Duration::hours(1);

/// A new one-time password-reset token for an account.
pub async fn issue_reset_token(conn: &mut SqliteConnection, st: &AppState, user_id: i64) -> ApiResult<String> {
    let token = new_token()?;
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(sha256_hex(token.as_bytes()))
        .bind(user_id)
        .bind(crate::clock::rfc3339(st.clock.now() + RESET_TTL))
        .execute(&mut *conn)
        .await?;
    Ok(token)
}

/// Sends a password-reset link. There is no mail server in the demo: the link is
/// written to the server log. Always 202, whether or not the account exists.
#[utoipa::path(post, path = "/auth/password-reset", tag = "accounts", request_body = PasswordResetRequest,
    responses((status = 202, body = ErrorBody), (status = 400, description = "`validation` per field, or `invalid_json`: the body is not JSON", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn password_reset(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    let Ok(login) = Login::parse(&req.login) else { return Ok(StatusCode::ACCEPTED) };
    let mut conn = st.db.acquire().await?;
    if let Some(Account { id: user_id, .. }) = find_user(&mut conn, &login).await? {
        let token = issue_reset_token(&mut conn, &st, user_id).await?;
        let origin = st.config.link_origin();
        tracing::info!(
            target: "chohtx_server::password_reset",
            "password reset link for {}: {}/dat-lai-mat-khau?token={token} (valid for 1 hour; no mail server in the demo)",
            login.key(),
            origin.trim_end_matches('/'),
        );
    }
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with a reset link's token; ends every session of the account and
/// voids its other reset links.
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "accounts", request_body = PasswordResetConfirm,
    responses((status = 204, body = ErrorBody), (status = 400, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn password_reset_confirm(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    let invalid = || {
        ApiError::status(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidToken,
            "This reset link is invalid, used or expired. Ask for a new one.",
        )
    };
    let now = st.clock.now_rfc3339();
    let row = sqlx::query(
        "SELECT r.user_id, u.name, u.email, u.phone FROM password_resets r JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2",
    )
    .bind(sha256_hex(req.token.trim().as_bytes()))
    .bind(&now)
    .fetch_optional(&st.db)
    .await?
    .ok_or_else(invalid)?;
    let user_id: i64 = row.try_get("user_id")?;
    let email: Option<String> = row.try_get("email")?;
    let phone: Option<String> = row.try_get("phone")?;
    let login = email.or(phone).and_then(|l| Login::parse(&l).ok());
    if let Err(e) = check_password(&req.password, login.as_ref(), &row.try_get::<String, _>("name")?) {
        return Err(ApiError::field("password", e));
    }
    let hash = hash_password(req.password).await?;
    let mut tx = st.db.begin().await?;
    let used = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(&now)
        .bind(sha256_hex(req.token.trim().as_bytes()))
        .execute(&mut *tx)
        .await?;
    if used.rows_affected() != 1 {
        return Err(invalid());
    }
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    // The account's other links die with this one; expired links of anyone go too.
    sqlx::query("DELETE FROM password_resets WHERE (user_id = $1 AND token_hash <> $2) OR expires_at <= $3")
        .bind(user_id)
        .bind(sha256_hex(req.token.trim().as_bytes()))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
