//! Sessions: started at sign-in (rate-limited) and sign-up, kept in the database
//! (`sessions`, the cookie's token as SHA-256), ended at sign-out, at a password reset,
//! or [`SESSION_TTL`] after sign-in.

use super::{
    accounts::{Account, find_user},
    extractors::MaybeViewer,
    passwords::verify_password,
};
use crate::{
    AppState,
    db::int,
    http::{
        client::ClientIp,
        error::{ApiError, ApiJson, ApiResult},
    },
    secret::{new_token, sha256_hex},
};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::api::ErrorCode;
use domain::{
    account::{Login, MemberRole, Membership, SessionInfo, SignInRequest, User},
    api::ErrorBody,
    catalog::{CoopStatus, CooperativeRef},
    phone::Phone,
};
use sqlx::{Row, SqliteConnection};
use time::Duration;

pub const SESSION_COOKIE: &str = "chohtx_session";
/// The session cookie's name when the public origin is https: the browser keeps a
/// `__Host-` cookie only if it is `Secure`, has `Path=/` and no `Domain`, so neither a
/// subdomain nor plain http can set or shadow it.
pub const HOST_SESSION_COOKIE: &str = "__Host-chohtx_session";

/// The session cookie's name for this configuration.
pub fn session_cookie_name(config: &crate::Config) -> &'static str {
    if config.is_https() { HOST_SESSION_COOKIE } else { SESSION_COOKIE }
}
/// A session ends this long after sign-in.
pub const SESSION_TTL: Duration = Duration::days(30);
/// Failed sign-ins count for this long.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins per account (normalised login) within the window before each further
/// attempt waits (see [`backoff`]). Sign-in slows down, it never locks out: the account's
/// owner is at most [`ACCOUNT_DELAY_CAP`] away from signing in, whatever others try.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins per client IP within the window before its attempts wait.
pub const MAX_FAILURES_PER_IP: i64 = 20;
/// The longest wait between attempts on one account.
pub const ACCOUNT_DELAY_CAP: Duration = Duration::minutes(1);
/// The longest wait between attempts from one address.
pub const IP_DELAY_CAP: Duration = Duration::minutes(15);

/// How long after the latest failed attempt the next one waits: nothing for the first
/// `free` failures, then one second, doubling with each failure, up to `cap`.
pub fn backoff(failures: i64, free: i64, cap: Duration) -> Duration {
    if failures < free {
        return Duration::ZERO;
    }
    let doublings = u32::try_from((failures - free).min(30)).unwrap_or(30);
    Duration::seconds(1_i64 << doublings).min(cap)
}

/// Starts a session; returns the cookie token and the CSRF token.
pub async fn start_session(conn: &mut SqliteConnection, st: &AppState, user_id: i64) -> ApiResult<(String, String)> {
    let token = new_token()?;
    let csrf = new_token()?;
    let now = st.clock.now();
    // Expired sessions are swept as new ones start.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(crate::clock::rfc3339(now))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(token.as_bytes()))
    .bind(user_id)
    .bind(&csrf)
    .bind(crate::clock::rfc3339(now))
    .bind(crate::clock::rfc3339(now + SESSION_TTL))
    .execute(&mut *conn)
    .await?;
    Ok((token, csrf))
}

/// Whether the site is reached over https (directly or behind a proxy that says so).
fn is_https(headers: &HeaderMap, st: &AppState) -> bool {
    let forwarded = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
    forwarded || st.config.is_https()
}

/// The `Set-Cookie` value; a `__Host-` name is always `Secure`.
fn session_cookie(name: &str, token: &str, max_age: Duration, secure: bool) -> HeaderValue {
    let secure = if secure || name.starts_with("__Host-") { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.whole_seconds()
    ))
    .expect("cookie text is ASCII")
}

/// A response that signs the browser in: the cookie and the session's details.
pub(super) async fn signed_in(
    st: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    user_id: i64,
) -> ApiResult<Response> {
    let mut conn = st.db.acquire().await?;
    let (token, csrf) = start_session(&mut conn, st, user_id).await?;
    let user = load_user(&mut conn, user_id).await?;
    let body = SessionInfo { user: Some(user), csrf_token: Some(csrf) };
    let cookie = session_cookie(session_cookie_name(&st.config), &token, SESSION_TTL, is_https(headers, st));
    Ok((
        status,
        [(header::SET_COOKIE, cookie), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response())
}

/// The person and the cooperatives they belong to.
pub async fn load_user(conn: &mut SqliteConnection, user_id: i64) -> ApiResult<User> {
    let row = sqlx::query("SELECT id, name, email, phone, is_staff FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    let memberships = sqlx::query(
        "SELECT c.slug, c.name, c.province_code, c.status, m.role FROM memberships m
         JOIN cooperatives c ON c.id = m.cooperative_id WHERE m.user_id = $1 ORDER BY c.name",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let status: CoopStatus = r.try_get("status")?;
        let role: MemberRole = r.try_get("role")?;
        Ok(Membership {
            cooperative: CooperativeRef {
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
                province_code: int::<u8>(r, "province_code")?,
            },
            status,
            role,
        })
    })
    .collect::<ApiResult<Vec<_>>>()?;
    let phone: Option<String> = row.try_get("phone")?;
    Ok(User {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        phone: phone.and_then(|p| Phone::parse(&p).ok()),
        is_staff: row.try_get::<i64, _>("is_staff")? != 0,
        memberships,
    })
}

/// Who is signed in, and the CSRF token for unsafe requests. Always 200.
#[utoipa::path(get, path = "/session", tag = "accounts", responses((status = 200, body = SessionInfo)))]
pub async fn session(State(st): State<AppState>, MaybeViewer(viewer): MaybeViewer) -> ApiResult<Response> {
    let info = match viewer {
        Some(v) => {
            let mut conn = st.db.acquire().await?;
            SessionInfo { user: Some(load_user(&mut conn, v.id).await?), csrf_token: Some(v.csrf_token) }
        }
        None => SessionInfo::default(),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(info)).into_response())
}

/// One sign-in attempt, counted before the password is checked: a failure row for the
/// account and one for the address, which a success removes again.
struct Attempt {
    ip_row: i64,
}

/// Reserves an attempt for `account` from `ip`, or says how long to wait. Counting and
/// reserving happen in one write transaction, so parallel attempts are counted one after
/// another (the first statement writes, taking SQLite's write lock before anything is read).
async fn reserve_attempt(
    st: &AppState,
    account: &str,
    ip: &str,
    now: time::OffsetDateTime,
) -> ApiResult<Result<Attempt, Duration>> {
    let since = crate::clock::rfc3339(now - FAILURE_WINDOW);
    let mut tx = st.db.begin().await?;
    // Only its own scopes: the table keeps other rate windows, some longer (`db::rates`).
    sqlx::query("DELETE FROM sign_in_failures WHERE scope IN ('account', 'ip') AND at <= $1")
        .bind(&since)
        .execute(&mut *tx)
        .await?;
    let mut wait = Duration::ZERO;
    for (scope, key, free, cap) in [
        ("account", account, MAX_FAILURES_PER_ACCOUNT, ACCOUNT_DELAY_CAP),
        ("ip", ip, MAX_FAILURES_PER_IP, IP_DELAY_CAP),
    ] {
        let row =
            sqlx::query("SELECT COUNT(*) AS n, MAX(at) AS latest FROM sign_in_failures WHERE scope = $1 AND key = $2")
                .bind(scope)
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
        let latest: Option<String> = row.try_get("latest")?;
        let latest =
            latest.and_then(|t| time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok());
        if let Some(latest) = latest {
            wait = wait.max(latest + backoff(row.try_get("n")?, free, cap) - now);
        }
    }
    if wait > Duration::ZERO {
        return Ok(Err(wait));
    }
    let at = crate::clock::rfc3339(now);
    let mut ids = Vec::new();
    for (scope, key) in [("account", account), ("ip", ip)] {
        let id: i64 =
            sqlx::query_scalar("INSERT INTO sign_in_failures (scope, key, at) VALUES ($1, $2, $3) RETURNING id")
                .bind(scope)
                .bind(key)
                .bind(&at)
                .fetch_one(&mut *tx)
                .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(Ok(Attempt { ip_row: ids[1] }))
}

fn rate_limited(wait: Duration) -> ApiError {
    let seconds = wait.whole_seconds().max(1) + i64::from(wait.subsec_nanoseconds() > 0);
    ApiError::too_many(
        ErrorCode::RateLimited,
        format!("Too many failed sign-in attempts. Please wait {seconds} seconds and try again."),
        wait,
    )
}

/// Signs in with an email or phone number and a password. The answer for an unknown
/// account and a wrong password is the same.
#[utoipa::path(post, path = "/auth/sign-in", tag = "accounts", request_body = SignInRequest,
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed attempts on this account or from this address lately", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 400, description = "`validation` per field, or `invalid_json`: the body is not JSON", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn sign_in(
    State(st): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<Response> {
    let login = Login::parse(&req.login).ok();
    // Unknown or malformed logins are limited like real ones, so the limit reveals nothing.
    let account_key = login.as_ref().map(Login::key).unwrap_or_else(|| domain::text::fold(&req.login));
    let attempt = match reserve_attempt(&st, &account_key, &client.key(), st.clock.now()).await? {
        Ok(attempt) => attempt,
        Err(wait) => {
            st.metrics.rate_limited("sign_in");
            return Err(rate_limited(wait));
        }
    };
    let mut conn = st.db.acquire().await?;
    let user = match &login {
        Some(l) => find_user(&mut conn, l).await?,
        None => None,
    };
    drop(conn);
    let ok = req.password.len() <= 1024
        && verify_password(req.password.clone(), user.as_ref().map(|u| u.password_hash.clone())).await?;
    match (ok, user) {
        (true, Some(Account { id, .. })) => {
            // The reserved attempt was no failure: the account starts afresh, the address
            // keeps only its real failures.
            sqlx::query("DELETE FROM sign_in_failures WHERE (scope = 'account' AND key = $1) OR id = $2")
                .bind(&account_key)
                .bind(attempt.ip_row)
                .execute(&st.db)
                .await?;
            signed_in(&st, &headers, StatusCode::OK, id).await
        }
        // The reserved rows stay: they are this failure.
        _ => Err(ApiError::status(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "The email/phone number or the password is wrong.",
        )),
    }
}

/// Ends the session (if any) and clears the cookie.
#[utoipa::path(post, path = "/auth/sign-out", tag = "accounts", responses((status = 204)))]
pub async fn sign_out(
    State(st): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
) -> ApiResult<Response> {
    if let Some(v) = viewer {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&v.session_hash).execute(&st.db).await?;
    }
    let cookie = session_cookie(session_cookie_name(&st.config), "", Duration::ZERO, is_https(&headers, &st));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let c = session_cookie(SESSION_COOKIE, "abc", SESSION_TTL, false);
        assert_eq!(c.to_str().unwrap(), "chohtx_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000");
        assert!(session_cookie(SESSION_COOKIE, "abc", SESSION_TTL, true).to_str().unwrap().ends_with("; Secure"));
        let host = session_cookie(HOST_SESSION_COOKIE, "abc", SESSION_TTL, false);
        assert_eq!(
            host.to_str().unwrap(),
            "__Host-chohtx_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure"
        );
    }
}
