//! The signed-in person's own things: their orders and saved delivery addresses.
//! Every query is filtered by the viewer's id, so nobody reaches another's rows.

use crate::{
    AppState,
    auth::Viewer,
    db::int,
    http::error::{ApiError, ApiJson, ApiPath, ApiResult},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::{
    account::{AddressRequest, OrderSummary, SavedAddress},
    api::ErrorBody,
    catalog::CooperativeRef,
    money::Vnd,
    order::{Address, OrderStatus},
    phone::Phone,
    validate::{Errors, FieldError},
};
use sqlx::Row;

/// At most this many saved addresses per account.
pub const MAX_ADDRESSES: i64 = 10;

/// The signed-in buyer's orders, newest first.
#[utoipa::path(get, path = "/me/orders", tag = "accounts",
    responses((status = 200, body = Vec<OrderSummary>), (status = 401, body = ErrorBody)))]
pub async fn my_orders(State(st): State<AppState>, viewer: Viewer) -> ApiResult<Json<Vec<OrderSummary>>> {
    let rows = sqlx::query(
        "SELECT o.number, o.status, o.total, o.created_at, c.slug, c.name, c.province_code,
            (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count
         FROM orders o JOIN cooperatives c ON c.id = o.cooperative_id
         WHERE o.buyer_user_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT 200",
    )
    .bind(viewer.id)
    .fetch_all(&st.db)
    .await?;
    let orders = rows
        .iter()
        .map(|r| {
            let status: OrderStatus = r.try_get("status")?;
            Ok(OrderSummary {
                number: r.try_get("number")?,
                cooperative: CooperativeRef {
                    slug: r.try_get("slug")?,
                    name: r.try_get("name")?,
                    province_code: int::<u8>(r, "province_code")?,
                },
                status,
                total: Vnd::new(r.try_get("total")?),
                item_count: int::<u32>(r, "item_count")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(orders))
}

/// The signed-in person's saved addresses, newest first.
#[utoipa::path(get, path = "/me/addresses", tag = "accounts",
    responses((status = 200, body = Vec<SavedAddress>), (status = 401, body = ErrorBody)))]
pub async fn list_addresses(State(st): State<AppState>, viewer: Viewer) -> ApiResult<Json<Vec<SavedAddress>>> {
    let rows = sqlx::query(
        "SELECT id, recipient_name, phone, province_code, commune_code, commune_name, street FROM addresses
         WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(viewer.id)
    .fetch_all(&st.db)
    .await?;
    let list = rows
        .iter()
        .map(|r| {
            let phone: String = r.try_get("phone")?;
            Ok(SavedAddress {
                id: r.try_get("id")?,
                recipient_name: r.try_get("recipient_name")?,
                phone: Phone::parse(&phone).map_err(|_| anyhow::anyhow!("stored phone {phone}"))?,
                address: Address {
                    province_code: int::<u8>(r, "province_code")?,
                    commune_code: int::<u32>(r, "commune_code")?,
                    commune_name: r.try_get("commune_name")?,
                    street: r.try_get("street")?,
                },
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(list))
}

/// Saves a delivery address for later checkouts.
#[utoipa::path(post, path = "/me/addresses", tag = "accounts", request_body = AddressRequest,
    responses((status = 201, body = SavedAddress), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn add_address(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiJson(req): ApiJson<AddressRequest>,
) -> ApiResult<(StatusCode, Json<SavedAddress>)> {
    let divisions = st.divisions.require()?;
    let (valid, mut errors) = match req.validate() {
        Ok(v) => (Some(v), Errors::new()),
        Err(e) => (None, e),
    };
    if req.address.commune_code == 0 {
        errors.add("address.commune_code", FieldError::Required);
    }
    let commune = divisions.check_commune(
        req.address.province_code,
        req.address.commune_code,
        "address.commune_code",
        &mut errors,
    );
    let (Some((name, phone)), Some(commune), true) = (valid, commune, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let mut tx = st.db.begin().await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE user_id = $1")
        .bind(viewer.id)
        .fetch_one(&mut *tx)
        .await?;
    if count >= MAX_ADDRESSES {
        return Err(ApiError::field("address", FieldError::TooMany { max: MAX_ADDRESSES as u32 }));
    }
    let street = domain::text::clean_text(&req.address.street);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO addresses (user_id, recipient_name, phone, province_code, commune_code, commune_name, street, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(viewer.id)
    .bind(&name)
    .bind(phone.e164())
    .bind(req.address.province_code as i64)
    .bind(commune.code as i64)
    .bind(&commune.name)
    .bind(&street)
    .bind(st.clock.now_rfc3339())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let saved = SavedAddress {
        id,
        recipient_name: name,
        phone,
        address: Address {
            province_code: req.address.province_code,
            commune_code: commune.code,
            commune_name: commune.name,
            street,
        },
    };
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Deletes one of the signed-in person's saved addresses.
#[utoipa::path(delete, path = "/me/addresses/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "Address id")),
    responses((status = 204, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn delete_address(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let done = sqlx::query("DELETE FROM addresses WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(viewer.id)
        .execute(&st.db)
        .await?;
    if done.rows_affected() == 1 { Ok(StatusCode::NO_CONTENT) } else { Err(ApiError::NotFound("address")) }
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(my_orders))
        .routes(routes!(list_addresses, add_address))
        .routes(routes!(delete_address))
}
