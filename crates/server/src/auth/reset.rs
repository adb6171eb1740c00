//! Password reset: a one-time link, sent through the outbox (email over SMTP when
//! `CHOHTX_SMTP_URL` is set, else the log), that sets a new password and ends every
//! session of the account.

use super::{
    accounts::{Account, find_user},
    passwords::hash_password,
};
use crate::{
    AppState,
    db::{
        outbox,
        rates::{self, Limit},
    },
    http::{
        client::ClientIp,
        error::{ApiError, ApiJson, ApiResult},
    },
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
/// Reset links sent per account (normalised login) in an hour: more requests are answered
/// the same, but send nothing, so nobody floods someone's inbox.
pub const RESETS_PER_ACCOUNT_PER_HOUR: i64 = 3;
/// Reset requests per client address in an hour (any login, known or not); then 429.
pub const RESETS_PER_ADDRESS_PER_HOUR: i64 = 10;
const PER_ACCOUNT: Limit = Limit { scope: "reset_account", max: RESETS_PER_ACCOUNT_PER_HOUR, window: Duration::HOUR };
const PER_ADDRESS: Limit = Limit { scope: "reset_ip", max: RESETS_PER_ADDRESS_PER_HOUR, window: Duration::HOUR };

/// A new one-time password-reset token for an account. Expired links (anyone's) are
/// deleted as new ones are made.
pub async fn issue_reset_token(conn: &mut SqliteConnection, st: &AppState, user_id: i64) -> ApiResult<String> {
    let token = new_token()?;
    sqlx::query("DELETE FROM password_resets WHERE expires_at <= $1")
        .bind(crate::clock::rfc3339(st.clock.now()))
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(sha256_hex(token.as_bytes()))
        .bind(user_id)
        .bind(crate::clock::rfc3339(st.clock.now() + RESET_TTL))
        .execute(&mut *conn)
        .await?;
    Ok(token)
}

/// Counts one event under `limit` for `key` in its own transaction; the wait when refused.
async fn count(st: &AppState, limit: Limit, key: &str) -> ApiResult<Result<(), Duration>> {
    let mut tx = st.db.begin().await?;
    let taken = rates::take(&mut tx, &[(limit, key)], st.clock.now()).await?;
    tx.commit().await?;
    Ok(taken.map_err(|r| r.retry_after))
}

/// Sends a password-reset link: queued in the outbox (the server log when no SMTP relay
/// is configured). Always 202, whether or not the account exists, and whether
/// or not the account has had its [`RESETS_PER_ACCOUNT_PER_HOUR`] links this hour (then
/// none is sent); 429 when this address has asked [`RESETS_PER_ADDRESS_PER_HOUR`] times.
#[utoipa::path(post, path = "/auth/password-reset", tag = "accounts", request_body = PasswordResetRequest,
    responses((status = 202, description = "Accepted, whether or not the login exists; a link is sent when it does (no body)"), (status = 400, description = "`validation` per field, or `invalid_json`: the body is not JSON", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many reset requests from this address", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::http::error::JsonRejections))]
pub async fn password_reset(
    State(st): State<AppState>,
    client: ClientIp,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    if let Err(wait) = count(&st, PER_ADDRESS, &client.key()).await? {
        st.metrics.rate_limited("password_reset_address");
        return Err(ApiError::too_many(
            ErrorCode::RateLimited,
            "Too many password reset requests from this address. Please wait and try again.",
            wait,
        ));
    }
    let Ok(login) = Login::parse(&req.login) else { return Ok(StatusCode::ACCEPTED) };
    // Known or not, the login is counted: the answer stays the same either way.
    if count(&st, PER_ACCOUNT, &login.key()).await?.is_err() {
        st.metrics.rate_limited("password_reset_account");
        tracing::info!(target: "chohtx_server::password_reset", "no reset link for {}: enough sent this hour", login.key());
        return Ok(StatusCode::ACCEPTED);
    }
    let mut conn = st.db.acquire().await?;
    let account = find_user(&mut conn, &login).await?;
    drop(conn);
    if let Some(Account { id: user_id, .. }) = account {
        // The token and its message are committed together (the token's write comes first).
        let mut tx = st.db.begin().await?;
        let token = issue_reset_token(&mut tx, &st, user_id).await?;
        let link = format!("{}/dat-lai-mat-khau?token={token}", st.config.link_origin());
        // To the login that asked (the account's email or phone), through the outbox.
        outbox::enqueue(
            &mut tx,
            "password_reset",
            &login.key(),
            "Đặt lại mật khẩu Chợ HTX / Reset your Chợ HTX password",
            &format!(
                "Mở đường dẫn này để đặt mật khẩu mới (dùng được một lần, trong 1 giờ):\n{link}\n\
                 Nếu bạn không yêu cầu, hãy bỏ qua thư này.\n\n\
                 Open this link to set a new password (once, within 1 hour):\n{link}\n\
                 If you did not ask for it, ignore this message.\n\n— Chợ HTX"
            ),
            serde_json::json!({"link": link}),
            &st.clock.now_rfc3339(),
        )
        .await?;
        tx.commit().await?;
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
