//! The registry: one store trait with SQLite and PostgreSQL implementations, their migrations
//! (`migrations/`), and the pure planning that decides what a sync changes.

pub mod diff;
pub mod error;
mod migrate;
pub mod model;
mod plan;
mod postgres;
mod sql;
mod sqlite;
pub mod store;
pub mod target;

pub use diff::{ConnectorDiff, ListDiff};
pub use error::{RegistryError, Result};
pub use model::{
    ChangeKind, ConnectorChange, Status, StatusRow, SyncInput, SyncReport, ValidConnector,
};
pub use plan::effective_gated;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use store::{Registry, RegistryStore};
pub use target::{default_sqlite_path, DbTarget, DATABASE_URL_ENV};
