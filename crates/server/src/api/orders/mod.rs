//! Cart quotes, placing orders (one per cooperative), tracking them, and the VietQR code
//! for bank transfer. The SQL lives beside its handler.
//!
//! Placing an order is one transaction whose first statement writes the idempotency key,
//! so SQLite takes its write lock before anything is read: concurrent orders queue on
//! the lock (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT, and every read
//! in the transaction sees the latest stock. Stock is decremented with
//! `stock - n WHERE stock >= n`, so it never goes below zero.

use crate::{
    AppState,
    auth::Viewer,
    db::{
        int,
        orders::{ORDER_ROW_SQL, order_from_row, vietqr_of},
        products::VISIBLE,
    },
    http::{
        error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult},
        qr::{qr_png, qr_svg},
    },
    secret::{constant_time_eq, sha256_hex},
};
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use domain::{
    I18nText,
    api::ErrorBody,
    catalog::CooperativeRef,
    money::Vnd,
    order::{MAX_LINES, Order, Quote, QuoteGroup, QuoteLine, QuoteRequest, ShippingPolicy, merge_lines},
    validate::{Errors, FieldError},
};
use serde::Deserialize;
use sqlx::{QueryBuilder, Row, sqlite::SqliteRow};
use std::collections::HashMap;

pub mod expiry;
mod idempotency;
mod lookup;
mod place;

pub use idempotency::{IDEMPOTENCY_HEADER, IdempotencyKey};
pub use place::{create_order, transfer_purpose};

fn overflow() -> ApiError {
    ApiError::Internal(anyhow::anyhow!("amount overflow"))
}

fn line_total(price: Vnd, quantity: u32) -> ApiResult<Vnd> {
    price.checked_mul(quantity).ok_or_else(overflow)
}

fn sum(amounts: impl IntoIterator<Item = Vnd>) -> ApiResult<Vnd> {
    Vnd::checked_sum(amounts).ok_or_else(overflow)
}

// ---------------------------------------------------------------------------------------
// Offers: a buyable variant with everything a cart line and an order need.

/// A variant buyers may order now (published product, approved cooperative).
struct Offer {
    variant_id: i64,
    product_id: i64,
    product_slug: String,
    product_name: I18nText,
    variant_label: String,
    unit_price: Vnd,
    stock: u32,
    image_url: Option<String>,
    coop_id: i64,
    cooperative: CooperativeRef,
    bank: Option<Bank>,
}

/// A cooperative's account for bank transfers (VietQR), when it has one.
#[derive(Clone)]
struct Bank {
    bin: String,
    account: String,
    account_name: String,
}

fn offer_sql(filter: &str) -> String {
    format!(
        "SELECT v.id AS variant_id, v.label, v.price, v.stock, p.id AS product_id, p.slug, p.name_vi, p.name_en,
            c.id AS coop_id, c.slug AS coop_slug, c.name AS coop_name, c.province_code AS coop_province,
            c.bank_bin, c.bank_account, c.bank_account_name,
            (SELECT i.url FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_url
         FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE {VISIBLE} AND {filter}"
    )
}

fn offer_from_row(row: &SqliteRow) -> sqlx::Result<Offer> {
    let bin: Option<String> = row.try_get("bank_bin")?;
    let account: Option<String> = row.try_get("bank_account")?;
    let account_name: Option<String> = row.try_get("bank_account_name")?;
    Ok(Offer {
        variant_id: row.try_get("variant_id")?,
        product_id: row.try_get("product_id")?,
        product_slug: row.try_get("slug")?,
        product_name: I18nText { vi: row.try_get("name_vi")?, en: row.try_get("name_en")? },
        variant_label: row.try_get("label")?,
        unit_price: Vnd::new(row.try_get("price")?),
        stock: u32::try_from(row.try_get::<i64, _>("stock")?.max(0)).unwrap_or(u32::MAX),
        image_url: row.try_get("image_url")?,
        coop_id: row.try_get("coop_id")?,
        cooperative: CooperativeRef {
            slug: row.try_get("coop_slug")?,
            name: row.try_get("coop_name")?,
            province_code: int::<u8>(row, "coop_province")?,
        },
        bank: match (bin, account) {
            (Some(b), Some(a)) if !b.trim().is_empty() && !a.trim().is_empty() => {
                Some(Bank { bin: b, account: a, account_name: account_name.unwrap_or_default() })
            }
            _ => None,
        },
    })
}

// ---------------------------------------------------------------------------------------
// POST /cart/quote

/// The cart's lines checked without the database: at most [`MAX_LINES`], quantities in
/// range, the same variant twice merged (within the same cap). Returns (variant id, quantity).
fn validate_quote(req: &QuoteRequest) -> Result<Vec<(i64, u32)>, Errors> {
    let mut e = Errors::new();
    if req.lines.len() > MAX_LINES as usize {
        e.add("lines", FieldError::TooMany { max: MAX_LINES });
    }
    let lines = merge_lines(&req.lines, &mut e).into_iter().map(|(id, quantity, _)| (id, quantity)).collect();
    e.into_result(lines)
}

/// Today's price, stock, name and picture of each cart line, grouped per cooperative
/// (one order each) with shipping. Quantities are capped at the stock; pack sizes that
/// are no longer sold are listed in `unavailable`.
#[utoipa::path(
    post, path = "/cart/quote", tag = "orders",
    request_body = QuoteRequest,
    responses(
        (status = 200, body = Quote),
        (status = 400, description = "Too many lines or a quantity out of range", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ErrorBody), (status = 422, description = "`invalid_json`: JSON that is not of the expected shape", body = ErrorBody))
)]
pub async fn quote(State(st): State<AppState>, ApiJson(req): ApiJson<QuoteRequest>) -> ApiResult<Json<Quote>> {
    let lines = validate_quote(&req)?;
    let mut offers: HashMap<i64, Offer> = HashMap::new();
    if !lines.is_empty() {
        let mut b = QueryBuilder::new(offer_sql("v.id IN ("));
        let mut ids = b.separated(", ");
        for (id, _) in &lines {
            ids.push_bind(*id);
        }
        b.push(")");
        for row in b.build().fetch_all(&st.db).await? {
            let o = offer_from_row(&row)?;
            offers.insert(o.variant_id, o);
        }
    }
    Ok(Json(build_quote(&lines, offers, &st.config.shipping_policy())?))
}

fn build_quote(lines: &[(i64, u32)], mut offers: HashMap<i64, Offer>, policy: &ShippingPolicy) -> ApiResult<Quote> {
    let mut groups: Vec<(i64, QuoteGroup)> = Vec::new();
    let mut unavailable = Vec::new();
    for (id, asked) in lines {
        let Some(o) = offers.remove(id) else {
            unavailable.push(*id);
            continue;
        };
        let quantity = (*asked).min(o.stock);
        let line = QuoteLine {
            variant_id: o.variant_id,
            product_slug: o.product_slug,
            product_name: o.product_name,
            variant_label: o.variant_label,
            image_url: o.image_url,
            unit_price: o.unit_price,
            stock: o.stock,
            quantity,
            line_total: line_total(o.unit_price, quantity)?,
        };
        match groups.iter_mut().find(|(coop, _)| *coop == o.coop_id) {
            Some((_, g)) => g.lines.push(line),
            None => groups.push((
                o.coop_id,
                QuoteGroup {
                    cooperative: o.cooperative,
                    lines: vec![line],
                    subtotal: Vnd::ZERO,
                    shipping_fee: Vnd::ZERO,
                    total: Vnd::ZERO,
                },
            )),
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for (_, mut g) in groups {
        g.subtotal = sum(g.lines.iter().map(|l| l.line_total))?;
        // Nothing to send (all sold out): nothing to ship.
        g.shipping_fee = if g.subtotal == Vnd::ZERO { Vnd::ZERO } else { policy.fee(g.subtotal) };
        g.total = sum([g.subtotal, g.shipping_fee])?;
        out.push(g);
    }
    let total = sum(out.iter().map(|g| g.total))?;
    Ok(Quote { groups: out, unavailable, total })
}

// ---------------------------------------------------------------------------------------
// GET /orders/{number}, GET /orders/{number}/vietqr.svg

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The order row if the token opens it; otherwise "not found", exactly as for a number
/// that does not exist, so nobody learns which numbers do.
async fn find_order(st: &AppState, number: &str, token: Option<&str>) -> ApiResult<SqliteRow> {
    let not_found = || ApiError::NotFound("order");
    let token = token.filter(|t| !t.is_empty() && t.len() <= 200).ok_or_else(not_found)?;
    let row = sqlx::query(&format!("{ORDER_ROW_SQL} WHERE o.number = $1"))
        .bind(number)
        .fetch_optional(&st.db)
        .await?
        .ok_or_else(not_found)?;
    let stored: String = row.try_get("token_hash")?;
    if constant_time_eq(stored.as_bytes(), sha256_hex(token.as_bytes()).as_bytes()) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// An order's tracking page: lines, totals, status history and, while a bank transfer
/// awaits payment, how to pay. Needs the secret token given when the order was placed.
#[utoipa::path(
    get, path = "/orders/{number}", tag = "orders",
    params(
        ("number" = String, Path, description = "The order number, e.g. DH7K3M9QXA"),
        ("token" = String, Query, description = "The secret token returned when the order was placed"),
    ),
    responses(
        (status = 200, body = Order),
        (status = 404, description = "No such order, or a wrong token", body = ErrorBody), crate::http::error::BadParameters)
)]
pub async fn get_order(
    State(st): State<AppState>,
    ApiPath(number): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<impl IntoResponse> {
    let row = find_order(&st, &number, q.token.as_deref()).await?;
    let order = order_from_row(&st, &row).await?;
    // Personal data behind a secret in the URL: no shared cache may keep it.
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(order)))
}

/// One of the signed-in buyer's own orders (no token needed). Another person's order
/// answers "not found", as a number that does not exist.
#[utoipa::path(
    get, path = "/me/orders/{number}", tag = "accounts",
    params(("number" = String, Path, description = "Order number, e.g. DH7K3M9Q2X")),
    responses((status = 200, body = Order), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::BadParameters)
)]
pub async fn my_order(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let row = sqlx::query(&format!("{ORDER_ROW_SQL} WHERE o.number = $1 AND o.buyer_user_id = $2"))
        .bind(&number)
        .bind(viewer.id)
        .fetch_optional(&st.db)
        .await?
        .ok_or(ApiError::NotFound("order"))?;
    let order = order_from_row(&st, &row).await?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(order)))
}

/// The VietQR code to scan with a banking app, as SVG, while a bank-transfer order
/// awaits payment.
#[utoipa::path(
    get, path = "/orders/{number}/vietqr.svg", tag = "orders",
    params(
        ("number" = String, Path, description = "The order number"),
        ("token" = String, Query, description = "The secret token returned when the order was placed"),
    ),
    responses(
        (status = 200, description = "The QR code", content_type = "image/svg+xml", body = String),
        (status = 404, description = "No such order, a wrong token, or nothing to pay by transfer", body = ErrorBody), crate::http::error::BadParameters)
)]
pub async fn vietqr_svg(
    State(st): State<AppState>,
    ApiPath(number): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<Response> {
    let row = find_order(&st, &number, q.token.as_deref()).await?;
    let payment = vietqr_of(&row)?.ok_or(ApiError::NotFound("VietQR code"))?;
    let svg = qr_svg(&payment.payload)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-store")], svg).into_response())
}

/// The same VietQR code as a PNG file to save into the phone's photos (a banking app
/// scans from there), offered as a download named after the order.
#[utoipa::path(
    get, path = "/orders/{number}/vietqr.png", tag = "orders",
    params(
        ("number" = String, Path, description = "The order number"),
        ("token" = String, Query, description = "The secret token returned when the order was placed"),
    ),
    responses(
        (status = 200, description = "The QR code", content_type = "image/png", body = Vec<u8>),
        (status = 404, description = "No such order, a wrong token, or nothing to pay by transfer", body = ErrorBody), crate::http::error::BadParameters)
)]
pub async fn vietqr_png(
    State(st): State<AppState>,
    ApiPath(number): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<Response> {
    let row = find_order(&st, &number, q.token.as_deref()).await?;
    let payment = vietqr_of(&row)?.ok_or(ApiError::NotFound("VietQR code"))?;
    let png = qr_png(&payment.payload, 8)?;
    // The number is the order's own (found above): letters and digits only.
    let disposition = format!("attachment; filename=\"VietQR-{number}.png\"");
    Ok((
        [
            (header::CONTENT_TYPE, "image/png".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        png,
    )
        .into_response())
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(quote))
        .routes(routes!(place::create_order))
        .routes(routes!(get_order))
        .routes(routes!(vietqr_svg))
        .routes(routes!(vietqr_png))
        .routes(routes!(lookup::lookup_order))
        .routes(routes!(my_order))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_document() {
        let svg = qr_svg("00020101021238570010A00000072701270006970405011315002051234560208QRIBFTTA5303704540719430005802VN62210817DH000123 HTX ST2563044693").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }

    #[test]
    fn the_qr_code_is_also_a_png_with_its_quiet_zone() {
        let png = qr_png("00020101021238570010A000000727", 8).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!(image.width(), image.height());
        assert_eq!(image.width() % 8, 0);
        assert_eq!(image.get_pixel(0, 0).0, [255], "quiet zone");
        assert_eq!(image.get_pixel(4 * 8, 4 * 8).0, [0], "the finder pattern's corner");
    }

    #[test]
    fn a_quote_caps_the_merged_quantity_of_a_variant() {
        let line = |quantity| domain::order::LineRequest { variant_id: 7, quantity, expected_price: None };
        let e = validate_quote(&QuoteRequest { lines: vec![line(600), line(400)] }).unwrap_err();
        assert_eq!(
            e.get("lines.1.quantity"),
            Some(&FieldError::OutOfRange { min: 1, max: domain::order::MAX_QUANTITY })
        );
        assert_eq!(validate_quote(&QuoteRequest { lines: vec![line(600), line(399)] }).unwrap(), vec![(7, 999)]);
    }

    #[test]
    fn quote_caps_quantities_and_ships_free_from_the_threshold() {
        let offer = |id: i64, coop: i64, price: i64, stock: u32| Offer {
            variant_id: id,
            product_id: id,
            product_slug: format!("p{id}"),
            product_name: I18nText::default(),
            variant_label: "1 kg".into(),
            unit_price: Vnd::new(price),
            stock,
            image_url: None,
            coop_id: coop,
            cooperative: CooperativeRef { slug: format!("c{coop}"), name: "HTX".into(), province_code: 92 },
            bank: None,
        };
        let offers =
            HashMap::from([(1, offer(1, 10, 100_000, 3)), (2, offer(2, 20, 300_000, 9)), (3, offer(3, 30, 50_000, 0))]);
        let q = build_quote(&[(1, 5), (2, 2), (3, 1), (4, 1)], offers, &ShippingPolicy::default()).unwrap();
        assert_eq!(q.unavailable, vec![4]);
        assert_eq!(q.groups.len(), 3);
        assert_eq!(
            (q.groups[0].lines[0].quantity, q.groups[0].subtotal, q.groups[0].shipping_fee),
            (3, Vnd::new(300_000), Vnd::new(30_000))
        );
        assert_eq!((q.groups[1].subtotal, q.groups[1].shipping_fee), (Vnd::new(600_000), Vnd::ZERO));
        assert_eq!((q.groups[2].lines[0].quantity, q.groups[2].total), (0, Vnd::ZERO));
        assert_eq!(q.total, Vnd::new(930_000));
    }
}
