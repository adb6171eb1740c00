//! `POST /orders`: validate → claim the idempotency key → take stock → insert the orders →
//! store the response, in one transaction (see the module above for why the key comes
//! first). Any line problem rolls everything back.

use super::{
    Offer,
    idempotency::{self, Claim, IdempotencyKey},
    line_total, offer_from_row, offer_sql, sum,
};
use crate::{
    AppState,
    auth::MaybeViewer,
    db::{
        products::refresh_product_aggregates,
        rates::{self, Limit},
    },
    http::{
        client::ClientIp,
        error::{ApiError, ApiJson, ApiResult},
    },
    secret::{random_bytes, sha256_hex},
};
use axum::{extract::State, http::StatusCode, response::Response};
use domain::api::ErrorCode;
use domain::{
    api::ErrorBody,
    catalog::CooperativeRef,
    money::Vnd,
    order::{CreatedOrder, CreatedOrders, OrderRequest, OrderStatus, PaymentMethod, ShippingPolicy, ValidOrderRequest},
    text::strip_marks,
    validate::{Errors, FieldError},
    vietqr::Transfer,
};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

/// Order numbers: "DH" and 8 of these (no 0/O, 1/I), 32 symbols so a byte maps evenly.
const NUMBER_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// At most this many characters go into the VietQR transfer note (field 62/08).
const PURPOSE_MAX: usize = 25;

/// Place an order: one per cooperative in the cart, paid cash on delivery or by bank
/// transfer (VietQR). Retrying with the same `Idempotency-Key` and body returns the same
/// orders; the same key with another body is refused.
#[utoipa::path(
    post, path = "/orders", tag = "orders",
    request_body = OrderRequest,
    params(("Idempotency-Key" = String, Header, min_length = 8, max_length = 100, pattern = "^[!-~]{8,100}$",
        description = "A new random key (8–100 visible ASCII characters, e.g. a UUID) per order; retries reuse it")),
    responses(
        (status = 201, description = "The orders, one per cooperative, each with its secret tracking token", body = CreatedOrders),
        (status = 400, description = "Invalid fields (`validation`) or no Idempotency-Key (`idempotency_key_required`)", body = ErrorBody),
        (status = 409, description = "`cart_changed`: items unavailable, out of stock (`out_of_stock`) or repriced (`price_changed`), per line", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 422, description = "`idempotency_key_reused` with another body, `bank_transfer_unavailable`, or a body that is not an order", body = ErrorBody),
        (status = 429, description = "`too_many_orders`: this address has placed `CHOHTX_ORDERS_PER_ADDRESS_PER_HOUR` checkouts in the last hour, or this buyer phone `CHOHTX_ORDERS_PER_PHONE_PER_DAY` in the last day", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another checkout is accepted"))),
        (status = 503, description = "`divisions_unavailable`: addresses cannot be checked", body = ErrorBody), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ErrorBody))
)]
pub async fn create_order(
    State(st): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    client: ClientIp,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(req): ApiJson<OrderRequest>,
) -> ApiResult<Response> {
    let (valid, commune_name) = validate(&st, &req)?;
    let request_hash = sha256_hex(&serde_json::to_vec(&req).map_err(anyhow::Error::from)?);
    let now = st.clock.now();
    let now_text = crate::clock::rfc3339(now);

    let mut tx = st.db.begin().await?;
    // First statement: a write, so the transaction holds SQLite's write lock from here on.
    if let Claim::Seen(seen) = idempotency::claim(&mut tx, &key, &request_hash, now).await? {
        tx.rollback().await?;
        return seen.replay(&request_hash);
    }
    // Counted in this transaction: a replay above is not counted, and a refused order
    // (rolled back below) is uncounted again.
    if let Err(refused) = count_checkout(&mut tx, &st, client, &valid, now).await? {
        tx.rollback().await?;
        return Err(refused);
    }
    let groups = match take_stock(&mut tx, &req, &valid, &now_text).await? {
        Ok(groups) => groups,
        Err(errors) => {
            tx.rollback().await?;
            if errors.0.values().any(|e| matches!(e, FieldError::OutOfStock { .. })) {
                st.metrics.stock_conflict();
            }
            return Err(ApiError::Fields {
                status: StatusCode::CONFLICT,
                code: ErrorCode::CartChanged,
                fields: errors,
            });
        }
    };
    let policy = st.config.shipping_policy();
    let mut orders = Vec::with_capacity(groups.len());
    for group in &groups {
        let order = NewOrder { req: &valid, commune_name: &commune_name, group, now: &now_text };
        orders.push(insert_order(&mut tx, &order, &policy).await?);
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
    // The cooperatives hear of their orders: queued with the orders, in this transaction.
    let origin = st.config.link_origin();
    for o in &orders {
        crate::db::outbox::order_placed(&mut tx, &o.number, &origin, &now_text).await?;
    }
    let body = serde_json::to_string(&CreatedOrders { orders }).map_err(anyhow::Error::from)?;
    idempotency::store_response(&mut tx, &key, &body).await?;
    tx.commit().await?;
    st.metrics.orders_placed(valid.payment_method.code(), groups.len() as u64);
    Ok(idempotency::created(body))
}

/// Counts this checkout under the client address's hourly and the buyer phone's daily
/// limit; 429 `too_many_orders` (nothing counted) when either is reached.
async fn count_checkout(
    conn: &mut SqliteConnection,
    st: &AppState,
    client: ClientIp,
    valid: &ValidOrderRequest,
    now: time::OffsetDateTime,
) -> ApiResult<Result<(), ApiError>> {
    let per_address =
        Limit { scope: "order_ip", max: st.config.orders_per_address_per_hour, window: time::Duration::HOUR };
    let per_phone =
        Limit { scope: "order_phone", max: st.config.orders_per_phone_per_day, window: time::Duration::DAY };
    let address = client.key();
    let checks = [(per_address, address.as_str()), (per_phone, valid.buyer_phone.e164())];
    Ok(rates::take(conn, &checks, now).await?.map_err(|refused| {
        let (whom, limit) = if refused.scope == per_address.scope {
            ("from this address", "order_address")
        } else {
            ("for this phone number", "order_phone")
        };
        st.metrics.rate_limited(limit);
        ApiError::too_many(
            ErrorCode::TooManyOrders,
            format!("Too many orders {whom} lately. Please try again later."),
            refused.retry_after,
        )
    }))
}

/// The checks that need no transaction: the fields, then the commune against its
/// province. Returns the checked request and the commune's name. 503 without the
/// commune table.
fn validate(st: &AppState, req: &OrderRequest) -> ApiResult<(ValidOrderRequest, String)> {
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
    match (valid, commune, errors.is_empty()) {
        (Some(valid), Some(commune), true) => Ok((valid, commune.name)),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// What one cooperative's order is made of.
struct Group {
    cooperative: CooperativeRef,
    coop_id: i64,
    bank: Option<super::Bank>,
    lines: Vec<(Offer, u32)>,
}

/// Every line: buyable, at the price the buyer saw, and its stock taken
/// (`stock - n WHERE stock >= n`, never below zero). All line problems are collected and
/// returned as `Ok(Err(…))` for the caller to roll back; otherwise the products' sold
/// counts and aggregates follow, and the lines come back grouped per cooperative.
async fn take_stock(
    conn: &mut SqliteConnection,
    req: &OrderRequest,
    valid: &ValidOrderRequest,
    now: &str,
) -> ApiResult<Result<Vec<Group>, Errors>> {
    let mut errors = Errors::new();
    let mut groups: Vec<Group> = Vec::new();
    let offer_by_id = offer_sql("v.id = $1");
    for (variant_id, quantity, expected) in &valid.lines {
        // The field names use the line's index in the request (merged lines: the first).
        let i = req.lines.iter().position(|l| l.variant_id == *variant_id).unwrap_or(0);
        let Some(offer) = sqlx::query(&offer_by_id).bind(variant_id).fetch_optional(&mut *conn).await? else {
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
            .execute(&mut *conn)
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
        return Ok(Err(errors));
    }

    let mut sold: BTreeMap<i64, i64> = BTreeMap::new();
    for (offer, quantity) in groups.iter().flat_map(|g| &g.lines) {
        *sold.entry(offer.product_id).or_default() += i64::from(*quantity);
    }
    for (product_id, quantity) in &sold {
        sqlx::query("UPDATE products SET sold_count = sold_count + $1, updated_at = $2 WHERE id = $3")
            .bind(quantity)
            .bind(now)
            .bind(product_id)
            .execute(&mut *conn)
            .await?;
        refresh_product_aggregates(&mut *conn, *product_id).await?;
    }
    Ok(Ok(groups))
}

/// An order's money: each line's total, the subtotal, shipping and the total.
struct Amounts {
    line_totals: Vec<Vnd>,
    subtotal: Vnd,
    shipping_fee: Vnd,
    total: Vnd,
}

impl Amounts {
    fn of(group: &Group, policy: &ShippingPolicy) -> ApiResult<Amounts> {
        let mut line_totals = Vec::with_capacity(group.lines.len());
        for (offer, quantity) in &group.lines {
            line_totals.push(line_total(offer.unit_price, *quantity)?);
        }
        let subtotal = sum(line_totals.iter().copied())?;
        let shipping_fee = policy.fee(subtotal);
        let total = sum([subtotal, shipping_fee])?;
        Ok(Amounts { line_totals, subtotal, shipping_fee, total })
    }
}

/// How a bank-transfer order is paid: the cooperative's account at ordering time and
/// the VietQR payload built from it.
struct Payment<'a> {
    bank: &'a super::Bank,
    purpose: String,
    payload: String,
}

/// The VietQR payment of order `number`; `bank_transfer_unavailable` when the
/// cooperative's account makes no payload.
fn payment_for<'a>(bank: &'a super::Bank, number: &str, group: &Group, total: Vnd) -> ApiResult<Payment<'a>> {
    let purpose = transfer_purpose(number, &group.cooperative.name);
    let payload = Transfer {
        bank_bin: &bank.bin,
        account: &bank.account,
        amount: Some(total),
        bill_number: None,
        purpose: Some(&purpose),
    }
    .payload()
    .map_err(|e| {
        tracing::warn!("cooperative {}: no VietQR payload: {e}", group.cooperative.slug);
        bank_transfer_unavailable(&group.cooperative)
    })?;
    Ok(Payment { bank, purpose, payload })
}

/// One cooperative's order to insert: the buyer and address of the request, the lines.
struct NewOrder<'a> {
    req: &'a ValidOrderRequest,
    commune_name: &'a str,
    group: &'a Group,
    now: &'a str,
}

/// Inserts one cooperative's order with its lines and first event; returns what the
/// buyer is shown once (the token among it).
async fn insert_order(
    conn: &mut SqliteConnection,
    order: &NewOrder<'_>,
    policy: &ShippingPolicy,
) -> ApiResult<CreatedOrder> {
    let NewOrder { req, group, now, .. } = *order;
    let amounts = Amounts::of(group, policy)?;
    let bank = match (&group.bank, req.payment_method == PaymentMethod::BankTransfer) {
        (Some(b), true) => Some(b),
        (None, true) => return Err(bank_transfer_unavailable(&group.cooperative)),
        (_, false) => None,
    };
    let token = hex::encode(random_bytes::<32>()?);
    let (order_id, number, payment) = insert_order_row(conn, order, bank, &amounts, &token).await?;
    insert_lines(conn, order_id, group, &amounts.line_totals).await?;
    sqlx::query("INSERT INTO order_events (order_id, status, at, note) VALUES ($1, $2, $3, NULL)")
        .bind(order_id)
        .bind(OrderStatus::Pending)
        .bind(now)
        .execute(&mut *conn)
        .await?;

    Ok(CreatedOrder {
        number,
        token,
        cooperative: group.cooperative.clone(),
        subtotal: amounts.subtotal,
        shipping_fee: amounts.shipping_fee,
        total: amounts.total,
        status: OrderStatus::Pending,
        payment_method: req.payment_method,
        payload: payment.map(|p| p.payload),
    })
}

/// The `orders` row, under a fresh number until one is free (32^8 numbers: a clash is
/// already unlikely). Returns its id, number and payment.
async fn insert_order_row<'a>(
    conn: &mut SqliteConnection,
    order: &NewOrder<'_>,
    bank: Option<&'a super::Bank>,
    amounts: &Amounts,
    token: &str,
) -> ApiResult<(i64, String, Option<Payment<'a>>)> {
    let NewOrder { req, commune_name, group, now } = *order;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let number = new_order_number()?;
        let payment = bank.map(|b| payment_for(b, &number, group, amounts.total)).transpose()?;
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
        .bind(req.payment_method)
        .bind(OrderStatus::Pending)
        .bind(amounts.subtotal.dong())
        .bind(amounts.shipping_fee.dong())
        .bind(amounts.total.dong())
        .bind(payment.as_ref().map(|p| p.bank.bin.as_str()))
        .bind(payment.as_ref().map(|p| p.bank.account.as_str()))
        .bind(payment.as_ref().map(|p| p.bank.account_name.as_str()))
        .bind(payment.as_ref().map(|p| p.purpose.as_str()))
        .bind(payment.as_ref().map(|p| p.payload.as_str()))
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        match id {
            Some(id) => return Ok((id, number, payment)),
            None if attempt < 10 => continue,
            None => {
                return Err(ApiError::Internal(anyhow::anyhow!("no free order number after {attempt} tries")));
            }
        }
    }
}

/// The order's lines, each with a snapshot of the name and price it was bought at.
async fn insert_lines(conn: &mut SqliteConnection, order_id: i64, group: &Group, line_totals: &[Vnd]) -> ApiResult<()> {
    for ((offer, quantity), line_total) in group.lines.iter().zip(line_totals) {
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
    Ok(())
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

/// "{number} {short cooperative name}" in ASCII, at most 25 characters and whole words
/// (a banking app shows the note as it is: a cut word reads as a typo): the VietQR
/// purpose, so the cooperative can match the payment to the order.
pub fn transfer_purpose(number: &str, coop_name: &str) -> String {
    let ascii: String = strip_marks(&format!("{number} {}", short_coop_name(coop_name)))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut purpose = String::new();
    for word in ascii.split_whitespace() {
        let len = purpose.len() + usize::from(!purpose.is_empty()) + word.len();
        if len > PURPOSE_MAX {
            break;
        }
        if !purpose.is_empty() {
            purpose.push(' ');
        }
        purpose.push_str(word);
    }
    purpose
}

fn bank_transfer_unavailable(coop: &CooperativeRef) -> ApiError {
    ApiError::status(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::BankTransferUnavailable,
        format!("{} cannot be paid by bank transfer yet; choose cash on delivery for its items.", coop.name),
    )
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
    fn transfer_purpose_is_short_ascii_in_whole_words_with_the_number_first() {
        assert_eq!(transfer_purpose("DH2345ABCD", "Hợp tác xã Lúa gạo Mỹ Xuyên"), "DH2345ABCD HTX Lua gao My");
        assert_eq!(transfer_purpose("DH2345ABCD", "Tổ hợp tác Hồ tiêu Hàm Ninh"), "DH2345ABCD THT Ho tieu");
        assert_eq!(transfer_purpose("DH2345ABCD", "Liên hiệp Hợp tác xã Nông sản"), "DH2345ABCD LH HTX Nong");
        assert_eq!(transfer_purpose("DH2345ABCD", "HTX Đồng Tháp Mười"), "DH2345ABCD HTX Dong Thap");
        assert_eq!(transfer_purpose("DH2345ABCD", "Hợp tác xã Thanhlongruotdobinhthuan"), "DH2345ABCD HTX");
        for name in ["Hợp tác xã Thủy sản Sinh thái Năm Căn", "Đ", "Liên hiệp Hợp tác xã Nông sản Bảy Núi"]
        {
            let p = transfer_purpose("DH2345ABCD", name);
            assert!(p.len() <= PURPOSE_MAX && p.is_ascii() && !p.ends_with(' '), "{p:?}");
        }
    }
}
