//! Shapes of the HTTP API (`/api/v1`) that are not catalog or order types.

use crate::{
    I18nText,
    catalog::{Category, ProductSummary},
    query::CertFilter,
    validate::Errors,
};
use serde::{Deserialize, Serialize};

/// A page of a list: `{"items":[…],"total":N,"page":P,"per_page":K}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(u64::from(self.per_page.max(1)))
    }
}

/// `GET /api/v1/products`: a page of products (as [`Page`]), with the query's facets when
/// asked for (`facets=true`), and help when a search finds nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductResults {
    pub items: Vec<ProductSummary>,
    /// Matches, counted up to [`COUNT_LIMIT`]; `COUNT_LIMIT + 1` means "more than".
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Counts per filter value for this query (only with `facets=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// The search text these results are for, when the one asked for matched nothing and
    /// correcting a mistyped word did ("nuoc mamm" → "nuoc mam"); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_query: Option<String>,
    /// When nothing matches: categories that have products, the fullest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggested_categories: Vec<CategoryCount>,
    /// When nothing matches: search texts that find the best-selling products.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub popular_searches: Vec<String>,
}

impl ProductResults {
    /// The page of products alone.
    pub fn page(&self) -> Page<ProductSummary> {
        Page { items: self.items.clone(), total: self.total, page: self.page, per_page: self.per_page }
    }
}

/// How many products each filter value would show: for a value, the total of this query
/// with that filter set to it (the other filters kept). Values with none are left out.
/// Categories come in catalog order, provinces in Vietnamese alphabetical order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    /// False when more than [`COUNT_LIMIT`] products match without a facet's own filter:
    /// the counts are then of the first `COUNT_LIMIT + 1` of them only (lower bounds), and
    /// a value left out may still have products.
    pub complete: bool,
    pub categories: Vec<CategoryFacet>,
    pub provinces: Vec<ProvinceFacet>,
    pub certifications: Vec<CertFacet>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryFacet {
    pub category: Category,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvinceFacet {
    /// Origin province code (the `province` filter).
    pub code: u8,
    /// Name without the unit word, e.g. "Cần Thơ".
    pub short_name: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertFacet {
    pub cert: CertFilter,
    pub count: u64,
}

/// Product listings (`GET /api/v1/products`) count matches up to this many: a `total` of
/// `COUNT_LIMIT + 1` means "more than `COUNT_LIMIT`" (shown as "1.000+"), and a search
/// pages through its `COUNT_LIMIT` best matches. Counting every match of a broad search
/// on a large catalog would cost more than the page itself.
pub const COUNT_LIMIT: u64 = 1_000;

/// The one error shape of the API: `{"error":{"code":"…","message":"…","fields":{…}}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine code: `validation`, `not_found`, `payload_too_large`, `internal`…
    /// (one of [`ErrorCode::ALL`]).
    #[cfg_attr(feature = "openapi", schema(schema_with = error_code_schema))]
    pub code: String,
    /// An English sentence for developers; the app translates `code` and `fields`.
    pub message: String,
    #[serde(default, skip_serializing_if = "Errors::is_empty")]
    pub fields: Errors,
}

/// `GET /api/v1/categories` item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    pub category: Category,
    pub name: I18nText,
    /// Published products in the category.
    pub count: u64,
}

/// `GET /api/v1/provinces` item: one of the 34 provinces of [`crate::geo::PROVINCES`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvinceItem {
    pub code: u8,
    /// Full name, e.g. "Thành phố Cần Thơ".
    pub name: String,
    /// Name without the unit word, e.g. "Cần Thơ".
    pub short_name: String,
}

impl From<&crate::geo::Province> for ProvinceItem {
    fn from(p: &crate::geo::Province) -> Self {
        ProvinceItem { code: p.code, name: p.name.into(), short_name: p.short_name.into() }
    }
}

/// `GET /api/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_rounds_up() {
        let p = Page::<u8> { items: vec![], total: 49, page: 1, per_page: 24 };
        assert_eq!(p.page_count(), 3);
    }
}

macro_rules! error_codes {
    ($($variant:ident => $code:literal),* $(,)?) => {
        /// Every `error.code` the API answers with: the server names them by this enum and
        /// the app matches them by it, so neither side can mistype one. On the wire it is
        /// the snake_case string (`ErrorDetail::code`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant),*
        }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code),*
                }
            }

            pub fn from_code(code: &str) -> Option<ErrorCode> {
                match code {
                    $($code => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    Validation => "validation",
    NotFound => "not_found",
    Internal => "internal",
    InvalidJson => "invalid_json",
    InvalidBody => "invalid_body",
    InvalidQuery => "invalid_query",
    InvalidPath => "invalid_path",
    PayloadTooLarge => "payload_too_large",
    UnsupportedMediaType => "unsupported_media_type",
    MethodNotAllowed => "method_not_allowed",
    Unavailable => "unavailable",
    DivisionsUnavailable => "divisions_unavailable",
    CartChanged => "cart_changed",
    BankTransferUnavailable => "bank_transfer_unavailable",
    CooperativeNotApproved => "cooperative_not_approved",
    CrossOrigin => "cross_origin",
    Csrf => "csrf",
    Forbidden => "forbidden",
    Unauthenticated => "unauthenticated",
    RateLimited => "rate_limited",
    TooManyOrders => "too_many_orders",
    IdempotencyKeyRequired => "idempotency_key_required",
    IdempotencyKeyReused => "idempotency_key_reused",
    ImageTooLarge => "image_too_large",
    InvalidImage => "invalid_image",
    UnsupportedImage => "unsupported_image",
    InvalidCredentials => "invalid_credentials",
    InvalidToken => "invalid_token",
    InvalidTransition => "invalid_transition",
    LastAdmin => "last_admin",
    AlreadyMember => "already_member",
    NotADraft => "not_a_draft",
    NothingToResubmit => "nothing_to_resubmit",
}

/// `error.code` in the document: a string, one of the codes of [`ErrorCode::ALL`].
#[cfg(feature = "openapi")]
fn error_code_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .description(Some("Stable machine code: `validation`, `not_found`, `payload_too_large`, `internal`…"))
        .enum_values(Some(ErrorCode::ALL.iter().map(|c| c.as_str())))
        .build()
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ErrorDetail {
    /// The code as the enum (None for a code this version does not know).
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::from_code(&self.code)
    }
}

#[cfg(test)]
mod error_code_tests {
    use super::ErrorCode;

    #[test]
    fn codes_read_back() {
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(c.as_str()), Some(*c));
            assert!(c.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
        assert_eq!(ErrorCode::from_code("no_such_code"), None);
    }
}
