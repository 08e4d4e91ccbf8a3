//! The one store trait, and `Registry`, which picks the SQLite or PostgreSQL implementation from
//! a URL at run time.

use crate::detail::{ConnectorDetail, QueueRow};
use crate::error::Result;
use crate::firearms::{FirearmOp, FirearmType};
use crate::kpis::{
    ConnectorCoverage, CoreKpi, CoreKpiOp, MappingChange, MappingOutcome, MetricRow,
};
use crate::model::{StatusRow, SyncInput, SyncReport};
use crate::postgres::PgStore;
use crate::review::{Action, Approval, ApproveRequest, AuditEntry, Gate};
use crate::scopes::{GatingChange, GatingOutcome, ScopeRow};
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

/// Operator review: the approval gate and the actions that change a connector's status.
pub trait ReviewStore: Send + Sync {
    fn gate(&self, slug: &str) -> impl Future<Output = Result<Gate>> + Send;
    /// Approves every request in one transaction, or none of them.
    fn approve(
        &self,
        requests: &[ApproveRequest],
        actor: &str,
    ) -> impl Future<Output = Result<Vec<Approval>>> + Send;
    /// Reject a draft, or revoke an approval; both need a reason.
    fn decide(
        &self,
        slug: &str,
        action: Action,
        actor: &str,
        reason: &str,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Newest first, optionally for one connector.
    fn audit(
        &self,
        slug: Option<&str>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<AuditEntry>>> + Send;
}

/// The connector page: one connector as a reviewer sees it.
pub trait DetailStore: Send + Sync {
    fn detail(&self, slug: &str) -> impl Future<Output = Result<ConnectorDetail>> + Send;
    /// Every registered connector with its gate summary, by slug.
    fn queue(&self) -> impl Future<Output = Result<Vec<QueueRow>>> + Send;
}

/// The scope manager: gating overrides and the firearm-type registry.
pub trait ScopeStore: Send + Sync {
    /// Every scope of one connector, or of all registered connectors, by connector and position.
    fn scopes(&self, connector: Option<&str>)
        -> impl Future<Output = Result<Vec<ScopeRow>>> + Send;
    /// Applies a batch in one transaction with one audit entry, or nothing (compare-and-set on
    /// each scope's version). Approved connectors whose risk changes go back to draft.
    fn change_gating(
        &self,
        change: &GatingChange,
        actor: &str,
    ) -> impl Future<Output = Result<GatingOutcome>> + Send;
    fn firearm_types(&self) -> impl Future<Output = Result<Vec<FirearmType>>> + Send;
    /// The type after the change (`None` once deleted).
    fn change_firearm_type(
        &self,
        op: &FirearmOp,
        actor: &str,
    ) -> impl Future<Output = Result<Option<FirearmType>>> + Send;
}

/// The KPI mapper: metric mappings and the core-KPI registry.
pub trait KpiStore: Send + Sync {
    /// Every metric of one connector, or of all registered connectors, by connector and
    /// position; orphaned mappings (their metric left the manifest) after each connector's.
    fn metrics(
        &self,
        connector: Option<&str>,
    ) -> impl Future<Output = Result<Vec<MetricRow>>> + Send;
    /// Applies a batch in one transaction with one audit entry, or nothing (compare-and-set on
    /// each metric's version). Approved connectors with a metric left unmapped go back to draft.
    fn change_mapping(
        &self,
        change: &MappingChange,
        actor: &str,
    ) -> impl Future<Output = Result<MappingOutcome>> + Send;
    /// Per connector with metrics (or orphaned mappings): counts and the core KPIs it feeds, by
    /// slug. The same as `kpis::coverage` of `metrics`, aggregated in SQL.
    fn coverage(
        &self,
        connector: Option<&str>,
    ) -> impl Future<Output = Result<Vec<ConnectorCoverage>>> + Send;
    fn core_kpis(&self) -> impl Future<Output = Result<Vec<CoreKpi>>> + Send;
    /// The KPI after the change (`None` once deleted).
    fn change_core_kpi(
        &self,
        op: &CoreKpiOp,
        actor: &str,
    ) -> impl Future<Output = Result<Option<CoreKpi>>> + Send;
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

impl ReviewStore for Registry {
    async fn gate(&self, slug: &str) -> Result<Gate> {
        delegate!(self, s => s.gate(slug).await)
    }
    async fn approve(&self, requests: &[ApproveRequest], actor: &str) -> Result<Vec<Approval>> {
        delegate!(self, s => s.approve(requests, actor).await)
    }
    async fn decide(&self, slug: &str, action: Action, actor: &str, reason: &str) -> Result<()> {
        delegate!(self, s => s.decide(slug, action, actor, reason).await)
    }
    async fn audit(&self, slug: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
        delegate!(self, s => s.audit(slug, limit).await)
    }
}

impl DetailStore for Registry {
    async fn detail(&self, slug: &str) -> Result<ConnectorDetail> {
        delegate!(self, s => s.detail(slug).await)
    }
    async fn queue(&self) -> Result<Vec<QueueRow>> {
        delegate!(self, s => s.queue().await)
    }
}

impl ScopeStore for Registry {
    async fn scopes(&self, connector: Option<&str>) -> Result<Vec<ScopeRow>> {
        delegate!(self, s => s.scopes(connector).await)
    }
    async fn change_gating(&self, change: &GatingChange, actor: &str) -> Result<GatingOutcome> {
        delegate!(self, s => s.change_gating(change, actor).await)
    }
    async fn firearm_types(&self) -> Result<Vec<FirearmType>> {
        delegate!(self, s => s.firearm_types().await)
    }
    async fn change_firearm_type(
        &self,
        op: &FirearmOp,
        actor: &str,
    ) -> Result<Option<FirearmType>> {
        delegate!(self, s => s.change_firearm_type(op, actor).await)
    }
}

impl KpiStore for Registry {
    async fn metrics(&self, connector: Option<&str>) -> Result<Vec<MetricRow>> {
        delegate!(self, s => s.metrics(connector).await)
    }
    async fn change_mapping(&self, change: &MappingChange, actor: &str) -> Result<MappingOutcome> {
        delegate!(self, s => s.change_mapping(change, actor).await)
    }
    async fn coverage(&self, connector: Option<&str>) -> Result<Vec<ConnectorCoverage>> {
        delegate!(self, s => s.coverage(connector).await)
    }
    async fn core_kpis(&self) -> Result<Vec<CoreKpi>> {
        delegate!(self, s => s.core_kpis().await)
    }
    async fn change_core_kpi(&self, op: &CoreKpiOp, actor: &str) -> Result<Option<CoreKpi>> {
        delegate!(self, s => s.change_core_kpi(op, actor).await)
    }
}
