//! Moderation: which action moves a cooperative or product from which status, the reasons
//! staff give, and the queue and lists they decide from.

use crate::{
    I18nText,
    catalog::{
        BankAccount, Category, Certification, CoopKind, CoopStatus, CooperativeRef, Date, Image, ProductStatus,
        ProductSummary, Variant, code_enum,
    },
    validate::Errors,
};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What staff do to a cooperative or a product.
    ModerationAction {
        Approve = "approve",
        Reject = "reject",
        Suspend = "suspend",
        Hide = "hide",
    }
);

impl ModerationAction {
    /// Rejecting, suspending and hiding tell the cooperative why.
    pub const fn needs_reason(self) -> bool {
        !matches!(self, ModerationAction::Approve)
    }
}

/// The status a cooperative gets from `action`, or `None` when the action does not apply.
///
/// - approve: a pending (or suspended) cooperative starts (again) to sell;
/// - reject: a pending cooperative stays pending with the reason, until it resubmits;
/// - suspend: an approved cooperative stops selling (its products disappear).
pub fn cooperative_after(status: CoopStatus, action: ModerationAction) -> Option<CoopStatus> {
    use {CoopStatus::*, ModerationAction::*};
    match (status, action) {
        (Pending | Suspended, Approve) => Some(Approved),
        (Pending, Reject) => Some(Pending),
        (Approved, Suspend) => Some(Suspended),
        _ => None,
    }
}

/// The status a product gets from `action`, or `None` when the action does not apply.
///
/// - approve: a pending (or hidden) product is published;
/// - reject: a pending product goes back to draft with the reason, to be fixed and
///   submitted again;
/// - hide: a published or pending product is taken off the shop.
pub fn product_after(status: ProductStatus, action: ModerationAction) -> Option<ProductStatus> {
    use {ModerationAction::*, ProductStatus::*};
    match (status, action) {
        (Pending | Hidden, Approve) => Some(Published),
        (Pending, Reject) => Some(Draft),
        (Published | Pending, Hide) => Some(Hidden),
        _ => None,
    }
}

/// The actions that apply to a cooperative in `status`, in the order buttons show them.
pub fn cooperative_actions(status: CoopStatus) -> Vec<ModerationAction> {
    ModerationAction::ALL.iter().copied().filter(|a| cooperative_after(status, *a).is_some()).collect()
}

/// The actions that apply to a product in `status`.
pub fn product_actions(status: ProductStatus) -> Vec<ModerationAction> {
    ModerationAction::ALL.iter().copied().filter(|a| product_after(status, *a).is_some()).collect()
}

pub const REASON_MAX: u32 = 500;

/// The body of reject, suspend and hide: why, in words the cooperative will read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonRequest {
    pub reason: String,
}

impl ReasonRequest {
    /// The trimmed reason, or `reason: required | too_long`.
    pub fn validate(&self) -> Result<String, Errors> {
        let mut e = Errors::new();
        let reason = e.text("reason", &self.reason, REASON_MAX);
        e.into_result(reason)
    }
}

/// What a moderation action left behind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeDecision {
    pub slug: String,
    pub status: CoopStatus,
    /// Why it is not (or no longer) approved; empty once approved.
    pub status_reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDecision {
    pub slug: String,
    pub status: ProductStatus,
    /// Why it was sent back or hidden; empty once published.
    pub review_note: String,
}

/// A cooperative waiting for a decision, with what staff check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueCooperative {
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    pub status: CoopStatus,
    /// Set while the cooperative is returned for fixes (or suspended).
    pub status_reason: String,
    /// Business registration or tax number.
    pub registration_number: String,
    pub province_code: u8,
    pub commune_name: String,
    pub street: String,
    /// E.164.
    pub phone: String,
    pub bank: Option<BankAccount>,
    /// RFC 3339, UTC.
    pub registered_at: String,
    /// The admins who registered it: "name (login)".
    pub admins: Vec<String>,
    pub product_count: u32,
    /// Certifications across its products.
    pub certifications: Vec<Certification>,
}

/// A product waiting for a decision, with its images, certifications and pack sizes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueProduct {
    pub slug: String,
    pub name: I18nText,
    pub description: I18nText,
    pub brand: String,
    pub category: Category,
    pub origin_province_code: u8,
    pub ocop_stars: u8,
    pub status: ProductStatus,
    pub cooperative: CooperativeRef,
    pub cooperative_status: CoopStatus,
    pub images: Vec<Image>,
    pub certifications: Vec<Certification>,
    pub variants: Vec<Variant>,
    /// The note of the last rejection, if it was sent back before.
    pub review_note: String,
    /// RFC 3339, UTC: when it was last changed (submitted).
    pub submitted_at: String,
}

/// `GET /api/v1/staff/queue`: everything waiting for staff, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationQueue {
    pub cooperatives: Vec<QueueCooperative>,
    pub products: Vec<QueueProduct>,
    /// Pending cooperatives sent back for fixes (not waiting for staff).
    pub returned_cooperatives: u32,
    /// Today in Vietnam: certifications that expired before it are flagged.
    pub today: Option<Date>,
}

/// A cooperative in the staff list (any status).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCooperative {
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    pub province_code: u8,
    pub status: CoopStatus,
    pub status_reason: String,
    pub registration_number: String,
    pub product_count: u32,
    pub registered_at: String,
}

/// A product in the staff list (any status).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffProduct {
    #[serde(flatten)]
    pub summary: ProductSummary,
    pub status: ProductStatus,
    pub review_note: String,
    pub cooperative_status: CoopStatus,
}

/// A cooperative's own view of its review (`GET /api/v1/cooperatives/{slug}/review`):
/// why it is not approved, and which of its products were sent back or hidden and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeReview {
    pub slug: String,
    pub status: CoopStatus,
    pub status_reason: String,
    /// Pending with a reason: staff returned it; the admin may resubmit after fixing.
    pub can_resubmit: bool,
    pub products: Vec<ReviewedProduct>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedProduct {
    pub slug: String,
    pub name: I18nText,
    pub status: ProductStatus,
    pub review_note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::FieldError;

    #[test]
    fn moderation_moves_only_where_it_applies() {
        use ModerationAction::*;
        assert_eq!(cooperative_after(CoopStatus::Pending, Approve), Some(CoopStatus::Approved));
        assert_eq!(cooperative_after(CoopStatus::Pending, Reject), Some(CoopStatus::Pending));
        assert_eq!(cooperative_after(CoopStatus::Approved, Reject), None);
        assert_eq!(cooperative_after(CoopStatus::Approved, Suspend), Some(CoopStatus::Suspended));
        assert_eq!(cooperative_after(CoopStatus::Suspended, Approve), Some(CoopStatus::Approved));
        assert_eq!(cooperative_after(CoopStatus::Approved, Hide), None);
        assert_eq!(product_after(ProductStatus::Pending, Reject), Some(ProductStatus::Draft));
        assert_eq!(product_after(ProductStatus::Draft, Approve), None, "drafts are submitted first");
        assert_eq!(product_after(ProductStatus::Published, Hide), Some(ProductStatus::Hidden));
        assert_eq!(product_after(ProductStatus::Hidden, Approve), Some(ProductStatus::Published));
        assert_eq!(product_after(ProductStatus::Published, Suspend), None);
        assert_eq!(cooperative_actions(CoopStatus::Pending), vec![Approve, Reject]);
        assert_eq!(product_actions(ProductStatus::Published), vec![Hide]);
        assert!(Reject.needs_reason() && Hide.needs_reason() && !Approve.needs_reason());
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(
            ReasonRequest { reason: "  Thiếu giấy chứng nhận  ".into() }.validate().unwrap(),
            "Thiếu giấy chứng nhận"
        );
        let e = ReasonRequest { reason: " ".into() }.validate().unwrap_err();
        assert_eq!(e.get("reason"), Some(&FieldError::Required));
        let e = ReasonRequest { reason: "x".repeat(501) }.validate().unwrap_err();
        assert_eq!(e.get("reason"), Some(&FieldError::TooLong { max: 500 }));
    }
}
