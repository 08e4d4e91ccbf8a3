//! The connector page's query, written once for both backends like `sql.rs`.

macro_rules! detail_sql {
    ($store:ident, $db:ty) => {
        use crate::detail::{ConnectorDetail, MetricView, OperationView, ScopeView};

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
                })
            }
        }
    };
}

pub(crate) use detail_sql;
