//! Rate windows: events counted per scope and key (a client address, a phone number, a
//! login) over a sliding window. Rows live in the `sign_in_failures` table (named after its
//! first use), one per event, each scope purged of rows older than its own window; sign-in's
//! backoff (`auth::sessions`) reads the same table under its scopes `account` and `ip`.

use sqlx::{Row, SqliteConnection};
use time::{Duration, OffsetDateTime};

/// At most `max` events per key of `scope` within `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub scope: &'static str,
    pub max: i64,
    pub window: Duration,
}

/// A limit that is reached: which one, and how long until it lets an event through again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    pub scope: &'static str,
    pub retry_after: Duration,
}

/// Counts one event under each `(limit, key)`; when any of them is reached, writes nothing
/// and says which (the longest wait). Run it in the transaction of the event it counts: if
/// that rolls back, the event was never counted. The first statement writes (the purge),
/// so SQLite takes the write lock before counting and parallel events are counted one
/// after another.
pub async fn take(
    conn: &mut SqliteConnection,
    checks: &[(Limit, &str)],
    now: OffsetDateTime,
) -> sqlx::Result<Result<(), Refused>> {
    for (limit, _) in checks {
        sqlx::query("DELETE FROM sign_in_failures WHERE scope = $1 AND at <= $2")
            .bind(limit.scope)
            .bind(crate::clock::rfc3339(now - limit.window))
            .execute(&mut *conn)
            .await?;
    }
    let mut refused: Option<Refused> = None;
    for (limit, key) in checks {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE scope = $1 AND key = $2 AND at > $3",
        )
        .bind(limit.scope)
        .bind(key)
        .bind(crate::clock::rfc3339(now - limit.window))
        .fetch_one(&mut *conn)
        .await?;
        let n: i64 = row.try_get("n")?;
        if n < limit.max {
            continue;
        }
        let oldest: Option<String> = row.try_get("oldest")?;
        let oldest = oldest
            .and_then(|t| OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok())
            .unwrap_or(now);
        // The oldest event leaves the window then (and at least a second from now).
        let retry_after = (oldest + limit.window - now).max(Duration::SECOND);
        if refused.is_none_or(|r| r.retry_after < retry_after) {
            refused = Some(Refused { scope: limit.scope, retry_after });
        }
    }
    if let Some(r) = refused {
        return Ok(Err(r));
    }
    let at = crate::clock::rfc3339(now);
    for (limit, key) in checks {
        sqlx::query("INSERT INTO sign_in_failures (scope, key, at) VALUES ($1, $2, $3)")
            .bind(limit.scope)
            .bind(key)
            .bind(&at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn memory_db() -> crate::db::Pool {
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
        crate::db::migrate(&pool).await.unwrap();
        pool
    }

    const TWO_PER_HOUR: Limit = Limit { scope: "test", max: 2, window: Duration::HOUR };

    #[tokio::test]
    async fn a_window_lets_max_events_through_then_says_when_the_oldest_leaves() {
        let db = memory_db().await;
        let mut conn = db.acquire().await.unwrap();
        let t0 = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        assert_eq!(take(&mut conn, &[(TWO_PER_HOUR, "a")], t0).await.unwrap(), Ok(()));
        let t1 = t0 + Duration::minutes(10);
        assert_eq!(take(&mut conn, &[(TWO_PER_HOUR, "a")], t1).await.unwrap(), Ok(()));
        // Another key has its own count.
        assert_eq!(take(&mut conn, &[(TWO_PER_HOUR, "b")], t1).await.unwrap(), Ok(()));
        let t2 = t0 + Duration::minutes(20);
        let refused = take(&mut conn, &[(TWO_PER_HOUR, "a")], t2).await.unwrap().unwrap_err();
        assert_eq!(refused, Refused { scope: "test", retry_after: Duration::minutes(40) });
        // A refused event is not counted: once the oldest leaves, one more gets through.
        assert_eq!(take(&mut conn, &[(TWO_PER_HOUR, "a")], t0 + Duration::HOUR).await.unwrap(), Ok(()));
        assert!(take(&mut conn, &[(TWO_PER_HOUR, "a")], t0 + Duration::HOUR).await.unwrap().is_err());
    }

    #[tokio::test]
    async fn one_reached_limit_counts_nothing_under_the_others() {
        let db = memory_db().await;
        let mut conn = db.acquire().await.unwrap();
        let now = OffsetDateTime::now_utc();
        let one = Limit { scope: "one", max: 1, window: Duration::DAY };
        assert_eq!(take(&mut conn, &[(one, "k")], now).await.unwrap(), Ok(()));
        let refused = take(&mut conn, &[(TWO_PER_HOUR, "k"), (one, "k")], now).await.unwrap().unwrap_err();
        assert_eq!(refused.scope, "one");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE scope = 'test'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(n, 0);
    }
}
