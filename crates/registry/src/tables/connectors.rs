//! Writing what the sentinel owns: `connector_providers` and its child tables (scopes, metrics,
//! UTM capabilities, operations, secret names), in multi-row statements of `BATCH` rows at most.

use crate::db::{query, Arg, Conn, BATCH};
use crate::error::{RegistryError as E, Result};
use crate::model::{Status, ValidConnector};
use crate::tables::in_list_tail;
use godconfig_manifest::Manifest;

/// A connector to write, with the status it ends in and why.
pub(crate) type Row<'a> = (&'a ValidConnector, Status, Option<String>);

/// Upserts `rows` and their child rows; `replaced` are the connectors already registered, whose
/// old child rows go first (new connectors have none to delete).
pub(crate) async fn write(conn: &mut Conn<'_>, rows: &[Row<'_>], replaced: &[&str]) -> Result<()> {
    for chunk in rows.chunks(BATCH / 2) {
        let mut q = query(
            "INSERT INTO connector_providers (slug, display_name, version, description, docs_url, \
             auth_method, auth_token_url, auth_header_name, manifest_path, mcp_path, \
             manifest_hash, fingerprint, status, is_approved, status_reason) VALUES ",
        );
        for (i, (c, status, reason)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            let m = &c.manifest;
            let auth = m.auth.as_ref();
            q.push_tuple([
                Arg::from(&m.provider_slug),
                Arg::from(&m.display_name),
                Arg::from(m.version.as_deref()),
                Arg::from(m.description.as_deref()),
                Arg::from(m.docs_url.as_deref()),
                Arg::from(auth.map(|a| a.method.as_str())),
                Arg::from(auth.and_then(|a| a.token_url.as_deref())),
                Arg::from(auth.and_then(|a| a.header_name.as_deref())),
                Arg::from(&c.manifest_path),
                Arg::from(&c.mcp_path),
                Arg::from(&c.hash),
                Arg::from(&c.fingerprint),
                Arg::from(status.as_str()),
                Arg::from(*status == Status::Approved),
                Arg::from(reason.as_deref()),
            ]);
        }
        q.push(
            " ON CONFLICT (slug) DO UPDATE SET display_name = excluded.display_name, \
             version = excluded.version, description = excluded.description, \
             docs_url = excluded.docs_url, auth_method = excluded.auth_method, \
             auth_token_url = excluded.auth_token_url, \
             auth_header_name = excluded.auth_header_name, \
             manifest_path = excluded.manifest_path, mcp_path = excluded.mcp_path, \
             manifest_hash = excluded.manifest_hash, fingerprint = excluded.fingerprint, \
             status_reason = CASE WHEN excluded.status = connector_providers.status \
                 THEN connector_providers.status_reason ELSE excluded.status_reason END, \
             status = excluded.status, is_approved = excluded.is_approved",
        );
        q.execute(conn.reborrow())
            .await
            .map_err(E::db("writing connectors"))?;
    }
    clear_children(conn, replaced).await?;
    let manifests: Vec<&Manifest> = rows.iter().map(|(c, _, _)| &c.manifest).collect();
    write_children(conn, &manifests).await
}

/// `DELETE FROM <table> WHERE provider_slug IN (`, per child table: the table name is a literal.
const CLEAR: [&str; 5] = [
    "DELETE FROM connector_scopes WHERE provider_slug IN (",
    "DELETE FROM platform_metrics WHERE provider_slug IN (",
    "DELETE FROM connector_utm_capabilities WHERE provider_slug IN (",
    "DELETE FROM connector_operations WHERE provider_slug IN (",
    "DELETE FROM connector_secrets WHERE provider_slug IN (",
];

async fn clear_children(conn: &mut Conn<'_>, slugs: &[&str]) -> Result<()> {
    for head in CLEAR {
        for chunk in slugs.chunks(BATCH) {
            let mut q = query("");
            in_list_tail(&mut q, head, chunk);
            q.execute(conn.reborrow())
                .await
                .map_err(E::db("clearing replaced rows"))?;
        }
    }
    Ok(())
}

/// One child row: its connector, its position in the manifest, and its own `N` columns (an
/// array, not a `Vec`: a sync writes a hundred thousand of them).
type Child<'a, const N: usize> = (&'a str, i64, [Arg<'a>; N]);

fn children<'m, 'a, T: 'a, const N: usize>(
    manifests: &'m [&'a Manifest],
    list: impl Fn(&'a Manifest) -> &'a [T] + 'm,
    columns: impl Fn(&'a T) -> [Arg<'a>; N] + Copy + 'm,
) -> impl Iterator<Item = Child<'a, N>> + 'm {
    manifests.iter().flat_map(move |m| {
        let slug = m.provider_slug.as_str();
        (list(m).iter().enumerate()).map(move |(i, item)| (slug, i as i64, columns(item)))
    })
}

async fn write_children(conn: &mut Conn<'_>, ms: &[&Manifest]) -> Result<()> {
    let scopes = children(
        ms,
        |m| m.scopes.as_slice(),
        |s| {
            [
                Arg::from(&s.name),
                Arg::from(s.description.as_deref()),
                Arg::from(s.requires_firearm),
            ]
        },
    );
    insert(
        conn,
        "INSERT INTO connector_scopes (provider_slug, position, name, description, \
         requires_firearm) VALUES ",
        scopes,
        "writing scopes",
    )
    .await?;
    let metrics = children(
        ms,
        |m| m.kpis.as_slice(),
        |k| {
            [
                Arg::from(&k.raw),
                Arg::from(k.standard.as_deref()),
                Arg::from(k.description.as_deref()),
            ]
        },
    );
    insert(
        conn,
        "INSERT INTO platform_metrics (provider_slug, position, raw, standard, description) VALUES ",
        metrics,
        "writing platform metrics",
    )
    .await?;
    let utm = children(ms, |m| m.utm_capabilities.as_slice(), |u| [Arg::from(u)]);
    insert(
        conn,
        "INSERT INTO connector_utm_capabilities (provider_slug, position, content_type) VALUES ",
        utm,
        "writing UTM capabilities",
    )
    .await?;
    let operations = children(
        ms,
        |m| m.operations.as_slice(),
        |o| {
            [
                Arg::from(&o.name),
                Arg::from(&o.scope),
                Arg::from(o.description.as_deref()),
                Arg::from(o.input_schema.as_ref()),
            ]
        },
    );
    insert(
        conn,
        "INSERT INTO connector_operations (provider_slug, position, name, scope_name, description, \
         input_schema) VALUES ",
        operations,
        "writing operations",
    )
    .await?;
    let secrets = children(ms, |m| m.secrets.as_slice(), |s| [Arg::from(s)]);
    insert(
        conn,
        "INSERT INTO connector_secrets (provider_slug, position, key_name) VALUES ",
        secrets,
        "writing secret names",
    )
    .await
}

/// Inserts child rows `BATCH` at a time: `head` names the columns, connector and position first.
async fn insert<'a, const N: usize>(
    conn: &mut Conn<'_>,
    head: &'static str,
    rows: impl Iterator<Item = Child<'a, N>>,
    op: &'static str,
) -> Result<()> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut q = query(head);
        for (i, (slug, position, columns)) in rows.by_ref().take(BATCH).enumerate() {
            if i > 0 {
                q.push(", ");
            }
            let row = [Arg::from(slug), Arg::from(position)]
                .into_iter()
                .chain(columns);
            q.push_tuple(row);
        }
        q.execute(conn.reborrow()).await.map_err(E::db(op))?;
    }
    Ok(())
}
