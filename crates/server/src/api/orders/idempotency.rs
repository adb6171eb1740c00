//! `Idempotency-Key` for `POST /orders`: the header, claiming a key as the placing
//! transaction's first statement, replaying a stored response, storing one.
//!
//! A key's row is written with no response when the order is placed and given its
//! response in the same transaction, so no other request ever sees a key without one.
//! Keys are kept [`IDEMPOTENCY_TTL`]; older ones are deleted by the next claim.

use crate::http::error::{ApiError, ApiResult};
use axum::{
    extract::FromRequestParts,
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use domain::api::ErrorCode;
use sqlx::SqliteConnection;

/// The request header that makes `POST /orders` safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// How long a placed order's response is replayed for its key.
const IDEMPOTENCY_TTL: time::Duration = time::Duration::hours(24);

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
                    ErrorCode::IdempotencyKeyRequired,
                    "Send an Idempotency-Key header of 8 to 100 visible ASCII characters (a new UUID per order).",
                )
            })
    }
}

/// What claiming a key found.
pub enum Claim {
    /// The key is new and now held by this transaction: place the order.
    New,
    /// The key was used before; the caller rolls back and answers [`Seen::replay`].
    Seen(Seen),
}

/// A key used before: the hash of the body it came with and the response stored for it.
#[derive(sqlx::FromRow)]
pub struct Seen {
    key: String,
    request_hash: String,
    response: Option<String>,
}

/// Claims `key` for a request whose body hashes to `request_hash`. Must be the
/// transaction's first statement: it writes, so SQLite takes the write lock before
/// anything is read. A new key also deletes the keys older than [`IDEMPOTENCY_TTL`].
pub async fn claim(
    conn: &mut SqliteConnection,
    key: &str,
    request_hash: &str,
    now: time::OffsetDateTime,
) -> ApiResult<Claim> {
    let inserted: Option<String> = sqlx::query_scalar(
        "INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES ($1, $2, NULL, $3)
         ON CONFLICT (key) DO NOTHING RETURNING key",
    )
    .bind(key)
    .bind(request_hash)
    .bind(crate::clock::rfc3339(now))
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        let seen = sqlx::query_as("SELECT key, request_hash, response FROM idempotency_keys WHERE key = $1")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?;
        return Ok(Claim::Seen(seen));
    }
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(crate::clock::rfc3339(now - IDEMPOTENCY_TTL))
        .execute(&mut *conn)
        .await?;
    Ok(Claim::New)
}

impl Seen {
    /// The stored 201 response when the body is the same; 422 `idempotency_key_reused`
    /// when it is another.
    pub fn replay(self, request_hash: &str) -> ApiResult<Response> {
        if self.request_hash != request_hash {
            return Err(ApiError::status(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::IdempotencyKeyReused,
                "This Idempotency-Key was used for another order; send a new key for a new order.",
            ));
        }
        // The key and its response are written in one transaction, so a key without one
        // cannot be seen here.
        let key = self.key;
        self.response
            .map(created)
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("idempotency key {key} has no response")))
    }
}

/// Stores the response the key replays from now on (in the transaction that claimed it).
pub async fn store_response(conn: &mut SqliteConnection, key: &str, body: &str) -> ApiResult<()> {
    sqlx::query("UPDATE idempotency_keys SET response = $1 WHERE key = $2")
        .bind(body)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The 201 answer of a placed order (first time or replayed): the stored JSON as is.
pub fn created(body: String) -> Response {
    (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}
