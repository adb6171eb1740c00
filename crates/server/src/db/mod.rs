//! The database: pool, migrations, and the typed row readers shared by the features.
//! Uses only the domain crate and the top-level utilities (never `http`, `auth`, `api`).

pub mod audit;
pub mod backup;
pub mod domains;
pub mod facets;
pub mod listing;
pub mod lots;
pub mod orders;
pub mod outbox;
pub mod products;
pub mod rates;
pub mod search;
pub mod vocabulary;

use domain::catalog::Date;
use sqlx::{
    Row,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};

pub type Pool = sqlx::SqlitePool;
pub type Db = sqlx::Sqlite;

pub async fn connect(url: &str) -> anyhow::Result<Pool> {
    if !url.starts_with("sqlite:") {
        anyhow::bail!("only SQLite databases are supported for now (DATABASE_URL={url})");
    }
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is on disk (WAL fsynced) before it is acknowledged, so an order
        // answered 201 survives a power loss, not only a crash of the process.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    if let Some(dir) = options.get_filename().parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    Ok(pool)
}

/// Runs the migrations, then rebuilds the search index if an older rule cut its words.
pub async fn migrate(pool: &Pool) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations").run(pool).await?;
    if search::reindex_if_stale(pool).await? {
        tracing::info!("reindexed the product search with the current word rule");
    }
    Ok(())
}

/// The error for a stored value that does not decode (never silently replaced).
pub fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {what} {value:?} in the database").into())
}

/// `value` (from column or count `what`) as `T`: out of `T`'s range is a decode error,
/// never a silent truncation.
pub fn narrow<T: TryFrom<i64>>(what: &str, value: i64) -> sqlx::Result<T> {
    T::try_from(value).map_err(|_| decode_err(what, &value.to_string()))
}

/// An integer column as `T` (`u8`, `u16`, `u32`…), checked by [`narrow`].
pub fn int<T: TryFrom<i64>>(row: &SqliteRow, column: &str) -> sqlx::Result<T> {
    narrow(column, row.try_get(column)?)
}

/// A nullable integer column as `T`, checked by [`narrow`].
pub fn opt_int<T: TryFrom<i64>>(row: &SqliteRow, column: &str) -> sqlx::Result<Option<T>> {
    row.try_get::<Option<i64>, _>(column)?.map(|v| narrow(column, v)).transpose()
}

/// A list of ids for `IN (…)`.
pub fn id_list(ids: &[i64]) -> String {
    // Ids are integers from our own rows: safe to inline, and one statement serves any count.
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A `YYYY-MM-DD` column.
pub fn date(row: &SqliteRow, column: &str) -> sqlx::Result<Date> {
    let s: String = row.try_get(column)?;
    Date::parse(&s).ok_or_else(|| decode_err("date", &s))
}

/// A column holding a JSON array of strings.
pub fn json_list(row: &SqliteRow, column: &str) -> sqlx::Result<Vec<String>> {
    let s: String = row.try_get(column)?;
    serde_json::from_str(&s).map_err(|_| decode_err(column, &s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_narrow_only_within_range() {
        assert_eq!(narrow::<u8>("province_code", 92).unwrap(), 92);
        assert!(matches!(narrow::<u8>("province_code", 348), Err(sqlx::Error::Decode(_))), "not 348 as u8 = 92");
        assert!(narrow::<u32>("quantity", -1).is_err());
        assert!(narrow::<u32>("quantity", i64::from(u32::MAX) + 1).is_err());
        assert_eq!(narrow::<u64>("total", 0).unwrap(), 0);
    }
}
