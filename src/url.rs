//! Building URLs: one way to put text into a path segment or a query value.

/// `text` percent-encoded for a path segment or a query value (`encodeURIComponent`).
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
