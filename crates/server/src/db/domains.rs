//! The cooperatives' own domains (`cooperative_domains`), read once and kept in
//! `AppState::domains` until staff change them (`DomainCache::invalidate`).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// Domain (lower-case host name) → the cooperative's slug.
pub type DomainMap = HashMap<String, String>;

#[derive(Default)]
pub struct DomainCache {
    map: Mutex<Option<Arc<DomainMap>>>,
}

impl DomainCache {
    /// The domains (read from the table when nothing is cached).
    pub async fn get(&self, pool: &crate::db::Pool) -> sqlx::Result<Arc<DomainMap>> {
        if let Some(map) = self.map.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(map.clone());
        }
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT d.domain, c.slug FROM cooperative_domains d JOIN cooperatives c ON c.id = d.cooperative_id",
        )
        .fetch_all(pool)
        .await?;
        let map = Arc::new(rows.into_iter().collect::<DomainMap>());
        *self.map.lock().unwrap_or_else(|e| e.into_inner()) = Some(map.clone());
        Ok(map)
    }

    /// Forgets the cached table: call after every change to it (after the commit).
    pub fn invalidate(&self) {
        *self.map.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
