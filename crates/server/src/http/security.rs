//! Security headers on every response: a Content-Security-Policy that allows the app's
//! own script, its wasm, and the one inline loader script Trunk writes into
//! `index.html` (by hash; nothing else inline), no framing, no MIME sniffing, and no
//! referrer beyond this site (tracking links carry a secret token).

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use base64ct::{Base64, Encoding};
use sha2::{Digest, Sha256};
use std::{path::Path, sync::Arc};

/// The `'sha256-…'` sources of the inline `<script>` elements (those without `src`).
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let body_and_rest = &after[tag_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else { break };
        if !tag.contains(" src=") {
            let body = &body_and_rest[..close];
            hashes.push(format!("'sha256-{}'", Base64::encode_string(&Sha256::digest(body.as_bytes()))));
        }
        rest = &body_and_rest[close..];
    }
    hashes
}

/// The policy for the app in `index_html` (None: an API-only server).
pub fn content_security_policy(index_html: Option<&str>) -> String {
    let inline = index_html.map(inline_script_hashes).unwrap_or_default();
    let mut script = vec!["'self'", "'wasm-unsafe-eval'"];
    script.extend(inline.iter().map(String::as_str));
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
         manifest-src 'self'",
        script.join(" ")
    )
}

/// The headers, computed once from the built app.
#[derive(Clone)]
pub struct Headers(Arc<Vec<(HeaderName, HeaderValue)>>);

impl Headers {
    pub fn for_dist(dist: &Path) -> Headers {
        let index = std::fs::read_to_string(dist.join("index.html")).ok();
        let csp = content_security_policy(index.as_deref());
        Headers(Arc::new(vec![
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).expect("the policy is ASCII")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
            (
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static("camera=(self), geolocation=(), microphone=(), payment=()"),
            ),
            (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
        ]))
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
    fn hashes_only_inline_scripts() {
        let html = r#"<script type="module">alert(1)</script><script src="/a.js"></script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(hashes[0], "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
        let csp = content_security_policy(Some(html));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
