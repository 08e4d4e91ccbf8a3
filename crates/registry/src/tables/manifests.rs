//! Registered manifests rebuilt from the sentinel's rows (`connector_providers` and its child
//! tables), for diffs, approval snapshots and the connector page; with each one's gating overrides.

use crate::db::{query, Conn, Record, BATCH};
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

/// The rows of one table for the connectors of `chunk`: `head`, the slugs as placeholders
/// separated by commas, `)`, then `tail`.
async fn rows_of<T: Record>(
    conn: &mut Conn<'_>,
    (head, tail): (&'static str, &'static str),
    chunk: &[&str],
    op: &'static str,
) -> Result<Vec<T>> {
    let mut q = query("");
    super::in_list_tail(&mut q, head, chunk);
    q.push(tail);
    q.fetch_all(conn.reborrow()).await.map_err(E::db(op))
}

const PROVIDERS: (&str, &str) = (
    "SELECT slug, display_name, version, description, docs_url, auth_method, auth_token_url, \
     auth_header_name FROM connector_providers WHERE slug IN (",
    "",
);
const SECRETS: (&str, &str) = (
    "SELECT provider_slug, key_name FROM connector_secrets WHERE provider_slug IN (",
    " ORDER BY provider_slug, position",
);
const SCOPES: (&str, &str) = (
    "SELECT provider_slug, name, description, requires_firearm FROM connector_scopes \
     WHERE provider_slug IN (",
    " ORDER BY provider_slug, position",
);
const METRICS: (&str, &str) = (
    "SELECT provider_slug, raw, standard, description FROM platform_metrics \
     WHERE provider_slug IN (",
    " ORDER BY provider_slug, position",
);
const UTM: (&str, &str) = (
    "SELECT provider_slug, content_type FROM connector_utm_capabilities \
     WHERE provider_slug IN (",
    " ORDER BY provider_slug, position",
);
const OPERATIONS: (&str, &str) = (
    "SELECT provider_slug, name, scope_name, description, input_schema \
     FROM connector_operations WHERE provider_slug IN (",
    " ORDER BY provider_slug, position",
);
const OVERRIDES: (&str, &str) = (
    "SELECT provider_slug, scope_name, requires_firearm FROM scope_gating \
     WHERE requires_firearm IS NOT NULL AND provider_slug IN (",
    "",
);

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

/// One statement per table; each child row goes to its manifest, in position order.
async fn load_chunk(
    conn: &mut Conn<'_>,
    chunk: &[&str],
    out: &mut HashMap<String, Manifest>,
    overrides: &mut Overrides,
) -> Result<()> {
    let op = "loading registered connectors";
    for p in rows_of::<Provider>(conn, PROVIDERS, chunk, op).await? {
        out.insert(p.slug.clone(), manifest(p)?);
    }
    for s in rows_of::<Secret>(conn, SECRETS, chunk, op).await? {
        owner(out, &s.provider_slug)?.secrets.push(s.key_name);
    }
    for s in rows_of::<ScopeRow>(conn, SCOPES, chunk, op).await? {
        owner(out, &s.provider_slug)?.scopes.push(Scope {
            name: s.name,
            description: s.description,
            requires_firearm: s.requires_firearm,
        });
    }
    for m in rows_of::<Metric>(conn, METRICS, chunk, op).await? {
        owner(out, &m.provider_slug)?.kpis.push(Kpi {
            raw: m.raw,
            standard: m.standard,
            description: m.description,
        });
    }
    for u in rows_of::<Utm>(conn, UTM, chunk, op).await? {
        (owner(out, &u.provider_slug)?.utm_capabilities).push(u.content_type);
    }
    for o in rows_of::<OperationRow>(conn, OPERATIONS, chunk, op).await? {
        owner(out, &o.provider_slug)?.operations.push(Operation {
            name: o.name,
            scope: o.scope_name,
            description: o.description,
            input_schema: o.input_schema.map(|j| j.0),
        });
    }
    let gating: Vec<Override> = rows_of(conn, OVERRIDES, chunk, "loading gating overrides").await?;
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
