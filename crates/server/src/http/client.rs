//! Who the client is, as far as per-address limits go: [`ClientIp`], the one reading of
//! the peer address (and, behind a proxy, `X-Forwarded-For`) that every per-address limit
//! uses (sign-in backoff, sign-ups, orders, password resets).

use crate::AppState;
use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};
use std::net::{IpAddr, SocketAddr};

/// The client's address: the TCP peer, or with `CHOHTX_TRUST_PROXY` the last hop of
/// `X-Forwarded-For`. `None` without connect info (a request made in process).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// The address as a rate-limit key.
    pub fn key(&self) -> String {
        self.0.map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".into())
    }

    /// The client of a request from `peer` with these headers.
    pub fn of(trust_proxy: bool, headers: &HeaderMap, peer: Option<SocketAddr>) -> ClientIp {
        if trust_proxy
            && let Some(ip) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|s| s.trim().parse::<IpAddr>().ok())
        {
            return ClientIp(Some(ip));
        }
        ClientIp(peer.map(|p| p.ip()))
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        Ok(ClientIp::of(st.config.trust_proxy, &parts.headers, peer))
    }
}
