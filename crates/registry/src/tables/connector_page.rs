//! The connector page and the review queue: one connector as a reviewer sees it, and every
//! connector with its gate summary.

use crate::db::query;
use crate::detail::{ConnectorDetail, MetricView, OperationView, ProblemView, QueueRow, ScopeView};
use crate::error::{RegistryError as E, Result};
use crate::files::refs;
use crate::model::Status;
use crate::review::Approval;
use crate::store::Registry;
use crate::tables::{files, gate, manifests};
use chrono::{DateTime, Utc};
use godconfig_manifest::Manifest;
use sqlx::types::Json;
use std::sync::LazyLock;

#[derive(sqlx::FromRow)]
struct Paths {
    status_reason: Option<String>,
    manifest_path: String,
    mcp_path: String,
}

#[derive(sqlx::FromRow)]
struct Gating {
    scope_name: String,
    requires_firearm: Option<bool>,
    firearm_type: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Mapping {
    metric_raw: String,
    core_kpi: Option<String>,
    not_a_kpi: bool,
}

#[derive(sqlx::FromRow)]
struct ApprovalRow {
    approved_by: String,
    approved_at: DateTime<Utc>,
    manifest_hash: String,
    manifest_snapshot: Json<Manifest>,
    fingerprint: String,
}

#[derive(sqlx::FromRow)]
struct Queued {
    slug: String,
    display_name: String,
    status: String,
    status_reason: Option<String>,
    manifest_hash: String,
    fingerprint: String,
    scopes: i64,
    gated: i64,
    gated_untyped: i64,
    metrics: i64,
    metrics_mapped: i64,
    problems: i64,
}

impl Registry {
    /// One connector as a reviewer sees it, read in one transaction.
    pub async fn detail(&self, slug: &str) -> Result<ConnectorDetail> {
        let op = "reading a connector";
        let mut tx = self.db().begin(op).await?;
        let mut conn = tx.conn();
        let gate = gate::read(&mut conn, slug).await?;
        let (mut current, overrides) = manifests::load(&mut conn, &[slug]).await?;
        let overrides = overrides.get(slug).map_or(&[][..], |o| o.as_slice());
        let m = current.remove(slug).ok_or_else(|| E::NotFound {
            slug: slug.to_string(),
        })?;
        let paths: Paths = query(
            "SELECT status_reason, manifest_path, mcp_path FROM connector_providers WHERE slug = $1",
        )
        .bind(slug)
        .fetch_one(conn.reborrow())
        .await
        .map_err(E::db(op))?;
        let gating: Vec<Gating> = query(
            "SELECT scope_name, requires_firearm, firearm_type FROM scope_gating \
             WHERE provider_slug = $1",
        )
        .bind(slug)
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db("reading scope gating"))?;
        let mappings: Vec<Mapping> = query(
            "SELECT metric_raw, core_kpi, not_a_kpi FROM kpi_mappings WHERE provider_slug = $1",
        )
        .bind(slug)
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db("reading metric mappings"))?;
        let approval: Option<ApprovalRow> = query(
            "SELECT approved_by, approved_at, manifest_hash, manifest_snapshot, fingerprint \
             FROM connector_approvals WHERE provider_slug = $1",
        )
        .bind(slug)
        .fetch_optional(conn.reborrow())
        .await
        .map_err(E::db("reading the approval"))?;
        let problems: Option<Json<Vec<ProblemView>>> =
            query("SELECT diagnostics FROM manifest_problems WHERE provider_slug = $1")
                .bind(slug)
                .scalar_optional(conn.reborrow())
                .await
                .map_err(E::db("reading manifest problems"))?;
        let files = files::of_fingerprint(&mut conn, &gate.fingerprint).await?;
        let approved_files = match &approval {
            Some(a) => files::of_fingerprint(&mut conn, &a.fingerprint).await?,
            None => Vec::new(),
        };
        tx.rollback(op).await?;

        let changes_since_approval = match (&approval, gate.status) {
            (Some(a), Status::Draft) => {
                let gated = crate::plan::effective_gated(&a.manifest_snapshot.0, &[]);
                let mut d = crate::diff::diff(&a.manifest_snapshot.0, &m, &gated);
                d.files = crate::files::diff(refs(&approved_files), refs(&files));
                Some(d)
            }
            _ => None,
        };
        let gated = crate::plan::effective_gated(&m, overrides);
        Ok(ConnectorDetail {
            slug: m.provider_slug.clone(),
            display_name: m.display_name.clone(),
            version: m.version.clone(),
            description: m.description.clone(),
            docs_url: m.docs_url.clone(),
            auth_method: m.auth.as_ref().map(|a| a.method.as_str().to_string()),
            status: gate.status,
            status_reason: paths.status_reason,
            manifest_hash: gate.manifest_hash.clone(),
            fingerprint: gate.fingerprint.clone(),
            files,
            manifest_path: paths.manifest_path,
            mcp_path: paths.mcp_path,
            scopes: scope_views(&m, &gating),
            metrics: metric_views(&m, &mappings),
            utm_capabilities: m.utm_capabilities.clone(),
            operations: (m.operations.iter())
                .map(|o| OperationView {
                    name: o.name.clone(),
                    scope: o.scope.clone(),
                    description: o.description.clone(),
                    hash: crate::tools::tool_hash(o, gated.contains(&o.scope)),
                })
                .collect(),
            secrets: m.secrets.iter().map(|s| m.vault_key(s)).collect(),
            approval: approval.map(|a| Approval {
                slug: slug.to_string(),
                approved_by: a.approved_by,
                approved_at: a.approved_at,
                manifest_hash: a.manifest_hash,
                fingerprint: a.fingerprint,
            }),
            changes_since_approval,
            gate,
            problems: problems.map(|p| p.0).unwrap_or_default(),
        })
    }

    /// Every registered connector with its gate summary, by slug.
    pub async fn queue(&self) -> Result<Vec<QueueRow>> {
        let op = "reading the review queue";
        let mut pooled = self.db().acquire(op).await?;
        let rows: Vec<Queued> = query(&QUEUE_ALL)
            .fetch_all(pooled.conn())
            .await
            .map_err(E::db(op))?;
        Ok(rows.into_iter().map(queue_row).collect())
    }

    /// The queue rows of `slugs` only (those registered), by slug: what a sync of those
    /// folders changed, without reading the other connectors.
    pub async fn queue_rows_of(&self, slugs: &[String]) -> Result<Vec<QueueRow>> {
        let op = "reading the review queue";
        let mut pooled = self.db().acquire(op).await?;
        let mut rows = Vec::with_capacity(slugs.len());
        for slug in slugs {
            let row: Option<Queued> = query(&QUEUE_ONE)
                .bind(slug)
                .fetch_optional(pooled.conn())
                .await
                .map_err(E::db(op))?;
            rows.extend(row.map(queue_row));
        }
        rows.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(rows)
    }
}

fn scope_views(m: &Manifest, gating: &[Gating]) -> Vec<ScopeView> {
    (m.scopes.iter())
        .map(|s| {
            let g = gating.iter().find(|g| g.scope_name == s.name);
            let gating_override = g.and_then(|g| g.requires_firearm);
            ScopeView {
                name: s.name.clone(),
                description: s.description.clone(),
                declared_gated: s.requires_firearm,
                gating_override,
                effective_gated: gating_override.unwrap_or(s.requires_firearm),
                firearm_type: g.and_then(|g| g.firearm_type.clone()),
            }
        })
        .collect()
}

fn metric_views(m: &Manifest, mappings: &[Mapping]) -> Vec<MetricView> {
    (m.kpis.iter())
        .map(|k| {
            let map = mappings.iter().find(|map| map.metric_raw == k.raw);
            MetricView {
                raw: k.raw.clone(),
                description: k.description.clone(),
                standard: k.standard.clone(),
                core_kpi: map.and_then(|map| map.core_kpi.clone()),
                not_a_kpi: map.is_some_and(|map| map.not_a_kpi),
            }
        })
        .collect()
}

fn queue_row(r: Queued) -> QueueRow {
    QueueRow {
        missing: crate::review::missing_count(
            r.problems,
            r.gated_untyped,
            r.metrics - r.metrics_mapped,
        ),
        slug: r.slug,
        display_name: r.display_name,
        status: Status::parse(&r.status).unwrap_or(Status::Draft),
        status_reason: r.status_reason,
        manifest_hash: r.manifest_hash,
        fingerprint: r.fingerprint,
        scopes: r.scopes,
        gated: r.gated,
        metrics: r.metrics,
        metrics_mapped: r.metrics_mapped,
    }
}

/// The review queue in one pass: per-connector aggregates joined once, not a gate per row.
static QUEUE_ALL: LazyLock<String> = LazyLock::new(|| {
    QUEUE_SQL
        .replace("{scopes}", "")
        .replace("{metrics}", "")
        .replace("{providers}", "")
});

/// One connector's row (`$1`): each aggregate reads that connector's rows only.
static QUEUE_ONE: LazyLock<String> = LazyLock::new(|| {
    QUEUE_SQL
        .replace("{scopes}", "WHERE s.provider_slug = $1")
        .replace("{metrics}", "WHERE m.provider_slug = $1")
        .replace("{providers}", "WHERE p.slug = $1")
});

/// Counts are cast to BIGINT so both backends decode them as i64. `{…}`: the filters above.
const QUEUE_SQL: &str =
    "SELECT p.slug, p.display_name, p.status, p.status_reason, p.manifest_hash, p.fingerprint,
    CAST(COALESCE(s.scopes, 0) AS BIGINT) AS scopes,
    CAST(COALESCE(s.gated, 0) AS BIGINT) AS gated,
    CAST(COALESCE(s.untyped, 0) AS BIGINT) AS gated_untyped,
    CAST(COALESCE(m.metrics, 0) AS BIGINT) AS metrics,
    CAST(COALESCE(m.mapped, 0) AS BIGINT) AS metrics_mapped,
    CAST((SELECT COUNT(*) FROM manifest_problems mp WHERE mp.provider_slug = p.slug) AS BIGINT)
      AS problems
  FROM connector_providers p
  LEFT JOIN (SELECT s.provider_slug, COUNT(*) AS scopes,
        SUM(CASE WHEN COALESCE(g.requires_firearm, s.requires_firearm) THEN 1 ELSE 0 END) AS gated,
        SUM(CASE WHEN COALESCE(g.requires_firearm, s.requires_firearm) AND g.firearm_type IS NULL
            THEN 1 ELSE 0 END) AS untyped
      FROM connector_scopes s LEFT JOIN scope_gating g
        ON g.provider_slug = s.provider_slug AND g.scope_name = s.name
      {scopes}
      GROUP BY s.provider_slug) s ON s.provider_slug = p.slug
  LEFT JOIN (SELECT m.provider_slug, COUNT(*) AS metrics,
        SUM(CASE WHEN k.core_kpi IS NOT NULL OR k.not_a_kpi THEN 1 ELSE 0 END) AS mapped
      FROM platform_metrics m LEFT JOIN kpi_mappings k
        ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw
      {metrics}
      GROUP BY m.provider_slug) m ON m.provider_slug = p.slug
  {providers}
  ORDER BY p.slug";
