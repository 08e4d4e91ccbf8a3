//! The one store trait, and `Registry`, which picks the SQLite or PostgreSQL implementation from
//! a URL at run time.

use crate::error::Result;
use crate::model::{StatusRow, SyncInput, SyncReport};
use crate::postgres::PgStore;
use crate::sqlite::{CacheSize, SqliteStore};
use crate::target::DbTarget;
use std::collections::HashMap;
use std::future::Future;

/// A registry backend. Both implementations run the same SQL (see `sql.rs`); only connecting,
/// locking and column types differ.
pub trait RegistryStore: Send + Sync {
    fn backend(&self) -> &'static str;
    /// Registers `input` in one write transaction. With `dry_run`, computes the same report and
    /// rolls back, so a plan is exactly what a sync would do.
    fn sync(
        &self,
        input: &SyncInput,
        dry_run: bool,
    ) -> impl Future<Output = Result<SyncReport>> + Send;
    fn status(&self) -> impl Future<Output = Result<Vec<StatusRow>>> + Send;
    /// Manifest hashes of the connectors that are registered and not removed, by slug.
    fn registered_hashes(&self) -> impl Future<Output = Result<HashMap<String, String>>> + Send;
    /// Operator gating overrides: (connector, scope, requires_firearm).
    fn gating_overrides(&self) -> impl Future<Output = Result<Vec<(String, String, bool)>>> + Send;
}

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

macro_rules! delegate {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Registry::Sqlite($s) => $e,
            Registry::Postgres($s) => $e,
        }
    };
}

impl RegistryStore for Registry {
    fn backend(&self) -> &'static str {
        delegate!(self, s => s.backend())
    }
    async fn sync(&self, input: &SyncInput, dry_run: bool) -> Result<SyncReport> {
        delegate!(self, s => s.sync(input, dry_run).await)
    }
    async fn status(&self) -> Result<Vec<StatusRow>> {
        delegate!(self, s => s.status().await)
    }
    async fn registered_hashes(&self) -> Result<HashMap<String, String>> {
        delegate!(self, s => s.registered_hashes().await)
    }
    async fn gating_overrides(&self) -> Result<Vec<(String, String, bool)>> {
        delegate!(self, s => s.gating_overrides().await)
    }
}
