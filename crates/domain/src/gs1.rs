//! GS1 Digital Link URIs for a trade item and its lot:
//! `{origin}[/{prefix}]/01/{GTIN-14}[/22/{cpv}][/10/{lot}][/21/{serial}]`, their
//! percent-encoding, and the GS1 element string the same identifiers make in a barcode.
//!
//! Rules (GS1 Digital Link 1.1, `../shared/standards.md` §2):
//! - the GTIN is always written with 14 digits (GTIN-8/12/13 are left-padded);
//! - qualifiers come in the order 22, 10, 21;
//! - AI 10 (lot), 21 (serial) and 22 (CPV) are `X..20`: 1 to 20 characters of GS1's
//!   "character set 82";
//! - values are percent-encoded: every character but the URI-unreserved
//!   `A–Z a–z 0–9 - . _ ~` is written as `%XX` (upper-case hex, UTF-8 bytes).
//!
//! The app and the server build every lot link through here, so a label, the product
//! page and the resolver can never disagree on the URI.

use crate::{gtin::Gtin, validate::FieldError};
use std::fmt::Write as _;

/// The longest value of AI 10, 21 and 22.
pub const MAX_VALUE_LEN: usize = 20;

/// The group separator that ends a variable-length element in a barcode's data.
pub const GS: char = '\u{1D}';

/// Whether `c` is in GS1 AI encodable character set 82 (General Specifications §7.11):
/// `! " % & ' ( ) * + , - . / 0–9 : ; < = > ? A–Z _ a–z`.
pub fn is_cset82(c: char) -> bool {
    matches!(c, '!' | '"' | '%'..='?' | 'A'..='Z' | '_' | 'a'..='z')
}

/// Checks a lot (batch) code as a seller types it: trimmed, 1 to 20 characters of
/// character set 82. A code of only dots is refused too: browsers rewrite a `.` or `..`
/// path segment (even percent-encoded), so such a lot could never be reached by its link.
pub fn check_lot(input: &str) -> Result<String, FieldError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(FieldError::Required);
    }
    if t.chars().count() > MAX_VALUE_LEN {
        return Err(FieldError::TooLong { max: MAX_VALUE_LEN as u32 });
    }
    if !t.chars().all(is_cset82) || t.chars().all(|c| c == '.') {
        return Err(FieldError::InvalidLotCode);
    }
    Ok(t.to_owned())
}

/// Percent-encodes one path segment or query value the GS1 way.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` for a broken escape or bytes that are not UTF-8.
pub fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why a URI is not a GS1 Digital Link this site understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("no /01/{{gtin}} in the path")]
    NoGtin,
    #[error("the GTIN is invalid: {0}")]
    Gtin(#[from] crate::gtin::GtinError),
    #[error("AI {0} is not a key qualifier of a GTIN (22, 10, 21)")]
    UnknownQualifier(String),
    #[error("AI {0} is out of order or repeated (the order is 22, 10, 21)")]
    Order(String),
    #[error("AI {0} has no value, or a value that is not 1 to 20 characters of character set 82")]
    Value(String),
    #[error("a percent escape is broken")]
    Encoding,
}

/// A trade item, optionally with its consumer product variant, lot and serial.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DigitalLink {
    pub gtin: Gtin,
    /// AI 22, consumer product variant.
    pub cpv: Option<String>,
    /// AI 10, batch or lot number.
    pub lot: Option<String>,
    /// AI 21, serial number.
    pub serial: Option<String>,
}

/// The key qualifiers of AI 01, in the order a URI must carry them.
const QUALIFIERS: [&str; 3] = ["22", "10", "21"];

impl DigitalLink {
    /// A GTIN and its lot: the link of a traceability lot.
    pub fn lot(gtin: Gtin, lot: impl Into<String>) -> DigitalLink {
        DigitalLink { gtin, cpv: None, lot: Some(lot.into()), serial: None }
    }

    fn qualifier_values(&self) -> [(&'static str, Option<&str>); 3] {
        [("22", self.cpv.as_deref()), ("10", self.lot.as_deref()), ("21", self.serial.as_deref())]
    }

    /// The path: `/01/{GTIN-14}[/22/…][/10/…][/21/…]`, values percent-encoded.
    pub fn path(&self) -> String {
        let mut p = format!("/01/{}", self.gtin);
        for (ai, value) in self.qualifier_values() {
            if let Some(v) = value {
                let _ = write!(p, "/{ai}/{}", percent_encode(v));
            }
        }
        p
    }

    /// The URI at `origin` (`https://example.com`, a trailing slash is ignored).
    pub fn uri(&self, origin: &str) -> String {
        format!("{}{}", origin.trim_end_matches('/'), self.path())
    }

    /// Reads a Digital Link URI or path: `https://host[/prefix…]/01/…`, `/01/…`. The query
    /// (`?linkType=…`, data attributes) and fragment are ignored; a custom path prefix
    /// before `/01/` is allowed, as the standard allows.
    pub fn parse(uri: &str) -> Result<DigitalLink, LinkError> {
        let without_fragment = uri.split('#').next().unwrap_or(uri);
        let without_query = without_fragment.split('?').next().unwrap_or(without_fragment);
        let path = match without_query.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or(""),
            None => without_query,
        };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        // The primary key: the first `01` followed by digits (a custom prefix may come before it).
        let start = segments
            .windows(2)
            .position(|w| w[0] == "01" && !w[1].is_empty() && w[1].bytes().all(|b| b.is_ascii_digit()))
            .ok_or(LinkError::NoGtin)?;
        let pairs = &segments[start..];
        let gtin_text = percent_decode(pairs[1]).ok_or(LinkError::Encoding)?;
        let gtin = Gtin::parse(&gtin_text)?;
        let mut link = DigitalLink { gtin, cpv: None, lot: None, serial: None };
        let mut next_allowed = 0;
        for pair in pairs[2..].chunks(2) {
            let ai = pair[0];
            let position =
                QUALIFIERS.iter().position(|q| *q == ai).ok_or_else(|| LinkError::UnknownQualifier(ai.into()))?;
            if position < next_allowed {
                return Err(LinkError::Order(ai.into()));
            }
            next_allowed = position + 1;
            let raw = pair.get(1).ok_or_else(|| LinkError::Value(ai.into()))?;
            let value = percent_decode(raw).ok_or(LinkError::Encoding)?;
            let valid = !value.is_empty() && value.chars().count() <= MAX_VALUE_LEN && value.chars().all(is_cset82);
            if !valid {
                return Err(LinkError::Value(ai.into()));
            }
            match ai {
                "22" => link.cpv = Some(value),
                "10" => link.lot = Some(value),
                _ => link.serial = Some(value),
            }
        }
        Ok(link)
    }

    /// The element string a GS1 barcode (GS1 DataMatrix, GS1-128) carries for the same
    /// identifiers: `01` and its 14 digits first, then the variable-length qualifiers
    /// (serial, lot, CPV — the order of GS1's conversion vectors), each but the last
    /// ended by `<GS>` (0x1D).
    pub fn element_string(&self) -> String {
        let mut s = format!("01{}", self.gtin);
        let variable: Vec<(&str, &str)> =
            self.qualifier_values().into_iter().rev().filter_map(|(ai, v)| v.map(|v| (ai, v))).collect();
        for (i, (ai, value)) in variable.iter().enumerate() {
            s.push_str(ai);
            s.push_str(value);
            if i + 1 < variable.len() {
                s.push(GS);
            }
        }
        s
    }

    /// The human-readable form printed under a barcode: `(01)09521234000013(10)ST25-2025-HX01`.
    pub fn human_readable(&self) -> String {
        let mut s = format!("(01){}", self.gtin);
        for (ai, value) in self.qualifier_values() {
            if let Some(v) = value {
                let _ = write!(s, "({ai}){v}");
            }
        }
        s
    }
}

/// The app's printable label page of a lot: `/tem/{GTIN-14}/{lot}`.
pub fn label_path(gtin: &Gtin, lot: &str) -> String {
    format!("/tem/{gtin}/{}", percent_encode(lot))
}

/// The app's A4 sheet of labels of a lot: `/tem/{GTIN-14}/{lot}/a4`.
pub fn label_sheet_path(gtin: &Gtin, lot: &str) -> String {
    format!("{}/a4", label_path(gtin, lot))
}

/// The public lot's JSON: `/api/v1/lots/{GTIN-14}/{lot}`.
pub fn api_path(gtin: &Gtin, lot: &str) -> String {
    format!("/api/v1/lots/{gtin}/{}", percent_encode(lot))
}

/// The QR code of a lot's Digital Link, drawn by the server as SVG.
pub fn qr_path(gtin: &Gtin, lot: &str) -> String {
    format!("{}/qr.svg", api_path(gtin, lot))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gtin(s: &str) -> Gtin {
        Gtin::parse(s).unwrap()
    }

    #[test]
    fn demo_link_of_standards_md() {
        // ../shared/standards.md §2: the demo link ⇔ its element string.
        let link = DigitalLink::lot(gtin("09521234000013"), "ST25-2025-HX01");
        assert_eq!(link.uri("https://example.com"), "https://example.com/01/09521234000013/10/ST25-2025-HX01");
        assert_eq!(link.uri("https://example.com/"), "https://example.com/01/09521234000013/10/ST25-2025-HX01");
        assert_eq!(link.element_string(), "010952123400001310ST25-2025-HX01");
        assert_eq!(link.human_readable(), "(01)09521234000013(10)ST25-2025-HX01");
        assert_eq!(DigitalLink::parse("https://example.com/01/09521234000013/10/ST25-2025-HX01").unwrap(), link);
    }

    #[test]
    fn element_string_vectors_of_the_conversion_feature() {
        // Solidsoft-Reply/Gs1DigitalLinkLib, Gs1DigitalLinkToGs1ElementStrings.feature.
        let cases = [
            ("https://id.gs1.org/01/05412345000013/10/ABC123", "010541234500001310ABC123"),
            (
                "https://id.gs1.org/01/05412345000013/10/ABC123/21/72292641703",
                "01054123450000132172292641703\u{1D}10ABC123",
            ),
            (
                "https://id.gs1.org/01/5412345000013/22/AJY3095721P49/10/ABC123",
                "010541234500001310ABC123\u{1D}22AJY3095721P49",
            ),
        ];
        for (uri, element) in cases {
            let link = DigitalLink::parse(uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
            assert_eq!(link.element_string(), element, "{uri}");
        }
    }

    #[test]
    fn short_gtins_are_padded_to_14_digits() {
        let link = DigitalLink::parse("https://id.gs1.org/01/5412345000013/22/AJY3095721P49/10/ABC123").unwrap();
        assert_eq!(link.gtin.as_str(), "05412345000013");
        assert_eq!(link.path(), "/01/05412345000013/22/AJY3095721P49/10/ABC123");
    }

    #[test]
    fn qualifiers_are_written_in_the_order_22_10_21() {
        let link = DigitalLink {
            gtin: gtin("05412345000013"),
            cpv: Some("2A".into()),
            lot: Some("ABC123".into()),
            serial: Some("72292641703".into()),
        };
        assert_eq!(link.path(), "/01/05412345000013/22/2A/10/ABC123/21/72292641703");
        assert_eq!(DigitalLink::parse(&link.path()).unwrap(), link);
    }

    #[test]
    fn qualifiers_out_of_order_or_unknown_are_refused() {
        assert_eq!(DigitalLink::parse("/01/05412345000013/21/1/10/A"), Err(LinkError::Order("10".into())));
        assert_eq!(DigitalLink::parse("/01/05412345000013/10/A/10/B"), Err(LinkError::Order("10".into())));
        assert_eq!(DigitalLink::parse("/01/05412345000013/17/270630"), Err(LinkError::UnknownQualifier("17".into())));
        assert_eq!(
            DigitalLink::parse("/01/05412345000014/10/A"),
            Err(LinkError::Gtin(crate::gtin::GtinError::CheckDigit { expected: 3 }))
        );
        assert_eq!(DigitalLink::parse("https://example.com/san-pham/gao"), Err(LinkError::NoGtin));
    }

    #[test]
    fn values_are_percent_encoded_and_decoded() {
        // Everything but A–Z a–z 0–9 - . _ ~ is escaped, sub-delimiters included.
        assert_eq!(percent_encode("AB/12"), "AB%2F12");
        assert_eq!(percent_encode("LOT 1"), "LOT%201");
        assert_eq!(percent_encode("a.b_c-d~e"), "a.b_c-d~e");
        assert_eq!(percent_encode("!\"%&'()*+,:;<=>?"), "%21%22%25%26%27%28%29%2A%2B%2C%3A%3B%3C%3D%3E%3F");
        let link = DigitalLink::lot(gtin("09521234000013"), "HX/01+A%");
        assert_eq!(link.path(), "/01/09521234000013/10/HX%2F01%2BA%25");
        assert_eq!(DigitalLink::parse(&link.uri("http://127.0.0.1:8080")).unwrap(), link);
        // Lower-case escapes decode too.
        assert_eq!(DigitalLink::parse("/01/09521234000013/10/HX%2f01").unwrap().lot.as_deref(), Some("HX/01"));
        assert_eq!(DigitalLink::parse("/01/09521234000013/10/HX%2"), Err(LinkError::Encoding));
        assert_eq!(percent_decode("%E1%BA%A1"), Some("ạ".into()));
    }

    #[test]
    fn values_outside_character_set_82_are_refused() {
        // "ạ" is not in the set even when properly escaped; nor is a space or `#`.
        assert_eq!(DigitalLink::parse("/01/09521234000013/10/L%E1%BA%A1"), Err(LinkError::Value("10".into())));
        assert_eq!(DigitalLink::parse("/01/09521234000013/10/A%20B"), Err(LinkError::Value("10".into())));
        assert_eq!(DigitalLink::parse("/01/09521234000013/10/A%23"), Err(LinkError::Value("10".into())));
        assert_eq!(
            DigitalLink::parse("/01/09521234000013/10/ABCDEFGHIJKLMNOPQRSTU"),
            Err(LinkError::Value("10".into()))
        );
        assert_eq!(DigitalLink::parse("/01/09521234000013/10"), Err(LinkError::Value("10".into())));
    }

    #[test]
    fn query_prefix_and_fragment_do_not_change_the_identifiers() {
        let link = DigitalLink::parse(
            "https://example.com/truy-xuat/01/09521234000013/10/ST25-2025-HX01?linkType=gs1:pip#top",
        )
        .unwrap();
        assert_eq!(link, DigitalLink::lot(gtin("09521234000013"), "ST25-2025-HX01"));
        // A GTIN-only link.
        let only = DigitalLink::parse("/01/09521234000013").unwrap();
        assert_eq!((only.lot.clone(), only.path()), (None, "/01/09521234000013".to_owned()));
    }

    #[test]
    fn character_set_82_has_82_characters() {
        assert_eq!((0u8..=127).map(char::from).filter(|c| is_cset82(*c)).count(), 82);
        assert!(!is_cset82(' ') && !is_cset82('#') && !is_cset82('$') && !is_cset82('@') && !is_cset82('~'));
    }

    #[test]
    fn lot_codes_are_checked_like_ai_10() {
        assert_eq!(check_lot("  ST25-2025-HX01 "), Ok("ST25-2025-HX01".into()));
        assert_eq!(check_lot("HX/01"), Ok("HX/01".into()));
        assert_eq!(check_lot(""), Err(FieldError::Required));
        assert_eq!(check_lot("ABCDEFGHIJKLMNOPQRSTU"), Err(FieldError::TooLong { max: 20 }));
        assert_eq!(check_lot("Lô 1"), Err(FieldError::InvalidLotCode));
        assert_eq!(check_lot("A B"), Err(FieldError::InvalidLotCode));
        assert_eq!(check_lot(".."), Err(FieldError::InvalidLotCode));
    }

    #[test]
    fn app_paths_encode_the_lot() {
        let g = gtin("09521234000013");
        assert_eq!(label_path(&g, "HX/01"), "/tem/09521234000013/HX%2F01");
        assert_eq!(label_sheet_path(&g, "HX01"), "/tem/09521234000013/HX01/a4");
        assert_eq!(qr_path(&g, "HX01"), "/api/v1/lots/09521234000013/HX01/qr.svg");
    }
}
