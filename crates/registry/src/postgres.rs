//! PostgreSQL: writers serialize on a transaction-scoped advisory lock, so two sentinels (or a
//! sentinel and the app) never interleave a sync; readers are never blocked.

use crate::error::{RegistryError, Result};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::Connection;
use sqlx::{Postgres, Transaction};
use std::time::Duration;

pub struct PgStore {
    pool: PgPool,
    url: String,
    /// Whether the connection is encrypted (TLS), as the server says.
    encrypted: bool,
}

impl PgStore {
    pub async fn open(url: &str) -> Result<PgStore> {
        let target = crate::target::DbTarget::Postgres(url.to_string()).display();
        let connect_err = |e: sqlx::Error| {
            let reason = crate::target::scrub(&e.to_string(), url);
            // rustls reports a refused handshake (certificate, alert) as invalid data.
            let tls_io = |e: &std::io::Error| e.kind() == std::io::ErrorKind::InvalidData;
            match e {
                sqlx::Error::Tls(_) => RegistryError::Tls {
                    target: target.clone(),
                    reason,
                },
                sqlx::Error::Io(e) if tls_io(&e) => RegistryError::Tls {
                    target: target.clone(),
                    reason,
                },
                _ => RegistryError::Connect {
                    target: target.clone(),
                    reason,
                },
            }
        };
        let options: PgConnectOptions = url.parse().map_err(connect_err)?;
        // One direct attempt first: the pool would retry a refused connection until its timeout.
        let mut first = PgConnection::connect_with(&options)
            .await
            .map_err(connect_err)?;
        let encrypted: Option<bool> =
            sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .fetch_optional(&mut first)
                .await
                .map_err(RegistryError::db("reading the connection's encryption"))?;
        first.close().await.ok();
        let pool = PgPoolOptions::new()
            .max_connections(4)
            // While the server is away, an action is refused after this, not queued.
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(connect_err)?;
        let store = PgStore {
            pool,
            url: url.to_string(),
            encrypted: encrypted.unwrap_or(false),
        };
        crate::migrate::run(store.db()).await?;
        Ok(store)
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Postgres>> {
        crate::db::pg_begin_write(&self.pool).await
    }

    /// Whether the connection to the server is encrypted (TLS).
    pub fn encrypted(&self) -> bool {
        self.encrypted
    }

    pub(crate) fn db(&self) -> crate::db::Db<'_> {
        crate::db::Db::Postgres(&self.pool)
    }

    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Watches for committed writes through `LISTEN`.
    pub async fn watch(&self) -> Result<crate::watch::Watcher> {
        let options: PgConnectOptions = self
            .url
            .parse()
            .map_err(RegistryError::db("opening a listener"))?;
        // Its own one-connection pool, not the store's: closing the store must not wait for a
        // watcher. A short acquire timeout: while the server is down, (re)connecting fails within
        // seconds (sqlx's default retries for 30 s), so the app can say it is offline.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy_with(options);
        let mut listener = sqlx::postgres::PgListener::connect_with(&pool)
            .await
            .map_err(RegistryError::db("opening a listener"))?;
        listener
            .listen(crate::watch::CHANNEL)
            .await
            .map_err(RegistryError::db("listening for changes"))?;
        Ok(crate::watch::Watcher::Postgres(Box::new(listener)))
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}
