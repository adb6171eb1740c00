//! Shapes of the HTTP API (`/api/v1`) that are not catalog or order types.

use crate::{I18nText, catalog::Category, validate::Errors};
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
