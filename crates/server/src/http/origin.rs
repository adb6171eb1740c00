//! The site's origin for absolute links.

use crate::AppState;
use axum::http::{HeaderMap, header};

/// The site's origin for links: `CHOHTX_PUBLIC_ORIGIN`, else the request's `Host` (https
/// when a trusted proxy says so).
pub fn origin(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(o) = &st.config.public_origin {
        return o.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let https =
        st.config.trust_proxy && headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
    format!("{}://{host}", if https { "https" } else { "http" })
}
