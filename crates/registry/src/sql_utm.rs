//! The UTM builder's SQL (templates, link history), written once for both backends like
//! `sql.rs`. The rules live in `godconfig_utm`; `utm.rs` has the registry's types.

macro_rules! utm_sql {
    ($store:ident, $db:ty) => {
        use crate::utm::{ImportOutcome, LinkRecord, StoredTemplate, UtmTemplateOp};
        use godconfig_utm::{LinkRequest, UtmTemplate};

        type TemplateRow = (Json<UtmTemplate>, i64, Option<String>, Option<chrono::DateTime<chrono::Utc>>);
        type LinkRow = (i64, chrono::DateTime<chrono::Utc>, String, String, String, String, Option<String>, Json<std::collections::BTreeMap<String, String>>, String);

        impl $store {
            async fn template_rows(tx: &mut Tx, content_type: Option<&str>) -> Result<Vec<StoredTemplate>> {
                let rows: Vec<TemplateRow> = sqlx::query_as(
                    "SELECT template_json, CAST(version AS BIGINT), changed_by, changed_at FROM utm_templates \
                     WHERE ($1 IS NULL OR content_type = $1) ORDER BY content_type",
                )
                .bind(content_type)
                .fetch_all(&mut **tx)
                .await
                .map_err(E::db("reading UTM templates"))?;
                Ok(rows.into_iter().map(|(t, version, changed_by, changed_at)| StoredTemplate { template: t.0, version, changed_by, changed_at }).collect())
            }

            async fn write_template(tx: &mut Tx, t: &UtmTemplate, version: i64, actor: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO utm_templates (content_type, template_json, version, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (content_type) DO UPDATE SET template_json = excluded.template_json, version = excluded.version, \
                     changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                )
                .bind(&t.content_type)
                .bind(Json(t))
                .bind(version)
                .bind(actor)
                .bind(chrono::Utc::now())
                .execute(&mut **tx)
                .await
                .map_err(E::db("writing a UTM template"))?;
                Ok(())
            }

            fn refuse_invalid(t: &UtmTemplate) -> Result<()> {
                let violations = godconfig_utm::check_template(t);
                if violations.is_empty() { Ok(()) } else { Err(E::UtmRefused { violations }) }
            }
        }

        impl crate::store::UtmStore for $store {
            async fn utm_templates(&self) -> Result<Vec<StoredTemplate>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading UTM templates"))?;
                Self::template_rows(&mut tx, None).await
            }

            async fn change_utm_template(&self, op: &UtmTemplateOp, actor: &str) -> Result<Option<StoredTemplate>> {
                let mut tx = self.begin_write().await?;
                let ct = op.content_type();
                let before = Self::template_rows(&mut tx, Some(ct)).await?.pop();
                let stale = |v: i64| before.as_ref().is_some_and(|b| b.version != v);
                let action = match op {
                    UtmTemplateOp::Save { template, version } => {
                        Self::refuse_invalid(template)?;
                        match (version, &before) {
                            (None, Some(_)) => return Err(E::UtmTemplateExists { content_type: ct.to_string() }),
                            (Some(_), None) => return Err(E::UnknownUtmTemplate { content_type: ct.to_string(), did_you_mean: None }),
                            (Some(v), Some(_)) if stale(*v) => return Err(E::Conflict { what: vec![format!("UTM template `{ct}`")] }),
                            _ => {}
                        }
                        Self::write_template(&mut tx, template, version.map_or(0, |v| v + 1), actor).await?;
                        if before.is_some() { "utm.template_updated" } else { "utm.template_added" }
                    }
                    UtmTemplateOp::Delete { version, .. } => {
                        if before.is_none() {
                            return Err(E::UnknownUtmTemplate { content_type: ct.to_string(), did_you_mean: None });
                        }
                        if stale(*version) {
                            return Err(E::Conflict { what: vec![format!("UTM template `{ct}`")] });
                        }
                        sqlx::query("DELETE FROM utm_templates WHERE content_type = $1").bind(ct).execute(&mut *tx).await.map_err(E::db("deleting a UTM template"))?;
                        "utm.template_deleted"
                    }
                };
                let after = Self::template_rows(&mut tx, Some(ct)).await?.pop();
                let json = |t: &Option<StoredTemplate>| t.as_ref().map(|t| serde_json::json!(t.template));
                Self::audit_json(&mut tx, actor, action, None, serde_json::json!({ "content_type": ct }), json(&before), json(&after)).await?;
                tx.commit().await.map_err(E::db("committing the UTM template"))?;
                Ok(after)
            }

            async fn import_utm_templates(&self, templates: &[UtmTemplate], replace: bool, actor: &str) -> Result<ImportOutcome> {
                let violations: Vec<_> = templates.iter().flat_map(godconfig_utm::check_template).collect();
                if !violations.is_empty() {
                    return Err(E::UtmRefused { violations });
                }
                let mut tx = self.begin_write().await?;
                let existing = Self::template_rows(&mut tx, None).await?;
                let mut out = ImportOutcome::default();
                for t in templates {
                    match existing.iter().find(|e| e.template.content_type == t.content_type) {
                        Some(e) if e.template == *t => out.unchanged.push(t.content_type.clone()),
                        Some(_) if !replace => return Err(E::UtmTemplateExists { content_type: t.content_type.clone() }),
                        Some(e) => {
                            Self::write_template(&mut tx, t, e.version + 1, actor).await?;
                            out.replaced.push(t.content_type.clone());
                        }
                        None => {
                            Self::write_template(&mut tx, t, 0, actor).await?;
                            out.added.push(t.content_type.clone());
                        }
                    }
                }
                if !out.added.is_empty() || !out.replaced.is_empty() {
                    // Before and after of every template it wrote, so a replaced one can be recovered.
                    let touched = |ct: &String| out.added.contains(ct) || out.replaced.contains(ct);
                    let before: serde_json::Map<String, serde_json::Value> =
                        existing.iter().filter(|e| touched(&e.template.content_type)).map(|e| (e.template.content_type.clone(), serde_json::json!(e.template))).collect();
                    let after: serde_json::Map<String, serde_json::Value> =
                        templates.iter().filter(|t| touched(&t.content_type)).map(|t| (t.content_type.clone(), serde_json::json!(t))).collect();
                    let detail = serde_json::json!({ "added": out.added, "replaced": out.replaced, "unchanged": out.unchanged });
                    Self::audit_json(&mut tx, actor, "utm.imported", None, detail, Some(before.into()), Some(after.into())).await?;
                }
                tx.commit().await.map_err(E::db("committing the UTM import"))?;
                Ok(out)
            }

            async fn utm_capabilities(&self, connector: Option<&str>) -> Result<Vec<(String, String)>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading UTM capabilities"))?;
                let rows: Vec<(String, String)> = sqlx::query_as(
                    "SELECT c.provider_slug, c.content_type FROM connector_utm_capabilities c JOIN connector_providers p ON p.slug = c.provider_slug \
                     WHERE p.status <> 'removed' AND ($1 IS NULL OR c.provider_slug = $1) ORDER BY c.provider_slug, c.position",
                )
                .bind(connector)
                .fetch_all(&mut *tx)
                .await
                .map_err(E::db("reading UTM capabilities"))?;
                if let Some(c) = connector.filter(|_| rows.is_empty()) {
                    Self::gate_in(&mut tx, c).await?; // NotFound for an unknown connector
                }
                Ok(rows)
            }

            async fn build_utm_link(&self, req: &LinkRequest, actor: &str, today: chrono::NaiveDate) -> Result<LinkRecord> {
                let mut tx = self.begin_write().await?;
                let declared: Vec<String> = sqlx::query_scalar("SELECT c.content_type FROM connector_utm_capabilities c JOIN connector_providers p ON p.slug = c.provider_slug \
                     WHERE c.provider_slug = $1 AND p.status <> 'removed' ORDER BY c.position")
                    .bind(&req.connector)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(E::db("reading UTM capabilities"))?;
                if declared.is_empty() {
                    Self::gate_in(&mut tx, &req.connector).await?;
                }
                if !declared.contains(&req.content_type) {
                    return Err(E::UtmNotDeclared { connector: req.connector.clone(), content_type: req.content_type.clone(), declared });
                }
                let Some(t) = Self::template_rows(&mut tx, Some(&req.content_type)).await?.pop() else {
                    return Err(E::UnknownUtmTemplate { content_type: req.content_type.clone(), did_you_mean: None });
                };
                let link = godconfig_utm::build_link(&t.template, req, today).map_err(|violations| E::UtmRefused { violations })?;
                let now = chrono::Utc::now();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO utm_links (created_at, created_by, connector, content_type, base_url, campaign, vars_json, url) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING CAST(id AS BIGINT)",
                )
                .bind(now)
                .bind(actor)
                .bind(&req.connector)
                .bind(&req.content_type)
                .bind(req.base_url.trim())
                .bind(req.campaign.as_deref())
                .bind(Json(&req.vars))
                .bind(&link.url)
                .fetch_one(&mut *tx)
                .await
                .map_err(E::db("recording the link"))?;
                tx.commit().await.map_err(E::db("committing the link"))?;
                Ok(LinkRecord { id, created_at: now, created_by: actor.to_string(), request: req.clone(), url: link.url })
            }

            async fn utm_links(&self, search: Option<&str>, limit: u32) -> Result<Vec<LinkRecord>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading the link history"))?;
                // Case-insensitive (ASCII) substring of the URL, connector or campaign; LIKE's wildcards are
                // escaped with `!`, which both dialects accept whatever their string settings.
                let pattern = search.map(str::trim).filter(|s| !s.is_empty()).map(|s| format!("%{}%", s.to_lowercase().replace('!', "!!").replace('%', "!%").replace('_', "!_")));
                let rows: Vec<LinkRow> = sqlx::query_as(
                    "SELECT CAST(id AS BIGINT), created_at, created_by, connector, content_type, base_url, campaign, vars_json, url FROM utm_links \
                     WHERE ($1 IS NULL OR LOWER(url) LIKE $1 ESCAPE '!' OR LOWER(connector) LIKE $1 ESCAPE '!' OR LOWER(COALESCE(campaign, '')) LIKE $1 ESCAPE '!') \
                     ORDER BY created_at DESC, id DESC LIMIT $2",
                )
                .bind(pattern)
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await
                .map_err(E::db("reading the link history"))?;
                Ok(rows
                    .into_iter()
                    .map(|(id, created_at, created_by, connector, content_type, base_url, campaign, vars, url)| LinkRecord {
                        id,
                        created_at,
                        created_by,
                        request: LinkRequest { connector, content_type, base_url, campaign, vars: vars.0 },
                        url,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use utm_sql;
