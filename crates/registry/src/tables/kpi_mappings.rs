//! `kpi_mappings`: an admin's mapping of each platform metric onto a core KPI (or "not a KPI").
//! `kpis.rs` plans a change; this module reads, writes and counts coverage.

use crate::db::{query, Arg, Conn, BATCH};
use crate::error::{RegistryError as E, Result};
use crate::kpis::{self as kp, ConnectorCoverage, CoreKpi, MappingChange, MappingOutcome};
use crate::kpis::{MetricRow, MetricVersion};
use crate::model::Status;
use crate::store::Registry;
use crate::tables::{audit_log, gate, in_list_tail, providers, slug_entries, versioned};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct Row {
    connector: String,
    status: String,
    raw: String,
    description: Option<String>,
    standard: Option<String>,
    core_kpi: Option<String>,
    not_a_kpi: bool,
    reason: Option<String>,
    changed_by: Option<String>,
    changed_at: Option<DateTime<Utc>>,
    version: i64,
    orphaned: bool,
}

#[derive(sqlx::FromRow)]
struct Counts {
    slug: String,
    status: String,
    metrics: i64,
    settled: i64,
    orphaned: i64,
}

#[derive(sqlx::FromRow)]
struct Feed {
    provider_slug: String,
    core_kpi: String,
}

/// The metrics of `connectors` (all when None) with their mappings, then the orphaned mappings
/// (their metric left the manifest); by connector, position. `kpis` give the fit hints.
async fn rows(
    conn: &mut Conn<'_>,
    connectors: Option<&[&str]>,
    kpis: &[CoreKpi],
) -> Result<Vec<MetricRow>> {
    // The filter goes inside both branches, so one connector reads its own rows only.
    let mut q = query("SELECT * FROM (");
    q.push(METRICS_PRESENT);
    if let Some(slugs) = connectors {
        in_list_tail(&mut q, " AND m.provider_slug IN (", slugs);
    }
    q.push(" UNION ALL ").push(METRICS_ORPHANED);
    if let Some(slugs) = connectors {
        in_list_tail(&mut q, " AND k.provider_slug IN (", slugs);
    }
    q.push(") x ORDER BY x.connector, x.orphaned, x.position, x.raw");
    let rows: Vec<Row> = q
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db("reading metrics"))?;
    let by_slug: HashMap<&str, &CoreKpi> = kpis.iter().map(|k| (k.slug.as_str(), k)).collect();
    Ok((rows.into_iter())
        .map(|r| {
            let standard_kpi = r.standard.as_deref().and_then(|s| by_slug.get(s).copied());
            MetricRow {
                likely: kp::likely(&r.raw, r.description.as_deref(), standard_kpi),
                connector: r.connector,
                connector_status: Status::parse(&r.status).unwrap_or(Status::Draft),
                raw: r.raw,
                description: r.description,
                standard: r.standard,
                core_kpi: r.core_kpi,
                not_a_kpi: r.not_a_kpi,
                reason: r.reason,
                changed_by: r.changed_by,
                changed_at: r.changed_at,
                version: r.version,
                orphaned: r.orphaned,
            }
        })
        .collect())
}

impl Registry {
    /// Every metric of one connector, or of all registered connectors, by connector and
    /// position; orphaned mappings (their metric left the manifest) after each connector's.
    pub async fn metrics(&self, connector: Option<&str>) -> Result<Vec<MetricRow>> {
        let mut tx = self.db().begin("reading metrics").await?;
        let mut conn = tx.conn();
        let kpis = slug_entries::list::<CoreKpi>(&mut conn, None, false).await?;
        let only = connector.map(|c| [c]);
        let rows = rows(&mut conn, only.as_ref().map(|c| c.as_slice()), &kpis).await?;
        if let Some(c) = connector.filter(|_| rows.is_empty()) {
            gate::read(&mut conn, c).await?; // NotFound for an unknown connector
        }
        Ok(rows)
    }

    /// Applies a batch in one transaction with one audit entry, or nothing (compare-and-set on
    /// each metric's version). Approved connectors with a metric left unmapped go back to draft.
    pub async fn change_mapping(
        &self,
        change: &MappingChange,
        actor: &str,
    ) -> Result<MappingOutcome> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let mut connectors: Vec<&str> = (change.items.iter())
            .map(|i| i.connector.as_str())
            .collect();
        connectors.sort();
        connectors.dedup();
        let kpis = slug_entries::list::<CoreKpi>(&mut conn, None, false).await?;
        let mut current_rows = Vec::new();
        for chunk in connectors.chunks(BATCH) {
            current_rows.extend(rows(&mut conn, Some(chunk), &kpis).await?);
        }
        for c in &connectors {
            if !current_rows.iter().any(|r| r.connector == *c) {
                gate::read(&mut conn, c).await?;
            }
        }
        let index: HashMap<(&str, &str), &MetricRow> = (current_rows.iter())
            .map(|r| ((r.connector.as_str(), r.raw.as_str()), r))
            .collect();
        let current: Vec<Option<&MetricRow>> = (change.items.iter())
            .map(|i| {
                index
                    .get(&(i.connector.as_str(), i.metric.as_str()))
                    .copied()
            })
            .collect();
        let states: Vec<kp::EntryState> = kpis.iter().map(kp::EntryState::from).collect();
        let known = |c: &str| {
            (current_rows.iter())
                .filter(|r| r.connector == c)
                .map(|r| r.raw.clone())
                .collect()
        };
        let planned = kp::plan(change, &current, &states, known)?;
        let (todo, same): (Vec<_>, Vec<_>) = planned.into_iter().partition(|p| p.changes());
        let mut outcome = MappingOutcome {
            changed: todo.len() as u32,
            unchanged: same.len() as u32,
            ..Default::default()
        };
        if todo.is_empty() {
            tx.rollback("ending a change with nothing to do").await?;
            return Ok(outcome);
        }
        write(&mut conn, &todo, actor).await?;
        let single = (connectors.len() == 1).then(|| connectors[0]);
        record(&mut conn, &todo, (actor, change.audit_action(), single)).await?;
        let (action, reason) = (
            "kpis.back_to_draft",
            "back to review: a metric was unmapped",
        );
        let sent_back = kp::sent_back(&todo);
        outcome.sent_back =
            providers::back_to_draft(&mut conn, actor, sent_back, action, reason).await?;
        outcome.versions = (todo.iter())
            .map(|p| MetricVersion {
                connector: p.row.connector.clone(),
                metric: p.row.raw.clone(),
                version: p.row.version + 1,
            })
            .collect();
        tx.commit("committing the mapping change").await?;
        Ok(outcome)
    }

    /// Per connector with metrics (or orphaned mappings): counts and the core KPIs it feeds, by
    /// slug. The same as `kpis::coverage` of `metrics` (NotFound for an unknown connector too),
    /// aggregated in SQL.
    pub async fn coverage(&self, connector: Option<&str>) -> Result<Vec<ConnectorCoverage>> {
        let op = "reading KPI coverage";
        let mut tx = self.db().begin(op).await?;
        let mut conn = tx.conn();
        let counts: Vec<Counts> = (query(COVERAGE_COUNTS).bind(connector))
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db(op))?;
        let feeds: Vec<Feed> = (query(COVERAGE_FEEDS).bind(connector))
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db(op))?;
        if let Some(c) = connector.filter(|_| counts.is_empty()) {
            gate::read(&mut conn, c).await?; // NotFound for an unknown connector
        }
        let mut by: HashMap<String, Vec<String>> = HashMap::new();
        for f in feeds {
            by.entry(f.provider_slug).or_default().push(f.core_kpi);
        }
        Ok((counts.into_iter())
            .map(|c| ConnectorCoverage {
                feeds: by.remove(&c.slug).unwrap_or_default(),
                connector: c.slug,
                connector_status: Status::parse(&c.status).unwrap_or(Status::Draft),
                metrics: c.metrics as u32,
                settled: c.settled as u32,
                orphaned: c.orphaned as u32,
            })
            .collect())
    }
}

const MAPPINGS: versioned::Upsert = versioned::Upsert {
    head: "INSERT INTO kpi_mappings (provider_slug, metric_raw, core_kpi, not_a_kpi, reason, \
           version, changed_by, changed_at) VALUES ",
    tail: " ON CONFLICT (provider_slug, metric_raw) DO UPDATE SET core_kpi = excluded.core_kpi, \
           not_a_kpi = excluded.not_a_kpi, reason = excluded.reason, \
           version = excluded.version, changed_by = excluded.changed_by, \
           changed_at = excluded.changed_at \
           WHERE kpi_mappings.version = excluded.version - 1 \
           RETURNING provider_slug, metric_raw AS item",
    doing: "writing metric mappings",
};

fn mapping_key<'p>(p: &'p kp::Planned<'_>) -> (&'p str, &'p str) {
    (&p.row.connector, &p.row.raw)
}

/// Writes the planned values, each only if its version is still the one read (else a conflict).
async fn write(conn: &mut Conn<'_>, todo: &[kp::Planned<'_>], actor: &str) -> Result<()> {
    let now = Utc::now();
    versioned::upsert(conn, &MAPPINGS, todo, mapping_key, |p| {
        vec![
            Arg::from(&p.row.connector),
            Arg::from(&p.row.raw),
            Arg::from(p.after.core_kpi.as_deref()),
            Arg::from(p.after.not_a_kpi),
            Arg::from(p.after.reason.as_deref()),
            Arg::from(p.row.version + 1),
            Arg::from(actor),
            Arg::from(now),
        ]
    })
    .await
}

/// The one audit entry of a change: every metric before and after.
async fn record(
    conn: &mut Conn<'_>,
    todo: &[kp::Planned<'_>],
    who: (&str, &str, Option<&str>),
) -> Result<()> {
    let detail = json!({ "metrics": todo.len() });
    audit_log::append_batch(conn, who, detail, todo, |p, after| {
        let v = match after {
            true => p.after.clone(),
            false => kp::MappingValue::of(p.row),
        };
        json!({ "connector": p.row.connector, "metric": p.row.raw, "core_kpi": v.core_kpi,
                "not_a_kpi": v.not_a_kpi, "reason": v.reason })
    })
    .await
}

/// Every metric of the registered connectors (removed ones excepted) with its mapping; then
/// (`METRICS_ORPHANED`) the mappings whose metric left the manifest. Each ends in a WHERE that
/// a connector filter extends.
const METRICS_PRESENT: &str = "
  SELECT m.provider_slug AS connector, p.status AS status, m.raw AS raw,
    m.description AS description, m.standard AS standard, k.core_kpi AS core_kpi,
    COALESCE(k.not_a_kpi, FALSE) AS not_a_kpi, k.reason AS reason,
    k.changed_by AS changed_by, k.changed_at AS changed_at,
    CAST(COALESCE(k.version, 0) AS BIGINT) AS version,
    FALSE AS orphaned, CAST(m.position AS BIGINT) AS position
  FROM platform_metrics m
  JOIN connector_providers p ON p.slug = m.provider_slug
  LEFT JOIN kpi_mappings k ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw
  WHERE p.status <> 'removed'";

const METRICS_ORPHANED: &str = "
  SELECT k.provider_slug, p.status, k.metric_raw, NULL, NULL, k.core_kpi, k.not_a_kpi, k.reason,
    k.changed_by, k.changed_at, CAST(k.version AS BIGINT), TRUE, CAST(0 AS BIGINT)
  FROM kpi_mappings k
  JOIN connector_providers p ON p.slug = k.provider_slug
  WHERE p.status <> 'removed' AND (k.core_kpi IS NOT NULL OR k.not_a_kpi)
    AND NOT EXISTS (SELECT 1 FROM platform_metrics m
                    WHERE m.provider_slug = k.provider_slug AND m.raw = k.metric_raw)";

/// Per connector with metrics: its status, metrics, settled ones, and orphaned mappings; then the
/// (connector, core KPI) pairs it feeds. Aggregated in SQL: 50,000 metric rows never leave it.
const COVERAGE_COUNTS: &str = "
  SELECT p.slug AS slug, p.status AS status, CAST(COALESCE(c.metrics, 0) AS BIGINT) AS metrics,
    CAST(COALESCE(c.settled, 0) AS BIGINT) AS settled,
    CAST(COALESCE(o.orphaned, 0) AS BIGINT) AS orphaned
  FROM connector_providers p
  LEFT JOIN (SELECT m.provider_slug, COUNT(*) AS metrics,
      SUM(CASE WHEN k.core_kpi IS NOT NULL OR k.not_a_kpi THEN 1 ELSE 0 END) AS settled
    FROM platform_metrics m LEFT JOIN kpi_mappings k
      ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw
    GROUP BY m.provider_slug) c ON c.provider_slug = p.slug
  LEFT JOIN (SELECT k.provider_slug, COUNT(*) AS orphaned FROM kpi_mappings k
    WHERE (k.core_kpi IS NOT NULL OR k.not_a_kpi)
      AND NOT EXISTS (SELECT 1 FROM platform_metrics m
                      WHERE m.provider_slug = k.provider_slug AND m.raw = k.metric_raw)
    GROUP BY k.provider_slug) o ON o.provider_slug = p.slug
  WHERE p.status <> 'removed' AND (c.metrics IS NOT NULL OR o.orphaned IS NOT NULL)
    AND ($1 IS NULL OR p.slug = $1)
  ORDER BY p.slug";

const COVERAGE_FEEDS: &str = "
  SELECT DISTINCT k.provider_slug AS provider_slug, k.core_kpi AS core_kpi FROM kpi_mappings k
  JOIN platform_metrics m ON m.provider_slug = k.provider_slug AND m.raw = k.metric_raw
  WHERE k.core_kpi IS NOT NULL AND ($1 IS NULL OR k.provider_slug = $1)
  ORDER BY k.provider_slug, k.core_kpi";
