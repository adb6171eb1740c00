//! Accounts: creating one, finding one by its login, and sign-up.

use super::{
    passwords::hash_password,
    sessions::{FAILURE_WINDOW, signed_in},
};
use crate::{
    AppState,
    db::rates::{self, Limit},
    http::{
        client::ClientIp,
        error::{ApiError, ApiJson, ApiResult},
    },
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
use time::Duration;

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

/// The sign-ups' rate window: [`MAX_SIGN_UPS_PER_IP`] per address in the sign-in failure window.
const SIGN_UPS: Limit = Limit { scope: "sign_up", max: MAX_SIGN_UPS_PER_IP, window: FAILURE_WINDOW };

/// Counts a sign-up from `client`, or says how long until the address may make another.
async fn record_sign_up(
    conn: &mut SqliteConnection,
    st: &AppState,
    client: ClientIp,
) -> ApiResult<Result<(), Duration>> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let taken = rates::take(&mut tx, &[(SIGN_UPS, &client.key())], st.clock.now()).await?;
    tx.commit().await?;
    Ok(taken.map_err(|r| r.retry_after))
}

/// Creates a buyer account and signs it in.
#[utoipa::path(post, path = "/auth/sign-up", tag = "accounts", request_body = SignUpRequest,
    responses((status = 201, body = SessionInfo), (status = 400, body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many new accounts from this address", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::http::error::JsonRejections))]
pub async fn sign_up(
    State(st): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SignUpRequest>,
) -> ApiResult<Response> {
    let valid = req.validate()?;
    let mut conn = st.db.acquire().await?;
    // A taken login is said at once (the form says so anyway), without hashing for it.
    if find_user(&mut conn, &valid.login).await?.is_some() {
        return Err(ApiError::field("login", FieldError::LoginTaken));
    }
    if let Err(wait) = record_sign_up(&mut conn, &st, client).await? {
        st.metrics.rate_limited("sign_up");
        return Err(ApiError::too_many(
            ErrorCode::RateLimited,
            "Too many new accounts from this address. Please wait a few minutes and try again.",
            wait,
        ));
    }
    drop(conn);
    let hash = hash_password(valid.password).await?;
    let mut conn = st.db.acquire().await?;
    let id = create_user(&mut conn, &valid.name, &valid.login, &hash, false, &st.clock.now_rfc3339()).await?;
    drop(conn);
    signed_in(&st, &headers, StatusCode::CREATED, id).await
}
