//! The database: pool, migrations, and the typed row readers shared by the features.
//! Uses only the domain crate and the top-level utilities (never `http`, `auth`, `api`).

pub mod audit;
pub mod listing;
pub mod lots;
pub mod orders;
pub mod products;
pub mod search;

use domain::catalog::Date;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, sqlite::SqliteRow};
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
        .synchronous(SqliteSynchronous::Normal)
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

pub async fn migrate(pool: &Pool) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations").run(pool).await?;
    Ok(())
}

/// The error for a stored value that does not decode (never silently replaced).
pub fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {what} {value:?} in the database").into())
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
