//! Orders: one per cooperative, with a price snapshot per line.

use crate::{
    I18nText,
    catalog::{CooperativeRef, code_enum},
    money::Vnd,
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

impl OrderStatus {
    /// Whether an order in this status may move to `next`.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Pending, Confirmed)
                | (Confirmed, Shipped)
                | (Shipped, Delivered)
                | (Pending | Confirmed, Cancelled)
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
    use OrderStatus::*;

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
