//! Backups of a SQLite database: `VACUUM INTO` a new file (a consistent snapshot of a live
//! database, taken in one read transaction while the server keeps writing), and restoring
//! one into place once it passes `PRAGMA integrity_check`.

use anyhow::{Context, bail};
use sqlx::{
    ConnectOptions, Connection,
    sqlite::{SqliteConnectOptions, SqliteConnection},
};
use std::{
    path::{Path, PathBuf},
    str::FromStr,
    time::Duration,
};

/// The database file a `sqlite:` URL names.
pub fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    if !url.starts_with("sqlite:") {
        bail!(
            "backup and restore handle SQLite databases (DATABASE_URL={url}); for PostgreSQL use pg_dump -Fc / pg_restore"
        );
    }
    Ok(SqliteConnectOptions::from_str(url)?.get_filename().to_path_buf())
}

async fn open(path: &Path, read_only: bool) -> anyhow::Result<SqliteConnection> {
    let conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .read_only(read_only)
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await
        .with_context(|| format!("cannot open {}", path.display()))?;
    Ok(conn)
}

/// Copies the database at `url` (which may be in use) into `to`, a file that must not exist.
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<()> {
    let from = sqlite_path(url)?;
    if !from.exists() {
        bail!("there is no database at {}", from.display());
    }
    if to.exists() {
        bail!("{} already exists: a backup never overwrites a file", to.display());
    }
    let to_text = to.to_str().context("the backup's path must be UTF-8")?;
    let mut conn = open(&from, false).await?;
    sqlx::query("VACUUM INTO $1").bind(to_text).execute(&mut conn).await?;
    conn.close().await?;
    check(to).await
}

/// `PRAGMA integrity_check` on the database file `path`.
pub async fn check(path: &Path) -> anyhow::Result<()> {
    let mut conn = open(path, true).await?;
    let result: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await?;
    conn.close().await?;
    if result != ["ok"] {
        bail!("{} fails the integrity check: {}", path.display(), result.join("; "));
    }
    Ok(())
}

/// Puts the backup `from` in place of the database at `url`, the server being stopped: the
/// backup is checked, copied next to the database and renamed over it (the old database,
/// if any, is kept as `….before-restore`).
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<Option<PathBuf>> {
    let to = sqlite_path(url)?;
    check(from).await?;
    let wal = PathBuf::from(format!("{}-wal", to.display()));
    if wal.exists() {
        bail!(
            "{} exists: the database is in use or was not closed cleanly. Stop the server first \
             (a clean stop removes it), then restore",
            wal.display()
        );
    }
    if let Some(dir) = to.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = PathBuf::from(format!("{}.restoring", to.display()));
    std::fs::copy(from, &tmp).with_context(|| format!("cannot copy {} to {}", from.display(), tmp.display()))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    let mut kept = None;
    if to.exists() {
        let old = PathBuf::from(format!("{}.before-restore", to.display()));
        std::fs::rename(&to, &old)?;
        kept = Some(old);
    }
    let _ = std::fs::remove_file(format!("{}-shm", to.display()));
    std::fs::rename(&tmp, &to)?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename itself is durable once the directory is synced.
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(kept)
}
