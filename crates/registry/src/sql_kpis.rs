//! The KPI mapper's SQL (mappings, the core-KPI registry), written once for both backends like
//! `sql.rs`. The rules live in `kpis.rs`.

macro_rules! kpis_sql {
    ($store:ident, $db:ty) => {
        use crate::kpis::{self as kp, CoreKpi, CoreKpiOp, KpiUsage, MappingChange, MappingOutcome, MetricRow, MetricVersion};

        impl $store {
            async fn metric_rows(tx: &mut Tx, connectors: Option<&[&str]>, kpis: &[CoreKpi]) -> Result<Vec<MetricRow>> {
                // The filter goes inside both branches, so one connector reads its own rows only.
                let mut q = QueryBuilder::<$db>::new("SELECT * FROM (");
                for (branch, column) in [(crate::sql_kpis::METRICS_PRESENT, "m.provider_slug"), (crate::sql_kpis::METRICS_ORPHANED, "k.provider_slug")] {
                    if column.starts_with('k') {
                        q.push(" UNION ALL ");
                    }
                    q.push(branch);
                    if let Some(slugs) = connectors {
                        q.push(format!(" AND {column} IN ("));
                        let mut list = q.separated(", ");
                        for s in slugs {
                            list.push_bind(*s);
                        }
                        q.push(")");
                    }
                }
                q.push(") x ORDER BY x.connector, x.orphaned, x.position, x.raw");
                let rows = q.build().fetch_all(&mut **tx).await.map_err(E::db("reading metrics"))?;
                let by_slug: HashMap<&str, &CoreKpi> = kpis.iter().map(|k| (k.slug.as_str(), k)).collect();
                rows.iter()
                    .map(|r| {
                        let status: String = r.try_get(1)?;
                        let raw: String = r.try_get(2)?;
                        let description: Option<String> = r.try_get(3)?;
                        let standard: Option<String> = r.try_get(4)?;
                        let likely = kp::likely(&raw, description.as_deref(), standard.as_deref().and_then(|s| by_slug.get(s).copied()));
                        Ok(MetricRow {
                            connector: r.try_get(0)?,
                            connector_status: Status::parse(&status).unwrap_or(Status::Draft),
                            raw,
                            description,
                            standard,
                            core_kpi: r.try_get(5)?,
                            not_a_kpi: r.try_get(6)?,
                            reason: r.try_get(7)?,
                            changed_by: r.try_get(8)?,
                            changed_at: r.try_get(9)?,
                            version: r.try_get(10)?,
                            orphaned: r.try_get(11)?,
                            likely,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .map_err(E::db("decoding metrics"))
            }

            async fn kpi_usage(tx: &mut Tx, slug: Option<&str>) -> Result<Vec<(String, KpiUsage)>> {
                let rows: Vec<(String, String, i64)> = sqlx::query_as(
                    "SELECT core_kpi, provider_slug, CAST(COUNT(*) AS BIGINT) FROM kpi_mappings \
                     WHERE core_kpi IS NOT NULL AND ($1 IS NULL OR core_kpi = $1) \
                     GROUP BY core_kpi, provider_slug ORDER BY core_kpi, provider_slug",
                )
                .bind(slug)
                .fetch_all(&mut **tx)
                .await
                .map_err(E::db("reading where core KPIs are used"))?;
                Ok(rows.into_iter().map(|(k, connector, metrics)| (k, KpiUsage { connector, metrics })).collect())
            }

            async fn kpi_list(tx: &mut Tx, slug: Option<&str>, with_usage: bool) -> Result<Vec<CoreKpi>> {
                let rows: Vec<crate::sql_kpis::KpiTuple> = sqlx::query_as(
                    "SELECT slug, name, description, unit, aggregation, direction, retired, CAST(version AS BIGINT) FROM core_kpis \
                     WHERE $1 IS NULL OR slug = $1 ORDER BY retired, name",
                )
                .bind(slug)
                .fetch_all(&mut **tx)
                .await
                .map_err(E::db("reading core KPIs"))?;
                let mut usage: HashMap<String, Vec<KpiUsage>> = HashMap::new();
                if with_usage {
                    for (k, u) in Self::kpi_usage(tx, slug).await? {
                        usage.entry(k).or_default().push(u);
                    }
                }
                Ok(rows.into_iter().map(|r| { let u = usage.remove(&r.0).unwrap_or_default(); crate::sql_kpis::core_kpi(r, u) }).collect())
            }

            /// Approved connectors with a metric that became unmapped go back to review.
            async fn kpis_send_back(tx: &mut Tx, actor: &str, planned: &[kp::Planned<'_>]) -> Result<Vec<String>> {
                let slugs = planned
                    .iter()
                    .filter(|p| p.unsettles() && p.row.connector_status == Status::Approved)
                    .map(|p| p.row.connector.clone())
                    .collect();
                Self::back_to_draft(tx, actor, slugs, "kpis.back_to_draft", "back to review: a metric was unmapped").await
            }
        }

        impl crate::store::KpiStore for $store {
            async fn metrics(&self, connector: Option<&str>) -> Result<Vec<MetricRow>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading metrics"))?;
                let kpis = Self::kpi_list(&mut tx, None, false).await?;
                let only = connector.map(|c| [c]);
                let rows = Self::metric_rows(&mut tx, only.as_ref().map(|c| c.as_slice()), &kpis).await?;
                if let Some(c) = connector.filter(|_| rows.is_empty()) {
                    Self::gate_in(&mut tx, c).await?; // NotFound for an unknown connector
                }
                Ok(rows)
            }

            async fn change_mapping(&self, change: &MappingChange, actor: &str) -> Result<MappingOutcome> {
                let mut tx = self.begin_write().await?;
                let mut connectors: Vec<&str> = change.items.iter().map(|i| i.connector.as_str()).collect();
                connectors.sort();
                connectors.dedup();
                let kpis = Self::kpi_list(&mut tx, None, false).await?;
                let mut rows = Vec::new();
                for chunk in connectors.chunks(BATCH) {
                    rows.extend(Self::metric_rows(&mut tx, Some(chunk), &kpis).await?);
                }
                for c in &connectors {
                    if !rows.iter().any(|r| r.connector == *c) {
                        Self::gate_in(&mut tx, c).await?;
                    }
                }
                let index: HashMap<(&str, &str), &MetricRow> = rows.iter().map(|r| ((r.connector.as_str(), r.raw.as_str()), r)).collect();
                let current: Vec<Option<&MetricRow>> = change.items.iter().map(|i| index.get(&(i.connector.as_str(), i.metric.as_str())).copied()).collect();
                let states: Vec<kp::KpiState> = kpis.iter().map(|k| kp::KpiState { slug: &k.slug, retired: k.retired }).collect();
                let known = |c: &str| rows.iter().filter(|r| r.connector == c).map(|r| r.raw.clone()).collect();
                let planned = kp::plan(change, &current, &states, known)?;
                let (todo, same): (Vec<_>, Vec<_>) = planned.into_iter().partition(|p| p.changes());
                let mut outcome = MappingOutcome { changed: todo.len() as u32, unchanged: same.len() as u32, ..Default::default() };
                if todo.is_empty() {
                    tx.rollback().await.map_err(E::db("ending a change with nothing to do"))?;
                    return Ok(outcome);
                }
                let now = chrono::Utc::now();
                for chunk in todo.chunks(BATCH / 10) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO kpi_mappings (provider_slug, metric_raw, core_kpi, not_a_kpi, reason, version, changed_by, changed_at) ",
                    );
                    q.push_values(chunk, |mut b, p| {
                        b.push_bind(&p.row.connector)
                            .push_bind(&p.row.raw)
                            .push_bind(p.after.core_kpi.as_deref())
                            .push_bind(p.after.not_a_kpi)
                            .push_bind(p.after.reason.as_deref())
                            .push_bind(p.row.version + 1)
                            .push_bind(actor)
                            .push_bind(now);
                    });
                    q.push(
                        " ON CONFLICT (provider_slug, metric_raw) DO UPDATE SET core_kpi = excluded.core_kpi, not_a_kpi = excluded.not_a_kpi, \
                         reason = excluded.reason, version = excluded.version, changed_by = excluded.changed_by, changed_at = excluded.changed_at \
                         WHERE kpi_mappings.version = excluded.version - 1 RETURNING provider_slug, metric_raw",
                    );
                    let written: Vec<(String, String)> = q.build_query_as().fetch_all(&mut *tx).await.map_err(E::db("writing metric mappings"))?;
                    if written.len() != chunk.len() {
                        let what = chunk
                            .iter()
                            .filter(|p| !written.iter().any(|(c, m)| *c == p.row.connector && *m == p.row.raw))
                            .map(|p| format!("{}/{}", p.row.connector, p.row.raw))
                            .collect();
                        return Err(E::Conflict { what });
                    }
                }
                let single = (connectors.len() == 1).then(|| connectors[0]);
                let state = |p: &kp::Planned, after: bool| {
                    let v = if after { p.after.clone() } else { kp::MappingValue::of(p.row) };
                    serde_json::json!({ "connector": p.row.connector, "metric": p.row.raw, "core_kpi": v.core_kpi, "not_a_kpi": v.not_a_kpi, "reason": v.reason })
                };
                let before = todo.iter().map(|p| state(p, false)).collect();
                let after = todo.iter().map(|p| state(p, true)).collect();
                Self::audit_json(&mut tx, actor, change.audit_action(), single, serde_json::json!({ "metrics": todo.len() }), Some(before), Some(after)).await?;
                outcome.sent_back = Self::kpis_send_back(&mut tx, actor, &todo).await?;
                outcome.versions = todo
                    .iter()
                    .map(|p| MetricVersion { connector: p.row.connector.clone(), metric: p.row.raw.clone(), version: p.row.version + 1 })
                    .collect();
                tx.commit().await.map_err(E::db("committing the mapping change"))?;
                Ok(outcome)
            }

            async fn coverage(&self, connector: Option<&str>) -> Result<Vec<kp::ConnectorCoverage>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading KPI coverage"))?;
                let counts: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(crate::sql_kpis::COVERAGE_COUNTS)
                    .bind(connector).fetch_all(&mut *tx).await.map_err(E::db("reading KPI coverage"))?;
                let feeds: Vec<(String, String)> = sqlx::query_as(crate::sql_kpis::COVERAGE_FEEDS)
                    .bind(connector).fetch_all(&mut *tx).await.map_err(E::db("reading KPI coverage"))?;
                let mut by: HashMap<String, Vec<String>> = HashMap::new();
                for (c, k) in feeds {
                    by.entry(c).or_default().push(k);
                }
                Ok(counts
                    .into_iter()
                    .map(|(slug, status, metrics, settled, orphaned)| kp::ConnectorCoverage {
                        feeds: by.remove(&slug).unwrap_or_default(),
                        connector: slug,
                        connector_status: Status::parse(&status).unwrap_or(Status::Draft),
                        metrics: metrics as u32,
                        settled: settled as u32,
                        orphaned: orphaned as u32,
                    })
                    .collect())
            }

            async fn core_kpis(&self) -> Result<Vec<CoreKpi>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading core KPIs"))?;
                Self::kpi_list(&mut tx, None, true).await
            }

            async fn change_core_kpi(&self, op: &CoreKpiOp, actor: &str) -> Result<Option<CoreKpi>> {
                let mut tx = self.begin_write().await?;
                let slug = op.slug();
                let before = Self::kpi_list(&mut tx, Some(slug), true).await?.pop();
                // Only read for a did-you-mean when the KPI is not there.
                let known: Vec<String> = match before {
                    Some(_) => Vec::new(),
                    None => sqlx::query_scalar("SELECT slug FROM core_kpis ORDER BY slug").fetch_all(&mut *tx).await.map_err(E::db("reading core KPIs"))?,
                };
                let kind = crate::slug_registry::Kind::CoreKpi;
                let current = before.as_ref().map(|k| k.version);
                let expect = |version: i64| kind.expect_version(slug, current, version, known.iter().map(String::as_str));
                match op {
                    CoreKpiOp::Add { fields, .. } => {
                        kp::check_kpi_slug(slug)?;
                        let f = kp::check_kpi_fields(fields)?;
                        kind.expect_absent(slug, current)?;
                        sqlx::query("INSERT INTO core_kpis (slug, name, description, unit, aggregation, direction, retired, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)")
                            .bind(slug).bind(&f.name).bind(&f.description).bind(f.unit.as_str()).bind(f.aggregation.as_str()).bind(f.direction.as_str()).bind(false)
                            .execute(&mut *tx).await.map_err(E::db("adding a core KPI"))?;
                    }
                    CoreKpiOp::Update { version, fields, .. } => {
                        expect(*version)?;
                        let f = kp::check_kpi_fields(fields)?;
                        sqlx::query("UPDATE core_kpis SET name = $1, description = $2, unit = $3, aggregation = $4, direction = $5, version = version + 1 WHERE slug = $6")
                            .bind(&f.name).bind(&f.description).bind(f.unit.as_str()).bind(f.aggregation.as_str()).bind(f.direction.as_str()).bind(slug)
                            .execute(&mut *tx).await.map_err(E::db("updating a core KPI"))?;
                    }
                    CoreKpiOp::Retire { version, .. } | CoreKpiOp::Restore { version, .. } => {
                        expect(*version)?;
                        sqlx::query("UPDATE core_kpis SET retired = $1, version = version + 1 WHERE slug = $2")
                            .bind(matches!(op, CoreKpiOp::Retire { .. })).bind(slug)
                            .execute(&mut *tx).await.map_err(E::db("retiring a core KPI"))?;
                    }
                    CoreKpiOp::Delete { version, .. } => {
                        expect(*version)?;
                        if let Some(k) = before.as_ref().filter(|k| !k.usage.is_empty()) {
                            return Err(E::CoreKpiInUse { slug: slug.to_string(), usage: k.usage.clone() });
                        }
                        sqlx::query("DELETE FROM core_kpis WHERE slug = $1").bind(slug)
                            .execute(&mut *tx).await.map_err(E::db("deleting a core KPI"))?;
                    }
                }
                let after = Self::kpi_list(&mut tx, Some(slug), true).await?.pop();
                let json = |k: &Option<CoreKpi>| k.as_ref().map(|k| serde_json::json!({ "name": k.name, "description": k.description, "unit": k.unit, "aggregation": k.aggregation, "direction": k.direction, "retired": k.retired }));
                Self::audit_json(&mut tx, actor, op.audit_action(), None, serde_json::json!({ "core_kpi": slug }), json(&before), json(&after)).await?;
                tx.commit().await.map_err(E::db("committing the core KPI change"))?;
                Ok(after)
            }
        }
    };
}

pub(crate) use kpis_sql;

/// Every metric of the registered connectors (removed ones excepted) with its mapping; then
/// (`METRICS_ORPHANED`) the mappings whose metric left the manifest. Each ends in a WHERE that
/// a connector filter extends.
pub(crate) const METRICS_PRESENT: &str = "
  SELECT m.provider_slug AS connector, p.status AS status, m.raw AS raw, m.description AS description,
    m.standard AS standard, k.core_kpi AS core_kpi, COALESCE(k.not_a_kpi, FALSE) AS not_a_kpi, k.reason AS reason,
    k.changed_by AS changed_by, k.changed_at AS changed_at, CAST(COALESCE(k.version, 0) AS BIGINT) AS version,
    FALSE AS orphaned, CAST(m.position AS BIGINT) AS position
  FROM platform_metrics m
  JOIN connector_providers p ON p.slug = m.provider_slug
  LEFT JOIN kpi_mappings k ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw
  WHERE p.status <> 'removed'";

pub(crate) const METRICS_ORPHANED: &str = "
  SELECT k.provider_slug, p.status, k.metric_raw, NULL, NULL, k.core_kpi, k.not_a_kpi, k.reason,
    k.changed_by, k.changed_at, CAST(k.version AS BIGINT), TRUE, CAST(0 AS BIGINT)
  FROM kpi_mappings k
  JOIN connector_providers p ON p.slug = k.provider_slug
  WHERE p.status <> 'removed' AND (k.core_kpi IS NOT NULL OR k.not_a_kpi)
    AND NOT EXISTS (SELECT 1 FROM platform_metrics m WHERE m.provider_slug = k.provider_slug AND m.raw = k.metric_raw)";

/// Per connector with metrics: its status, metrics, settled ones, and orphaned mappings; then the
/// (connector, core KPI) pairs it feeds. Aggregated in SQL: 50,000 metric rows never leave it.
pub(crate) const COVERAGE_COUNTS: &str = "
  SELECT p.slug, p.status, CAST(COALESCE(c.metrics, 0) AS BIGINT), CAST(COALESCE(c.settled, 0) AS BIGINT),
    CAST(COALESCE(o.orphaned, 0) AS BIGINT)
  FROM connector_providers p
  LEFT JOIN (SELECT m.provider_slug, COUNT(*) AS metrics,
      SUM(CASE WHEN k.core_kpi IS NOT NULL OR k.not_a_kpi THEN 1 ELSE 0 END) AS settled
    FROM platform_metrics m LEFT JOIN kpi_mappings k ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw
    GROUP BY m.provider_slug) c ON c.provider_slug = p.slug
  LEFT JOIN (SELECT k.provider_slug, COUNT(*) AS orphaned FROM kpi_mappings k
    WHERE (k.core_kpi IS NOT NULL OR k.not_a_kpi)
      AND NOT EXISTS (SELECT 1 FROM platform_metrics m WHERE m.provider_slug = k.provider_slug AND m.raw = k.metric_raw)
    GROUP BY k.provider_slug) o ON o.provider_slug = p.slug
  WHERE p.status <> 'removed' AND (c.metrics IS NOT NULL OR o.orphaned IS NOT NULL) AND ($1 IS NULL OR p.slug = $1)
  ORDER BY p.slug";

pub(crate) const COVERAGE_FEEDS: &str = "
  SELECT DISTINCT k.provider_slug, k.core_kpi FROM kpi_mappings k
  JOIN platform_metrics m ON m.provider_slug = k.provider_slug AND m.raw = k.metric_raw
  WHERE k.core_kpi IS NOT NULL AND ($1 IS NULL OR k.provider_slug = $1)
  ORDER BY k.provider_slug, k.core_kpi";

pub(crate) type KpiTuple = (String, String, String, String, String, String, bool, i64);

pub(crate) fn core_kpi(
    (slug, name, description, unit, aggregation, direction, retired, version): KpiTuple,
    usage: Vec<crate::kpis::KpiUsage>,
) -> crate::kpis::CoreKpi {
    use crate::kpis::{Aggregation, Direction, Unit};
    crate::kpis::CoreKpi {
        slug,
        name,
        description,
        unit: Unit::parse(&unit).unwrap_or(Unit::Count),
        aggregation: Aggregation::parse(&aggregation).unwrap_or(Aggregation::Sum),
        direction: Direction::parse(&direction).unwrap_or(Direction::HigherIsBetter),
        retired,
        version,
        usage,
    }
}
