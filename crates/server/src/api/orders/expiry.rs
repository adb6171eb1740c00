//! Unconfirmed orders release their stock: an order its cooperative has not confirmed
//! within `CHOHTX_ORDER_HOLD_HOURS` (72 by default) is cancelled by the market, with a note
//! that the cooperative and the buyer see, and its stock comes back. Otherwise anyone could
//! hold a shop's whole stock with cash-on-delivery orders that nobody will take.

use crate::{AppState, clock::rfc3339, db::orders::give_back_stock, http::error::ApiResult};
use domain::order::OrderStatus;

/// The note on an order the market cancelled (shown in its timeline, like a seller's reason).
pub const EXPIRED_NOTE: &str =
    "Tự động huỷ: hợp tác xã chưa xác nhận đơn trong thời hạn giữ hàng, hàng đã được trả lại kho.";

/// Cancels the pending orders older than the hold; returns how many.
pub async fn expire_unconfirmed(st: &AppState) -> ApiResult<usize> {
    let now = st.clock.now();
    let placed_before = rfc3339(now - time::Duration::hours(st.config.order_hold_hours));
    let now = rfc3339(now);
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM orders WHERE status = $1 AND created_at < $2 ORDER BY id LIMIT 500")
            .bind(OrderStatus::Pending)
            .bind(&placed_before)
            .fetch_all(&st.db)
            .await?;
    let mut expired = 0;
    for id in ids {
        let mut tx = st.db.begin().await?;
        // The write comes first (the lock), and only a still-pending order is cancelled:
        // a cooperative confirming it meanwhile wins.
        let cancelled = sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(OrderStatus::Cancelled)
            .bind(&now)
            .bind(id)
            .bind(OrderStatus::Pending)
            .execute(&mut *tx)
            .await?;
        if cancelled.rows_affected() != 1 {
            continue;
        }
        sqlx::query("INSERT INTO order_events (order_id, status, at, note) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(OrderStatus::Cancelled)
            .bind(&now)
            .bind(EXPIRED_NOTE)
            .execute(&mut *tx)
            .await?;
        give_back_stock(&mut tx, id).await?;
        crate::db::outbox::order_status(&mut tx, id, OrderStatus::Cancelled, Some(EXPIRED_NOTE), &now).await?;
        tx.commit().await?;
        expired += 1;
    }
    Ok(expired)
}

/// Runs [`expire_unconfirmed`] every minute while the server runs.
pub fn spawn(st: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match expire_unconfirmed(&st).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!("cancelled {n} orders not confirmed within {} hours", st.config.order_hold_hours)
                }
                Err(e) => tracing::warn!("expiring unconfirmed orders failed: {e:?}"),
            }
        }
    });
}
