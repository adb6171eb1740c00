//! The seller console: the product editor's payload and rules, a cooperative's orders
//! and the actions on them, and the dashboard's figures.

/// Largest photo a seller may upload: 10 MiB (the server refuses more with 413).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

use crate::{
    I18nText,
    account::OrderSummary,
    catalog::{Category, CertKind, Date, Image, ProductStatus},
    gtin::Gtin,
    money::Vnd,
    order::{Order, OrderStatus},
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};

pub const MAX_VARIANTS: u32 = 10;
pub const MAX_CERTIFICATIONS: u32 = 10;
pub const MAX_IMAGES: u32 = 8;
/// Highest price of one pack, in đồng (100 million).
pub const MAX_PRICE: i64 = 100_000_000;
pub const MAX_STOCK: i64 = 1_000_000;
/// Variants with at most this many left show as "low stock" on the dashboard.
pub const LOW_STOCK: u32 = 10;

/// A certification as typed in the editor (the date is text until checked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificationInput {
    pub kind: Option<CertKind>,
    pub number: String,
    pub issuer: String,
    /// `YYYY-MM-DD`.
    pub expires_on: String,
}

/// A pack size as typed in the editor. `id` is set for pack sizes that exist already.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantInput {
    #[serde(default)]
    pub id: Option<i64>,
    pub label: String,
    #[serde(default)]
    pub unit: String,
    pub net_weight_g: i64,
    pub price: i64,
    pub stock: i64,
    /// Empty, or 8/12/13/14 digits with a valid check digit.
    #[serde(default)]
    pub gtin: String,
    /// The stock the editor was showing when `stock` was typed (the server sets it when it
    /// sends the product). Saving then changes the stock by the difference, so orders
    /// placed while the editor was open are not undone; without it `stock` is set as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_seen: Option<i64>,
}

/// `PUT /api/v1/seller/{coop}/products/{slug}` and `POST …/products`: everything the
/// editor edits except images.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDraft {
    pub name: I18nText,
    pub description: I18nText,
    pub category: Option<Category>,
    pub brand: String,
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub origin_province_code: u8,
    #[cfg_attr(feature = "openapi", schema(maximum = 5))]
    pub ocop_stars: u8,
    pub certifications: Vec<CertificationInput>,
    pub variants: Vec<VariantInput>,
}

/// A checked pack size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidVariant {
    pub id: Option<i64>,
    pub label: String,
    pub unit: String,
    pub net_weight_g: u32,
    pub price: Vnd,
    pub stock: u32,
    /// See [`VariantInput::stock_seen`].
    pub stock_seen: Option<u32>,
    pub gtin: Option<Gtin>,
}

/// A checked certification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCertification {
    pub kind: CertKind,
    pub number: String,
    pub issuer: String,
    pub expires_on: Date,
}

/// A draft that passed every rule that needs no database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDraft {
    pub name: I18nText,
    pub description: I18nText,
    pub category: Category,
    pub brand: String,
    pub origin_province_code: u8,
    pub ocop_stars: u8,
    pub certifications: Vec<ValidCertification>,
    pub variants: Vec<ValidVariant>,
}

impl ValidDraft {
    /// Rules that depend on the day: OCOP stars stand on an OCOP certificate still valid
    /// `today` (checked when the product is submitted for review).
    pub fn check_on(&self, today: &Date) -> Result<(), Errors> {
        let mut e = Errors::new();
        let ocop_valid = self.certifications.iter().any(|c| c.kind == CertKind::Ocop && c.expires_on >= *today);
        if self.ocop_stars >= crate::catalog::OCOP_MIN_STARS && !ocop_valid {
            e.add("ocop_stars", FieldError::CertificateExpired);
        }
        e.into_result(())
    }
}

impl ProductDraft {
    /// Checks every field; errors name them (`name.vi`, `variants.1.gtin`,
    /// `certifications.0.expires_on`…). An expired certification is allowed (it is
    /// flagged, not refused): the cooperative may be renewing it.
    pub fn validate(&self) -> Result<ValidDraft, Errors> {
        let mut e = Errors::new();
        let name_vi = e.text("name.vi", &self.name.vi, 120);
        let name_en = e.optional_text("name.en", &self.name.en, 120);
        let description_vi = e.optional_text("description.vi", &self.description.vi, 5000);
        let description_en = e.optional_text("description.en", &self.description.en, 5000);
        if self.category.is_none() {
            e.add("category", FieldError::Required);
        }
        let brand = e.optional_text("brand", &self.brand, 80);
        if crate::geo::province(self.origin_province_code).is_none() {
            e.add("origin_province_code", FieldError::UnknownChoice);
        }
        e.range("ocop_stars", self.ocop_stars as i64, 0, 5);
        if (1..crate::catalog::OCOP_MIN_STARS).contains(&self.ocop_stars) {
            // OCOP ratings start at 3 stars; 1–2 are not certified products.
            e.add("ocop_stars", FieldError::OutOfRange { min: i64::from(crate::catalog::OCOP_MIN_STARS), max: 5 });
        }

        if self.certifications.len() > MAX_CERTIFICATIONS as usize {
            e.add("certifications", FieldError::TooMany { max: MAX_CERTIFICATIONS });
        }
        let mut certifications = Vec::new();
        for (i, c) in self.certifications.iter().enumerate() {
            let field = |f: &str| format!("certifications.{i}.{f}");
            if c.kind.is_none() {
                e.add(field("kind"), FieldError::Required);
            }
            let number = e.text(&field("number"), &c.number, 60);
            let issuer = e.text(&field("issuer"), &c.issuer, 150);
            let expires_on = match c.expires_on.trim() {
                "" => {
                    e.add(field("expires_on"), FieldError::Required);
                    None
                }
                t => Date::parse(t).or_else(|| {
                    e.add(field("expires_on"), FieldError::InvalidDate);
                    None
                }),
            };
            if let (Some(kind), Some(expires_on)) = (c.kind, expires_on) {
                certifications.push(ValidCertification { kind, number, issuer, expires_on });
            }
        }
        if self.ocop_stars >= crate::catalog::OCOP_MIN_STARS
            && !self.certifications.iter().any(|c| c.kind == Some(CertKind::Ocop))
        {
            e.add("ocop_stars", FieldError::NeedsOcopCertificate);
        }

        if self.variants.is_empty() {
            e.add("variants", FieldError::Required);
        } else if self.variants.len() > MAX_VARIANTS as usize {
            e.add("variants", FieldError::TooMany { max: MAX_VARIANTS });
        }
        let mut variants = Vec::new();
        let mut gtins: Vec<Gtin> = Vec::new();
        for (i, v) in self.variants.iter().enumerate() {
            let field = |f: &str| format!("variants.{i}.{f}");
            let label = e.text(&field("label"), &v.label, 60);
            let unit = e.optional_text(&field("unit"), &v.unit, 20);
            e.range(&field("net_weight_g"), v.net_weight_g, 0, 1_000_000);
            e.range(&field("price"), v.price, 1_000, MAX_PRICE);
            e.range(&field("stock"), v.stock, 0, MAX_STOCK);
            let gtin = match v.gtin.trim() {
                "" => None,
                t => match Gtin::parse(t) {
                    Ok(g) if gtins.contains(&g) => {
                        e.add(field("gtin"), FieldError::Duplicate);
                        None
                    }
                    Ok(g) => {
                        gtins.push(g.clone());
                        Some(g)
                    }
                    Err(err) => {
                        e.add(field("gtin"), err.into());
                        None
                    }
                },
            };
            variants.push(ValidVariant {
                id: v.id,
                label,
                unit: if unit.is_empty() { "gói".into() } else { unit },
                net_weight_g: v.net_weight_g.clamp(0, 1_000_000) as u32,
                price: Vnd::new(v.price),
                stock: v.stock.clamp(0, MAX_STOCK) as u32,
                stock_seen: v.stock_seen.map(|s| s.clamp(0, MAX_STOCK) as u32),
                gtin,
            });
        }
        e.into_result(ValidDraft {
            name: I18nText { vi: name_vi, en: name_en },
            description: I18nText { vi: description_vi, en: description_en },
            category: self.category.unwrap_or(Category::RiceGrains),
            brand,
            origin_province_code: self.origin_province_code,
            ocop_stars: self.ocop_stars,
            certifications,
            variants,
        })
    }
}

/// An uploaded image as the editor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerImage {
    pub id: i64,
    #[serde(flatten)]
    pub image: Image,
}

/// `GET /api/v1/seller/{coop}/products/{slug}`: the editor's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerProduct {
    pub slug: String,
    pub status: ProductStatus,
    /// Why staff sent it back, shown until it is resubmitted.
    pub review_note: String,
    pub draft: ProductDraft,
    pub images: Vec<SellerImage>,
    /// RFC 3339; sent back with a save so a stale editor cannot overwrite newer work.
    pub updated_at: String,
}

/// A row of the seller's product list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerProductRow {
    pub slug: String,
    pub name: I18nText,
    pub status: ProductStatus,
    pub price_min: Vnd,
    pub stock_total: u32,
    pub image_url: Option<String>,
    pub updated_at: String,
}

/// `PATCH …/images/{id}`: the alt text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageAlt {
    pub alt: I18nText,
}

/// `PUT …/images/order`: image ids in their new order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageOrder {
    pub ids: Vec<i64>,
}

/// What a cooperative does with one of its orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OrderAction {
    Confirm,
    Ship { carrier: String, tracking_code: String },
    Deliver,
    Cancel { reason: String },
}

impl OrderAction {
    pub fn target(&self) -> OrderStatus {
        match self {
            OrderAction::Confirm => OrderStatus::Confirmed,
            OrderAction::Ship { .. } => OrderStatus::Shipped,
            OrderAction::Deliver => OrderStatus::Delivered,
            OrderAction::Cancel { .. } => OrderStatus::Cancelled,
        }
    }

    /// The note recorded on the status change (carrier and code, or the reason).
    pub fn validate(&self) -> Result<Option<String>, Errors> {
        let mut e = Errors::new();
        let note = match self {
            OrderAction::Ship { carrier, tracking_code } => {
                let c = e.text("carrier", carrier, 60);
                let t = e.text("tracking_code", tracking_code, 60);
                Some(shipment_note(&c, &t))
            }
            OrderAction::Cancel { reason } => Some(e.text("reason", reason, 300)),
            _ => None,
        };
        e.into_result(note)
    }
}

/// The note a shipped order's timeline carries: "{carrier}: {tracking code}".
pub fn shipment_note(carrier: &str, tracking_code: &str) -> String {
    format!("{carrier}: {tracking_code}")
}

/// The carrier and tracking code back from a shipped order's note (the last ": " splits
/// them: a tracking code has none).
pub fn parse_shipment_note(note: &str) -> Option<(&str, &str)> {
    note.rsplit_once(": ").filter(|(c, t)| !c.is_empty() && !t.is_empty())
}

/// A row of the cooperative's order list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerOrderRow {
    #[serde(flatten)]
    pub summary: OrderSummary,
    pub buyer_name: String,
    pub province_code: u8,
    pub payment_method: crate::order::PaymentMethod,
}

/// `GET /api/v1/seller/{coop}/orders/{number}`: the order with the buyer's contact.
pub type SellerOrder = Order;

/// Sales on one day (Vietnam time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DaySales {
    pub date: Date,
    pub orders: u32,
    pub revenue: Vnd,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductRevenue {
    pub slug: String,
    pub name: I18nText,
    pub quantity: u32,
    pub revenue: Vnd,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvinceBuyers {
    pub province_code: u8,
    pub buyers: u32,
    pub orders: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LowStock {
    pub product_slug: String,
    pub product_name: I18nText,
    pub variant_label: String,
    pub stock: u32,
}

/// `GET /api/v1/seller/{coop}/dashboard`. Cancelled orders count nowhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// Orders that wait for the cooperative (pending or confirmed), oldest first.
    pub awaiting: Vec<SellerOrderRow>,
    pub low_stock: Vec<LowStock>,
    /// One entry per day of the last 90 days, oldest first (the last 30 are the 30-day
    /// view): confirmed orders (also shipped or delivered) and their goods value.
    pub daily: Vec<DaySales>,
    /// Goods sold (the subtotals of confirmed orders, without shipping fees), 30 and 90 days.
    pub revenue_30: Vnd,
    pub revenue_90: Vnd,
    /// The goods value of orders placed in the last 30 days that still await confirmation.
    pub unconfirmed_30: Vnd,
    pub revenue_by_product: Vec<ProductRevenue>,
    pub buyers_by_province: Vec<ProvinceBuyers>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProductDraft {
        ProductDraft {
            name: I18nText { vi: "Gạo ST25 Lúa Tôm".into(), en: "ST25 rice-shrimp rice".into() },
            description: I18nText { vi: "Gạo thơm trồng luân canh với tôm.".into(), en: String::new() },
            category: Some(Category::RiceGrains),
            brand: "Lúa Tôm Mỹ Xuyên".into(),
            origin_province_code: crate::geo::PROVINCES[0].code,
            ocop_stars: 4,
            certifications: vec![
                CertificationInput {
                    kind: Some(CertKind::VietGap),
                    number: "VietGAP-TT-19-01-92-0001".into(),
                    issuer: "Trung tâm Chứng nhận Phù hợp (QUACERT)".into(),
                    expires_on: "2027-06-30".into(),
                },
                CertificationInput {
                    kind: Some(CertKind::Ocop),
                    number: "OCOP-94-2025-012".into(),
                    issuer: "UBND tỉnh Sóc Trăng".into(),
                    expires_on: "2028-06-30".into(),
                },
            ],
            variants: vec![
                VariantInput {
                    label: "Túi 2 kg".into(),
                    net_weight_g: 2000,
                    price: 98_000,
                    stock: 40,
                    gtin: "9520000000011".into(),
                    ..Default::default()
                },
                VariantInput {
                    label: "Túi 5 kg".into(),
                    net_weight_g: 5000,
                    price: 235_000,
                    stock: 12,
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn a_complete_draft_passes() {
        let v = draft().validate().unwrap();
        assert_eq!(v.variants.len(), 2);
        assert_eq!(v.variants[0].gtin.as_ref().unwrap().as_str(), "09520000000011");
        assert_eq!(v.variants[1].unit, "gói");
    }

    #[test]
    fn a_shipment_note_gives_back_its_carrier_and_code() {
        let note = OrderAction::Ship { carrier: " GHN ".into(), tracking_code: "GHN123".into() }.validate().unwrap();
        assert_eq!(parse_shipment_note(note.as_deref().unwrap()), Some(("GHN", "GHN123")));
        assert_eq!(parse_shipment_note("Viettel Post: Hà Nội: VTP-9"), Some(("Viettel Post: Hà Nội", "VTP-9")));
        assert_eq!(parse_shipment_note("no code"), None);
    }

    #[test]
    fn ocop_stars_stand_on_an_ocop_certificate_valid_on_the_day() {
        let mut d = draft();
        let today = Date::parse("2026-12-02").unwrap();
        assert_eq!(d.validate().unwrap().check_on(&today), Ok(()));
        assert!(d.validate().unwrap().check_on(&Date::parse("2028-07-01").unwrap()).is_err(), "expired by then");
        d.certifications.retain(|c| c.kind != Some(CertKind::Ocop));
        assert_eq!(d.validate().unwrap_err().get("ocop_stars"), Some(&FieldError::NeedsOcopCertificate));
        d.ocop_stars = 0;
        assert!(d.validate().is_ok(), "no stars, no OCOP certificate needed");
    }

    #[test]
    fn every_field_error_is_named() {
        let mut d = draft();
        d.name.vi = " ".into();
        d.category = None;
        d.ocop_stars = 2;
        d.certifications[0].expires_on = "30/06/2027".into();
        d.variants[0].gtin = "9520000000012".into();
        d.variants[1].price = 0;
        d.variants[1].stock = -1;
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("name.vi"), Some(&FieldError::Required));
        assert_eq!(e.get("category"), Some(&FieldError::Required));
        assert_eq!(e.get("ocop_stars"), Some(&FieldError::OutOfRange { min: 3, max: 5 }));
        assert_eq!(e.get("certifications.0.expires_on"), Some(&FieldError::InvalidDate));
        assert_eq!(e.get("variants.0.gtin"), Some(&FieldError::GtinCheckDigit { expected: 1 }));
        assert!(matches!(e.get("variants.1.price"), Some(FieldError::OutOfRange { .. })));
        assert!(matches!(e.get("variants.1.stock"), Some(FieldError::OutOfRange { .. })));
    }

    #[test]
    fn duplicate_gtins_and_missing_variants_are_refused() {
        let mut d = draft();
        d.variants[1].gtin = "09520000000011".into();
        assert_eq!(d.validate().unwrap_err().get("variants.1.gtin"), Some(&FieldError::Duplicate));
        d.variants.clear();
        assert_eq!(d.validate().unwrap_err().get("variants"), Some(&FieldError::Required));
    }

    #[test]
    fn shipping_needs_a_carrier_and_code_and_cancelling_a_reason() {
        let e = OrderAction::Ship { carrier: "".into(), tracking_code: " ".into() }.validate().unwrap_err();
        assert_eq!(e.get("carrier"), Some(&FieldError::Required));
        assert_eq!(e.get("tracking_code"), Some(&FieldError::Required));
        assert_eq!(
            OrderAction::Ship { carrier: "GHN".into(), tracking_code: "GHN123".into() }.validate().unwrap(),
            Some("GHN: GHN123".into())
        );
        assert!(OrderAction::Cancel { reason: "".into() }.validate().is_err());
        assert_eq!(OrderAction::Confirm.validate().unwrap(), None);
    }
}
