//! Orders: one per cooperative, with a price snapshot per line.

use crate::{
    I18nText,
    catalog::{CooperativeRef, code_enum},
    geo,
    money::Vnd,
    phone::Phone,
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};

code_enum!(
    /// pending → confirmed → shipped → delivered, or cancelled before delivery.
    OrderStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
    }
);

/// An [`OrderStatus`] as an SQL string literal: `order_status_sql!(Cancelled)` is
/// `"'cancelled'"` (see [`coop_status_sql!`](crate::coop_status_sql)).
#[macro_export]
macro_rules! order_status_sql {
    (Pending) => {
        "'pending'"
    };
    (Confirmed) => {
        "'confirmed'"
    };
    (Shipped) => {
        "'shipped'"
    };
    (Delivered) => {
        "'delivered'"
    };
    (Cancelled) => {
        "'cancelled'"
    };
}

// Every status's SQL literal is its code, checked when the crate compiles.
const _: () = {
    let mut i = 0;
    while i < OrderStatus::ALL.len() {
        let s = OrderStatus::ALL[i];
        assert!(crate::catalog::is_sql_literal_of(s.sql_literal(), s.code()));
        i += 1;
    }
};

impl OrderStatus {
    /// The status as an SQL string literal (the `order_status_sql!` of it).
    pub const fn sql_literal(self) -> &'static str {
        match self {
            OrderStatus::Pending => order_status_sql!(Pending),
            OrderStatus::Confirmed => order_status_sql!(Confirmed),
            OrderStatus::Shipped => order_status_sql!(Shipped),
            OrderStatus::Delivered => order_status_sql!(Delivered),
            OrderStatus::Cancelled => order_status_sql!(Cancelled),
        }
    }

    /// Whether an order in this status may move to `next`.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Pending, Confirmed) | (Confirmed, Shipped) | (Shipped, Delivered) | (Pending | Confirmed, Cancelled)
        )
    }
}

code_enum!(
    PaymentMethod {
        CashOnDelivery = "cod",
        BankTransfer = "bank_transfer",
    }
);

/// A delivery address in the two-tier (province → commune) system of 2025.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub province_code: u8,
    pub commune_code: u32,
    pub commune_name: String,
    /// House number and street, or thôn/ấp.
    pub street: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub variant_id: i64,
    pub product_slug: String,
    pub product_name: I18nText,
    pub variant_label: String,
    /// The price when the order was placed; later price changes do not touch it.
    pub unit_price: Vnd,
    pub quantity: u32,
    pub line_total: Vnd,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: OrderStatus,
    /// RFC 3339, UTC.
    pub at: String,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    pub number: String,
    pub cooperative: CooperativeRef,
    pub buyer_name: String,
    pub buyer_phone: crate::phone::Phone,
    pub address: Address,
    pub note: String,
    pub lines: Vec<OrderLine>,
    pub subtotal: Vnd,
    pub shipping_fee: Vnd,
    pub total: Vnd,
    pub payment_method: PaymentMethod,
    pub status: OrderStatus,
    pub history: Vec<StatusChange>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// When the cooperative marked a bank-transfer order paid (RFC 3339, UTC).
    pub paid_at: Option<String>,
    /// How to pay by bank transfer, while a bank-transfer order awaits payment.
    pub vietqr: Option<VietQrPayment>,
}

/// What a buyer needs to pay by VietQR: the payload to show as a QR code, and the same
/// facts written out for people who type them into their banking app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VietQrPayment {
    pub payload: String,
    pub bank_bin: String,
    pub bank_name: String,
    pub account_number: String,
    pub account_name: String,
    pub amount: Vnd,
    /// The transfer note: the order number, so the cooperative can match the payment.
    pub purpose: String,
}

/// A commune (xã, phường or đặc khu) of the 2025 two-tier system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commune {
    pub code: u32,
    pub name: String,
}

/// One line the buyer asks for. Quantity is signed so that a negative number is a
/// field error with a message, not an unreadable body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineRequest {
    pub variant_id: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 999))]
    pub quantity: i64,
    /// The unit price the buyer saw; when set and different from the current price the
    /// order is refused with `price_changed`, so nobody pays a price they did not see.
    #[serde(default)]
    pub expected_price: Option<Vnd>,
}

/// `POST /api/v1/order-lookup` body: "Tra cứu đơn hàng" without the secret link, by the
/// order number and the phone number the order was placed with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLookup {
    /// e.g. `DH7K3M9QXA` (case and spaces do not matter).
    pub number: String,
    pub phone: String,
}

/// The longest order number a lookup reads (numbers are `DH` and eight characters).
pub const ORDER_NUMBER_MAX: usize = 20;

impl OrderLookup {
    /// The order number (upper case, without spaces) and the phone, or what is wrong.
    pub fn validate(&self) -> Result<(String, Phone), Errors> {
        let mut e = Errors::new();
        let number: String = self.number.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if number.is_empty() {
            e.add("number", FieldError::Required);
        } else if number.chars().count() > ORDER_NUMBER_MAX || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            e.add("number", FieldError::UnknownChoice);
        }
        let phone = match Phone::parse(&self.phone) {
            Ok(p) => Some(p),
            Err(_) if self.phone.trim().is_empty() => {
                e.add("phone", FieldError::Required);
                None
            }
            Err(err) => {
                e.add("phone", err.into());
                None
            }
        };
        match phone {
            Some(p) if e.is_empty() => Ok((number, p)),
            _ => Err(e),
        }
    }
}

/// `POST /api/v1/orders` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRequest {
    pub buyer_name: String,
    pub buyer_phone: String,
    pub address: AddressInput,
    #[serde(default)]
    pub note: String,
    pub payment_method: PaymentMethod,
    pub lines: Vec<LineRequest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressInput {
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub province_code: u8,
    pub commune_code: u32,
    pub street: String,
}

pub const MAX_LINES: u32 = 50;
pub const MAX_QUANTITY: i64 = 999;

/// An order request whose fields passed the rules that need no database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidOrderRequest {
    pub buyer_name: String,
    pub buyer_phone: Phone,
    pub province_code: u8,
    pub commune_code: u32,
    pub street: String,
    pub note: String,
    pub payment_method: PaymentMethod,
    /// (variant id, quantity, expected price), one entry per variant.
    pub lines: Vec<(i64, u32, Option<Vnd>)>,
}

impl OrderRequest {
    /// Checks every field; the errors name the fields (`buyer_phone`,
    /// `address.commune_code`, `lines.2.quantity`…). The commune's province and stock
    /// are checked by the server against its data.
    pub fn validate(&self) -> Result<ValidOrderRequest, Errors> {
        let mut e = Errors::new();
        let buyer_name = e.text("buyer_name", &self.buyer_name, 100);
        let phone = match Phone::parse_mobile(&self.buyer_phone) {
            Ok(p) => Some(p),
            Err(_) if self.buyer_phone.trim().is_empty() => {
                e.add("buyer_phone", FieldError::Required);
                None
            }
            Err(err) => {
                e.add("buyer_phone", err.into());
                None
            }
        };
        if self.address.province_code == 0 {
            e.add("address.province_code", FieldError::Required);
        } else if geo::province(self.address.province_code).is_none() {
            e.add("address.province_code", FieldError::UnknownChoice);
        }
        if self.address.commune_code == 0 {
            e.add("address.commune_code", FieldError::Required);
        }
        let street = e.text("address.street", &self.address.street, 200);
        let note = e.optional_text("note", &self.note, 500);
        if self.lines.is_empty() {
            e.add("lines", FieldError::Required);
        } else if self.lines.len() > MAX_LINES as usize {
            e.add("lines", FieldError::TooMany { max: MAX_LINES });
        }
        let lines = merge_lines(&self.lines, &mut e);
        match phone {
            Some(buyer_phone) if e.is_empty() => Ok(ValidOrderRequest {
                buyer_name,
                buyer_phone,
                province_code: self.address.province_code,
                commune_code: self.address.commune_code,
                street,
                note,
                payment_method: self.payment_method,
                lines,
            }),
            _ => Err(e),
        }
    }
}

/// The lines of a cart or an order, one per pack size: the same pack size twice is one
/// line with both quantities. Each quantity, and each merged quantity, must lie in
/// `1..=MAX_QUANTITY`; the error names the line where it goes out (`lines.3.quantity`).
/// Returns (variant id, quantity, expected price of its first line).
pub fn merge_lines(lines: &[LineRequest], e: &mut Errors) -> Vec<(i64, u32, Option<Vnd>)> {
    let mut merged: Vec<(i64, u32, Option<Vnd>)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let out_of_range = FieldError::OutOfRange { min: 1, max: MAX_QUANTITY };
        let Some(quantity) = u32::try_from(l.quantity).ok().filter(|q| (1..=MAX_QUANTITY).contains(&i64::from(*q)))
        else {
            e.add(format!("lines.{i}.quantity"), out_of_range);
            continue;
        };
        match merged.iter_mut().find(|(id, _, _)| *id == l.variant_id) {
            Some(existing) if i64::from(existing.1) + i64::from(quantity) > MAX_QUANTITY => {
                e.add(format!("lines.{i}.quantity"), out_of_range);
            }
            Some(existing) => existing.1 += quantity,
            None => merged.push((l.variant_id, quantity, l.expected_price)),
        }
    }
    merged
}

/// One order as created: one per cooperative in the cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedOrder {
    pub number: String,
    /// The secret that opens the order's tracking page (`?token=`). Shown once.
    pub token: String,
    pub cooperative: CooperativeRef,
    pub subtotal: Vnd,
    pub shipping_fee: Vnd,
    pub total: Vnd,
    pub status: OrderStatus,
    pub payment_method: PaymentMethod,
    /// The VietQR payload string, for bank transfer.
    pub payload: Option<String>,
}

/// `POST /api/v1/orders` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedOrders {
    pub orders: Vec<CreatedOrder>,
}

/// `POST /api/v1/cart/quote` body: what the cart holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRequest {
    pub lines: Vec<LineRequest>,
}

/// Today's facts for each cart line, grouped per cooperative (one order each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub groups: Vec<QuoteGroup>,
    /// Lines whose pack size is no longer sold.
    pub unavailable: Vec<i64>,
    pub total: Vnd,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteGroup {
    pub cooperative: CooperativeRef,
    pub lines: Vec<QuoteLine>,
    pub subtotal: Vnd,
    pub shipping_fee: Vnd,
    pub total: Vnd,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLine {
    pub variant_id: i64,
    pub product_slug: String,
    pub product_name: I18nText,
    pub variant_label: String,
    pub image_url: Option<String>,
    pub unit_price: Vnd,
    pub stock: u32,
    /// The quantity asked for, capped at the stock.
    pub quantity: u32,
    pub line_total: Vnd,
}

/// Shipping: a flat fee per cooperative order, free from a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShippingPolicy {
    pub flat_fee: Vnd,
    pub free_from: Vnd,
}

impl Default for ShippingPolicy {
    fn default() -> Self {
        ShippingPolicy { flat_fee: Vnd::new(30_000), free_from: Vnd::new(500_000) }
    }
}

impl ShippingPolicy {
    pub fn fee(&self, subtotal: Vnd) -> Vnd {
        if subtotal >= self.free_from { Vnd::ZERO } else { self.flat_fee }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_reads_the_number_as_people_type_it() {
        let l = OrderLookup { number: " dh7k 3m9qxa ".into(), phone: "0912 345 678".into() };
        let (number, phone) = l.validate().unwrap();
        assert_eq!((number.as_str(), phone.e164()), ("DH7K3M9QXA", "+84912345678"));
        let e = OrderLookup { number: "DH-7K".into(), phone: "".into() }.validate().unwrap_err();
        assert_eq!(e.get("number"), Some(&FieldError::UnknownChoice));
        assert_eq!(e.get("phone"), Some(&FieldError::Required));
    }
    use OrderStatus::*;

    fn request() -> OrderRequest {
        OrderRequest {
            buyer_name: "Nguyễn Thị Lan".into(),
            buyer_phone: "0912 345 678".into(),
            address: AddressInput { province_code: 92, commune_code: 31117, street: "12 Đường 3/2".into() },
            note: String::new(),
            payment_method: PaymentMethod::CashOnDelivery,
            lines: vec![
                LineRequest { variant_id: 1, quantity: 2, expected_price: None },
                LineRequest { variant_id: 1, quantity: 1, expected_price: None },
            ],
        }
    }

    #[test]
    fn valid_request_merges_repeated_variants() {
        let v = request().validate().unwrap();
        assert_eq!(v.buyer_phone.e164(), "+84912345678");
        assert_eq!(v.lines, vec![(1, 3, None)]);
    }

    #[test]
    fn repeated_lines_for_one_variant_are_capped_on_their_sum() {
        let mut r = request();
        r.lines = (0..50).map(|_| LineRequest { variant_id: 1, quantity: 999, expected_price: None }).collect();
        let e = r.validate().unwrap_err();
        assert_eq!(e.get("lines.1.quantity"), Some(&FieldError::OutOfRange { min: 1, max: MAX_QUANTITY }));
        r.lines = vec![
            LineRequest { variant_id: 1, quantity: 500, expected_price: None },
            LineRequest { variant_id: 1, quantity: 499, expected_price: None },
        ];
        assert_eq!(r.validate().unwrap().lines, vec![(1, 999, None)]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut r = request();
        r.buyer_name = " ".into();
        r.buyer_phone = "abc".into();
        r.address.province_code = 94;
        r.address.street = String::new();
        r.lines = vec![
            LineRequest { variant_id: 1, quantity: 0, expected_price: None },
            LineRequest { variant_id: 2, quantity: -3, expected_price: None },
        ];
        let e = r.validate().unwrap_err();
        assert_eq!(e.get("buyer_name"), Some(&FieldError::Required));
        assert_eq!(e.get("buyer_phone"), Some(&FieldError::InvalidPhone));
        assert_eq!(e.get("address.province_code"), Some(&FieldError::UnknownChoice));
        assert_eq!(e.get("address.street"), Some(&FieldError::Required));
        assert!(e.get("lines.0.quantity").is_some());
        assert!(e.get("lines.1.quantity").is_some());
    }

    #[test]
    fn landline_is_not_enough_for_delivery() {
        let mut r = request();
        r.buyer_phone = "028 3822 1234".into();
        assert_eq!(r.validate().unwrap_err().get("buyer_phone"), Some(&FieldError::NotMobile));
    }

    #[test]
    fn empty_cart_cannot_be_ordered() {
        let mut r = request();
        r.lines.clear();
        assert_eq!(r.validate().unwrap_err().get("lines"), Some(&FieldError::Required));
    }

    #[test]
    fn status_moves_forward_only() {
        assert!(Pending.can_become(Confirmed));
        assert!(Confirmed.can_become(Shipped));
        assert!(Shipped.can_become(Delivered));
        assert!(Pending.can_become(Cancelled));
        assert!(!Shipped.can_become(Cancelled));
        assert!(!Delivered.can_become(Pending));
        assert!(!Cancelled.can_become(Confirmed));
        assert!(!Pending.can_become(Shipped));
    }

    #[test]
    fn shipping_is_free_from_the_threshold() {
        let p = ShippingPolicy::default();
        assert_eq!(p.fee(Vnd::new(499_000)), Vnd::new(30_000));
        assert_eq!(p.fee(Vnd::new(500_000)), Vnd::ZERO);
    }
}
