//! "Tra cứu đơn hàng": a buyer who lost the tracking link finds the order by its number
//! and the phone number it was placed with. An unknown number and a wrong phone get the
//! same answer, and attempts are limited per client address and per order number, so
//! neither numbers nor phones can be guessed.

use crate::{
    AppState,
    db::{
        orders::{ORDER_ROW_SQL, order_from_row},
        rates::{self, Limit},
    },
    http::{
        client::ClientIp,
        error::{ApiError, ApiJson, ApiResult},
    },
    secret::constant_time_eq,
};
use axum::{Json, extract::State, http::header, response::IntoResponse};
use domain::{
    api::{ErrorBody, ErrorCode},
    order::{Order, OrderLookup},
};
use sqlx::Row;

/// Lookups from one client address.
const PER_ADDRESS: Limit = Limit { scope: "order_lookup_ip", max: 20, window: time::Duration::HOUR };
/// Lookups of one order number, from anywhere.
const PER_NUMBER: Limit = Limit { scope: "order_lookup_number", max: 10, window: time::Duration::HOUR };

/// The order (as its tracking page shows it) for its number and the buyer's phone.
#[utoipa::path(post, path = "/order-lookup", tag = "orders", request_body = OrderLookup,
    responses(
        (status = 200, body = Order),
        (status = 400, description = "`validation`: `number` or `phone` missing or malformed", body = ErrorBody),
        (status = 404, description = "No order with this number and phone (the same answer for both)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many lookups from this address or of this number", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::http::error::JsonRejections))]
pub async fn lookup_order(
    State(st): State<AppState>,
    client: ClientIp,
    ApiJson(req): ApiJson<OrderLookup>,
) -> ApiResult<impl IntoResponse> {
    let (number, phone) = req.validate()?;
    let mut tx = st.db.begin().await?;
    let address = client.key();
    let taken =
        rates::take(&mut tx, &[(PER_ADDRESS, address.as_str()), (PER_NUMBER, number.as_str())], st.clock.now()).await?;
    tx.commit().await?;
    if let Err(refused) = taken {
        st.metrics.rate_limited("order_lookup");
        return Err(ApiError::too_many(
            ErrorCode::RateLimited,
            "Too many order lookups. Please wait and try again.",
            refused.retry_after,
        ));
    }
    let row = sqlx::query(&format!("{ORDER_ROW_SQL} WHERE o.number = $1")).bind(&number).fetch_optional(&st.db).await?;
    let row = row.filter(|r| {
        r.try_get::<String, _>("buyer_phone")
            .is_ok_and(|stored| constant_time_eq(stored.as_bytes(), phone.e164().as_bytes()))
    });
    let order: Order = order_from_row(&st, &row.ok_or(ApiError::NotFound("order"))?).await?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(order)))
}
