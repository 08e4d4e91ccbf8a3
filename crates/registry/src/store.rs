//! `Registry`, which picks the SQLite or PostgreSQL connection from a URL at run time. Its
//! operations are inherent methods, one module per table or concern in `tables/`.

use crate::error::Result;
use crate::postgres::PgStore;
use crate::sqlite::{CacheSize, SqliteStore};
use crate::target::DbTarget;

pub enum Registry {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Registry {
    /// Opens (creating a SQLite file if needed) and migrates the registry, sized for a batch
    /// such as a sync (see `open_with`).
    pub async fn open(target: &DbTarget) -> Result<Registry> {
        Registry::open_with(target, CacheSize::Batch).await
    }

    /// `open`, with SQLite's page cache per connection sized for the caller (PostgreSQL keeps
    /// its cache in the server).
    pub async fn open_with(target: &DbTarget, cache: CacheSize) -> Result<Registry> {
        Ok(match target {
            DbTarget::Sqlite(path) => Registry::Sqlite(SqliteStore::open(path, cache).await?),
            DbTarget::Postgres(url) => Registry::Postgres(PgStore::open(url).await?),
        })
    }

    /// The pool the plain table modules (`tables/`) run their statements on.
    pub(crate) fn db(&self) -> crate::db::Db<'_> {
        match self {
            Registry::Sqlite(s) => s.db(),
            Registry::Postgres(s) => s.db(),
        }
    }

    /// A watcher that resolves when another writer commits (see `watch.rs`).
    pub async fn watch(&self) -> Result<crate::watch::Watcher> {
        match self {
            Registry::Sqlite(s) => s.watch().await,
            Registry::Postgres(s) => s.watch().await,
        }
    }

    pub async fn close(self) {
        match self {
            Registry::Sqlite(s) => s.close().await,
            Registry::Postgres(s) => s.close().await,
        }
    }
}
