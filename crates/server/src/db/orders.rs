//! Orders read back with their lines, history and payment details.

use crate::{
    AppState,
    db::{decode_err, int},
};
use domain::{
    I18nText,
    catalog::CooperativeRef,
    money::Vnd,
    order::{Address, Order, OrderLine, OrderStatus, PaymentMethod, StatusChange, VietQrPayment},
    phone::Phone,
    vietqr,
};
use sqlx::{Row, sqlite::SqliteRow};

/// An order row with its cooperative's name, for [`order_from_row`].
pub(crate) const ORDER_ROW_SQL: &str =
    "SELECT o.*, c.slug AS coop_slug, c.name AS coop_name, c.province_code AS coop_province
     FROM orders o JOIN cooperatives c ON c.id = o.cooperative_id";

/// How to pay, for a bank-transfer order that awaits payment.
pub fn vietqr_of(row: &SqliteRow) -> sqlx::Result<Option<VietQrPayment>> {
    if row.try_get::<PaymentMethod, _>("payment_method")? != PaymentMethod::BankTransfer
        || row.try_get::<OrderStatus, _>("status")? != OrderStatus::Pending
        || row.try_get::<Option<String>, _>("paid_at")?.is_some()
    {
        return Ok(None);
    }
    let payload: Option<String> = row.try_get("vietqr_payload")?;
    let Some(payload) = payload else {
        return Ok(None);
    };
    let bank_bin: String = row.try_get::<Option<String>, _>("payment_bank_bin")?.unwrap_or_default();
    Ok(Some(VietQrPayment {
        payload,
        bank_name: vietqr::bank_name(&bank_bin).map_or_else(|| bank_bin.clone(), str::to_owned),
        bank_bin,
        account_number: row.try_get::<Option<String>, _>("payment_account")?.unwrap_or_default(),
        account_name: row.try_get::<Option<String>, _>("payment_account_name")?.unwrap_or_default(),
        amount: Vnd::new(row.try_get("total")?),
        purpose: row.try_get::<Option<String>, _>("payment_purpose")?.unwrap_or_default(),
    }))
}

/// An order with its lines and history, from its `orders` row (joined as in [`ORDER_ROW_SQL`]).
pub async fn order_from_row(st: &AppState, row: &SqliteRow) -> sqlx::Result<Order> {
    let order_id: i64 = row.try_get("id")?;
    let lines = sqlx::query(
        "SELECT variant_id, product_slug, product_name_vi, product_name_en, variant_label, unit_price, quantity, line_total
         FROM order_items WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| {
        Ok(OrderLine {
            variant_id: r.try_get("variant_id")?,
            product_slug: r.try_get("product_slug")?,
            product_name: I18nText { vi: r.try_get("product_name_vi")?, en: r.try_get("product_name_en")? },
            variant_label: r.try_get("variant_label")?,
            unit_price: Vnd::new(r.try_get("unit_price")?),
            quantity: int::<u32>(r, "quantity")?,
            line_total: Vnd::new(r.try_get("line_total")?),
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    let history = sqlx::query("SELECT status, at, note FROM order_events WHERE order_id = $1 ORDER BY at, id")
        .bind(order_id)
        .fetch_all(&st.db)
        .await?
        .iter()
        .map(|r| Ok(StatusChange { status: r.try_get("status")?, at: r.try_get("at")?, note: r.try_get("note")? }))
        .collect::<sqlx::Result<Vec<_>>>()?;
    let phone: String = row.try_get("buyer_phone")?;
    Ok(Order {
        number: row.try_get("number")?,
        cooperative: CooperativeRef {
            slug: row.try_get("coop_slug")?,
            name: row.try_get("coop_name")?,
            province_code: int::<u8>(row, "coop_province")?,
        },
        buyer_name: row.try_get("buyer_name")?,
        buyer_phone: Phone::parse(&phone).map_err(|_| decode_err("phone", &phone))?,
        address: Address {
            province_code: int::<u8>(row, "province_code")?,
            commune_code: int::<u32>(row, "commune_code")?,
            commune_name: row.try_get("commune_name")?,
            street: row.try_get("street")?,
        },
        note: row.try_get("note")?,
        lines,
        subtotal: Vnd::new(row.try_get("subtotal")?),
        shipping_fee: Vnd::new(row.try_get("shipping_fee")?),
        total: Vnd::new(row.try_get("total")?),
        payment_method: row.try_get("payment_method")?,
        status: row.try_get("status")?,
        history,
        created_at: row.try_get("created_at")?,
        paid_at: row.try_get("paid_at")?,
        vietqr: vietqr_of(row)?,
    })
}

/// A line of a cancelled order, to give its stock back.
#[derive(sqlx::FromRow)]
struct SoldItem {
    variant_id: i64,
    product_id: i64,
    quantity: i64,
}

/// Gives a cancelled order's stock back to the pack sizes that still exist and undoes its
/// sales. By variant and product: variant ids are never reused (migration 0011), and the
/// product is checked as well.
pub async fn give_back_stock(conn: &mut sqlx::SqliteConnection, order_id: i64) -> sqlx::Result<()> {
    let items: Vec<SoldItem> =
        sqlx::query_as("SELECT variant_id, product_id, quantity FROM order_items WHERE order_id = $1")
            .bind(order_id)
            .fetch_all(&mut *conn)
            .await?;
    for SoldItem { variant_id, product_id, quantity } in items {
        sqlx::query("UPDATE variants SET stock = stock + $1 WHERE id = $2 AND product_id = $3")
            .bind(quantity)
            .bind(variant_id)
            .bind(product_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE products SET sold_count = CASE WHEN sold_count > $1 THEN sold_count - $1 ELSE 0 END WHERE id = $2",
        )
        .bind(quantity)
        .bind(product_id)
        .execute(&mut *conn)
        .await?;
        crate::db::products::refresh_product_aggregates(conn, product_id).await?;
    }
    Ok(())
}
