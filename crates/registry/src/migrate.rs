//! Applies the embedded migrations. sqlx's own runner stamps each migration with the time it ran;
//! this one records only version and checksum, so two registries built from the same folder dump
//! identically (see docs/adr/0002-own-migration-runner.md).

use crate::db::{query, Db};
use crate::error::{RegistryError, Result};
use sqlx::migrate::Migrator;

pub(crate) static SQLITE: Migrator = sqlx::migrate!("../../migrations/sqlite");
pub(crate) static POSTGRES: Migrator = sqlx::migrate!("../../migrations/postgres");

/// The registry schema this build writes: its latest migration's version (the same on both
/// backends), as `sentinel --version`, `sentinel doctor` and the app's About show it.
pub fn schema_version() -> i64 {
    (SQLITE.iter().chain(POSTGRES.iter()))
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

impl crate::store::Registry {
    /// The latest migration applied to this registry (0 before the first).
    pub async fn applied_schema(&self) -> Result<i64> {
        let op = "reading the registry's schema version";
        let mut tx = self.db().begin(op).await?;
        let mut conn = tx.conn();
        let v: Option<i64> = query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .scalar_optional(conn.reborrow())
            .await
            .map_err(RegistryError::db(op))?;
        Ok(v.unwrap_or(0))
    }
}

/// The migration that starts the audit log's hash chain: entries written before it are
/// chained when it is applied.
const AUDIT_CHAIN: i64 = 20261204000009;

pub(crate) const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, description TEXT NOT NULL, checksum TEXT NOT NULL)";

/// Whether `schema_migrations` exists; on PostgreSQL checked before CREATE TABLE IF NOT EXISTS,
/// which a team member without CREATE may not run.
const SQLITE_TABLE_EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM sqlite_master \
    WHERE type = 'table' AND name = 'schema_migrations')";
const POSTGRES_TABLE_EXISTS: &str = "SELECT to_regclass('schema_migrations') IS NOT NULL";

#[derive(sqlx::FromRow)]
struct Applied {
    version: i64,
    checksum: String,
}

/// Applies what is pending in one write transaction; a registry already up to date ends
/// without a commit, so watchers are not woken up.
pub(crate) async fn run(db: Db<'_>) -> Result<()> {
    let (migrator, exists_sql) = match db {
        Db::Sqlite(_) => (&SQLITE, SQLITE_TABLE_EXISTS),
        Db::Postgres(_) => (&POSTGRES, POSTGRES_TABLE_EXISTS),
    };
    let mut tx = db.begin_write().await?;
    let mut conn = tx.conn();
    let exists: Option<bool> = query(exists_sql)
        .scalar_optional(conn.reborrow())
        .await
        .map_err(RegistryError::db("looking for the migrations table"))?;
    if exists != Some(true) {
        query(CREATE_TABLE)
            .execute(conn.reborrow())
            .await
            .map_err(RegistryError::db("creating the migrations table"))?;
    }
    let applied: Vec<Applied> =
        query("SELECT version, checksum FROM schema_migrations ORDER BY version")
            .fetch_all(conn.reborrow())
            .await
            .map_err(RegistryError::db("reading applied migrations"))?;
    let applied: Vec<(i64, String)> = applied
        .into_iter()
        .map(|a| (a.version, a.checksum))
        .collect();
    let pending = pending(migrator, &applied)?;
    if pending.is_empty() {
        return tx.rollback("ending the migration check").await;
    }
    let chains = pending.iter().any(|m| m.version == AUDIT_CHAIN);
    for m in pending {
        conn.run_script(m)
            .await
            .map_err(|e| RegistryError::Migration {
                version: m.version,
                description: m.description.to_string(),
                reason: e.to_string(),
            })?;
        query("INSERT INTO schema_migrations (version, description, checksum) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.description.to_string())
            .bind(hex(&m.checksum))
            .execute(conn.reborrow())
            .await
            .map_err(RegistryError::db("recording a migration"))?;
    }
    if chains && conn.is_sqlite() {
        // PostgreSQL chains them in the migration itself; SQLite has no sha256.
        crate::tables::audit_chain::seal(&mut conn).await?;
    }
    tx.commit("committing migrations").await
}

/// Compares what the database has applied with what this build embeds, and says what to run.
pub(crate) fn pending<'m>(
    migrator: &'m Migrator,
    applied: &[(i64, String)],
) -> Result<Vec<&'m sqlx::migrate::Migration>> {
    for (version, checksum) in applied {
        match migrator.iter().find(|m| m.version == *version) {
            None => return Err(RegistryError::UnknownMigration { version: *version }),
            Some(m) if hex(&m.checksum) != *checksum => {
                return Err(RegistryError::MigrationChanged {
                    version: m.version,
                    description: m.description.to_string(),
                })
            }
            Some(_) => {}
        }
    }
    Ok(migrator
        .iter()
        .filter(|m| !applied.iter().any(|(v, _)| *v == m.version))
        .collect())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
