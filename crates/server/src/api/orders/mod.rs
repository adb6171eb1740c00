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
    auth::{MaybeViewer, Viewer},
    db::{
        orders::{ORDER_ROW_SQL, order_from_row, vietqr_of},
        products::{VISIBLE, refresh_product_aggregates},
    },
    http::{
        error::{ApiError, ApiJson, ApiQuery, ApiResult},
        qr::qr_svg,
    },
    secret::{constant_time_eq, random_bytes, sha256_hex},
};
use axum::{
    Json,
    extract::{FromRequestParts, Path, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use domain::{
    I18nText,
    api::ErrorBody,
    catalog::CooperativeRef,
    money::Vnd,
    order::{
        CreatedOrder, CreatedOrders, MAX_LINES, MAX_QUANTITY, Order, OrderRequest, OrderStatus, PaymentMethod, Quote,
        QuoteGroup, QuoteLine, QuoteRequest, ShippingPolicy,
    },
    text::strip_marks,
    validate::{Errors, FieldError},
    vietqr::Transfer,
};
use serde::Deserialize;
use sqlx::{QueryBuilder, Row, SqliteConnection, sqlite::SqliteRow};
use std::collections::{BTreeMap, HashMap};

/// The request header that makes `POST /orders` safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// How long a placed order's response is replayed for its key.
const IDEMPOTENCY_TTL: time::Duration = time::Duration::hours(24);
/// Order numbers: "DH" and 8 of these (no 0/O, 1/I), 32 symbols so a byte maps evenly.
const NUMBER_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// At most this many characters go into the VietQR transfer note (field 62/08).
const PURPOSE_MAX: usize = 25;

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
    bank: Option<(String, String, String)>,
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
            province_code: row.try_get::<i64, _>("coop_province")? as u8,
        },
        bank: match (bin, account) {
            (Some(b), Some(a)) if !b.trim().is_empty() && !a.trim().is_empty() => {
                Some((b, a, account_name.unwrap_or_default()))
            }
            _ => None,
        },
    })
}

// ---------------------------------------------------------------------------------------
// POST /cart/quote

/// The cart's lines checked without the database: at most [`MAX_LINES`], quantities in
/// range, the same variant twice merged. Returns (variant id, quantity).
fn validate_quote(req: &QuoteRequest) -> Result<Vec<(i64, u32)>, Errors> {
    let mut e = Errors::new();
    if req.lines.len() > MAX_LINES as usize {
        e.add("lines", FieldError::TooMany { max: MAX_LINES });
    }
    let mut lines: Vec<(i64, u32)> = Vec::new();
    for (i, l) in req.lines.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&l.quantity) {
            e.add(format!("lines.{i}.quantity"), FieldError::OutOfRange { min: 1, max: MAX_QUANTITY });
            continue;
        }
        match lines.iter_mut().find(|(id, _)| *id == l.variant_id) {
            Some(existing) => existing.1 += l.quantity as u32,
            None => lines.push((l.variant_id, l.quantity as u32)),
        }
    }
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
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
    )
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
// POST /orders

/// The `Idempotency-Key` header: 8 to 100 visible ASCII characters (a UUID fits).
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(IDEMPOTENCY_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|k| (8..=100).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .map(|k| IdempotencyKey(k.to_owned()))
            .ok_or_else(|| {
                ApiError::status(
                    StatusCode::BAD_REQUEST,
                    "idempotency_key_required",
                    "Send an Idempotency-Key header of 8 to 100 visible ASCII characters (a new UUID per order).",
                )
            })
    }
}

fn new_order_number() -> ApiResult<String> {
    let bytes: [u8; 8] = random_bytes()?;
    Ok(std::iter::once("DH".to_owned())
        .chain(bytes.iter().map(|b| char::from(NUMBER_ALPHABET[usize::from(*b) % NUMBER_ALPHABET.len()]).to_string()))
        .collect())
}

/// The cooperative's name made short for a transfer note: "Hợp tác xã" → "HTX"…
fn short_coop_name(name: &str) -> String {
    [
        ("Liên hiệp Hợp tác xã", "LH HTX"),
        ("Liên hiệp hợp tác xã", "LH HTX"),
        ("Hợp tác xã", "HTX"),
        ("hợp tác xã", "HTX"),
        ("Tổ hợp tác", "THT"),
        ("tổ hợp tác", "THT"),
    ]
    .iter()
    .fold(name.to_owned(), |n, (long, short)| n.replace(long, short))
}

/// "{number} {short cooperative name}" in ASCII, at most 25 characters: the VietQR
/// purpose, so the cooperative can match the payment to the order.
pub fn transfer_purpose(number: &str, coop_name: &str) -> String {
    let ascii: String = strip_marks(&format!("{number} {}", short_coop_name(coop_name)))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let cut: String = ascii.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(PURPOSE_MAX).collect();
    cut.trim_end().to_owned()
}

fn bank_transfer_unavailable(coop: &CooperativeRef) -> ApiError {
    ApiError::status(
        StatusCode::UNPROCESSABLE_ENTITY,
        "bank_transfer_unavailable",
        format!("{} cannot be paid by bank transfer yet; choose cash on delivery for its items.", coop.name),
    )
}

fn created(body: String) -> Response {
    (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

/// What one cooperative's order is made of.
struct Group {
    cooperative: CooperativeRef,
    coop_id: i64,
    bank: Option<(String, String, String)>,
    lines: Vec<(Offer, u32)>,
}

/// Place an order: one per cooperative in the cart, paid cash on delivery or by bank
/// transfer (VietQR). Retrying with the same `Idempotency-Key` and body returns the same
/// orders; the same key with another body is refused.
#[utoipa::path(
    post, path = "/orders", tag = "orders",
    request_body = OrderRequest,
    params(("Idempotency-Key" = String, Header, description = "A new random key (8–100 characters, e.g. a UUID) per order; retries reuse it")),
    responses(
        (status = 201, description = "The orders, one per cooperative, each with its secret tracking token", body = CreatedOrders),
        (status = 400, description = "Invalid fields (`validation`) or no Idempotency-Key (`idempotency_key_required`)", body = ErrorBody),
        (status = 409, description = "`cart_changed`: items unavailable, out of stock (`out_of_stock`) or repriced (`price_changed`), per line", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 422, description = "`idempotency_key_reused` with another body, `bank_transfer_unavailable`, or a body that is not an order", body = ErrorBody),
        (status = 503, description = "`divisions_unavailable`: addresses cannot be checked", body = ErrorBody),
    )
)]
pub async fn create_order(
    State(st): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(req): ApiJson<OrderRequest>,
) -> ApiResult<Response> {
    // Checks that need no transaction: the fields, then the commune against its province.
    let divisions = st.divisions.require()?;
    let (valid, mut errors) = match req.validate() {
        Ok(v) => (Some(v), Errors::new()),
        Err(e) => (None, e),
    };
    let commune = divisions.check_commune(
        req.address.province_code,
        req.address.commune_code,
        "address.commune_code",
        &mut errors,
    );
    let (Some(valid), Some(commune), true) = (valid, commune, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let request_hash = sha256_hex(&serde_json::to_vec(&req).map_err(anyhow::Error::from)?);
    let now = st.clock.now();
    let now_text = crate::clock::rfc3339(now);

    let mut tx = st.db.begin().await?;
    // First statement: a write, so the transaction holds SQLite's write lock from here on.
    let inserted: Option<String> = sqlx::query_scalar(
        "INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES ($1, $2, NULL, $3)
         ON CONFLICT (key) DO NOTHING RETURNING key",
    )
    .bind(&key)
    .bind(&request_hash)
    .bind(&now_text)
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        let row = sqlx::query("SELECT request_hash, response FROM idempotency_keys WHERE key = $1")
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
        tx.rollback().await?;
        let stored_hash: String = row.try_get("request_hash")?;
        if stored_hash != request_hash {
            return Err(ApiError::status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "This Idempotency-Key was used for another order; send a new key for a new order.",
            ));
        }
        let response: Option<String> = row.try_get("response")?;
        // The key and its response are written in one transaction, so a key without one
        // cannot be seen here.
        return response
            .map(created)
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("idempotency key {key} has no response")));
    }
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(crate::clock::rfc3339(now - IDEMPOTENCY_TTL))
        .execute(&mut *tx)
        .await?;

    // Every line: buyable, at the price the buyer saw, in stock. All problems are collected.
    let mut errors = Errors::new();
    let mut groups: Vec<Group> = Vec::new();
    let offer_by_id = offer_sql("v.id = $1");
    for (variant_id, quantity, expected) in &valid.lines {
        // The field names use the line's index in the request (merged lines: the first).
        let i = req.lines.iter().position(|l| l.variant_id == *variant_id).unwrap_or(0);
        let Some(offer) = sqlx::query(&offer_by_id).bind(variant_id).fetch_optional(&mut *tx).await? else {
            errors.add(format!("lines.{i}.variant_id"), FieldError::Unavailable);
            continue;
        };
        let offer = offer_from_row(&offer)?;
        if expected.is_some_and(|seen| seen != offer.unit_price) {
            errors.add(format!("lines.{i}.price"), FieldError::PriceChanged { current: offer.unit_price.dong() });
        }
        let taken = sqlx::query("UPDATE variants SET stock = stock - $1 WHERE id = $2 AND stock >= $1")
            .bind(i64::from(*quantity))
            .bind(variant_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if taken == 0 {
            errors.add(format!("lines.{i}.quantity"), FieldError::OutOfStock { available: offer.stock });
            continue;
        }
        match groups.iter_mut().find(|g| g.coop_id == offer.coop_id) {
            Some(g) => g.lines.push((offer, *quantity)),
            None => groups.push(Group {
                cooperative: offer.cooperative.clone(),
                coop_id: offer.coop_id,
                bank: offer.bank.clone(),
                lines: vec![(offer, *quantity)],
            }),
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(ApiError::Fields { status: StatusCode::CONFLICT, code: "cart_changed", fields: errors });
    }

    let mut sold: BTreeMap<i64, i64> = BTreeMap::new();
    for (offer, quantity) in groups.iter().flat_map(|g| &g.lines) {
        *sold.entry(offer.product_id).or_default() += i64::from(*quantity);
    }
    for (product_id, quantity) in &sold {
        sqlx::query("UPDATE products SET sold_count = sold_count + $1, updated_at = $2 WHERE id = $3")
            .bind(quantity)
            .bind(&now_text)
            .bind(product_id)
            .execute(&mut *tx)
            .await?;
        refresh_product_aggregates(&mut tx, *product_id).await?;
    }

    let policy = st.config.shipping_policy();
    let mut orders = Vec::with_capacity(groups.len());
    for group in &groups {
        orders.push(insert_order(&mut tx, &valid, &commune.name, group, &policy, &now_text).await?);
    }
    // A signed-in buyer finds the orders again under "my orders".
    if let Some(v) = &viewer {
        for o in &orders {
            sqlx::query("UPDATE orders SET buyer_user_id = $1 WHERE number = $2")
                .bind(v.id)
                .bind(&o.number)
                .execute(&mut *tx)
                .await?;
        }
    }
    let body = serde_json::to_string(&CreatedOrders { orders }).map_err(anyhow::Error::from)?;
    sqlx::query("UPDATE idempotency_keys SET response = $1 WHERE key = $2")
        .bind(&body)
        .bind(&key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(created(body))
}

/// Inserts one cooperative's order with its lines and first event; returns what the
/// buyer is shown once (the token among it).
async fn insert_order(
    conn: &mut SqliteConnection,
    req: &domain::order::ValidOrderRequest,
    commune_name: &str,
    group: &Group,
    policy: &ShippingPolicy,
    now: &str,
) -> ApiResult<CreatedOrder> {
    let mut totals = Vec::with_capacity(group.lines.len());
    for (offer, quantity) in &group.lines {
        totals.push(line_total(offer.unit_price, *quantity)?);
    }
    let subtotal = sum(totals.iter().copied())?;
    let shipping_fee = policy.fee(subtotal);
    let total = sum([subtotal, shipping_fee])?;
    let bank_transfer = req.payment_method == PaymentMethod::BankTransfer;
    let bank = match (&group.bank, bank_transfer) {
        (Some(b), true) => Some(b),
        (None, true) => return Err(bank_transfer_unavailable(&group.cooperative)),
        (_, false) => None,
    };
    let token = hex::encode(random_bytes::<32>()?);

    // A fresh number until one is free (32^8 numbers: a clash is already unlikely).
    let mut attempt = 0;
    let (order_id, number, payment) = loop {
        attempt += 1;
        let number = new_order_number()?;
        let payment = match bank {
            Some((bin, account, account_name)) => {
                let purpose = transfer_purpose(&number, &group.cooperative.name);
                let payload = Transfer {
                    bank_bin: bin,
                    account,
                    amount: Some(total),
                    bill_number: None,
                    purpose: Some(&purpose),
                }
                .payload()
                .map_err(|e| {
                    tracing::warn!("cooperative {}: no VietQR payload: {e}", group.cooperative.slug);
                    bank_transfer_unavailable(&group.cooperative)
                })?;
                Some((bin.as_str(), account.as_str(), account_name.as_str(), purpose, payload))
            }
            None => None,
        };
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO orders (number, token_hash, cooperative_id, buyer_name, buyer_phone, province_code, commune_code,
                commune_name, street, note, payment_method, status, subtotal, shipping_fee, total, payment_bank_bin,
                payment_account, payment_account_name, payment_purpose, vietqr_payload, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)
             ON CONFLICT (number) DO NOTHING RETURNING id",
        )
        .bind(&number)
        .bind(sha256_hex(token.as_bytes()))
        .bind(group.coop_id)
        .bind(&req.buyer_name)
        .bind(req.buyer_phone.e164())
        .bind(i64::from(req.province_code))
        .bind(i64::from(req.commune_code))
        .bind(commune_name)
        .bind(&req.street)
        .bind(&req.note)
        .bind(req.payment_method.code())
        .bind(OrderStatus::Pending.code())
        .bind(subtotal.dong())
        .bind(shipping_fee.dong())
        .bind(total.dong())
        .bind(payment.as_ref().map(|p| p.0))
        .bind(payment.as_ref().map(|p| p.1))
        .bind(payment.as_ref().map(|p| p.2))
        .bind(payment.as_ref().map(|p| p.3.as_str()))
        .bind(payment.as_ref().map(|p| p.4.as_str()))
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        match id {
            Some(id) => break (id, number, payment),
            None if attempt < 10 => continue,
            None => {
                return Err(ApiError::Internal(anyhow::anyhow!("no free order number after {attempt} tries")));
            }
        }
    };

    for ((offer, quantity), line_total) in group.lines.iter().zip(&totals) {
        sqlx::query(
            "INSERT INTO order_items (order_id, variant_id, product_id, product_slug, product_name_vi, product_name_en,
                variant_label, unit_price, quantity, line_total)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(order_id)
        .bind(offer.variant_id)
        .bind(offer.product_id)
        .bind(&offer.product_slug)
        .bind(&offer.product_name.vi)
        .bind(&offer.product_name.en)
        .bind(&offer.variant_label)
        .bind(offer.unit_price.dong())
        .bind(i64::from(*quantity))
        .bind(line_total.dong())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("INSERT INTO order_events (order_id, status, at, note) VALUES ($1, $2, $3, NULL)")
        .bind(order_id)
        .bind(OrderStatus::Pending.code())
        .bind(now)
        .execute(&mut *conn)
        .await?;

    Ok(CreatedOrder {
        number,
        token,
        cooperative: group.cooperative.clone(),
        subtotal,
        shipping_fee,
        total,
        status: OrderStatus::Pending,
        payment_method: req.payment_method,
        payload: payment.map(|p| p.4),
    })
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
        (status = 404, description = "No such order, or a wrong token", body = ErrorBody),
    )
)]
pub async fn get_order(
    State(st): State<AppState>,
    Path(number): Path<String>,
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
    responses((status = 200, body = Order), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub async fn my_order(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(number): Path<String>,
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
        (status = 404, description = "No such order, a wrong token, or nothing to pay by transfer", body = ErrorBody),
    )
)]
pub async fn vietqr_svg(
    State(st): State<AppState>,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<Response> {
    let row = find_order(&st, &number, q.token.as_deref()).await?;
    let payment = vietqr_of(&row)?.ok_or(ApiError::NotFound("VietQR code"))?;
    let svg = qr_svg(&payment.payload)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-store")], svg).into_response())
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(quote))
        .routes(routes!(create_order))
        .routes(routes!(get_order))
        .routes(routes!(vietqr_svg))
        .routes(routes!(my_order))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_avoid_ambiguous_characters() {
        for _ in 0..200 {
            let n = new_order_number().unwrap();
            assert_eq!(n.len(), 10);
            assert!(n.starts_with("DH"));
            assert!(n[2..].bytes().all(|b| NUMBER_ALPHABET.contains(&b)), "{n}");
            assert!(!n[2..].contains(['0', 'O', '1', 'I']), "{n}");
        }
    }

    #[test]
    fn transfer_purpose_is_short_ascii_with_the_number_first() {
        assert_eq!(transfer_purpose("DH2345ABCD", "Hợp tác xã Lúa gạo Mỹ Xuyên"), "DH2345ABCD HTX Lua gao My");
        assert_eq!(transfer_purpose("DH2345ABCD", "Tổ hợp tác Hồ tiêu Hàm Ninh"), "DH2345ABCD THT Ho tieu Ha");
        assert_eq!(transfer_purpose("DH2345ABCD", "Liên hiệp Hợp tác xã Nông sản"), "DH2345ABCD LH HTX Nong sa");
        // A cut that lands on a space does not leave it trailing.
        assert_eq!(transfer_purpose("DH2345ABCD", "HTX Đồng Tháp Mười"), "DH2345ABCD HTX Dong Thap");
        for name in ["Hợp tác xã Thủy sản Sinh thái Năm Căn", "Đ", "Liên hiệp Hợp tác xã Nông sản Bảy Núi"]
        {
            let p = transfer_purpose("DH2345ABCD", name);
            assert!(p.len() <= PURPOSE_MAX && p.is_ascii() && !p.ends_with(' '), "{p:?}");
        }
    }

    #[test]
    fn the_qr_code_is_an_svg_document() {
        let svg = qr_svg("00020101021238570010A00000072701270006970405011315002051234560208QRIBFTTA5303704540719430005802VN62210817DH000123 HTX ST2563044693").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
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
