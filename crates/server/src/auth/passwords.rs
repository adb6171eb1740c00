//! Passwords: argon2id (RustCrypto defaults: 19 MiB, 2 passes), hashed and checked off
//! the async threads.

use crate::{
    http::error::{ApiError, ApiResult},
    secret::random_bytes,
};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};

/// An argon2id PHC string for `password`, computed off the async threads.
/// Argon2 takes 19 MiB and tens of milliseconds per hash: at most this many at once, the
/// rest wait their turn (a burst of sign-ups or sign-ins cannot exhaust memory or cores).
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

async fn hashing_turn() -> ApiResult<tokio::sync::SemaphorePermit<'static>> {
    HASHING.acquire().await.map_err(|e| ApiError::Internal(e.into()))
}

pub async fn hash_password(password: String) -> ApiResult<String> {
    let salt = random_bytes::<16>()?;
    let _turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        let hash =
            Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
        Ok::<_, anyhow::Error>(hash.to_string())
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(ApiError::Internal)
}

/// Whether `password` matches the stored PHC string. With no stored hash (no such
/// account), a fixed hash is checked instead, so both cases take the same time.
pub(super) async fn verify_password(password: String, phc: Option<String>) -> ApiResult<bool> {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$J3Vp5WmrsQHUJxr0k8k4dBhSCQbYq1iVFVnMqwXuzXE";
    let _turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY.to_owned());
        let ok =
            PasswordHash::new(&phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok());
        known && ok
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("lúa vàng Sóc Trăng".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("lúa vàng Sóc Trăng".into(), Some(h.clone())).await.unwrap());
        assert!(!verify_password("lua vang soc trang".into(), Some(h)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }
}
