//! The registry's SQL, written once and expanded for each backend. Both SQLite and PostgreSQL
//! accept `$N` placeholders, `ON CONFLICT … DO UPDATE` and `RETURNING`, so the statements are
//! shared; a macro (rather than generics over `sqlx::Database`) keeps the types concrete.

/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
pub(crate) const BATCH: usize = 1000;

pub(crate) const STATUS_SQL: &str = "SELECT p.slug, p.display_name, p.status, p.manifest_hash,
    (SELECT COUNT(*) FROM connector_scopes s WHERE s.provider_slug = p.slug) AS scopes,
    (SELECT COUNT(*) FROM connector_scopes s LEFT JOIN scope_gating g
        ON g.provider_slug = s.provider_slug AND g.scope_name = s.name
        WHERE s.provider_slug = p.slug AND COALESCE(g.requires_firearm, s.requires_firearm)) AS gated,
    (SELECT COUNT(*) FROM platform_metrics m WHERE m.provider_slug = p.slug) AS metrics
    FROM connector_providers p ORDER BY p.slug";

pub(crate) const CHILD_TABLES: [&str; 5] = [
    "connector_scopes",
    "platform_metrics",
    "connector_utm_capabilities",
    "connector_operations",
    "connector_secrets",
];

macro_rules! registry_sql {
    ($store:ident, $db:ty) => {
        use crate::error::RegistryError as E;
        use crate::model::{ChangeKind, ConnectorChange, Status, StatusRow, SyncInput, SyncReport, ValidConnector};
        use crate::plan;
        use crate::sql::{BATCH, CHILD_TABLES, STATUS_SQL};
        use godconfig_manifest::Manifest;
        use sqlx::types::Json;
        use sqlx::{QueryBuilder, Row};
        use std::collections::HashMap;

        type Tx = Transaction<'static, $db>;

        impl $store {
            async fn migrate(&self) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let exists: bool = sqlx::query_scalar(Self::MIGRATIONS_TABLE_EXISTS)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(E::db("looking for the migrations table"))?;
                if !exists {
                    sqlx::query(crate::migrate::CREATE_TABLE)
                        .execute(&mut *tx)
                        .await
                        .map_err(E::db("creating the migrations table"))?;
                }
                let applied: Vec<(i64, String)> =
                    sqlx::query_as("SELECT version, checksum FROM schema_migrations ORDER BY version")
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(E::db("reading applied migrations"))?;
                let pending = crate::migrate::pending(Self::MIGRATOR, &applied)?;
                if pending.is_empty() {
                    // Nothing to apply: end without a commit, so watchers are not woken up.
                    return tx.rollback().await.map_err(E::db("ending the migration check"));
                }
                for m in pending {
                    sqlx::raw_sql(m.sql.clone()).execute(&mut *tx).await.map_err(|e| E::Migration {
                        version: m.version,
                        description: m.description.to_string(),
                        reason: e.to_string(),
                    })?;
                    sqlx::query("INSERT INTO schema_migrations (version, description, checksum) VALUES ($1, $2, $3)")
                        .bind(m.version)
                        .bind(m.description.as_ref())
                        .bind(crate::migrate::hex(&m.checksum))
                        .execute(&mut *tx)
                        .await
                        .map_err(E::db("recording a migration"))?;
                }
                tx.commit().await.map_err(E::db("committing migrations"))
            }

            /// Upserts `rows` and their child rows; `replaced` are the connectors already registered,
            /// whose old child rows go first (new connectors have none to delete).
            async fn write_connectors(tx: &mut Tx, rows: &[(&ValidConnector, Status, Option<String>)], replaced: &[&str]) -> Result<()> {
                for chunk in rows.chunks(BATCH / 2) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO connector_providers (slug, display_name, version, description, docs_url, auth_method, \
                         auth_token_url, auth_header_name, manifest_path, mcp_path, manifest_hash, status, is_approved, status_reason) ",
                    );
                    q.push_values(chunk, |mut b, (c, status, reason)| {
                        let m = &c.manifest;
                        b.push_bind(&m.provider_slug)
                            .push_bind(&m.display_name)
                            .push_bind(&m.version)
                            .push_bind(&m.description)
                            .push_bind(&m.docs_url)
                            .push_bind(m.auth.as_ref().map(|a| a.method.as_str()))
                            .push_bind(m.auth.as_ref().and_then(|a| a.token_url.as_deref()))
                            .push_bind(m.auth.as_ref().and_then(|a| a.header_name.as_deref()))
                            .push_bind(&c.manifest_path)
                            .push_bind(&c.mcp_path)
                            .push_bind(&c.hash)
                            .push_bind(status.as_str())
                            .push_bind(*status == Status::Approved)
                            .push_bind(reason.as_deref());
                    });
                    q.push(
                        " ON CONFLICT (slug) DO UPDATE SET display_name = excluded.display_name, version = excluded.version, \
                         description = excluded.description, docs_url = excluded.docs_url, auth_method = excluded.auth_method, \
                         auth_token_url = excluded.auth_token_url, auth_header_name = excluded.auth_header_name, \
                         manifest_path = excluded.manifest_path, mcp_path = excluded.mcp_path, \
                         manifest_hash = excluded.manifest_hash, \
                         status_reason = CASE WHEN excluded.status = connector_providers.status \
                             THEN connector_providers.status_reason ELSE excluded.status_reason END, \
                         status = excluded.status, is_approved = excluded.is_approved",
                    );
                    q.build().execute(&mut **tx).await.map_err(E::db("writing connectors"))?;
                }
                Self::write_children(tx, rows, replaced).await
            }

            async fn write_children(tx: &mut Tx, rows: &[(&ValidConnector, Status, Option<String>)], replaced: &[&str]) -> Result<()> {
                for table in CHILD_TABLES {
                    for chunk in replaced.chunks(BATCH) {
                        Self::in_list(format!("DELETE FROM {table} WHERE provider_slug IN ("), chunk, ")")
                            .build()
                            .execute(&mut **tx)
                            .await
                            .map_err(E::db("clearing replaced rows"))?;
                    }
                }
                let ms: Vec<&Manifest> = rows.iter().map(|(c, _, _)| &c.manifest).collect();
                let scopes: Vec<_> = ms.iter().flat_map(|m| m.scopes.iter().enumerate().map(move |(i, s)| (&m.provider_slug, i as i64, s))).collect();
                for chunk in scopes.chunks(BATCH) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO connector_scopes (provider_slug, name, position, description, requires_firearm) ");
                    q.push_values(chunk, |mut b, (slug, i, s)| {
                        b.push_bind(*slug).push_bind(&s.name).push_bind(*i).push_bind(&s.description).push_bind(s.requires_firearm);
                    });
                    q.build().execute(&mut **tx).await.map_err(E::db("writing scopes"))?;
                }
                let kpis: Vec<_> = ms.iter().flat_map(|m| m.kpis.iter().enumerate().map(move |(i, k)| (&m.provider_slug, i as i64, k))).collect();
                for chunk in kpis.chunks(BATCH) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO platform_metrics (provider_slug, raw, position, standard, description) ");
                    q.push_values(chunk, |mut b, (slug, i, k)| {
                        b.push_bind(*slug).push_bind(&k.raw).push_bind(*i).push_bind(&k.standard).push_bind(&k.description);
                    });
                    q.build().execute(&mut **tx).await.map_err(E::db("writing platform metrics"))?;
                }
                let utm: Vec<_> = ms.iter().flat_map(|m| m.utm_capabilities.iter().enumerate().map(move |(i, u)| (&m.provider_slug, i as i64, u))).collect();
                for chunk in utm.chunks(BATCH) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO connector_utm_capabilities (provider_slug, content_type, position) ");
                    q.push_values(chunk, |mut b, (slug, i, u)| {
                        b.push_bind(*slug).push_bind(*u).push_bind(*i);
                    });
                    q.build().execute(&mut **tx).await.map_err(E::db("writing UTM capabilities"))?;
                }
                let ops: Vec<_> = ms.iter().flat_map(|m| m.operations.iter().enumerate().map(move |(i, o)| (&m.provider_slug, i as i64, o))).collect();
                for chunk in ops.chunks(BATCH) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO connector_operations (provider_slug, name, position, scope_name, description, input_schema) ");
                    q.push_values(chunk, |mut b, (slug, i, o)| {
                        b.push_bind(*slug).push_bind(&o.name).push_bind(*i).push_bind(&o.scope).push_bind(&o.description).push_bind(o.input_schema.as_ref().map(Json));
                    });
                    q.build().execute(&mut **tx).await.map_err(E::db("writing operations"))?;
                }
                let secrets: Vec<_> = ms.iter().flat_map(|m| m.secrets.iter().enumerate().map(move |(i, s)| (&m.provider_slug, i as i64, s))).collect();
                for chunk in secrets.chunks(BATCH) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO connector_secrets (provider_slug, key_name, position) ");
                    q.push_values(chunk, |mut b, (slug, i, s)| {
                        b.push_bind(*slug).push_bind(*s).push_bind(*i);
                    });
                    q.build().execute(&mut **tx).await.map_err(E::db("writing secret names"))?;
                }
                Ok(())
            }

            async fn write_audit(tx: &mut Tx, run_id: i64, actor: &str, changes: &[(ConnectorChange, Option<String>)], by_slug: &HashMap<&str, &ValidConnector>) -> Result<()> {
                let now = chrono::Utc::now();
                for chunk in changes.chunks(BATCH / 2) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO audit_log (at, actor, action, provider_slug, sync_run_id, detail, before_json, after_json) ");
                    q.push_values(chunk, |mut b, (c, reason)| {
                        let action = match (c.kind, c.sent_back_to_draft()) {
                            (_, true) => "sync.back_to_draft",
                            (ChangeKind::Added, _) => "sync.added",
                            (ChangeKind::Changed, _) => "sync.changed",
                            (ChangeKind::Removed, _) => "sync.removed",
                        };
                        let detail = serde_json::json!({ "diff": c.diff, "reason": reason });
                        let before = c.status_before.map(|s| serde_json::json!({ "status": s }));
                        let after = serde_json::json!({
                            "status": c.status_after,
                            "manifest_hash": by_slug.get(c.slug.as_str()).map(|v| v.hash.as_str()),
                        });
                        b.push_bind(now).push_bind(actor).push_bind(action).push_bind(&c.slug).push_bind(run_id)
                            .push_bind(Json(detail)).push_bind(before.map(Json)).push_bind(Json(after));
                    });
                    q.build().execute(&mut **tx).await.map_err(E::db("writing the audit log"))?;
                }
                Ok(())
            }

            async fn sync_in(&self, tx: &mut Tx, input: &SyncInput) -> Result<SyncReport> {
                let started = chrono::Utc::now();
                let started_at = std::time::Instant::now();
                let index: HashMap<String, plan::Registered> =
                    sqlx::query_as::<_, (String, String, String)>("SELECT slug, manifest_hash, status FROM connector_providers")
                        .fetch_all(&mut **tx)
                        .await
                        .map_err(E::db("reading the registry"))?
                        .into_iter()
                        .map(|(slug, hash, status)| {
                            let status = Status::parse(&status).unwrap_or(Status::Draft);
                            (slug, plan::Registered { hash, status })
                        })
                        .collect();
                let classified = plan::classify(input, &index);
                let changed_slugs: Vec<&str> = classified.changed.iter().map(|(c, _)| c.slug()).collect();
                let (old, overrides) = Self::load_old(tx, &changed_slugs).await?;
                let changes = plan::changes(&classified, &old, &overrides);

                let run_id: i64 = sqlx::query_scalar(
                    "INSERT INTO sync_runs (started_at, finished_at, actor, source_dir, scanned, added, changed, removed, unchanged, rejected) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(started)
                .bind(chrono::Utc::now())
                .bind(&input.actor)
                .bind(&input.source_dir)
                .bind(input.present.len() as i64)
                .bind(classified.added.len() as i64)
                .bind(classified.changed.len() as i64)
                .bind(classified.removed.len() as i64)
                .bind(classified.unchanged as i64)
                .bind(input.rejected.len() as i64)
                .fetch_one(&mut **tx)
                .await
                .map_err(E::db("recording the sync run"))?;

                let by_slug: HashMap<&str, &ValidConnector> = input.valid.iter().map(|v| (v.slug(), v)).collect();
                let rows: Vec<(&ValidConnector, Status, Option<String>)> = changes
                    .iter()
                    .filter(|(c, _)| c.kind != ChangeKind::Removed)
                    .map(|(c, reason)| (by_slug[c.slug.as_str()], c.status_after, reason.clone()))
                    .collect();
                tracing::debug!(elapsed = ?started_at.elapsed(), "planned");
                Self::write_connectors(tx, &rows, &changed_slugs).await?;
                tracing::debug!(elapsed = ?started_at.elapsed(), "connectors written");
                for (c, reason) in changes.iter().filter(|(c, _)| c.kind == ChangeKind::Removed) {
                    sqlx::query("UPDATE connector_providers SET status = 'removed', is_approved = $1, status_reason = $2 WHERE slug = $3")
                        .bind(false)
                        .bind(reason.as_deref())
                        .bind(&c.slug)
                        .execute(&mut **tx)
                        .await
                        .map_err(E::db("marking removed connectors"))?;
                }
                Self::write_audit(tx, run_id, &input.actor, &changes, &by_slug).await?;
                Self::write_problems(tx, input).await?;
                tracing::debug!(elapsed = ?started_at.elapsed(), "audit written");

                let mut report = SyncReport { run_id: Some(run_id), added: vec![], changed: vec![], removed: vec![], unchanged: classified.unchanged, rejected: input.rejected.clone() };
                for (c, _) in changes {
                    match c.kind {
                        ChangeKind::Added => report.added.push(c),
                        ChangeKind::Changed => report.changed.push(c),
                        ChangeKind::Removed => report.removed.push(c),
                    }
                }
                Ok(report)
            }
        }

        impl crate::store::RegistryStore for $store {
            fn backend(&self) -> &'static str {
                Self::BACKEND
            }

            async fn sync(&self, input: &SyncInput, dry_run: bool) -> Result<SyncReport> {
                let mut tx = self.begin_write().await?;
                let t = std::time::Instant::now();
                let mut report = self.sync_in(&mut tx, input).await?;
                tracing::debug!(elapsed = ?t.elapsed(), "sync transaction body");
                if dry_run {
                    report.run_id = None;
                    tx.rollback().await.map_err(E::db("discarding the plan"))?;
                } else {
                    tx.commit().await.map_err(E::db("committing the sync"))?;
                    tracing::debug!(elapsed = ?t.elapsed(), "committed");
                }
                Ok(report)
            }

            async fn status(&self) -> Result<Vec<StatusRow>> {
                let rows = sqlx::query(STATUS_SQL).fetch_all(&self.pool).await.map_err(E::db("reading status"))?;
                rows.iter()
                    .map(|r| {
                        Ok(StatusRow {
                            slug: r.try_get("slug")?,
                            display_name: r.try_get("display_name")?,
                            status: r.try_get("status")?,
                            manifest_hash: r.try_get("manifest_hash")?,
                            scopes: r.try_get("scopes")?,
                            gated: r.try_get("gated")?,
                            metrics: r.try_get("metrics")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .map_err(E::db("decoding status"))
            }

            async fn registered_hashes(&self) -> Result<HashMap<String, String>> {
                let rows: Vec<(String, String)> = sqlx::query_as("SELECT slug, manifest_hash FROM connector_providers WHERE status <> 'removed'")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(E::db("reading registered hashes"))?;
                Ok(rows.into_iter().collect())
            }

            async fn gating_overrides(&self) -> Result<Vec<(String, String, bool)>> {
                sqlx::query_as("SELECT provider_slug, scope_name, requires_firearm FROM scope_gating WHERE requires_firearm IS NOT NULL ORDER BY provider_slug, scope_name")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(E::db("reading gating overrides"))
            }
        }
    };
}

pub(crate) use registry_sql;
