//! Security headers on every response: a Content-Security-Policy that allows the app's
//! own script, its wasm, and on pages only the inline scripts carrying that page's nonce
//! (see `http::pages`), no framing, no MIME sniffing, and no referrer beyond this site
//! (tracking links carry a secret token). With an https public origin, HSTS as well.

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use std::sync::Arc;

/// The policy for a server-rendered page: its inline scripts (the hydration loader and
/// the serialised data) carry this response's `nonce`.
pub fn page_policy(nonce: &str) -> String {
    policy(&[format!("'nonce-{nonce}'")])
}

/// The policy for everything else (API answers, files): no inline script at all.
pub fn content_security_policy() -> String {
    policy(&[])
}

fn policy(script_sources: &[String]) -> String {
    let mut script = vec!["'self'", "'wasm-unsafe-eval'"];
    script.extend(script_sources.iter().map(String::as_str));
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
         manifest-src 'self'",
        script.join(" ")
    )
}

/// `Strict-Transport-Security` when the site is served over https: a year, subdomains too.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The headers, computed once.
#[derive(Clone)]
pub struct Headers(Arc<Vec<(HeaderName, HeaderValue)>>);

impl Headers {
    /// The headers for every response; `https` (the configured public origin is https)
    /// adds HSTS, which over plain http would be ignored or, behind a proxy, wrong.
    pub fn new(https: bool) -> Headers {
        let csp = content_security_policy();
        let mut headers = vec![
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).expect("the policy is ASCII")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
            (
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static("camera=(self), geolocation=(), microphone=(), payment=()"),
            ),
            (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
        ];
        if https {
            headers.push((header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS)));
        }
        Headers(Arc::new(headers))
    }
}

impl Default for Headers {
    fn default() -> Headers {
        Headers::new(false)
    }
}

pub async fn add_headers(headers: Headers, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    for (name, value) in headers.0.iter() {
        res.headers_mut().entry(name.clone()).or_insert_with(|| value.clone());
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_allow_only_their_nonce_inline() {
        let csp = page_policy("abc123");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc123';"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!content_security_policy().contains("nonce"));
    }

    #[test]
    fn hsts_only_over_https() {
        let has_hsts = |h: Headers| h.0.iter().any(|(n, v)| *n == header::STRICT_TRANSPORT_SECURITY && v == HSTS);
        assert!(has_hsts(Headers::new(true)));
        assert!(!Headers::new(false).0.iter().any(|(n, _)| *n == header::STRICT_TRANSPORT_SECURITY));
    }
}
