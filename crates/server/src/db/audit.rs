//! The audit log: every staff and cooperative-admin action, with who, what, when, and
//! the record before and after. Written in the same transaction as the change.

use serde::Serialize;
use sqlx::SqliteConnection;

/// One action to record.
pub struct Action<'a> {
    pub actor_id: i64,
    pub actor_name: &'a str,
    /// Dotted verb, e.g. `member.add`, `cooperative.approve`.
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Action<'_> {
    pub async fn record(self, conn: &mut SqliteConnection, at: &str) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_user_id, actor_name, action, entity, entity_id, before_json, after_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(at)
        .bind(self.actor_id)
        .bind(self.actor_name)
        .bind(self.action)
        .bind(self.entity)
        .bind(&self.entity_id)
        .bind(self.before.map(|v| v.to_string()))
        .bind(self.after.map(|v| v.to_string()))
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// A value as JSON for the log.
pub fn json<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}
