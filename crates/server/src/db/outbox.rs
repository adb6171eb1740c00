//! The notifications outbox. A notice is written by the transaction of the event it tells
//! about (an order placed, confirmed, shipped or cancelled; an invitation; a password
//! reset link), so it exists exactly when the event is committed. A worker ([`spawn`])
//! sends the due rows through `mail::Senders`, and retries a failure with exponential
//! backoff ([`backoff`]) up to [`MAX_ATTEMPTS`] times (then the row stays, with its last
//! error, for someone to look at). One worker per database: two processes would both send.

use crate::{
    clock::rfc3339,
    mail::{Message, Senders},
};
use domain::{money::Vnd, order::OrderStatus};
use serde_json::{Value, json};
use sqlx::{Row, SqliteConnection};
use time::{Duration, OffsetDateTime};

/// Sends after which a failing row is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// Rows sent per pass.
const BATCH: i64 = 50;
/// How often the worker looks for due rows.
pub const INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// The wait after the `attempts`-th failed send: 30 s, 1 min, 2 min… at most 6 hours.
pub fn backoff(attempts: i64) -> Duration {
    let doublings = attempts.clamp(1, 20) - 1;
    Duration::seconds(30_i64.saturating_mul(1 << doublings)).min(Duration::hours(6))
}

/// Queues a notice: `payload` has its `subject` and `text` (Vietnamese first, then English)
/// and the event's data. Due at once.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    kind: &str,
    recipient: &str,
    subject: &str,
    text: &str,
    data: Value,
    now: &str,
) -> sqlx::Result<()> {
    let mut payload = json!({"subject": subject, "text": text});
    if let (Some(p), Value::Object(d)) = (payload.as_object_mut(), data) {
        p.extend(d);
    }
    sqlx::query(
        "INSERT INTO outbox (kind, recipient, payload, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(kind)
    .bind(recipient)
    .bind(payload.to_string())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const SIGNATURE: &str = "\n\n— Chợ HTX";

/// "Order placed", to the cooperative: each admin's email (or phone), else the
/// cooperative's phone.
pub async fn order_placed(conn: &mut SqliteConnection, number: &str, origin: &str, now: &str) -> sqlx::Result<()> {
    let o = sqlx::query(
        "SELECT o.cooperative_id, o.total, c.slug, c.name, c.phone FROM orders o
         JOIN cooperatives c ON c.id = o.cooperative_id WHERE o.number = $1",
    )
    .bind(number)
    .fetch_one(&mut *conn)
    .await?;
    let coop_id: i64 = o.try_get("cooperative_id")?;
    let slug: String = o.try_get("slug")?;
    let name: String = o.try_get("name")?;
    let total = Vnd::new(o.try_get("total")?);
    let mut to: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(u.email, u.phone) FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.cooperative_id = $1 AND m.role = 'admin' ORDER BY u.id",
    )
    .bind(coop_id)
    .fetch_all(&mut *conn)
    .await?;
    if to.is_empty() {
        to.push(o.try_get("phone")?);
    }
    let link = format!("{origin}/ban-hang/{slug}/don-hang/{number}");
    let subject = format!("Đơn hàng mới {number} / New order {number}");
    let text = format!(
        "{name} có đơn hàng mới {number}, tổng {vi}. Vui lòng xác nhận đơn: {link}\n\n\
         {name} has a new order {number}, total {en}. Please confirm it: {link}{SIGNATURE}",
        vi = total.format(domain::Lang::Vi),
        en = total.format(domain::Lang::En),
    );
    for recipient in to {
        enqueue(conn, "order.placed", &recipient, &subject, &text, json!({"number": number, "link": link}), now)
            .await?;
    }
    Ok(())
}

/// An order's new status, to the buyer: the account's email when a signed-in buyer
/// placed it, else the phone number given at checkout. Only confirmed, shipped and
/// cancelled are told.
pub async fn order_status(
    conn: &mut SqliteConnection,
    order_id: i64,
    status: OrderStatus,
    note: Option<&str>,
    now: &str,
) -> sqlx::Result<()> {
    let (kind, vi, en) = match status {
        OrderStatus::Confirmed => {
            ("order.confirmed", "đã được hợp tác xã xác nhận", "was confirmed by the cooperative")
        }
        OrderStatus::Shipped => ("order.shipped", "đã được giao cho đơn vị vận chuyển", "has been shipped"),
        OrderStatus::Cancelled => ("order.cancelled", "đã bị huỷ", "was cancelled"),
        OrderStatus::Pending | OrderStatus::Delivered => return Ok(()),
    };
    let o = sqlx::query(
        "SELECT o.number, o.buyer_phone, u.email, c.name FROM orders o
         JOIN cooperatives c ON c.id = o.cooperative_id LEFT JOIN users u ON u.id = o.buyer_user_id
         WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut *conn)
    .await?;
    let number: String = o.try_get("number")?;
    let coop: String = o.try_get("name")?;
    let recipient = o.try_get::<Option<String>, _>("email")?.unwrap_or(o.try_get("buyer_phone")?);
    let note = note.filter(|n| !n.trim().is_empty());
    let note_line = note.map(|n| format!("\nGhi chú / Note: {n}")).unwrap_or_default();
    let subject = format!("Đơn hàng {number} {vi} / Order {number} {en}");
    let text = format!("Đơn hàng {number} của {coop} {vi}.\nOrder {number} from {coop} {en}.{note_line}{SIGNATURE}");
    enqueue(conn, kind, &recipient, &subject, &text, json!({"number": number, "status": status.code()}), now).await
}

/// A due row's message, or why it cannot be one.
fn message(recipient: String, payload: &str) -> Result<Message, String> {
    let p: Value = serde_json::from_str(payload).map_err(|e| format!("payload: {e}"))?;
    let field = |k: &str| p[k].as_str().map(str::to_owned).ok_or_else(|| format!("payload without {k}"));
    Ok(Message { to: recipient, subject: field("subject")?, text: field("text")? })
}

/// The fields that may carry a secret (a reset or invitation link, in the link and in
/// the text): dropped once a row is sent or given up, so the table keeps no usable link.
const SECRET_FIELDS: &[&str] = &["text", "link"];

fn redacted(payload: &str) -> String {
    match serde_json::from_str::<Value>(payload) {
        Ok(Value::Object(mut p)) => {
            for f in SECRET_FIELDS {
                p.remove(*f);
            }
            Value::Object(p).to_string()
        }
        _ => "{}".into(),
    }
}

/// Sent rows older than this are deleted.
pub const KEEP_SENT: Duration = Duration::days(30);

/// Deletes the rows sent more than [`KEEP_SENT`] ago; how many.
pub async fn purge_sent(db: &super::Pool, now: OffsetDateTime) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(rfc3339(now - KEEP_SENT))
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// What a pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub failed: usize,
}

/// Sends the rows due at `now` (oldest first, up to a batch); a failure is retried after
/// [`backoff`].
pub async fn deliver_due(db: &super::Pool, senders: &Senders, now: OffsetDateTime) -> sqlx::Result<Delivered> {
    let now_text = rfc3339(now);
    let rows = sqlx::query(
        "SELECT id, recipient, payload, attempts FROM outbox
         WHERE sent_at IS NULL AND attempts < $1 AND next_attempt_at <= $2
         ORDER BY next_attempt_at, id LIMIT $3",
    )
    .bind(MAX_ATTEMPTS)
    .bind(&now_text)
    .bind(BATCH)
    .fetch_all(db)
    .await?;
    let mut done = Delivered::default();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let attempts: i64 = r.try_get::<i64, _>("attempts")? + 1;
        let recipient: String = r.try_get("recipient")?;
        let payload: String = r.try_get("payload")?;
        let result = match message(recipient, &payload) {
            Ok(m) => senders.for_recipient(&m.to).send(&m).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                sqlx::query(
                    "UPDATE outbox SET sent_at = $1, attempts = $2, last_error = NULL, payload = $3 WHERE id = $4",
                )
                .bind(&now_text)
                .bind(attempts)
                .bind(redacted(&payload))
                .bind(id)
                .execute(db)
                .await?;
                done.sent += 1;
            }
            Err(e) => {
                tracing::warn!(target: "chohtx_server::outbox", "notice {id} not sent (attempt {attempts}): {e}");
                // Given up: the row stays for someone to look at, without its secrets.
                let payload = if attempts >= MAX_ATTEMPTS { redacted(&payload) } else { payload };
                sqlx::query(
                    "UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3, payload = $4 WHERE id = $5",
                )
                .bind(attempts)
                .bind(rfc3339(now + backoff(attempts)))
                .bind(&e)
                .bind(payload)
                .bind(id)
                    .execute(db)
                    .await?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

/// Runs [`deliver_due`] every [`INTERVAL`] while the server runs.
pub fn spawn(st: crate::AppState, senders: Senders) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = deliver_due(&st.db, &senders, st.clock.now()).await {
                tracing::warn!("delivering notifications failed: {e:?}");
            }
            if let Err(e) = purge_sent(&st.db, st.clock.now()).await {
                tracing::warn!("purging sent notifications failed: {e:?}");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::{SendFuture, Sender};
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    /// Fails its first `failures` sends, then delivers; counts the calls.
    struct Flaky {
        failures: usize,
        calls: AtomicUsize,
    }

    impl Sender for Flaky {
        fn send<'a>(&'a self, _: &'a Message) -> SendFuture<'a> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { if n < self.failures { Err("relay refused".into()) } else { Ok(()) } })
        }
    }

    async fn pool() -> super::super::Pool {
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
        sqlx::migrate!("./migrations").run(&pool).await.unwrap();
        pool
    }

    async fn row(pool: &super::super::Pool) -> (i64, Option<String>, String, Option<String>) {
        sqlx::query_as("SELECT attempts, sent_at, next_attempt_at, last_error FROM outbox")
            .fetch_one(pool)
            .await
            .unwrap()
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::minutes(1));
        assert_eq!(backoff(3), Duration::minutes(2));
        assert_eq!(backoff(12), Duration::hours(6));
        assert_eq!(backoff(1000), Duration::hours(6));
    }

    #[tokio::test]
    async fn the_worker_marks_a_sent_row_sent_and_retries_a_failure_after_its_backoff() {
        let pool = pool().await;
        let t0 = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let link = json!({"link": "http://x/dat-lai-mat-khau?token=bí-mật"});
        enqueue(&mut conn, "test", "an@example.vn", "Chủ đề", "Nội dung bí-mật", link, &rfc3339(t0)).await.unwrap();
        drop(conn);
        let flaky = Arc::new(Flaky { failures: 2, calls: AtomicUsize::new(0) });
        let senders = Senders { email: flaky.clone(), phone: Arc::new(crate::mail::LogSender) };

        let first = deliver_due(&pool, &senders, t0).await.unwrap();
        assert_eq!(first, Delivered { sent: 0, failed: 1 });
        let (attempts, sent, next, error) = row(&pool).await;
        assert_eq!((attempts, sent, error.as_deref()), (1, None, Some("relay refused")));
        assert_eq!(next, rfc3339(t0 + Duration::seconds(30)));
        // Not due before its backoff.
        assert_eq!(deliver_due(&pool, &senders, t0 + Duration::seconds(29)).await.unwrap(), Delivered::default());
        let t1 = t0 + Duration::seconds(30);
        assert_eq!(deliver_due(&pool, &senders, t1).await.unwrap().failed, 1);
        assert_eq!(row(&pool).await.2, rfc3339(t1 + Duration::minutes(1)));
        let t2 = t1 + Duration::minutes(1);
        assert_eq!(deliver_due(&pool, &senders, t2).await.unwrap(), Delivered { sent: 1, failed: 0 });
        let (attempts, sent, _, error) = row(&pool).await;
        assert_eq!((attempts, sent, error), (3, Some(rfc3339(t2)), None));
        // The link is gone from the table once sent; the subject stays.
        let payload: String = sqlx::query_scalar("SELECT payload FROM outbox").fetch_one(&pool).await.unwrap();
        assert!(!payload.contains("bí-mật") && payload.contains("Chủ đề"), "{payload}");
        // Sent once: later passes leave it alone.
        assert_eq!(deliver_due(&pool, &senders, t2 + Duration::hours(1)).await.unwrap(), Delivered::default());
        assert_eq!(flaky.calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_row_that_always_fails_is_given_up_after_the_last_attempt() {
        let pool = pool().await;
        let mut t = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let mut conn = pool.acquire().await.unwrap();
        enqueue(&mut conn, "test", "0912345678", "S", "T", json!({}), &rfc3339(t)).await.unwrap();
        drop(conn);
        let never = Arc::new(Flaky { failures: usize::MAX, calls: AtomicUsize::new(0) });
        let senders = Senders { email: Arc::new(crate::mail::LogSender), phone: never.clone() };
        for _ in 0..MAX_ATTEMPTS + 3 {
            deliver_due(&pool, &senders, t).await.unwrap();
            t += Duration::hours(7);
        }
        assert_eq!(never.calls.load(Ordering::SeqCst), MAX_ATTEMPTS as usize);
        assert_eq!(row(&pool).await.0, MAX_ATTEMPTS);
        let payload: String = sqlx::query_scalar("SELECT payload FROM outbox").fetch_one(&pool).await.unwrap();
        assert_eq!(payload, json!({"subject": "S"}).to_string());
    }

    #[tokio::test]
    async fn sent_rows_are_purged_after_thirty_days_and_unsent_ones_kept() {
        let pool = pool().await;
        let t0 = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let mut conn = pool.acquire().await.unwrap();
        enqueue(&mut conn, "test", "an@example.vn", "S", "T", json!({}), &rfc3339(t0)).await.unwrap();
        enqueue(&mut conn, "test", "0912345678", "S", "T", json!({}), &rfc3339(t0)).await.unwrap();
        drop(conn);
        let senders = Senders {
            email: Arc::new(crate::mail::LogSender),
            phone: Arc::new(Flaky { failures: usize::MAX, calls: AtomicUsize::new(0) }),
        };
        assert_eq!(deliver_due(&pool, &senders, t0).await.unwrap(), Delivered { sent: 1, failed: 1 });
        assert_eq!(purge_sent(&pool, t0 + KEEP_SENT - Duration::minutes(1)).await.unwrap(), 0);
        assert_eq!(purge_sent(&pool, t0 + KEEP_SENT + Duration::minutes(1)).await.unwrap(), 1);
        let left: String = sqlx::query_scalar("SELECT recipient FROM outbox").fetch_one(&pool).await.unwrap();
        assert_eq!(left, "0912345678");
    }
}
