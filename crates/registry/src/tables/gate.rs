//! The approval gate's facts about one connector, read from the connector, its last manifest
//! problems, its effectively gated scopes and its metric mappings; `review::missing` judges them.

use crate::db::{query, Conn};
use crate::error::{RegistryError as E, Result};
use crate::model::Status;
use crate::review::{self, Gate, GateFacts};
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct Connector {
    status: String,
    manifest_hash: String,
    fingerprint: String,
}

#[derive(sqlx::FromRow)]
struct GatedScope {
    name: String,
    firearm_type: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Metric {
    raw: String,
    core_kpi: Option<String>,
    not_a_kpi: Option<bool>,
}

pub(crate) async fn read(conn: &mut Conn<'_>, slug: &str) -> Result<Gate> {
    let connector: Connector =
        query("SELECT status, manifest_hash, fingerprint FROM connector_providers WHERE slug = $1")
            .bind(slug)
            .fetch_optional(conn.reborrow())
            .await
            .map_err(E::db("reading a connector"))?
            .ok_or_else(|| E::NotFound {
                slug: slug.to_string(),
            })?;
    let problems: Option<Json<serde_json::Value>> =
        query("SELECT diagnostics FROM manifest_problems WHERE provider_slug = $1")
            .bind(slug)
            .scalar_optional(conn.reborrow())
            .await
            .map_err(E::db("reading manifest problems"))?;
    let gated: Vec<GatedScope> = query(
        "SELECT s.name, g.firearm_type FROM connector_scopes s LEFT JOIN scope_gating g \
         ON g.provider_slug = s.provider_slug AND g.scope_name = s.name \
         WHERE s.provider_slug = $1 AND COALESCE(g.requires_firearm, s.requires_firearm) \
         ORDER BY s.position",
    )
    .bind(slug)
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db("reading gated scopes"))?;
    let metrics: Vec<Metric> = query(
        "SELECT m.raw, k.core_kpi, k.not_a_kpi FROM platform_metrics m LEFT JOIN kpi_mappings k \
         ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw \
         WHERE m.provider_slug = $1 ORDER BY m.position",
    )
    .bind(slug)
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db("reading metric mappings"))?;
    let facts = GateFacts {
        problems: problems.map_or(0, |p| p.0.as_array().map_or(1, |a| a.len().max(1))),
        gated: gated
            .into_iter()
            .map(|s| (s.name, s.firearm_type))
            .collect(),
        metrics: (metrics.into_iter())
            .map(|m| (m.raw, m.core_kpi.is_some() || m.not_a_kpi == Some(true)))
            .collect(),
    };
    Ok(Gate {
        slug: slug.to_string(),
        status: Status::parse(&connector.status).unwrap_or(Status::Draft),
        manifest_hash: connector.manifest_hash,
        fingerprint: connector.fingerprint,
        missing: review::missing(&facts),
    })
}
