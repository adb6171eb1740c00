//! Chợ HTX domain: the types, validation and rules that the browser app and the API
//! server share, so the two can never disagree. Compiles for wasm32 and native.
//!
//! Invariants kept here:
//! - money is whole đồng in an `i64` ([`money::Vnd`]), never a float;
//! - text is folded for search by exactly one function ([`text::fold`]);
//! - a [`gtin::Gtin`] always holds 14 digits with a valid check digit;
//! - a [`phone::Phone`] is always a valid Vietnamese number in E.164 form.

pub mod account;
pub mod api;
pub mod catalog;
pub mod curation;
pub mod geo;
pub mod gs1;
pub mod gtin;
pub mod money;
pub mod order;
pub mod phone;
pub mod profile;
pub mod query;
pub mod seller;
pub mod text;
pub mod trace;
pub mod validate;
pub mod vietqr;

/// The two languages of the product. Vietnamese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// A text given in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct I18nText {
    pub vi: String,
    pub en: String,
}

impl I18nText {
    /// The text in `lang`, falling back to Vietnamese when the translation is missing.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.trim().is_empty() => &self.en,
            _ => &self.vi,
        }
    }
}
