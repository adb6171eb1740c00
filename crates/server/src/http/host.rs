//! Host routing: a cooperative's own domain (`cooperative_domains`, set by staff) shows
//! its page at `/`, and every other path of the market (products, lots, cart, checkout,
//! the API) works there too. The market's own hosts (`CHOHTX_PUBLIC_ORIGIN`'s, the listen
//! address) and `localhost`/loopback addresses are always served; any other `Host` is
//! refused with 421 when the deployment says so (`Config::refuses_unknown_hosts`), so no
//! stranger's domain pointed at the server gets the market's pages.

use crate::AppState;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{StatusCode, Uri, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The request's host name (Host header, else the URI's authority), lower-case, no port.
pub fn request_host(req: &Request) -> Option<String> {
    req.headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .map(domain::profile::host_name)
        .filter(|h| !h.is_empty())
}

/// Loopback names and addresses: always served (development, tests).
pub fn is_local(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The slug of the cooperative whose own domain `host` is, if it is one.
pub async fn cooperative_of_host(st: &AppState, host: &str) -> sqlx::Result<Option<String>> {
    Ok(st.domains.get(&st.db).await?.get(host).cloned())
}

pub async fn route_host(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(host) = request_host(&req) else { return next.run(req).await };
    if is_local(&host) || st.config.market_hosts().contains(&host) {
        return next.run(req).await;
    }
    match cooperative_of_host(&st, &host).await {
        Ok(Some(slug)) => {
            if req.uri().path() == "/" {
                let target = match req.uri().query() {
                    Some(q) => format!("/htx/{slug}?{q}"),
                    None => format!("/htx/{slug}"),
                };
                if let Ok(uri) = target.parse::<Uri>() {
                    *req.uri_mut() = uri;
                }
            }
            next.run(req).await
        }
        Ok(None) if st.config.refuses_unknown_hosts() => (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            Body::from("421 Misdirected Request: this server does not serve this host name.\n"),
        )
            .into_response(),
        Ok(None) => next.run(req).await,
        Err(e) => crate::http::error::ApiError::from(e).into_response(),
    }
}
