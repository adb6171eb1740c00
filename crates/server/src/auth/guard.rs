//! The request guard every API request passes through: the origin check, the session
//! cookie, the CSRF token.

use super::{
    extractors::{Authenticated, Viewer},
    sessions::session_cookie_name,
};
use crate::{
    AppState,
    http::error::{ApiError, ApiResult},
    secret::sha256_hex,
};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::account::CSRF_HEADER;
use domain::api::ErrorCode;
use sqlx::Row;

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

/// Whether an unsafe request comes from a page of a cooperative's own domain, to that
/// domain (its `Origin` names the `Host` it was sent to, one staff set): checkout on the
/// cooperative's address works with a public origin set.
async fn from_own_domain(
    st: &AppState,
    origin: Option<axum::http::HeaderValue>,
    host: Option<axum::http::HeaderValue>,
) -> bool {
    let text = |v: &Option<axum::http::HeaderValue>| v.as_ref().and_then(|v| v.to_str().ok().map(str::to_owned));
    let (Some(origin), Some(host)) = (text(&origin), text(&host)) else { return false };
    let origin_host = origin.split_once("://").map(|(_, h)| h);
    if origin_host != Some(host.as_str()) {
        return false;
    }
    let name = domain::profile::host_name(&host);
    matches!(crate::http::host::cooperative_of_host(st, &name).await, Ok(Some(_)))
}

/// The session token from the cookie named `name` (see `sessions::session_cookie_name`).
fn cookie_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
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
    if unsafe_method
        && !same_origin(req.headers(), st.config.public_origin.as_deref())
        && !from_own_domain(&st, req.headers().get("origin").cloned(), req.headers().get("host").cloned()).await
    {
        return ApiError::status(
            StatusCode::FORBIDDEN,
            ErrorCode::CrossOrigin,
            "This request came from another website and was refused.",
        )
        .into_response();
    }
    let viewer = match cookie_token(req.headers(), session_cookie_name(&st.config)) {
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
                ErrorCode::Csrf,
                "Your session's security token is missing or out of date. Reload the page and try again.",
            )
            .into_response();
        }
    }
    req.extensions_mut().insert(Authenticated(viewer));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::sessions::SESSION_COOKIE;
    use axum::http::HeaderValue;

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
        assert_eq!(cookie_token(&h, SESSION_COOKIE), Some(token));
        let h = HeaderMap::from_iter([(header::COOKIE, HeaderValue::from_static("chohtx_session=../etc"))]);
        assert_eq!(cookie_token(&h, SESSION_COOKIE), None);
    }
}
