//! Applies the embedded migrations. sqlx's own runner stamps each migration with the time it ran;
//! this one records only version and checksum, so two registries built from the same folder dump
//! identically (see docs/adr/0002-own-migration-runner.md).

use crate::error::{RegistryError, Result};
use sqlx::migrate::Migrator;

pub(crate) static SQLITE: Migrator = sqlx::migrate!("../../migrations/sqlite");
pub(crate) static POSTGRES: Migrator = sqlx::migrate!("../../migrations/postgres");

pub(crate) const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, description TEXT NOT NULL, checksum TEXT NOT NULL)";

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
