//! `utm_templates` (versioned, audited), `connector_utm_capabilities` as the builder reads
//! them, and `utm_links`, the history of links built. The rules are in `crate::utm` and
//! `godconfig_utm`.

use crate::db::{query, Conn};
use crate::error::{RegistryError as E, Result};
use crate::store::Registry;
use crate::tables::{audit_log, gate};
use crate::utm::{self, ImportOutcome, LinkRecord, StoredTemplate, UtmTemplateOp};
use audit_log::NewEntry;
use chrono::{DateTime, NaiveDate, Utc};
use godconfig_utm::{LinkRequest, UtmTemplate};
use serde_json::{json, Map, Value};
use sqlx::types::Json;
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct TemplateRow {
    template_json: Json<UtmTemplate>,
    version: i64,
    changed_by: Option<String>,
    changed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Capability {
    provider_slug: String,
    content_type: String,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: i64,
    created_at: DateTime<Utc>,
    created_by: String,
    connector: String,
    content_type: String,
    base_url: String,
    campaign: Option<String>,
    vars_json: Json<BTreeMap<String, String>>,
    url: String,
}

async fn templates(conn: &mut Conn<'_>, content_type: Option<&str>) -> Result<Vec<StoredTemplate>> {
    let rows: Vec<TemplateRow> = query(
        "SELECT template_json, CAST(version AS BIGINT) AS version, changed_by, changed_at \
         FROM utm_templates WHERE ($1 IS NULL OR content_type = $1) ORDER BY content_type",
    )
    .bind(content_type)
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db("reading UTM templates"))?;
    Ok(rows
        .into_iter()
        .map(|r| StoredTemplate {
            template: r.template_json.0,
            version: r.version,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
        })
        .collect())
}

async fn write(conn: &mut Conn<'_>, t: &UtmTemplate, version: i64, actor: &str) -> Result<()> {
    query(
        "INSERT INTO utm_templates (content_type, template_json, version, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (content_type) DO UPDATE SET \
         template_json = excluded.template_json, version = excluded.version, \
         changed_by = excluded.changed_by, changed_at = excluded.changed_at",
    )
    .bind(&t.content_type)
    .bind(json!(t))
    .bind(version)
    .bind(actor)
    .bind(Utc::now())
    .execute(conn.reborrow())
    .await
    .map_err(E::db("writing a UTM template"))?;
    Ok(())
}

/// The content types `connector` declares (it must exist), not counting removed connectors.
async fn declared(conn: &mut Conn<'_>, connector: &str) -> Result<Vec<String>> {
    let rows: Vec<Capability> = query(
        "SELECT c.provider_slug, c.content_type FROM connector_utm_capabilities c \
         JOIN connector_providers p ON p.slug = c.provider_slug \
         WHERE c.provider_slug = $1 AND p.status <> 'removed' ORDER BY c.position",
    )
    .bind(connector)
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db("reading UTM capabilities"))?;
    if rows.is_empty() {
        gate::read(conn, connector).await?; // NotFound for an unknown connector
    }
    Ok(rows.into_iter().map(|r| r.content_type).collect())
}

impl Registry {
    pub async fn utm_templates(&self) -> Result<Vec<StoredTemplate>> {
        let mut tx = self.db().begin("reading UTM templates").await?;
        templates(&mut tx.conn(), None).await
    }

    /// Checked with `godconfig_utm::check_template` first (`utm.refused` lists every violation).
    pub async fn change_utm_template(
        &self,
        op: &UtmTemplateOp,
        actor: &str,
    ) -> Result<Option<StoredTemplate>> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let ct = op.content_type();
        let before = templates(&mut conn, Some(ct)).await?.pop();
        utm::check_change(op, before.as_ref().map(|b| b.version))?;
        let action = match op {
            UtmTemplateOp::Save { template, version } => {
                write(&mut conn, template, version.map_or(0, |v| v + 1), actor).await?;
                match before {
                    Some(_) => "utm.template_updated",
                    None => "utm.template_added",
                }
            }
            UtmTemplateOp::Delete { .. } => {
                query("DELETE FROM utm_templates WHERE content_type = $1")
                    .bind(ct)
                    .execute(conn.reborrow())
                    .await
                    .map_err(E::db("deleting a UTM template"))?;
                "utm.template_deleted"
            }
        };
        let after = templates(&mut conn, Some(ct)).await?.pop();
        let as_json = |t: &Option<StoredTemplate>| t.as_ref().map(|t| json!(t.template));
        let entry = NewEntry {
            actor,
            action,
            slug: None,
            detail: Some(json!({ "content_type": ct })),
            before: as_json(&before),
            after: as_json(&after),
        };
        audit_log::append(&mut conn, entry).await?;
        tx.commit("committing the UTM template").await?;
        Ok(after)
    }

    /// All or nothing, one audit entry; an existing content type is refused unless `replace`.
    pub async fn import_utm_templates(
        &self,
        incoming: &[UtmTemplate],
        replace: bool,
        actor: &str,
    ) -> Result<ImportOutcome> {
        // Before the write lock: a template's own rules need no registry.
        utm::refuse_any_invalid(incoming)?;
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let existing = templates(&mut conn, None).await?;
        let (writes, out) = utm::plan_import(&existing, incoming, replace)?;
        for (t, version) in &writes {
            write(&mut conn, t, *version, actor).await?;
        }
        if !writes.is_empty() {
            // Before and after of every template it wrote, so a replaced one can be recovered.
            let touched = |ct: &String| out.added.contains(ct) || out.replaced.contains(ct);
            let before: Map<String, Value> = (existing.iter())
                .filter(|e| touched(&e.template.content_type))
                .map(|e| (e.template.content_type.clone(), json!(e.template)))
                .collect();
            let after: Map<String, Value> = (incoming.iter())
                .filter(|t| touched(&t.content_type))
                .map(|t| (t.content_type.clone(), json!(t)))
                .collect();
            let detail =
                json!({ "added": out.added, "replaced": out.replaced, "unchanged": out.unchanged });
            let entry = NewEntry {
                actor,
                action: "utm.imported",
                slug: None,
                detail: Some(detail),
                before: Some(before.into()),
                after: Some(after.into()),
            };
            audit_log::append(&mut conn, entry).await?;
        }
        tx.commit("committing the UTM import").await?;
        Ok(out)
    }

    /// (connector, content type) as the manifests declare them, for one connector or all.
    pub async fn utm_capabilities(&self, connector: Option<&str>) -> Result<Vec<(String, String)>> {
        let mut tx = self.db().begin("reading UTM capabilities").await?;
        let mut conn = tx.conn();
        let rows: Vec<Capability> = query(
            "SELECT c.provider_slug, c.content_type FROM connector_utm_capabilities c \
             JOIN connector_providers p ON p.slug = c.provider_slug \
             WHERE p.status <> 'removed' AND ($1 IS NULL OR c.provider_slug = $1) \
             ORDER BY c.provider_slug, c.position",
        )
        .bind(connector)
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db("reading UTM capabilities"))?;
        if let Some(c) = connector.filter(|_| rows.is_empty()) {
            gate::read(&mut conn, c).await?; // NotFound for an unknown connector
        }
        Ok(rows
            .into_iter()
            .map(|r| (r.provider_slug, r.content_type))
            .collect())
    }

    /// Builds the link with the content type's template and keeps it in the history.
    pub async fn build_utm_link(
        &self,
        req: &LinkRequest,
        actor: &str,
        today: NaiveDate,
    ) -> Result<LinkRecord> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let declared = declared(&mut conn, &req.connector).await?;
        if !declared.contains(&req.content_type) {
            return Err(E::UtmNotDeclared {
                connector: req.connector.clone(),
                content_type: req.content_type.clone(),
                declared,
            });
        }
        let Some(t) = templates(&mut conn, Some(&req.content_type)).await?.pop() else {
            return Err(E::UnknownUtmTemplate {
                content_type: req.content_type.clone(),
                did_you_mean: None,
            });
        };
        let link = godconfig_utm::build_link(&t.template, req, today)
            .map_err(|violations| E::UtmRefused { violations })?;
        let now = Utc::now();
        let id: i64 = query(
            "INSERT INTO utm_links \
             (created_at, created_by, connector, content_type, base_url, campaign, vars_json, url) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING CAST(id AS BIGINT)",
        )
        .bind(now)
        .bind(actor)
        .bind(&req.connector)
        .bind(&req.content_type)
        .bind(req.base_url.trim())
        .bind(req.campaign.as_deref())
        .bind(json!(req.vars))
        .bind(&link.url)
        .scalar_optional(conn.reborrow())
        .await
        .and_then(|id| id.ok_or(sqlx::Error::RowNotFound))
        .map_err(E::db("recording the link"))?;
        tx.commit("committing the link").await?;
        Ok(LinkRecord {
            id,
            created_at: now,
            created_by: actor.to_string(),
            request: req.clone(),
            url: link.url,
        })
    }

    /// Newest first; `search` matches the URL, connector or campaign.
    pub async fn utm_links(&self, search: Option<&str>, limit: u32) -> Result<Vec<LinkRecord>> {
        let mut tx = self.db().begin("reading the link history").await?;
        let rows: Vec<LinkRow> = query(
            "SELECT CAST(id AS BIGINT) AS id, created_at, created_by, connector, content_type, \
             base_url, campaign, vars_json, url FROM utm_links \
             WHERE ($1 IS NULL OR LOWER(url) LIKE $1 ESCAPE '!' \
                OR LOWER(connector) LIKE $1 ESCAPE '!' \
                OR LOWER(COALESCE(campaign, '')) LIKE $1 ESCAPE '!') \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(utm::like_pattern(search))
        .bind(i64::from(limit))
        .fetch_all(tx.conn())
        .await
        .map_err(E::db("reading the link history"))?;
        Ok(rows
            .into_iter()
            .map(|r| LinkRecord {
                id: r.id,
                created_at: r.created_at,
                created_by: r.created_by,
                request: LinkRequest {
                    connector: r.connector,
                    content_type: r.content_type,
                    base_url: r.base_url,
                    campaign: r.campaign,
                    vars: r.vars_json.0,
                },
                url: r.url,
            })
            .collect())
    }
}
