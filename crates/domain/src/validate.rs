//! Typed validation errors. The API returns them per field; the app translates them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is wrong with one field. Serialized as `{"code":"too_long","max":200}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooLong {
        max: u32,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    NotANumber,
    /// Not one of the allowed values (an unknown category, province, sort…).
    UnknownChoice,
    InvalidPhone,
    NotMobile,
    GtinFormat,
    GtinCheckDigit {
        expected: u8,
    },
    InvalidSlug,
    InvalidDate,
    /// Must not be below another field (e.g. max_price below min_price).
    BelowMinimum,
    /// Fewer items are left than asked for.
    OutOfStock {
        available: u32,
    },
    /// The price changed since the buyer saw it; `current` is the new unit price in đồng.
    PriceChanged {
        current: i64,
    },
    /// The product or pack size is no longer sold.
    Unavailable,
    /// The commune is not in the chosen province.
    CommuneNotInProvince,
    /// At most `max` entries.
    TooMany {
        max: u32,
    },
    /// Neither an email address nor a Vietnamese phone number.
    InvalidLogin,
    InvalidEmail,
    /// Another account already uses this email or phone number.
    LoginTaken,
    PasswordTooShort {
        min: u32,
    },
    PasswordTooLong {
        max: u32,
    },
    /// A password from the list of the most common ones, or only one repeated character.
    PasswordTooCommon,
    /// The password is the email, phone number or name itself.
    PasswordLikeLogin,
    /// The same value twice where each must be unique (e.g. a GTIN).
    Duplicate,
    /// The same text twice in a row ("VN-92-LAI-003VN-92-LAI-003"): typed into a field
    /// that was already filled in.
    TypedTwice,
    /// Not a coordinate in decimal degrees (`10.0452`).
    NotACoordinate,
    /// This person is already a member of the cooperative.
    AlreadyMember,
    /// Not a bank known to VietQR (NAPAS BIN).
    UnknownBank,
    /// Only digits, 4 to 19 of them.
    InvalidBankAccount,
    /// Not a GS1 lot code: 1 to 20 of A–Z a–z 0–9 and ! " % & ' ( ) * + , - . / : ; < = > ? _
    InvalidLotCode,
    /// This GTIN already has a lot with this code.
    LotExists,
    /// Not a web link (https://…) or a path on this site.
    InvalidUrl,
    /// A date or time after now, where only the past makes sense.
    InFuture,
    /// A best-before date earlier than the harvest or production date.
    BeforeProduction,
    /// An end date earlier than the start date.
    EndsBeforeStart,
    /// OCOP stars need an OCOP certificate in the list.
    NeedsOcopCertificate,
    /// The certificate this depends on has expired.
    CertificateExpired,
    /// A product goes to review with at least one photo.
    NeedsPhoto,
}

impl FieldError {
    /// An English sentence for API clients; the app shows its own translation of the code.
    pub fn message(&self) -> String {
        match self {
            FieldError::Required => "This field is required.".into(),
            FieldError::TooLong { max } => format!("At most {max} characters."),
            FieldError::OutOfRange { min, max } => format!("Must be between {min} and {max}."),
            FieldError::NotANumber => "Must be a whole number.".into(),
            FieldError::UnknownChoice => "Not one of the allowed values.".into(),
            FieldError::InvalidPhone => "Not a valid Vietnamese phone number.".into(),
            FieldError::NotMobile => "Must be a mobile number (03, 05, 07, 08 or 09).".into(),
            FieldError::GtinFormat => "A GTIN has 8, 12, 13 or 14 digits.".into(),
            FieldError::GtinCheckDigit { expected } => format!("Wrong check digit: it should be {expected}."),
            FieldError::InvalidSlug => "Only lowercase letters, digits and dashes.".into(),
            FieldError::InvalidDate => "Must be a date (YYYY-MM-DD).".into(),
            FieldError::BelowMinimum => "Must not be below the minimum.".into(),
            FieldError::OutOfStock { available } => format!("Only {available} left in stock."),
            FieldError::PriceChanged { current } => format!("The price changed to {current} đồng."),
            FieldError::Unavailable => "This item is no longer sold.".into(),
            FieldError::CommuneNotInProvince => "This commune is not in the chosen province.".into(),
            FieldError::TooMany { max } => format!("At most {max} entries."),
            FieldError::InvalidLogin => "Enter an email address or a Vietnamese phone number.".into(),
            FieldError::InvalidEmail => "Not a valid email address.".into(),
            FieldError::LoginTaken => "An account with this email or phone number already exists.".into(),
            FieldError::PasswordTooShort { min } => format!("At least {min} characters."),
            FieldError::PasswordTooLong { max } => format!("At most {max} characters."),
            FieldError::PasswordTooCommon => "This password is too easy to guess.".into(),
            FieldError::PasswordLikeLogin => "The password must differ from your name, email and phone.".into(),
            FieldError::Duplicate => "This value is used twice.".into(),
            FieldError::NotACoordinate => "Not a coordinate in decimal degrees, e.g. 10.0452.".into(),
            FieldError::TypedTwice => {
                "The same text appears twice in a row; was it typed into a filled-in field?".into()
            }
            FieldError::AlreadyMember => "This person is already a member.".into(),
            FieldError::UnknownBank => "Not a bank known to VietQR.".into(),
            FieldError::InvalidBankAccount => "An account number has 4 to 19 digits.".into(),
            FieldError::InvalidLotCode => {
                "A lot code has 1 to 20 letters A–Z, digits or the characters - . / _ (no spaces or accents).".into()
            }
            FieldError::LotExists => "This pack size already has a lot with this code.".into(),
            FieldError::InvalidUrl => "Must be a web link (https://…) or a path on this site.".into(),
            FieldError::InFuture => "Must not be in the future.".into(),
            FieldError::BeforeProduction => "Must not be before the harvest or production date.".into(),
            FieldError::EndsBeforeStart => "The end date must not be before the start date.".into(),
            FieldError::NeedsOcopCertificate => "OCOP stars need a valid OCOP certificate in the list.".into(),
            FieldError::CertificateExpired => "The OCOP certificate has expired; renew it or remove the stars.".into(),
            FieldError::NeedsPhoto => "Add at least one photo before submitting the product for review.".into(),
        }
    }
}

impl From<crate::gtin::GtinError> for FieldError {
    fn from(e: crate::gtin::GtinError) -> Self {
        match e {
            crate::gtin::GtinError::CheckDigit { expected } => FieldError::GtinCheckDigit { expected },
            _ => FieldError::GtinFormat,
        }
    }
}

impl From<crate::phone::PhoneError> for FieldError {
    fn from(e: crate::phone::PhoneError) -> Self {
        match e {
            crate::phone::PhoneError::Invalid => FieldError::InvalidPhone,
            crate::phone::PhoneError::NotMobile => FieldError::NotMobile,
        }
    }
}

/// Errors by field name (dotted paths for nested fields, e.g. `variants.0.price`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Errors(pub BTreeMap<String, FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the first error of a field; later ones for the same field are dropped.
    pub fn add(&mut self, field: impl Into<String>, error: FieldError) {
        self.0.entry(field.into()).or_insert(error);
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, Errors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }

    /// Checks a required, length-limited text field; returns the text to store (trimmed,
    /// NFC: [`crate::text::clean_text`]), its length counted in characters after that.
    pub fn text(&mut self, field: &str, value: &str, max: u32) -> String {
        let t = crate::text::clean_text(value);
        if t.is_empty() {
            self.add(field, FieldError::Required);
        } else if t.chars().count() > max as usize {
            self.add(field, FieldError::TooLong { max });
        }
        t
    }

    /// Checks an optional, length-limited text field (trimmed, NFC).
    pub fn optional_text(&mut self, field: &str, value: &str, max: u32) -> String {
        let t = crate::text::clean_text(value);
        if t.chars().count() > max as usize {
            self.add(field, FieldError::TooLong { max });
        }
        t
    }

    /// Checks that an integer lies in `min..=max`.
    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.add(field, FieldError::OutOfRange { min, max });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_with_parameters() {
        let mut e = Errors::new();
        e.add("name", FieldError::TooLong { max: 120 });
        e.add("name", FieldError::Required);
        e.add("phone", FieldError::InvalidPhone);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"name": {"code": "too_long", "max": 120}, "phone": {"code": "invalid_phone"}})
        );
    }

    #[test]
    fn text_is_stored_nfc() {
        let mut e = Errors::new();
        // "Nguyễn" decomposed: e + circumflex + tilde, 8 code points for 6 letters.
        assert_eq!(e.text("name", " Nguye\u{302}\u{303}n ", 6), "Nguyễn");
        assert_eq!(e.optional_text("note", "Thi\u{323} xa\u{303}", 6), "Thị xã");
        assert!(e.is_empty(), "lengths are counted after normalising");
    }

    #[test]
    fn text_checks_trim_and_count_characters_not_bytes() {
        let mut e = Errors::new();
        assert_eq!(e.text("a", "  Gạo  ", 3), "Gạo");
        assert!(e.is_empty(), "3 characters fit although they are 5 bytes");
        e.text("b", "   ", 10);
        e.text("c", "Bưởi", 3);
        assert_eq!(e.get("b"), Some(&FieldError::Required));
        assert_eq!(e.get("c"), Some(&FieldError::TooLong { max: 3 }));
        assert!(e.into_result(()).is_err());
    }
}
