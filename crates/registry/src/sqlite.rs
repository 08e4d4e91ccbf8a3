//! SQLite: WAL, a busy timeout, and `BEGIN IMMEDIATE` for every write transaction, so a second
//! writer waits instead of failing with "database is locked".

use crate::error::{RegistryError, Result};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::ffi::c_int;
use std::path::Path;
use std::time::Duration;

/// SQLite's page cache per pooled connection. Each connection fills its own, so a process that
/// reads the whole registry on several connections holds it several times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheSize {
    /// 64 MiB: a cold sync's large transaction stays in memory (the sentinel).
    Batch,
    /// 8 MiB: a long-running app that mostly reads (the desktop app).
    Interactive,
}

/// Overrides either size, in MiB (1 to 1024), to measure or tune a large registry.
pub const CACHE_ENV: &str = "GODCONFIG_SQLITE_CACHE_MIB";

impl CacheSize {
    fn kib(self) -> u32 {
        let default = match self {
            CacheSize::Batch => 64,
            CacheSize::Interactive => 8,
        };
        let mib = std::env::var(CACHE_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|m| (1..=1024).contains(m))
            .unwrap_or(default);
        mib * 1024
    }
}

pub struct SqliteStore {
    pool: SqlitePool,
    // Boxed: the options are large and only needed to open a watch connection.
    options: Box<SqliteConnectOptions>,
}

/// Turns off SQLite's memory statistics before its first connection: with them, every allocation
/// of every connection takes one process-wide mutex, and a sync's parallel reads spent about a
/// sixth of their time waking each other on it (perf, docs/performance.md). Nothing reads them.
fn no_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: called before this process opens any SQLite connection (every one goes through
        // `open`); after that SQLite refuses with SQLITE_MISUSE and changes nothing.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as c_int)
        };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::debug!("SQLite kept its memory statistics (sqlite3_config: {rc})");
        }
    });
}

impl SqliteStore {
    pub async fn open(path: &Path, cache: CacheSize) -> Result<SqliteStore> {
        let connect_err = |reason: String| RegistryError::Connect {
            target: format!("sqlite:{}", path.display()),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| connect_err(format!("cannot create {}: {e}", dir.display())))?;
        }
        no_memory_statistics();
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk (the WAL synced) before it is acknowledged, so an
            // approval the app has shown as done survives a power cut. NORMAL could lose the
            // last commits (docs/security.md; its cost is in docs/performance.md).
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            // A cold sync's large transaction: keep its statement journal and spills in memory.
            .pragma("temp_store", "memory")
            .pragma("cache_size", format!("-{}", cache.kib()));
        // Switching a new file to WAL needs a lock that SQLite does not wait for through the busy
        // timeout, so a writer racing another one's first open retries here instead of failing.
        let mut attempt = 0;
        let pool = loop {
            match SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options.clone())
                .await
            {
                Ok(pool) => break pool,
                Err(e) if attempt < 50 && e.to_string().contains("database is locked") => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
                }
                Err(e) => return Err(connect_err(e.to_string())),
            }
        };
        let store = SqliteStore {
            pool,
            options: Box::new(options),
        };
        crate::migrate::run(store.db()).await?;
        Ok(store)
    }

    pub(crate) fn db(&self) -> crate::db::Db<'_> {
        crate::db::Db::Sqlite(&self.pool)
    }

    /// Watches for commits by any connection or process: `PRAGMA data_version` on a dedicated
    /// connection changes when another connection commits.
    pub async fn watch(&self) -> Result<crate::watch::Watcher> {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect_with(&self.options)
            .await
            .map_err(RegistryError::db("opening a watch connection"))?;
        let version = crate::watch::data_version(&mut conn).await?;
        Ok(crate::watch::Watcher::Sqlite { conn, version })
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pooled connection commits durably (`PRAGMA synchronous` 2 = FULL), not NORMAL (1).
    #[tokio::test]
    async fn every_connection_syncs_each_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("r.db"), CacheSize::Interactive)
            .await
            .unwrap();
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut conn = store.pool.acquire().await.unwrap();
            let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(level, 2, "synchronous=FULL on every connection");
            held.push(conn);
        }
        drop(held);
        store.close().await;
    }
}
