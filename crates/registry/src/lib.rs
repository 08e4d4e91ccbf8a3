//! The registry: one store trait with SQLite and PostgreSQL implementations, their migrations
//! (`migrations/`), and the pure planning that decides what a sync changes.

pub mod audit_chain;
pub mod audit_csv;
pub mod code_diff;
mod db;
pub mod detail;
pub mod dev_accounts;
pub mod diff;
pub mod error;
pub mod files;
pub mod firearms;
pub mod gateway;
mod kpi_fit;
mod kpi_preview;
mod kpi_registry;
pub mod kpis;
mod migrate;
pub mod model;
mod plan;
mod postgres;
pub mod review;
pub mod run;
pub mod scope_selection;
pub mod scopes;
mod slug_registry;
mod sqlite;
pub mod store;
mod tables;
pub mod target;
pub mod team;
pub mod tools;
pub mod utm;
pub mod watch;

pub use audit_chain::{BadEntry, ChainBreak, ChainReport};
pub use audit_csv::audit_csv;
pub use detail::{ConnectorDetail, QueueRow};
pub use dev_accounts::{DevAccount, RequiredSecret};
pub use diff::{ConnectorDiff, ListDiff};
pub use error::{RegistryError, Result};
pub use firearms::{FirearmOp, FirearmType, FirearmTypeFields, RiskLevel, TypeUsage};
pub use kpis::{
    CoreKpi, CoreKpiFields, CoreKpiOp, MappingChange, MappingItem, MappingOp, MappingOutcome,
    MetricRow,
};
pub use migrate::schema_version;
pub use model::{
    ChangeKind, ConnectorChange, Known, Status, StatusRow, SyncInput, SyncReport, ValidConnector,
};
pub use plan::effective_gated;
pub use postgres::PgStore;
pub use review::{Action, Approval, ApproveRequest, AuditEntry, Gate, Missing};
pub use scope_selection::Selected;
pub use scopes::{
    GatingChange, GatingFilter, GatingOp, GatingOutcome, ScopeFilter, ScopeRef, ScopeRow,
    Suggestion,
};
pub use sqlite::{CacheSize, SqliteStore, CACHE_ENV};
pub use store::Registry;
pub use tables::code_review::CodeReview;
pub use tables::pending_calls::{NewPendingCall, PendingCall};
pub use tables::receipts::CALL_ACTION;
pub use tables::tool_policies::ServedTool;
pub use target::{default_sqlite_path, without_password, DbTarget, DATABASE_URL_ENV};
pub use team::{Identity, PolicyChange, TeamPolicy};
