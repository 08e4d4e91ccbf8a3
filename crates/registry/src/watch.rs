//! Live updates: a watcher resolves when another writer (a sentinel, another app) has committed
//! to the registry, so open screens can refresh without a reload.

use crate::error::{RegistryError, Result};
use std::time::Duration;

/// The PostgreSQL channel every write transaction notifies.
pub const CHANNEL: &str = "godconfig_registry";

/// How often SQLite's data version is read: well under the one second the screens allow.
const POLL: Duration = Duration::from_millis(200);

pub enum Watcher {
    Sqlite {
        conn: sqlx::SqliteConnection,
        version: i64,
    },
    Postgres(Box<sqlx::postgres::PgListener>),
}

pub(crate) async fn data_version(conn: &mut sqlx::SqliteConnection) -> Result<i64> {
    sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await
        .map_err(RegistryError::db("reading the data version"))
}

impl Watcher {
    /// Waits until the registry has changed since the last call (or since the watcher opened).
    pub async fn changed(&mut self) -> Result<()> {
        self.changed_or(&tokio::sync::Notify::new()).await
    }

    /// `changed`, and on SQLite also looks at once each time `look` is notified (a writer of
    /// this process says it committed) instead of at the next poll. Each commit is still
    /// reported once; a look that finds nothing new reports nothing. PostgreSQL's notifications
    /// arrive at once anyway.
    pub async fn changed_or(&mut self, look: &tokio::sync::Notify) -> Result<()> {
        match self {
            Watcher::Sqlite { conn, version } => loop {
                tokio::select! {
                    _ = tokio::time::sleep(POLL) => {}
                    _ = look.notified() => {}
                }
                let now = data_version(conn).await?;
                if now != *version {
                    *version = now;
                    return Ok(());
                }
            },
            Watcher::Postgres(listener) => {
                // None: the connection dropped and was made again; changes may have been missed
                // meanwhile, so that counts as one. A failed reconnection is an error (offline).
                listener
                    .try_recv()
                    .await
                    .map_err(RegistryError::db("waiting for changes"))?;
                // Several commits in a burst make one refresh.
                while listener.next_buffered().is_some() {}
                Ok(())
            }
        }
    }
}
