//! Accounts: creating one, finding one by its login, and sign-up.

use super::{
    Peer,
    passwords::hash_password,
    sessions::{FAILURE_WINDOW, client_ip, signed_in},
};
use crate::{
    AppState,
    http::error::{ApiError, ApiJson, ApiResult},
};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use domain::{
    account::{Login, SessionInfo, SignUpRequest},
    api::{ErrorBody, ErrorCode},
    phone::Phone,
    validate::FieldError,
};
use sqlx::SqliteConnection;

/// Creates an account; `login_taken` on the login field when one exists.
pub async fn create_user(
    conn: &mut SqliteConnection,
    name: &str,
    login: &Login,
    password_hash: &str,
    is_staff: bool,
    now: &str,
) -> ApiResult<i64> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (name, email, phone, password_hash, is_staff, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(login.email())
    .bind(login.phone().map(Phone::e164))
    .bind(password_hash)
    .bind(is_staff as i64)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    id.ok_or_else(|| ApiError::field("login", FieldError::LoginTaken))
}

/// An account as a login finds it.
#[derive(sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub password_hash: String,
}

/// The account a login names.
pub async fn find_user(conn: &mut SqliteConnection, login: &Login) -> ApiResult<Option<Account>> {
    let account = match login {
        Login::Email(e) => sqlx::query_as("SELECT id, name, password_hash FROM users WHERE email = $1").bind(e),
        Login::Phone(p) => sqlx::query_as("SELECT id, name, password_hash FROM users WHERE phone = $1").bind(p.e164()),
    }
    .fetch_optional(&mut *conn)
    .await?;
    Ok(account)
}

/// New accounts per client address within the sign-in failure window (a commune hall or
/// a school shares one address, so this is generous; a script is not).
pub const MAX_SIGN_UPS_PER_IP: i64 = 10;

/// Counts a sign-up from `ip`; false when the address has made too many lately. Counted
/// in the sign-in failures' table under its own scope (purged with them).
async fn record_sign_up(conn: &mut SqliteConnection, st: &AppState, ip: &str) -> ApiResult<bool> {
    let now = st.clock.now();
    let since = crate::clock::rfc3339(now - FAILURE_WINDOW);
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1").bind(&since).execute(&mut *tx).await?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE scope = 'sign_up' AND key = $1")
        .bind(ip)
        .fetch_one(&mut *tx)
        .await?;
    if n >= MAX_SIGN_UPS_PER_IP {
        return Ok(false);
    }
    sqlx::query("INSERT INTO sign_in_failures (scope, key, at) VALUES ('sign_up', $1, $2)")
        .bind(ip)
        .bind(crate::clock::rfc3339(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Creates a buyer account and signs it in.
#[utoipa::path(post, path = "/auth/sign-up", tag = "accounts", request_body = SignUpRequest,
    responses((status = 201, body = SessionInfo), (status = 400, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn sign_up(
    State(st): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SignUpRequest>,
) -> ApiResult<Response> {
    let valid = req.validate()?;
    let mut conn = st.db.acquire().await?;
    // A taken login is said at once (the form says so anyway), without hashing for it.
    if find_user(&mut conn, &valid.login).await?.is_some() {
        return Err(ApiError::field("login", FieldError::LoginTaken));
    }
    if !record_sign_up(&mut conn, &st, &client_ip(&st, &headers, peer)).await? {
        return Err(ApiError::status(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "Too many new accounts from this address. Please wait a few minutes and try again.",
        ));
    }
    drop(conn);
    let hash = hash_password(valid.password).await?;
    let mut conn = st.db.acquire().await?;
    let id = create_user(&mut conn, &valid.name, &valid.login, &hash, false, &st.clock.now_rfc3339()).await?;
    drop(conn);
    signed_in(&st, &headers, StatusCode::CREATED, id).await
}
