//! Who the client is, as far as per-address limits go: [`ClientIp`], the one reading of
//! the peer address (and, behind a trusted proxy, `X-Forwarded-For`) that every
//! per-address limit uses (sign-in backoff, sign-ups, orders, password resets).

use crate::{AppState, config::TrustedProxies};
use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};
use std::net::{IpAddr, SocketAddr};

/// The client's address. From a peer that is not a trusted proxy (`CHOHTX_TRUSTED_PROXIES`)
/// it is the peer, whatever `X-Forwarded-For` says (anyone can send one). From a trusted
/// proxy it is the right-most address of `X-Forwarded-For` that is not itself a trusted
/// proxy: each proxy appends the peer it saw, so everything left of that address was
/// written by the client and proves nothing. `None` without connect info (a request made
/// in process).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// The address as a rate-limit key. An IPv6 client is keyed by its /64: one home or
    /// phone is handed a whole /64, and would otherwise get a fresh limit per address.
    pub fn key(&self) -> String {
        match self.0 {
            Some(IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Some(ip) => ip.to_string(),
            None => "unknown".into(),
        }
    }

    /// The client of a request from `peer` with these headers.
    pub fn of(proxies: &TrustedProxies, headers: &HeaderMap, peer: Option<SocketAddr>) -> ClientIp {
        let Some(peer) = peer.map(|p| p.ip().to_canonical()) else { return ClientIp(None) };
        if !proxies.contains(peer) {
            return ClientIp(Some(peer));
        }
        // Walk back from the nearest hop while the hops are proxies. A hop that is not an
        // address stops the walk at the last trusted one; so does the header's end.
        let mut client = peer;
        let hops = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','));
        let hops: Vec<&str> = hops.map(str::trim).filter(|h| !h.is_empty()).collect();
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !proxies.contains(ip) {
                break;
            }
        }
        ClientIp(Some(client))
    }
}

/// An `X-Forwarded-For` entry: an address, or an address with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip())).ok().map(|ip| ip.to_canonical())
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        Ok(ClientIp::of(&st.config.trusted_proxies, &parts.headers, peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(proxies: &str, peer: &str, forwarded: &[&str]) -> String {
        let mut headers = HeaderMap::new();
        for f in forwarded {
            headers.append("x-forwarded-for", f.parse().unwrap());
        }
        let peer: SocketAddr = peer.parse().unwrap();
        ClientIp::of(&proxies.parse().unwrap(), &headers, Some(peer)).key()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards() {
        assert_eq!(client("", "198.51.100.7:4000", &["203.0.113.9"]), "198.51.100.7");
        assert_eq!(client("10.0.0.0/8", "198.51.100.7:4000", &["203.0.113.9"]), "198.51.100.7");
        assert_eq!(client("", "[::ffff:198.51.100.7]:4000", &[]), "198.51.100.7");
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let proxies = "127.0.0.1, 10.0.0.0/8";
        // What the client wrote (left) is passed over.
        assert_eq!(client(proxies, "127.0.0.1:1", &["1.1.1.1, 203.0.113.9"]), "203.0.113.9");
        // A chain of proxies, and the header split over two lines.
        assert_eq!(client(proxies, "127.0.0.1:1", &["1.1.1.1, 203.0.113.9", "10.0.0.5"]), "203.0.113.9");
        assert_eq!(client(proxies, "127.0.0.1:1", &["203.0.113.9:5123, 10.0.0.5"]), "203.0.113.9");
        // No header: the proxy itself; only proxies: the farthest.
        assert_eq!(client(proxies, "127.0.0.1:1", &[]), "127.0.0.1");
        assert_eq!(client(proxies, "127.0.0.1:1", &["10.0.0.9, 10.0.0.5"]), "10.0.0.9");
        // Garbage where an address should be: the last trusted hop, never the garbage.
        assert_eq!(client(proxies, "127.0.0.1:1", &["203.0.113.9, unknown, 10.0.0.5"]), "10.0.0.5");
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        assert_eq!(client("", "[2001:db8:1:2:3:4:5:6]:443", &[]), "2001:db8:1:2::/64");
        assert_eq!(client("::1", "[::1]:443", &["[2001:db8:1:2::9]:80"]), "2001:db8:1:2::/64");
        assert_eq!(ClientIp(None).key(), "unknown");
    }
}
