//! Connections of either backend: the pool (`Db`), a transaction (`Tx`), and what a statement
//! runs on (`Conn`). Only opening a write transaction differs between the two.

use crate::error::{RegistryError as E, Result};
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// Key of the advisory lock every registry write takes on PostgreSQL ("GODCONF" in ASCII).
const WRITE_LOCK: i64 = 0x0047_4f44_434f_4e46;

/// The registry's pool, borrowed.
#[derive(Clone, Copy)]
pub(crate) enum Db<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

/// What a statement runs on: a transaction's or a pooled connection.
pub(crate) enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// The same connection for one more statement (a `Conn` is moved into each one it runs).
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Conn<'_> {
    /// Whether this is SQLite: for the few statements whose text differs between the backends.
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Conn::Sqlite(_))
    }

    /// Runs a migration's script (several statements, no arguments) as it is.
    pub async fn run_script(&mut self, m: &sqlx::migrate::Migration) -> sqlx::Result<()> {
        match self {
            Conn::Sqlite(c) => sqlx::raw_sql(m.sql.clone())
                .execute(&mut **c)
                .await
                .map(drop),
            Conn::Postgres(c) => sqlx::raw_sql(m.sql.clone())
                .execute(&mut **c)
                .await
                .map(drop),
        }
    }
}

impl<'c> From<&'c mut SqliteConnection> for Conn<'c> {
    fn from(c: &'c mut SqliteConnection) -> Self {
        Conn::Sqlite(c)
    }
}

impl<'c> From<&'c mut PgConnection> for Conn<'c> {
    fn from(c: &'c mut PgConnection) -> Self {
        Conn::Postgres(c)
    }
}

/// A transaction of either backend; dropped without `commit`, it rolls back.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A connection taken from the pool for a few reads.
pub(crate) enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Db<'_> {
    /// A write transaction that holds the registry's write lock: `BEGIN IMMEDIATE` on SQLite, a
    /// transaction-scoped advisory lock on PostgreSQL (which also notifies listeners on commit).
    pub async fn begin_write(self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(sqlite_begin_write(pool).await?),
            Db::Postgres(pool) => Tx::Postgres(pg_begin_write(pool).await?),
        })
    }

    /// A connection for reads outside any transaction; `op` names the read if none is free.
    pub async fn acquire(self, op: &'static str) -> Result<Pooled> {
        Ok(match self {
            Db::Sqlite(pool) => Pooled::Sqlite(pool.acquire().await.map_err(E::db(op))?),
            Db::Postgres(pool) => Pooled::Postgres(pool.acquire().await.map_err(E::db(op))?),
        })
    }
}

impl Db<'_> {
    /// A read transaction: several reads that see one state of the registry.
    pub async fn begin(self, op: &'static str) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await.map_err(E::db(op))?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await.map_err(E::db(op))?),
        })
    }
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn commit(self, op: &'static str) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
        .map_err(E::db(op))
    }

    /// Ends without a commit, so watchers are not woken up.
    pub async fn rollback(self, op: &'static str) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        }
        .map_err(E::db(op))
    }
}

impl Pooled {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// SQLite: `BEGIN IMMEDIATE`, so a second writer waits (busy timeout) instead of failing later.
pub(crate) async fn sqlite_begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(E::db("starting a write transaction"))
}

/// PostgreSQL: writers serialize on an advisory lock; readers are never blocked.
pub(crate) async fn pg_begin_write(pool: &PgPool) -> Result<Transaction<'static, Postgres>> {
    let op = "starting a write transaction";
    let mut tx = pool.begin().await.map_err(E::db(op))?;
    // Waiting longer than this for another writer becomes `registry.busy` (55P03).
    sqlx::query("SET LOCAL lock_timeout = '30s'")
        .execute(&mut *tx)
        .await
        .map_err(E::db(op))?;
    // Delivered to every listener when (and only if) this transaction commits.
    sqlx::query("SELECT pg_notify($1, 'changed')")
        .bind(crate::watch::CHANNEL)
        .execute(&mut *tx)
        .await
        .map_err(E::db(op))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(E::db(op))?;
    Ok(tx)
}
