//! Building URLs: one way to put text into a path segment or a query value.

/// `text` percent-encoded for a path segment or a query value: every byte but
/// `A–Z a–z 0–9 - _ . ! ~ * ' ( )` as `%XX` (what the browser's `encodeURIComponent`
/// does), so the server and the browser build the same links.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(super::encode("gạo st25/5kg?&="), "g%E1%BA%A1o%20st25%2F5kg%3F%26%3D");
        assert_eq!(super::encode("A-z_0.!~*'()"), "A-z_0.!~*'()");
    }
}
