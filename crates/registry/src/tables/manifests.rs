//! Registered manifests rebuilt from the sentinel's rows (`connector_providers` and its child
//! tables), for diffs, approval snapshots and the connector page; with each one's gating overrides.

use crate::db::{query, Conn, Query, BATCH};
use crate::error::{RegistryError as E, Result};
use godconfig_manifest::{Auth, Kpi, Manifest, Operation, Scope};
use sqlx::types::Json;
use std::collections::HashMap;

/// Operator gating overrides by connector: (scope, requires_firearm).
pub(crate) type Overrides = HashMap<String, Vec<(String, bool)>>;

#[derive(sqlx::FromRow)]
struct Provider {
    slug: String,
    display_name: String,
    version: Option<String>,
    description: Option<String>,
    docs_url: Option<String>,
    auth_method: Option<String>,
    auth_token_url: Option<String>,
    auth_header_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Secret {
    provider_slug: String,
    key_name: String,
}

#[derive(sqlx::FromRow)]
struct ScopeRow {
    provider_slug: String,
    name: String,
    description: Option<String>,
    requires_firearm: bool,
}

#[derive(sqlx::FromRow)]
struct Metric {
    provider_slug: String,
    raw: String,
    standard: Option<String>,
    description: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Utm {
    provider_slug: String,
    content_type: String,
}

#[derive(sqlx::FromRow)]
struct OperationRow {
    provider_slug: String,
    name: String,
    scope_name: String,
    description: Option<String>,
    input_schema: Option<Json<serde_json::Value>>,
}

#[derive(sqlx::FromRow)]
struct Override {
    provider_slug: String,
    scope_name: String,
    requires_firearm: bool,
}

/// `head`, the slugs as placeholders separated by commas, `)`, then `tail`.
fn in_list<'q>(head: &'static str, slugs: &[&'q str], tail: &'static str) -> Query<'q> {
    let mut q = query("");
    super::in_list_tail(&mut q, head, slugs);
    q.push(tail);
    q
}

/// The registered manifests of `slugs` (those that exist), and their gating overrides.
pub(crate) async fn load(
    conn: &mut Conn<'_>,
    slugs: &[&str],
) -> Result<(HashMap<String, Manifest>, Overrides)> {
    let mut manifests = HashMap::new();
    let mut overrides = Overrides::new();
    for chunk in slugs.chunks(BATCH) {
        load_chunk(conn, chunk, &mut manifests, &mut overrides).await?;
    }
    Ok((manifests, overrides))
}

async fn load_chunk(
    conn: &mut Conn<'_>,
    chunk: &[&str],
    out: &mut HashMap<String, Manifest>,
    overrides: &mut Overrides,
) -> Result<()> {
    let op = "loading registered connectors";
    let providers: Vec<Provider> = in_list(
        "SELECT slug, display_name, version, description, docs_url, auth_method, auth_token_url, \
         auth_header_name FROM connector_providers WHERE slug IN (",
        chunk,
        "",
    )
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db(op))?;
    for p in providers {
        out.insert(p.slug.clone(), manifest(p)?);
    }

    let secrets: Vec<Secret> = in_list(
        "SELECT provider_slug, key_name FROM connector_secrets WHERE provider_slug IN (",
        chunk,
        " ORDER BY provider_slug, position",
    )
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db(op))?;
    for s in secrets {
        owner(out, &s.provider_slug)?.secrets.push(s.key_name);
    }

    let scopes: Vec<ScopeRow> = in_list(
        "SELECT provider_slug, name, description, requires_firearm FROM connector_scopes \
         WHERE provider_slug IN (",
        chunk,
        " ORDER BY provider_slug, position",
    )
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db(op))?;
    for s in scopes {
        owner(out, &s.provider_slug)?.scopes.push(Scope {
            name: s.name,
            description: s.description,
            requires_firearm: s.requires_firearm,
        });
    }

    let metrics: Vec<Metric> = in_list(
        "SELECT provider_slug, raw, standard, description FROM platform_metrics \
         WHERE provider_slug IN (",
        chunk,
        " ORDER BY provider_slug, position",
    )
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db(op))?;
    for m in metrics {
        owner(out, &m.provider_slug)?.kpis.push(Kpi {
            raw: m.raw,
            standard: m.standard,
            description: m.description,
        });
    }

    let utm: Vec<Utm> = in_list(
        "SELECT provider_slug, content_type FROM connector_utm_capabilities \
         WHERE provider_slug IN (",
        chunk,
        " ORDER BY provider_slug, position",
    )
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db(op))?;
    for u in utm {
        owner(out, &u.provider_slug)?
            .utm_capabilities
            .push(u.content_type);
    }

    let operations: Vec<OperationRow> = in_list(
        "SELECT provider_slug, name, scope_name, description, input_schema \
         FROM connector_operations WHERE provider_slug IN (",
        chunk,
        " ORDER BY provider_slug, position",
    )
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db(op))?;
    for o in operations {
        owner(out, &o.provider_slug)?.operations.push(Operation {
            name: o.name,
            scope: o.scope_name,
            description: o.description,
            input_schema: o.input_schema.map(|j| j.0),
        });
    }

    let gating: Vec<Override> = in_list(
        "SELECT provider_slug, scope_name, requires_firearm FROM scope_gating \
         WHERE requires_firearm IS NOT NULL AND provider_slug IN (",
        chunk,
        "",
    )
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db("loading gating overrides"))?;
    for g in gating {
        let entry = overrides.entry(g.provider_slug).or_default();
        entry.push((g.scope_name, g.requires_firearm));
    }
    Ok(())
}

fn manifest(p: Provider) -> Result<Manifest> {
    let auth = match p.auth_method {
        Some(method) => Some(Auth {
            method: serde_json::from_value(serde_json::Value::String(method)).map_err(|e| {
                E::Corrupt {
                    op: "decoding an auth method",
                    reason: e.to_string(),
                }
            })?,
            token_url: p.auth_token_url,
            header_name: p.auth_header_name,
        }),
        None => None,
    };
    Ok(Manifest {
        provider_slug: p.slug,
        display_name: p.display_name,
        version: p.version,
        description: p.description,
        docs_url: p.docs_url,
        auth,
        secrets: vec![],
        scopes: vec![],
        kpis: vec![],
        utm_capabilities: vec![],
        operations: vec![],
    })
}

/// The manifest a child row belongs to; a row without its connector means a damaged registry.
fn owner<'m>(out: &'m mut HashMap<String, Manifest>, slug: &str) -> Result<&'m mut Manifest> {
    out.get_mut(slug).ok_or_else(|| E::Corrupt {
        op: "loading registered rows",
        reason: format!("rows without connector {slug}"),
    })
}
