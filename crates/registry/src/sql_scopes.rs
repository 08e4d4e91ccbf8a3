//! The scope manager's SQL (gating overrides, firearm types), written once for both backends
//! like `sql.rs`. The rules live in `scopes.rs`.

macro_rules! scopes_sql {
    ($store:ident, $db:ty) => {
        use crate::firearms::{self as fa, FirearmOp, FirearmType, TypeUsage};
        use crate::scopes::{self as sc, GatingChange, GatingOutcome, ScopeRow};

        impl $store {
            async fn scope_rows(tx: &mut Tx, connectors: Option<&[&str]>) -> Result<Vec<ScopeRow>> {
                let mut q = QueryBuilder::<$db>::new(crate::sql_scopes::SCOPES_SQL);
                if let Some(slugs) = connectors {
                    q.push(" AND s.provider_slug IN (");
                    let mut list = q.separated(", ");
                    for s in slugs {
                        list.push_bind(*s);
                    }
                    q.push(")");
                }
                q.push(" ORDER BY s.provider_slug, s.position");
                let rows = q.build().fetch_all(&mut **tx).await.map_err(E::db("reading scopes"))?;
                rows.iter()
                    .map(|r| {
                        let status: String = r.try_get(1)?;
                        Ok(ScopeRow {
                            connector: r.try_get(0)?,
                            connector_status: Status::parse(&status).unwrap_or(Status::Draft),
                            name: r.try_get(2)?,
                            description: r.try_get(3)?,
                            declared_gated: r.try_get(4)?,
                            gating_override: r.try_get(5)?,
                            effective_gated: r.try_get::<Option<bool>, _>(5)?.unwrap_or(r.try_get(4)?),
                            firearm_type: r.try_get(6)?,
                            reason: r.try_get(7)?,
                            changed_by: r.try_get(8)?,
                            changed_at: r.try_get(9)?,
                            version: r.try_get(10)?,
                            suggestion_dismissed: r.try_get(11)?,
                            suggestion: None,
                        })
                    })
                    .map(|r: Result<ScopeRow, sqlx::Error>| r.map(|mut r| { r.suggestion = r.suggestion(); r }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .map_err(E::db("decoding scopes"))
            }

            async fn type_states(tx: &mut Tx) -> Result<Vec<(String, bool)>> {
                sqlx::query_as("SELECT slug, retired FROM firearm_types ORDER BY slug")
                    .fetch_all(&mut **tx)
                    .await
                    .map_err(E::db("reading firearm types"))
            }

            async fn type_usage(tx: &mut Tx, slug: Option<&str>) -> Result<Vec<(String, TypeUsage)>> {
                let rows: Vec<(String, String, i64)> = sqlx::query_as(
                    "SELECT firearm_type, provider_slug, CAST(COUNT(*) AS BIGINT) FROM scope_gating \
                     WHERE firearm_type IS NOT NULL AND ($1 IS NULL OR firearm_type = $1) \
                     GROUP BY firearm_type, provider_slug ORDER BY firearm_type, provider_slug",
                )
                .bind(slug)
                .fetch_all(&mut **tx)
                .await
                .map_err(E::db("reading where firearm types are used"))?;
                Ok(rows.into_iter().map(|(t, connector, scopes)| (t, TypeUsage { connector, scopes })).collect())
            }

            async fn one_type(tx: &mut Tx, slug: &str) -> Result<Option<FirearmType>> {
                let row: Option<(String, String, String, String, bool, i64)> = sqlx::query_as(
                    "SELECT slug, name, description, risk_level, retired, version FROM firearm_types WHERE slug = $1",
                )
                .bind(slug)
                .fetch_optional(&mut **tx)
                .await
                .map_err(E::db("reading a firearm type"))?;
                let usage = Self::type_usage(tx, Some(slug)).await?.into_iter().map(|(_, u)| u).collect();
                Ok(row.map(|r| crate::sql_scopes::firearm_type(r, usage)))
            }

            /// Approved connectors whose risk changed go back to review, each with its own entry.
            async fn send_back(tx: &mut Tx, actor: &str, planned: &[sc::Planned<'_>], action: &str) -> Result<Vec<String>> {
                let slugs = planned
                    .iter()
                    .filter(|p| p.changes_risk() && p.row.connector_status == Status::Approved)
                    .map(|p| p.row.connector.clone())
                    .collect();
                let reason = format!("back to review: scope gating changed ({action})");
                Self::back_to_draft(tx, actor, slugs, "scopes.back_to_draft", &reason).await
            }
        }

        impl crate::store::ScopeStore for $store {
            async fn scopes(&self, connector: Option<&str>) -> Result<Vec<ScopeRow>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading scopes"))?;
                let only = connector.map(|c| [c]);
                let rows = Self::scope_rows(&mut tx, only.as_ref().map(|c| c.as_slice())).await?;
                if let Some(c) = connector.filter(|_| rows.is_empty()) {
                    Self::gate_in(&mut tx, c).await?; // NotFound for an unknown connector
                }
                Ok(rows)
            }

            async fn change_gating(&self, change: &GatingChange, actor: &str) -> Result<GatingOutcome> {
                let mut tx = self.begin_write().await?;
                let mut connectors: Vec<&str> = change.scopes.iter().map(|s| s.connector.as_str()).collect();
                connectors.sort();
                connectors.dedup();
                let mut rows = Vec::new();
                for chunk in connectors.chunks(BATCH) {
                    rows.extend(Self::scope_rows(&mut tx, Some(chunk)).await?);
                }
                for c in &connectors {
                    if !rows.iter().any(|r| r.connector == *c) {
                        Self::gate_in(&mut tx, c).await?;
                    }
                }
                let index: HashMap<(&str, &str), &ScopeRow> = rows.iter().map(|r| ((r.connector.as_str(), r.name.as_str()), r)).collect();
                let current: Vec<Option<&ScopeRow>> = change.scopes.iter().map(|s| index.get(&(s.connector.as_str(), s.scope.as_str())).copied()).collect();
                let types = Self::type_states(&mut tx).await?;
                let states: Vec<sc::TypeState> = types.iter().map(|(slug, retired)| sc::TypeState { slug, retired: *retired }).collect();
                let known = |c: &str| rows.iter().filter(|r| r.connector == c).map(|r| r.name.clone()).collect();
                let planned = sc::plan(change, &current, &states, known)?;
                let (todo, same): (Vec<_>, Vec<_>) = planned.into_iter().partition(|p| p.after != sc::GatingValue::of(p.row));
                let mut outcome = GatingOutcome { changed: todo.len() as u32, unchanged: same.len() as u32, ..Default::default() };
                if todo.is_empty() {
                    tx.rollback().await.map_err(E::db("ending a change with nothing to do"))?;
                    return Ok(outcome);
                }
                let now = chrono::Utc::now();
                let reason = change.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
                for chunk in todo.chunks(BATCH / 10) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO scope_gating (provider_slug, scope_name, requires_firearm, firearm_type, reason, version, changed_by, changed_at, suggestion_dismissed) ",
                    );
                    q.push_values(chunk, |mut b, p| {
                        let why = if matches!(change.op, sc::GatingOp::Dismiss) { p.row.reason.as_deref() } else { reason };
                        b.push_bind(&p.row.connector)
                            .push_bind(&p.row.name)
                            .push_bind(p.after.gating_override)
                            .push_bind(p.after.firearm_type.as_deref())
                            .push_bind(why)
                            .push_bind(p.row.version + 1)
                            .push_bind(actor)
                            .push_bind(now)
                            .push_bind(p.after.dismissed);
                    });
                    q.push(
                        " ON CONFLICT (provider_slug, scope_name) DO UPDATE SET requires_firearm = excluded.requires_firearm, \
                         firearm_type = excluded.firearm_type, reason = excluded.reason, version = excluded.version, \
                         changed_by = excluded.changed_by, changed_at = excluded.changed_at, suggestion_dismissed = excluded.suggestion_dismissed \
                         WHERE scope_gating.version = excluded.version - 1 RETURNING provider_slug, scope_name",
                    );
                    let written: Vec<(String, String)> = q.build_query_as().fetch_all(&mut *tx).await.map_err(E::db("writing scope gating"))?;
                    if written.len() != chunk.len() {
                        let what = chunk
                            .iter()
                            .filter(|p| !written.iter().any(|(c, s)| *c == p.row.connector && *s == p.row.name))
                            .map(|p| format!("{}/{}", p.row.connector, p.row.name))
                            .collect();
                        return Err(E::Conflict { what });
                    }
                }
                let single = (connectors.len() == 1).then(|| connectors[0]);
                let state = |p: &sc::Planned, after: bool| {
                    let (gated, v) = if after { (p.effective_after(), &p.after) } else { (p.row.effective_gated, &sc::GatingValue::of(p.row)) };
                    serde_json::json!({ "connector": p.row.connector, "scope": p.row.name, "gated": gated, "override": v.gating_override, "firearm_type": v.firearm_type, "dismissed": v.dismissed })
                };
                let detail = serde_json::json!({
                    "scopes": todo.len(),
                    "reason": reason,
                    "firearm_type": match &change.op { sc::GatingOp::Gate { firearm_type } | sc::GatingOp::SetType { firearm_type } => firearm_type.clone(), _ => None },
                });
                let before = todo.iter().map(|p| state(p, false)).collect();
                let after = todo.iter().map(|p| state(p, true)).collect();
                let action = change.op.audit_action();
                Self::audit_json(&mut tx, actor, action, single, detail, Some(before), Some(after)).await?;
                outcome.sent_back = Self::send_back(&mut tx, actor, &todo, action).await?;
                let mut regated: Vec<String> = todo.iter().filter(|p| p.effective_after() != p.row.effective_gated).map(|p| p.row.connector.clone()).collect();
                regated.sort();
                regated.dedup();
                outcome.regated = regated;
                tx.commit().await.map_err(E::db("committing the gating change"))?;
                Ok(outcome)
            }

            async fn firearm_types(&self) -> Result<Vec<FirearmType>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading firearm types"))?;
                let rows: Vec<(String, String, String, String, bool, i64)> =
                    sqlx::query_as("SELECT slug, name, description, risk_level, retired, version FROM firearm_types ORDER BY retired, name")
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(E::db("reading firearm types"))?;
                let mut usage: HashMap<String, Vec<TypeUsage>> = HashMap::new();
                for (t, u) in Self::type_usage(&mut tx, None).await? {
                    usage.entry(t).or_default().push(u);
                }
                Ok(rows.into_iter().map(|r| { let u = usage.remove(&r.0).unwrap_or_default(); crate::sql_scopes::firearm_type(r, u) }).collect())
            }

            async fn change_firearm_type(&self, op: &FirearmOp, actor: &str) -> Result<Option<FirearmType>> {
                let mut tx = self.begin_write().await?;
                let slug = op.slug();
                let before = Self::one_type(&mut tx, slug).await?;
                let known = Self::type_states(&mut tx).await?;
                let kind = crate::slug_registry::Kind::FirearmType;
                let current = before.as_ref().map(|t| t.version);
                let expect = |version: i64| kind.expect_version(slug, current, version, known.iter().map(|(s, _)| s.as_str()));
                match op {
                    FirearmOp::Add { fields, .. } => {
                        fa::check_type_slug(slug)?;
                        let f = fa::check_type_fields(fields)?;
                        kind.expect_absent(slug, current)?;
                        sqlx::query("INSERT INTO firearm_types (slug, name, description, risk_level, retired, version) VALUES ($1, $2, $3, $4, $5, 0)")
                            .bind(slug).bind(&f.name).bind(&f.description).bind(f.risk_level.as_str()).bind(false)
                            .execute(&mut *tx).await.map_err(E::db("adding a firearm type"))?;
                    }
                    FirearmOp::Update { version, fields, .. } => {
                        expect(*version)?;
                        let f = fa::check_type_fields(fields)?;
                        sqlx::query("UPDATE firearm_types SET name = $1, description = $2, risk_level = $3, version = version + 1 WHERE slug = $4")
                            .bind(&f.name).bind(&f.description).bind(f.risk_level.as_str()).bind(slug)
                            .execute(&mut *tx).await.map_err(E::db("updating a firearm type"))?;
                    }
                    FirearmOp::Retire { version, .. } | FirearmOp::Restore { version, .. } => {
                        expect(*version)?;
                        sqlx::query("UPDATE firearm_types SET retired = $1, version = version + 1 WHERE slug = $2")
                            .bind(matches!(op, FirearmOp::Retire { .. })).bind(slug)
                            .execute(&mut *tx).await.map_err(E::db("retiring a firearm type"))?;
                    }
                    FirearmOp::Delete { version, .. } => {
                        expect(*version)?;
                        if let Some(t) = before.as_ref().filter(|t| !t.usage.is_empty()) {
                            return Err(E::FirearmTypeInUse { slug: slug.to_string(), usage: t.usage.clone() });
                        }
                        sqlx::query("DELETE FROM firearm_types WHERE slug = $1").bind(slug)
                            .execute(&mut *tx).await.map_err(E::db("deleting a firearm type"))?;
                    }
                }
                let after = Self::one_type(&mut tx, slug).await?;
                let json = |t: &Option<FirearmType>| t.as_ref().map(|t| serde_json::json!({ "name": t.name, "description": t.description, "risk_level": t.risk_level, "retired": t.retired }));
                Self::audit_json(&mut tx, actor, op.audit_action(), None, serde_json::json!({ "firearm_type": slug }), json(&before), json(&after)).await?;
                tx.commit().await.map_err(E::db("committing the firearm type change"))?;
                Ok(after)
            }
        }
    };
}

pub(crate) use scopes_sql;

/// Every scope of the registered connectors (removed ones excepted) with its operator gating.
pub(crate) const SCOPES_SQL: &str =
    "SELECT s.provider_slug, p.status, s.name, s.description, s.requires_firearm,
    g.requires_firearm, g.firearm_type, g.reason, g.changed_by, g.changed_at,
    CAST(COALESCE(g.version, 0) AS BIGINT), COALESCE(g.suggestion_dismissed, FALSE)
  FROM connector_scopes s
  JOIN connector_providers p ON p.slug = s.provider_slug
  LEFT JOIN scope_gating g ON g.provider_slug = s.provider_slug AND g.scope_name = s.name
  WHERE p.status <> 'removed'";

pub(crate) fn firearm_type(
    (slug, name, description, risk, retired, version): (String, String, String, String, bool, i64),
    usage: Vec<crate::firearms::TypeUsage>,
) -> crate::firearms::FirearmType {
    crate::firearms::FirearmType {
        slug,
        name,
        description,
        risk_level: crate::firearms::RiskLevel::parse(&risk)
            .unwrap_or(crate::firearms::RiskLevel::High),
        retired,
        version,
        usage,
    }
}
