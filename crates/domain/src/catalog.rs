//! The catalog: cooperatives, products, variants, certifications.

use crate::{I18nText, Lang, gtin::Gtin, money::Vnd, phone::Phone};
use serde::{Deserialize, Serialize};

/// Declares a closed set of codes: serde names, `ALL`, `code()` and `from_code()` in one place,
/// and (feature `sqlx`) the column type: bound and read as its code.
// `$code` is a `tt`, not a `literal`: a `literal` fragment reaches derive macros wrapped in
// an invisible group, and utoipa's reader of `#[serde(rename = …)]` then skips it, so the
// schema would list the Rust variant names instead of the codes on the wire.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:tt),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in the API, URLs and the database.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        // In the database the code is a text column, in any database sqlx speaks to; a
        // stored code this build does not know is a decode error, never a default.
        #[cfg(feature = "sqlx")]
        impl<DB: ::sqlx::Database> ::sqlx::Type<DB> for $name
        where
            str: ::sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as ::sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as ::sqlx::Type<DB>>::compatible(ty)
            }
        }

        #[cfg(feature = "sqlx")]
        impl<'q, DB: ::sqlx::Database> ::sqlx::Encode<'q, DB> for $name
        where
            &'q str: ::sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as ::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&'q str as ::sqlx::Encode<'q, DB>>::encode(self.code(), buf)
            }
        }

        #[cfg(feature = "sqlx")]
        impl<'r, DB: ::sqlx::Database> ::sqlx::Decode<'r, DB> for $name
        where
            &'r str: ::sqlx::Decode<'r, DB>,
        {
            fn decode(value: <DB as ::sqlx::Database>::ValueRef<'r>) -> Result<Self, ::sqlx::error::BoxDynError> {
                let code = <&'r str as ::sqlx::Decode<'r, DB>>::decode(value)?;
                $name::from_code(code).ok_or_else(|| format!("unknown {} {code:?}", stringify!($name)).into())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// Product categories.
    Category {
        RiceGrains = "rice_grains",
        Fruit = "fruit",
        Vegetables = "vegetables",
        Seafood = "seafood",
        CoffeeTeaSpices = "coffee_tea_spices",
        ProcessedFoods = "processed_foods",
        Handicrafts = "handicrafts",
    }
);

impl Category {
    pub fn name(self, lang: Lang) -> &'static str {
        use Category::*;
        match (self, lang) {
            (RiceGrains, Lang::Vi) => "Gạo & ngũ cốc",
            (RiceGrains, Lang::En) => "Rice & grains",
            (Fruit, Lang::Vi) => "Trái cây",
            (Fruit, Lang::En) => "Fruit",
            (Vegetables, Lang::Vi) => "Rau củ",
            (Vegetables, Lang::En) => "Vegetables",
            (Seafood, Lang::Vi) => "Thủy sản",
            (Seafood, Lang::En) => "Seafood",
            (CoffeeTeaSpices, Lang::Vi) => "Cà phê, trà & gia vị",
            (CoffeeTeaSpices, Lang::En) => "Coffee, tea & spices",
            (ProcessedFoods, Lang::Vi) => "Thực phẩm chế biến",
            (ProcessedFoods, Lang::En) => "Processed foods",
            (Handicrafts, Lang::Vi) => "Thủ công mỹ nghệ",
            (Handicrafts, Lang::En) => "Handicrafts",
        }
    }

    /// The illustration shown for the category.
    pub const fn image_key(self) -> &'static str {
        use Category::*;
        match self {
            RiceGrains => "rice-bag",
            Fruit => "mango",
            Vegetables => "vegetables",
            Seafood => "shrimp",
            CoffeeTeaSpices => "coffee",
            ProcessedFoods => "fish-sauce",
            Handicrafts => "basket",
        }
    }
}

code_enum!(
    /// The legal form of a cooperative organisation.
    CoopKind {
        Htx = "htx",
        Tht = "tht",
        Union = "union",
    }
);

impl CoopKind {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CoopKind::Htx, Lang::Vi) => "Hợp tác xã",
            (CoopKind::Htx, Lang::En) => "Cooperative",
            (CoopKind::Tht, Lang::Vi) => "Tổ hợp tác",
            (CoopKind::Tht, Lang::En) => "Cooperative group",
            (CoopKind::Union, Lang::Vi) => "Liên hiệp hợp tác xã",
            (CoopKind::Union, Lang::En) => "Cooperative union",
        }
    }
}

code_enum!(
    /// A cooperative's standing on the platform. Only approved ones sell.
    CoopStatus {
        Pending = "pending",
        Approved = "approved",
        Suspended = "suspended",
    }
);

code_enum!(
    /// A product's publication state. Only published products of approved cooperatives
    /// are shown to buyers.
    ProductStatus {
        Draft = "draft",
        Pending = "pending",
        Published = "published",
        Hidden = "hidden",
    }
);

/// Whether `literal` is `code` as an SQL string literal (`'code'`); for the compile-time
/// checks of the `*_status_sql!` macros.
pub(crate) const fn is_sql_literal_of(literal: &str, code: &str) -> bool {
    let (l, c) = (literal.as_bytes(), code.as_bytes());
    if l.len() != c.len() + 2 || l[0] != b'\'' || l[l.len() - 1] != b'\'' {
        return false;
    }
    let mut i = 0;
    while i < c.len() {
        if l[i + 1] != c[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A [`CoopStatus`] as an SQL string literal, for SQL text put together at compile time
/// with `concat!`: `coop_status_sql!(Approved)` is `"'approved'"`. A misspelt status does
/// not compile; each literal is checked against [`CoopStatus::code`] when this crate
/// compiles, and a new status does not compile until it has one.
#[macro_export]
macro_rules! coop_status_sql {
    (Pending) => {
        "'pending'"
    };
    (Approved) => {
        "'approved'"
    };
    (Suspended) => {
        "'suspended'"
    };
}

/// A [`ProductStatus`] as an SQL string literal: `product_status_sql!(Published)` is
/// `"'published'"` (see [`coop_status_sql!`]).
#[macro_export]
macro_rules! product_status_sql {
    (Draft) => {
        "'draft'"
    };
    (Pending) => {
        "'pending'"
    };
    (Published) => {
        "'published'"
    };
    (Hidden) => {
        "'hidden'"
    };
}

impl CoopStatus {
    /// The status as an SQL string literal (the `coop_status_sql!` of it).
    pub const fn sql_literal(self) -> &'static str {
        match self {
            CoopStatus::Pending => coop_status_sql!(Pending),
            CoopStatus::Approved => coop_status_sql!(Approved),
            CoopStatus::Suspended => coop_status_sql!(Suspended),
        }
    }
}

impl ProductStatus {
    /// The status as an SQL string literal (the `product_status_sql!` of it).
    pub const fn sql_literal(self) -> &'static str {
        match self {
            ProductStatus::Draft => product_status_sql!(Draft),
            ProductStatus::Pending => product_status_sql!(Pending),
            ProductStatus::Published => product_status_sql!(Published),
            ProductStatus::Hidden => product_status_sql!(Hidden),
        }
    }
}

// Every status's SQL literal is its code, checked when the crate compiles.
const _: () = {
    let mut i = 0;
    while i < CoopStatus::ALL.len() {
        assert!(is_sql_literal_of(CoopStatus::ALL[i].sql_literal(), CoopStatus::ALL[i].code()));
        i += 1;
    }
    let mut i = 0;
    while i < ProductStatus::ALL.len() {
        assert!(is_sql_literal_of(ProductStatus::ALL[i].sql_literal(), ProductStatus::ALL[i].code()));
        i += 1;
    }
};

code_enum!(
    /// Quality and origin certifications.
    CertKind {
        VietGap = "vietgap",
        GlobalGap = "globalgap",
        Organic = "organic",
        Ocop = "ocop",
    }
);

impl CertKind {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CertKind::VietGap, _) => "VietGAP",
            (CertKind::GlobalGap, _) => "GlobalG.A.P.",
            (CertKind::Organic, Lang::Vi) => "Hữu cơ",
            (CertKind::Organic, Lang::En) => "Organic",
            (CertKind::Ocop, _) => "OCOP",
        }
    }
}

/// The fewest stars an OCOP rating gives (products are rated 3 to 5 stars).
pub const OCOP_MIN_STARS: u8 = 3;

/// A calendar date, `YYYY-MM-DD`, as certifications and lots carry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Date(String);

impl Date {
    /// The year (`YYYY`).
    pub fn year(&self) -> u32 {
        self.0[0..4].parse().unwrap_or(0)
    }

    /// The date of a year, month (1–12) and day, if it exists (and is from 1900 on).
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(0..=9999).contains(&year) {
            return None;
        }
        Date::parse(&format!("{year:04}-{month:02}-{day:02}"))
    }

    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (y >= 1900 && (1..=days).contains(&d)).then(|| Date(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Display form: `30/06/2027` in Vietnamese, `2027-06-30` in English.
    pub fn format(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!("{}/{}/{}", &self.0[8..10], &self.0[5..7], &self.0[0..4]),
            Lang::En => self.0.clone(),
        }
    }
}

impl TryFrom<String> for Date {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Date::parse(&s).ok_or("expected a date as YYYY-MM-DD")
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certification {
    pub kind: CertKind,
    pub number: String,
    pub issuer: String,
    pub expires_on: Date,
}

impl Certification {
    pub fn is_expired(&self, today: &Date) -> bool {
        self.expires_on < *today
    }
}

/// An image with its intrinsic size, so pages reserve room and nothing shifts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Image {
    pub url: String,
    pub alt: I18nText,
    pub width: u32,
    pub height: u32,
    /// Smaller copies (WebP) of an uploaded photo, narrowest first, for `srcset`.
    /// Empty for vector illustrations, which scale by themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renditions: Vec<Rendition>,
}

/// One resized copy of an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rendition {
    pub url: String,
    pub width: u32,
}

impl Image {
    /// The `srcset` attribute value (`/media/a-320.webp 320w, …`), if there are renditions.
    pub fn srcset(&self) -> Option<String> {
        (!self.renditions.is_empty())
            .then(|| self.renditions.iter().map(|r| format!("{} {}w", r.url, r.width)).collect::<Vec<_>>().join(", "))
    }
}

/// One pack size of a product, with its own price and stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Variant {
    pub id: i64,
    /// What the buyer picks, e.g. "Túi 5 kg".
    pub label: String,
    /// Selling unit, e.g. "túi", "hộp", "kg".
    pub unit: String,
    pub net_weight_g: u32,
    pub price: Vnd,
    pub stock: u32,
    pub gtin: Option<Gtin>,
}

/// Where a cooperative's VietQR transfers go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankAccount {
    pub bin: String,
    pub account_number: String,
    pub account_name: String,
}

/// A cooperative as lists and product pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    pub province_code: u8,
    pub commune_name: String,
    pub member_count: u32,
    pub founded_year: Option<u16>,
    pub product_count: u32,
    pub banner: Option<Image>,
    pub status: CoopStatus,
}

/// A cooperative's own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cooperative {
    #[serde(flatten)]
    pub summary: CooperativeSummary,
    pub commune_code: u32,
    pub street: String,
    pub sectors: Vec<String>,
    pub story: I18nText,
    pub phone: Phone,
    /// Certifications held across the cooperative's products.
    pub certifications: Vec<Certification>,
    pub joined_at: String,
    /// The short description.
    #[serde(default)]
    pub tagline: I18nText,
    #[serde(default)]
    pub logo: Option<Image>,
    /// Photos of its fields and workshops.
    #[serde(default)]
    pub gallery: Vec<Image>,
    #[serde(default)]
    pub email: Option<String>,
    /// The number it answers on Zalo.
    #[serde(default)]
    pub zalo: Option<Phone>,
    /// Its Facebook page.
    #[serde(default)]
    pub facebook: Option<String>,
    /// Opening hours, as the cooperative wrote them.
    #[serde(default)]
    pub hours: I18nText,
    #[serde(default)]
    pub location: Option<crate::profile::GeoPoint>,
}

/// The few cooperative facts a product card needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeRef {
    pub slug: String,
    pub name: String,
    pub province_code: u8,
}

/// A product as catalog lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSummary {
    pub id: i64,
    pub slug: String,
    pub name: I18nText,
    pub brand: String,
    pub category: Category,
    pub origin_province_code: u8,
    pub ocop_stars: u8,
    pub cooperative: CooperativeRef,
    /// The lowest variant price.
    pub price_from: Vnd,
    pub in_stock: bool,
    pub image: Option<Image>,
    pub cert_kinds: Vec<CertKind>,
}

/// A product page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    #[serde(flatten)]
    pub summary: ProductSummary,
    pub description: I18nText,
    pub status: ProductStatus,
    pub variants: Vec<Variant>,
    pub images: Vec<Image>,
    pub certifications: Vec<Certification>,
    /// The cooperative behind the product, with what its card shows (`cooperative` is
    /// the short reference every summary carries).
    pub producer: CooperativeSummary,
    pub related: Vec<ProductSummary>,
    /// Its traceability lots, newest first, each with its GS1 Digital Link.
    #[serde(default)]
    pub lots: Vec<crate::trace::LotLink>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_from_parts_exist_or_are_none() {
        assert_eq!(super::Date::from_ymd(2028, 2, 29).map(|d| d.as_str().to_owned()).as_deref(), Some("2028-02-29"));
        assert!(super::Date::from_ymd(2027, 2, 29).is_none());
        assert!(super::Date::from_ymd(10_000, 1, 1).is_none());
        assert!(super::Date::from_ymd(-1, 1, 1).is_none());
        assert!(super::Date::from_ymd(2026, 13, 1).is_none());
    }

    use super::*;

    #[test]
    fn codes_round_trip_through_serde_and_from_code() {
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(*c));
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
        }
        assert_eq!(Category::ALL.len(), 7);
        assert_eq!(Category::from_code("weapons"), None);
    }

    #[test]
    fn dates_are_validated() {
        assert!(Date::parse("2027-06-30").is_some());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("30/06/2027").is_none());
        assert_eq!(Date::parse("2027-06-30").unwrap().format(Lang::Vi), "30/06/2027");
    }

    #[test]
    fn expiry_compares_dates() {
        let c = Certification {
            kind: CertKind::VietGap,
            number: "VG-1".into(),
            issuer: "QUACERT".into(),
            expires_on: Date::parse("2026-06-30").unwrap(),
        };
        assert!(c.is_expired(&Date::parse("2026-07-01").unwrap()));
        assert!(!c.is_expired(&Date::parse("2026-06-30").unwrap()));
    }

    #[test]
    fn missing_english_falls_back_to_vietnamese() {
        let t = I18nText { vi: "Gạo".into(), en: " ".into() };
        assert_eq!(t.get(Lang::En), "Gạo");
    }
}
