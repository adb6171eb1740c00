//! The seller console's calls to `/api/v1/seller/{coop}/…`, on top of the app's typed
//! client (`crate::api`): JSON in and out, the CSRF token on every unsafe request.
//! Photo uploads go through [`crate::upload`] (XMLHttpRequest, for progress).

use crate::api::{self, ApiError};
use domain::{
    catalog::ProductStatus,
    order::{Order, OrderStatus},
    seller::{
        Dashboard, ImageAlt, ImageOrder, OrderAction, ProductDraft, SellerImage, SellerOrderRow, SellerProduct,
        SellerProductRow,
    },
    trace::{EventRequest, Lot, LotEvent, LotRequest, ProductLotList, ProductLots},
};

use crate::url::encode as enc;

fn base(coop: &str) -> String {
    format!("/api/v1/seller/{}", enc(coop))
}

fn product_path(coop: &str, slug: &str) -> String {
    format!("{}/products/{}", base(coop), enc(slug))
}

pub async fn products(coop: &str, q: &str, status: Option<ProductStatus>) -> Result<Vec<SellerProductRow>, ApiError> {
    let mut query = Vec::new();
    if !q.trim().is_empty() {
        query.push(format!("q={}", enc(q.trim())));
    }
    if let Some(s) = status {
        query.push(format!("status={}", s.code()));
    }
    let qs = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
    api::get(&format!("{}/products{qs}", base(coop))).await
}

pub async fn product(coop: &str, slug: &str) -> Result<SellerProduct, ApiError> {
    api::get(&product_path(coop, slug)).await
}

pub async fn create_product(coop: &str, draft: &ProductDraft) -> Result<SellerProduct, ApiError> {
    api::post(&format!("{}/products", base(coop)), draft, None).await
}

pub async fn save_product(coop: &str, slug: &str, draft: &ProductDraft) -> Result<SellerProduct, ApiError> {
    api::put(&product_path(coop, slug), draft).await
}

pub async fn submit_product(coop: &str, slug: &str) -> Result<SellerProduct, ApiError> {
    api::post(&format!("{}/submit", product_path(coop, slug)), &serde_json::json!({}), None).await
}

/// Where a photo is uploaded (the raw file is the body; the alt text rides in the query).
pub fn upload_url(coop: &str, slug: &str, alt_vi: &str, alt_en: &str) -> String {
    let mut url = format!("{}/images?alt={}", product_path(coop, slug), enc(alt_vi.trim()));
    if !alt_en.trim().is_empty() {
        url.push_str(&format!("&alt_en={}", enc(alt_en.trim())));
    }
    url
}

pub async fn set_alt(coop: &str, slug: &str, id: i64, alt: &ImageAlt) -> Result<SellerImage, ApiError> {
    api::patch(&format!("{}/images/{id}", product_path(coop, slug)), alt).await
}

pub async fn reorder_images(coop: &str, slug: &str, ids: Vec<i64>) -> Result<Vec<SellerImage>, ApiError> {
    api::put(&format!("{}/images/order", product_path(coop, slug)), &ImageOrder { ids }).await
}

pub async fn delete_image(coop: &str, slug: &str, id: i64) -> Result<(), ApiError> {
    api::delete(&format!("{}/images/{id}", product_path(coop, slug))).await
}

pub async fn orders(coop: &str, status: Option<OrderStatus>) -> Result<Vec<SellerOrderRow>, ApiError> {
    let qs = status.map(|s| format!("?status={}", s.code())).unwrap_or_default();
    api::get(&format!("{}/orders{qs}", base(coop))).await
}

pub async fn order(coop: &str, number: &str) -> Result<Order, ApiError> {
    api::get(&format!("{}/orders/{}", base(coop), enc(number))).await
}

pub async fn order_action(coop: &str, number: &str, action: &OrderAction) -> Result<Order, ApiError> {
    api::post(&format!("{}/orders/{}/status", base(coop), enc(number)), action, None).await
}

/// Marks a bank-transfer order paid (the money arrived).
pub async fn mark_paid(coop: &str, number: &str) -> Result<Order, ApiError> {
    api::post(&format!("{}/orders/{}/paid", base(coop), enc(number)), &(), None).await
}

pub async fn dashboard(coop: &str) -> Result<Dashboard, ApiError> {
    api::get(&format!("{}/dashboard", base(coop))).await
}

pub async fn coop_lots(coop: &str) -> Result<Vec<ProductLotList>, ApiError> {
    api::get(&format!("{}/lots", base(coop))).await
}

pub async fn product_lots(coop: &str, slug: &str) -> Result<ProductLots, ApiError> {
    api::get(&format!("{}/lots", product_path(coop, slug))).await
}

pub async fn create_lot(coop: &str, slug: &str, request: &LotRequest) -> Result<Lot, ApiError> {
    api::post(&format!("{}/lots", product_path(coop, slug)), request, None).await
}

/// Where an event's photo is uploaded (`upload::upload` POSTs the file there).
pub fn event_photo_url(coop: &str, lot_id: i64) -> String {
    format!("{}/lots/{lot_id}/photos", base(coop))
}

pub async fn add_event(coop: &str, lot_id: i64, request: &EventRequest) -> Result<LotEvent, ApiError> {
    api::post(&format!("{}/lots/{lot_id}/events", base(coop)), request, None).await
}

pub async fn profile(coop: &str) -> Result<domain::profile::SellerProfile, ApiError> {
    api::get(&format!("{}/profile", base(coop))).await
}

pub async fn save_profile(
    coop: &str,
    draft: &domain::profile::ProfileDraft,
) -> Result<domain::profile::SellerProfile, ApiError> {
    api::put(&format!("{}/profile", base(coop)), draft).await
}

/// Where a profile picture is uploaded (`kind` logo, banner or gallery; a gallery photo's
/// description rides in the query).
pub fn profile_upload_url(coop: &str, kind: domain::profile::ProfileImageKind, alt_vi: &str) -> String {
    let mut url = format!("{}/profile/images?kind={}", base(coop), kind.code());
    if !alt_vi.trim().is_empty() {
        url.push_str(&format!("&alt={}", enc(alt_vi.trim())));
    }
    url
}
