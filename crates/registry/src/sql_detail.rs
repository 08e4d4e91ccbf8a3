//! The connector page's query, written once for both backends like `sql.rs`.

macro_rules! detail_sql {
    ($store:ident, $db:ty) => {
        use crate::detail::{ConnectorDetail, MetricView, OperationView, QueueRow, ScopeView};

        impl crate::store::DetailStore for $store {
            async fn detail(&self, slug: &str) -> Result<ConnectorDetail> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading a connector"))?;
                let gate = Self::gate_in(&mut tx, slug).await?;
                let (mut current, _) = Self::load_old(&mut tx, &[slug]).await?;
                let m = current.remove(slug).ok_or_else(|| E::NotFound { slug: slug.to_string() })?;
                let (reason, manifest_path, mcp_path): (Option<String>, String, String) =
                    sqlx::query_as("SELECT status_reason, manifest_path, mcp_path FROM connector_providers WHERE slug = $1")
                        .bind(slug)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(E::db("reading a connector"))?;
                let gating: Vec<(String, Option<bool>, Option<String>)> =
                    sqlx::query_as("SELECT scope_name, requires_firearm, firearm_type FROM scope_gating WHERE provider_slug = $1")
                        .bind(slug)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(E::db("reading scope gating"))?;
                let mappings: Vec<(String, Option<String>, bool)> =
                    sqlx::query_as("SELECT metric_raw, core_kpi, not_a_kpi FROM kpi_mappings WHERE provider_slug = $1")
                        .bind(slug)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(E::db("reading metric mappings"))?;
                let approval: Option<(String, chrono::DateTime<chrono::Utc>, String, Json<Manifest>)> = sqlx::query_as(
                    "SELECT approved_by, approved_at, manifest_hash, manifest_snapshot FROM connector_approvals WHERE provider_slug = $1",
                )
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await
                .map_err(E::db("reading the approval"))?;
                let scopes = m
                    .scopes
                    .iter()
                    .map(|s| {
                        let g = gating.iter().find(|(n, _, _)| *n == s.name);
                        let gating_override = g.and_then(|(_, o, _)| *o);
                        ScopeView {
                            name: s.name.clone(),
                            description: s.description.clone(),
                            declared_gated: s.requires_firearm,
                            gating_override,
                            effective_gated: gating_override.unwrap_or(s.requires_firearm),
                            firearm_type: g.and_then(|(_, _, t)| t.clone()),
                        }
                    })
                    .collect();
                let metrics = m
                    .kpis
                    .iter()
                    .map(|k| {
                        let map = mappings.iter().find(|(r, _, _)| *r == k.raw);
                        MetricView {
                            raw: k.raw.clone(),
                            description: k.description.clone(),
                            standard: k.standard.clone(),
                            core_kpi: map.and_then(|(_, c, _)| c.clone()),
                            not_a_kpi: map.is_some_and(|(_, _, n)| *n),
                        }
                    })
                    .collect();
                let problems: Option<Json<Vec<crate::detail::ProblemView>>> =
                    sqlx::query_scalar("SELECT diagnostics FROM manifest_problems WHERE provider_slug = $1")
                        .bind(slug)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(E::db("reading manifest problems"))?;
                let changes_since_approval = match (&approval, gate.status) {
                    (Some((.., snapshot)), Status::Draft) => {
                        let gated = crate::plan::effective_gated(&snapshot.0, &[]);
                        Some(crate::diff::diff(&snapshot.0, &m, &gated))
                    }
                    _ => None,
                };
                Ok(ConnectorDetail {
                    slug: m.provider_slug.clone(),
                    display_name: m.display_name.clone(),
                    version: m.version.clone(),
                    description: m.description.clone(),
                    docs_url: m.docs_url.clone(),
                    auth_method: m.auth.as_ref().map(|a| a.method.as_str().to_string()),
                    status: gate.status,
                    status_reason: reason,
                    manifest_hash: gate.manifest_hash.clone(),
                    manifest_path,
                    mcp_path,
                    scopes,
                    metrics,
                    utm_capabilities: m.utm_capabilities.clone(),
                    operations: m.operations.iter().map(|o| OperationView { name: o.name.clone(), scope: o.scope.clone(), description: o.description.clone() }).collect(),
                    secrets: m.secrets.iter().map(|s| m.vault_key(s)).collect(),
                    approval: approval.map(|(by, at, hash, _)| Approval { slug: slug.to_string(), approved_by: by, approved_at: at, manifest_hash: hash }),
                    changes_since_approval,
                    gate,
                    problems: problems.map(|p| p.0).unwrap_or_default(),
                })
            }

            async fn queue(&self) -> Result<Vec<QueueRow>> {
                let rows = sqlx::query(crate::sql_detail::QUEUE_SQL).fetch_all(&self.pool).await.map_err(E::db("reading the review queue"))?;
                rows.iter()
                    .map(|r| {
                        let status: String = r.try_get(2)?;
                        let (gated_untyped, metrics, mapped, problems): (i64, i64, i64, i64) = (r.try_get(7)?, r.try_get(8)?, r.try_get(9)?, r.try_get(10)?);
                        Ok(QueueRow {
                            slug: r.try_get(0)?,
                            display_name: r.try_get(1)?,
                            status: Status::parse(&status).unwrap_or(Status::Draft),
                            status_reason: r.try_get(3)?,
                            manifest_hash: r.try_get(4)?,
                            scopes: r.try_get(5)?,
                            gated: r.try_get(6)?,
                            metrics,
                            metrics_mapped: mapped,
                            missing: problems.min(1) + gated_untyped + (metrics - mapped),
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .map_err(E::db("decoding the review queue"))
            }
        }
    };
}

pub(crate) use detail_sql;

/// The review queue in one pass: per-connector aggregates joined once, not a gate per row.
/// Counts are cast to BIGINT so both backends decode them as i64.
pub(crate) const QUEUE_SQL: &str = "SELECT p.slug, p.display_name, p.status, p.status_reason, p.manifest_hash,
    CAST(COALESCE(s.scopes, 0) AS BIGINT), CAST(COALESCE(s.gated, 0) AS BIGINT), CAST(COALESCE(s.untyped, 0) AS BIGINT),
    CAST(COALESCE(m.metrics, 0) AS BIGINT), CAST(COALESCE(m.mapped, 0) AS BIGINT),
    CAST((SELECT COUNT(*) FROM manifest_problems mp WHERE mp.provider_slug = p.slug) AS BIGINT)
  FROM connector_providers p
  LEFT JOIN (SELECT s.provider_slug, COUNT(*) AS scopes,
        SUM(CASE WHEN COALESCE(g.requires_firearm, s.requires_firearm) THEN 1 ELSE 0 END) AS gated,
        SUM(CASE WHEN COALESCE(g.requires_firearm, s.requires_firearm) AND g.firearm_type IS NULL THEN 1 ELSE 0 END) AS untyped
      FROM connector_scopes s LEFT JOIN scope_gating g ON g.provider_slug = s.provider_slug AND g.scope_name = s.name
      GROUP BY s.provider_slug) s ON s.provider_slug = p.slug
  LEFT JOIN (SELECT m.provider_slug, COUNT(*) AS metrics,
        SUM(CASE WHEN k.core_kpi IS NOT NULL OR k.not_a_kpi THEN 1 ELSE 0 END) AS mapped
      FROM platform_metrics m LEFT JOIN kpi_mappings k ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw
      GROUP BY m.provider_slug) m ON m.provider_slug = p.slug
  ORDER BY p.slug";
