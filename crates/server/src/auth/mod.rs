//! Accounts and sessions: sign-up, sign-in (rate-limited), sign-out, password reset,
//! and the request guard every API request passes through.
//!
//! - Sessions live in the database (`sessions`), so replicas stay stateless. The cookie
//!   holds a random token; the table holds its SHA-256. Sessions end at sign-out, at a
//!   password reset, or [`SESSION_TTL`] after sign-in.
//! - [`guard`] runs before every `/api` handler: it refuses unsafe requests from another
//!   origin, loads the session, and for a signed-in session requires the session's CSRF
//!   token in `X-CSRF-Token` on every unsafe request. Handlers then ask for a [`Viewer`],
//!   [`MaybeViewer`] or [`Staff`]; a handler that asks for none is public.
//! - Passwords are hashed with argon2id (RustCrypto defaults: 19 MiB, 2 passes).

use crate::{
    AppState,
    db::int,
    http::error::{ApiError, ApiJson, ApiPath, ApiResult},
    secret::{new_token, random_bytes, sha256_hex},
};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use axum::{
    Json,
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{
    account::{
        CSRF_HEADER, Login, MemberRole, Membership, PasswordResetConfirm, PasswordResetRequest, SessionInfo,
        SignInRequest, SignUpRequest, User, check_password,
    },
    api::ErrorBody,
    catalog::{CoopStatus, CooperativeRef},
    phone::Phone,
    validate::FieldError,
};
use sqlx::{Row, SqliteConnection};
use std::net::{IpAddr, SocketAddr};
use time::Duration;

pub const SESSION_COOKIE: &str = "chohtx_session";
/// A session ends this long after sign-in.
pub const SESSION_TTL: Duration = Duration::days(30);
/// Failed sign-ins count for this long.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins allowed per account (normalised login) within the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins allowed per client IP within the window.
pub const MAX_FAILURES_PER_IP: i64 = 20;
/// A password-reset link works this long, once.
const RESET_TTL: Duration = Duration::hours(1);

// ---------------------------------------------------------------------------------------
// Passwords

/// An argon2id PHC string for `password`, computed off the async threads.
pub async fn hash_password(password: String) -> ApiResult<String> {
    let salt = random_bytes::<16>()?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        let hash =
            Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
        Ok::<_, anyhow::Error>(hash.to_string())
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(ApiError::Internal)
}

/// Whether `password` matches the stored PHC string. With no stored hash (no such
/// account), a fixed hash is checked instead, so both cases take the same time.
async fn verify_password(password: String, phc: Option<String>) -> ApiResult<bool> {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$J3Vp5WmrsQHUJxr0k8k4dBhSCQbYq1iVFVnMqwXuzXE";
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY.to_owned());
        let ok =
            PasswordHash::new(&phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok());
        known && ok
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}

// ---------------------------------------------------------------------------------------
// Who is asking

/// The signed-in person behind a request.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub id: i64,
    pub name: String,
    pub is_staff: bool,
    csrf_token: String,
    session_hash: String,
}

/// The guard's verdict, stored in the request's extensions.
#[derive(Clone, Debug)]
struct Authenticated(Option<Viewer>);

fn unauthenticated() -> ApiError {
    ApiError::status(StatusCode::UNAUTHORIZED, "unauthenticated", "Please sign in first.")
}

pub fn forbidden() -> ApiError {
    ApiError::status(StatusCode::FORBIDDEN, "forbidden", "You are not allowed to do this.")
}

fn viewer_of(parts: &Parts) -> Option<Viewer> {
    parts.extensions.get::<Authenticated>().and_then(|a| a.0.clone())
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        viewer_of(parts).ok_or_else(unauthenticated)
    }
}

/// The signed-in person, if any.
pub struct MaybeViewer(pub Option<Viewer>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeViewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(viewer_of(parts)))
    }
}

/// A signed-in trade-promotion officer.
pub struct Staff(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let v = viewer_of(parts).ok_or_else(unauthenticated)?;
        if v.is_staff { Ok(Staff(v)) } else { Err(forbidden()) }
    }
}

/// The cooperative `slug` and the viewer's role in it. 404 when there is no such
/// cooperative, 403 when the viewer is not a member (staff included: they act through
/// the staff routes).
pub async fn membership(st: &AppState, viewer: &Viewer, slug: &str) -> ApiResult<(i64, MemberRole)> {
    let row = sqlx::query(
        "SELECT c.id, m.role FROM cooperatives c
         LEFT JOIN memberships m ON m.cooperative_id = c.id AND m.user_id = $1
         WHERE c.slug = $2",
    )
    .bind(viewer.id)
    .bind(slug)
    .fetch_optional(&st.db)
    .await?
    .ok_or(ApiError::NotFound("cooperative"))?;
    let role: Option<String> = row.try_get("role")?;
    match role.as_deref().and_then(MemberRole::from_code) {
        Some(role) => Ok((row.try_get("id")?, role)),
        None => Err(forbidden()),
    }
}

/// A signed-in member of the cooperative named by the route's `{coop}` segment, checked by
/// [`membership`] before the handler runs: 401 when signed out, 404 when there is no such
/// cooperative, 403 when the viewer is not a member.
pub struct Member {
    pub coop_id: i64,
    pub role: MemberRole,
    pub viewer: Viewer,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let viewer = viewer_of(parts).ok_or_else(unauthenticated)?;
        let ApiPath(params) =
            ApiPath::<std::collections::HashMap<String, String>>::from_request_parts(parts, st).await?;
        let coop = params.get("coop").ok_or(ApiError::NotFound("cooperative"))?;
        let (coop_id, role) = membership(st, &viewer, coop).await?;
        Ok(Member { coop_id, role, viewer })
    }
}

/// Like [`membership`], but only a cooperative admin passes.
pub async fn admin_of(st: &AppState, viewer: &Viewer, slug: &str) -> ApiResult<i64> {
    match membership(st, viewer, slug).await? {
        (id, MemberRole::Admin) => Ok(id),
        _ => Err(forbidden()),
    }
}

// ---------------------------------------------------------------------------------------
// The guard

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Unsafe requests must come from this site: an `Origin` header, when the browser sends
/// one, must name the configured public origin or the `Host` the request came to;
/// without `Origin`, `Sec-Fetch-Site` must not say another site sent it. Clients that
/// send neither (curl, server-to-server) pass; cookies still need the CSRF token.
fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match text("origin") {
        Some(origin) => match public_origin {
            Some(expected) => origin.eq_ignore_ascii_case(expected.trim_end_matches('/')),
            None => {
                let host = text("host");
                let origin_host = origin.split_once("://").map(|(_, h)| h);
                host.is_some() && origin_host.is_some_and(|h| Some(h) == host)
            }
        },
        None => !matches!(text("sec-fetch-site"), Some("cross-site" | "same-site")),
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn load_viewer(st: &AppState, token: &str) -> ApiResult<Option<Viewer>> {
    let hash = sha256_hex(token.as_bytes());
    let row = sqlx::query(
        "SELECT s.user_id, s.csrf_token, u.name, u.is_staff FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(&hash)
    .bind(st.clock.now_rfc3339())
    .fetch_optional(&st.db)
    .await?;
    row.map(|r| {
        Ok(Viewer {
            id: r.try_get("user_id")?,
            name: r.try_get("name")?,
            is_staff: r.try_get::<i64, _>("is_staff")? != 0,
            csrf_token: r.try_get("csrf_token")?,
            session_hash: hash,
        })
    })
    .transpose()
    .map_err(|e: sqlx::Error| e.into())
}

/// Runs before every API handler: the origin check, the session, the CSRF token.
pub async fn guard(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let unsafe_method = !is_safe(req.method());
    if unsafe_method && !same_origin(req.headers(), st.config.public_origin.as_deref()) {
        return ApiError::status(
            StatusCode::FORBIDDEN,
            "cross_origin",
            "This request came from another website and was refused.",
        )
        .into_response();
    }
    let viewer = match cookie_token(req.headers()) {
        Some(token) => match load_viewer(&st, &token).await {
            Ok(v) => v,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    if unsafe_method && let Some(v) = &viewer {
        let sent = req.headers().get(CSRF_HEADER).and_then(|h| h.to_str().ok()).unwrap_or("");
        if !crate::secret::constant_time_eq(sent.as_bytes(), v.csrf_token.as_bytes()) {
            return ApiError::status(
                StatusCode::FORBIDDEN,
                "csrf",
                "Your session's security token is missing or out of date. Reload the page and try again.",
            )
            .into_response();
        }
    }
    req.extensions_mut().insert(Authenticated(viewer));
    next.run(req).await
}

// ---------------------------------------------------------------------------------------
// Sessions and cookies

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
    forwarded || st.config.public_origin.as_deref().is_some_and(|o| o.starts_with("https://"))
}

fn session_cookie(token: &str, max_age: Duration, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.whole_seconds()
    ))
    .expect("cookie text is ASCII")
}

/// A response that signs the browser in: the cookie and the session's details.
async fn signed_in(st: &AppState, headers: &HeaderMap, status: StatusCode, user_id: i64) -> ApiResult<Response> {
    let mut conn = st.db.acquire().await?;
    let (token, csrf) = start_session(&mut conn, st, user_id).await?;
    let user = load_user(&mut conn, user_id).await?;
    let body = SessionInfo { user: Some(user), csrf_token: Some(csrf) };
    let cookie = session_cookie(&token, SESSION_TTL, is_https(headers, st));
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
        let status: String = r.try_get("status")?;
        let role: String = r.try_get("role")?;
        Ok(Membership {
            cooperative: CooperativeRef {
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
                province_code: int::<u8>(r, "province_code")?,
            },
            status: CoopStatus::from_code(&status).ok_or_else(|| anyhow::anyhow!("status {status}"))?,
            role: MemberRole::from_code(&role).ok_or_else(|| anyhow::anyhow!("role {role}"))?,
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

// ---------------------------------------------------------------------------------------
// Accounts

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

/// Creates a buyer account and signs it in.
#[utoipa::path(post, path = "/auth/sign-up", tag = "accounts", request_body = SignUpRequest,
    responses((status = 201, body = SessionInfo), (status = 400, body = ErrorBody)))]
pub async fn sign_up(
    State(st): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SignUpRequest>,
) -> ApiResult<Response> {
    let valid = req.validate()?;
    let hash = hash_password(valid.password).await?;
    let mut conn = st.db.acquire().await?;
    let id = create_user(&mut conn, &valid.name, &valid.login, &hash, false, &st.clock.now_rfc3339()).await?;
    drop(conn);
    signed_in(&st, &headers, StatusCode::CREATED, id).await
}

/// The client's address: the peer, or with `CHOHTX_TRUST_PROXY` the last hop of
/// `X-Forwarded-For`.
fn client_ip(st: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if st.config.trust_proxy
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|s| s.trim().parse::<IpAddr>().ok())
    {
        return ip.to_string();
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// The TCP peer's address, when the server was started with connect info.
pub struct Peer(Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)))
    }
}

async fn failures(conn: &mut SqliteConnection, scope: &str, key: &str, since: &str) -> ApiResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE scope = $1 AND key = $2 AND at > $3")
        .bind(scope)
        .bind(key)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?)
}

fn rate_limited() -> Response {
    let minutes = FAILURE_WINDOW.whole_minutes();
    let mut r = ApiError::status(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("Too many failed sign-in attempts. Please wait {minutes} minutes and try again."),
    )
    .into_response();
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(FAILURE_WINDOW.whole_seconds()));
    r
}

/// Signs in with an email or phone number and a password. The answer for an unknown
/// account and a wrong password is the same.
#[utoipa::path(post, path = "/auth/sign-in", tag = "accounts", request_body = SignInRequest,
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    State(st): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<Response> {
    let login = Login::parse(&req.login).ok();
    // Unknown or malformed logins are limited like real ones, so the limit reveals nothing.
    let account_key = login.as_ref().map(Login::key).unwrap_or_else(|| domain::text::fold(&req.login));
    let ip = client_ip(&st, &headers, peer);
    let now = st.clock.now();
    let since = crate::clock::rfc3339(now - FAILURE_WINDOW);
    let mut conn = st.db.acquire().await?;
    if failures(&mut conn, "account", &account_key, &since).await? >= MAX_FAILURES_PER_ACCOUNT
        || failures(&mut conn, "ip", &ip, &since).await? >= MAX_FAILURES_PER_IP
    {
        return Ok(rate_limited());
    }
    let user = match &login {
        Some(l) => find_user(&mut conn, l).await?,
        None => None,
    };
    drop(conn);
    let ok = req.password.len() <= 1024
        && verify_password(req.password.clone(), user.as_ref().map(|u| u.password_hash.clone())).await?;
    let mut conn = st.db.acquire().await?;
    match (ok, user) {
        (true, Some(Account { id, .. })) => {
            sqlx::query("DELETE FROM sign_in_failures WHERE scope = 'account' AND key = $1")
                .bind(&account_key)
                .execute(&mut *conn)
                .await?;
            drop(conn);
            signed_in(&st, &headers, StatusCode::OK, id).await
        }
        _ => {
            let now_text = crate::clock::rfc3339(now);
            sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1").bind(&since).execute(&mut *conn).await?;
            for (scope, key) in [("account", &account_key), ("ip", &ip)] {
                sqlx::query("INSERT INTO sign_in_failures (scope, key, at) VALUES ($1, $2, $3)")
                    .bind(scope)
                    .bind(key)
                    .bind(&now_text)
                    .execute(&mut *conn)
                    .await?;
            }
            Err(ApiError::status(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "The email/phone number or the password is wrong.",
            ))
        }
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
    let cookie = session_cookie("", Duration::ZERO, is_https(&headers, &st));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

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
    responses((status = 202)))]
pub async fn password_reset(
    State(st): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    let Ok(login) = Login::parse(&req.login) else { return Ok(StatusCode::ACCEPTED) };
    let mut conn = st.db.acquire().await?;
    if let Some(Account { id: user_id, .. }) = find_user(&mut conn, &login).await? {
        let token = issue_reset_token(&mut conn, &st, user_id).await?;
        let origin = st.config.public_origin.clone().unwrap_or_else(|| {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}")
        });
        tracing::info!(
            target: "chohtx_server::password_reset",
            "password reset link for {}: {}/dat-lai-mat-khau?token={token} (valid for 1 hour; no mail server in the demo)",
            login.key(),
            origin.trim_end_matches('/'),
        );
    }
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with a reset link's token; ends every session of the account.
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "accounts", request_body = PasswordResetConfirm,
    responses((status = 204), (status = 400, body = ErrorBody)))]
pub async fn password_reset_confirm(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    let invalid = || {
        ApiError::status(
            StatusCode::BAD_REQUEST,
            "invalid_token",
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
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(session))
        .routes(routes!(sign_up))
        .routes(routes!(sign_in))
        .routes(routes!(sign_out))
        .routes(routes!(password_reset))
        .routes(routes!(password_reset_confirm))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_must_match_the_host_or_the_configured_origin() {
        assert!(same_origin(&headers(&[("host", "cho.vn"), ("origin", "https://cho.vn")]), None));
        assert!(!same_origin(&headers(&[("host", "cho.vn"), ("origin", "https://evil.example")]), None));
        assert!(!same_origin(&headers(&[("host", "cho.vn"), ("origin", "null")]), None));
        assert!(same_origin(
            &headers(&[("host", "10.0.0.5:8080"), ("origin", "https://cho.vn")]),
            Some("https://cho.vn")
        ));
        assert!(!same_origin(&headers(&[("host", "cho.vn"), ("origin", "http://cho.vn")]), Some("https://cho.vn")));
        assert!(!same_origin(&headers(&[("host", "cho.vn"), ("sec-fetch-site", "cross-site")]), None));
        assert!(same_origin(&headers(&[("host", "cho.vn"), ("sec-fetch-site", "same-origin")]), None));
        assert!(same_origin(&headers(&[("host", "cho.vn")]), None), "non-browser clients send neither");
    }

    #[test]
    fn the_session_cookie_is_read_only_when_well_formed() {
        let token = "a".repeat(64);
        let h = HeaderMap::from_iter([(
            header::COOKIE,
            HeaderValue::from_str(&format!("x=1; {SESSION_COOKIE}={token}")).unwrap(),
        )]);
        assert_eq!(cookie_token(&h), Some(token));
        let h = HeaderMap::from_iter([(header::COOKIE, HeaderValue::from_static("chohtx_session=../etc"))]);
        assert_eq!(cookie_token(&h), None);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let c = session_cookie("abc", SESSION_TTL, false);
        assert_eq!(c.to_str().unwrap(), "chohtx_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000");
        assert!(session_cookie("abc", SESSION_TTL, true).to_str().unwrap().ends_with("; Secure"));
    }

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("lúa vàng Sóc Trăng".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("lúa vàng Sóc Trăng".into(), Some(h.clone())).await.unwrap());
        assert!(!verify_password("lua vang soc trang".into(), Some(h)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }
}
