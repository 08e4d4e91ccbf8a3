//! `scope_gating`: an admin's gating of each scope (override, firearm type, reason), beside the
//! declared value the sentinel owns. `scopes.rs` plans a change; this module reads and writes.

use crate::db::{query, Arg, Conn, BATCH};
use crate::error::{RegistryError as E, Result};
use crate::firearms::FirearmType;
use crate::model::Status;
use crate::scopes::{self as sc, EntryState, GatingChange, GatingOutcome, ScopeRow};
use crate::store::Registry;
use crate::tables::{audit_log, gate, in_list_tail, providers, slug_entries, versioned};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct Row {
    connector: String,
    status: String,
    name: String,
    description: Option<String>,
    declared_gated: bool,
    gating_override: Option<bool>,
    firearm_type: Option<String>,
    reason: Option<String>,
    changed_by: Option<String>,
    changed_at: Option<DateTime<Utc>>,
    version: i64,
    suggestion_dismissed: bool,
}

/// Every scope of the registered connectors (removed ones excepted) with its admin gating.
const SCOPES_SQL: &str =
    "SELECT s.provider_slug AS connector, p.status AS status, s.name AS name, \
    s.description AS description, s.requires_firearm AS declared_gated, \
    g.requires_firearm AS gating_override, g.firearm_type AS firearm_type, g.reason AS reason, \
    g.changed_by AS changed_by, g.changed_at AS changed_at, \
    CAST(COALESCE(g.version, 0) AS BIGINT) AS version, \
    COALESCE(g.suggestion_dismissed, FALSE) AS suggestion_dismissed \
  FROM connector_scopes s \
  JOIN connector_providers p ON p.slug = s.provider_slug \
  LEFT JOIN scope_gating g ON g.provider_slug = s.provider_slug AND g.scope_name = s.name \
  WHERE p.status <> 'removed'";

/// The scopes of `connectors` (all when None), by connector and position.
async fn rows(conn: &mut Conn<'_>, connectors: Option<&[&str]>) -> Result<Vec<ScopeRow>> {
    let mut q = query(SCOPES_SQL);
    if let Some(slugs) = connectors {
        in_list_tail(&mut q, " AND s.provider_slug IN (", slugs);
    }
    q.push(" ORDER BY s.provider_slug, s.position");
    let rows: Vec<Row> = q
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db("reading scopes"))?;
    Ok(rows.into_iter().map(scope_row).collect())
}

fn scope_row(r: Row) -> ScopeRow {
    let mut row = ScopeRow {
        connector: r.connector,
        connector_status: Status::parse(&r.status).unwrap_or(Status::Draft),
        name: r.name,
        description: r.description,
        declared_gated: r.declared_gated,
        gating_override: r.gating_override,
        effective_gated: r.gating_override.unwrap_or(r.declared_gated),
        firearm_type: r.firearm_type,
        reason: r.reason,
        changed_by: r.changed_by,
        changed_at: r.changed_at,
        version: r.version,
        suggestion_dismissed: r.suggestion_dismissed,
        suggestion: None,
    };
    row.suggestion = row.suggestion();
    row
}

impl Registry {
    /// Every scope of one connector, or of all registered connectors, by connector and position.
    pub async fn scopes(&self, connector: Option<&str>) -> Result<Vec<ScopeRow>> {
        let mut tx = self.db().begin("reading scopes").await?;
        let mut conn = tx.conn();
        let only = connector.map(|c| [c]);
        let rows = rows(&mut conn, only.as_ref().map(|c| c.as_slice())).await?;
        if let Some(c) = connector.filter(|_| rows.is_empty()) {
            gate::read(&mut conn, c).await?; // NotFound for an unknown connector
        }
        Ok(rows)
    }

    /// Applies a batch in one transaction with one audit entry, or nothing (compare-and-set on
    /// each scope's version). Approved connectors whose risk changes go back to draft.
    pub async fn change_gating(&self, change: &GatingChange, actor: &str) -> Result<GatingOutcome> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let mut connectors: Vec<&str> = (change.scopes.iter())
            .map(|s| s.connector.as_str())
            .collect();
        connectors.sort();
        connectors.dedup();
        let mut current_rows = Vec::new();
        for chunk in connectors.chunks(BATCH) {
            current_rows.extend(rows(&mut conn, Some(chunk)).await?);
        }
        for c in &connectors {
            if !current_rows.iter().any(|r| r.connector == *c) {
                gate::read(&mut conn, c).await?;
            }
        }
        let index: HashMap<(&str, &str), &ScopeRow> = (current_rows.iter())
            .map(|r| ((r.connector.as_str(), r.name.as_str()), r))
            .collect();
        let current: Vec<Option<&ScopeRow>> = (change.scopes.iter())
            .map(|s| {
                index
                    .get(&(s.connector.as_str(), s.scope.as_str()))
                    .copied()
            })
            .collect();
        let types = slug_entries::states::<FirearmType>(&mut conn).await?;
        let states: Vec<EntryState> = types.iter().map(EntryState::from).collect();
        let known = |c: &str| {
            (current_rows.iter())
                .filter(|r| r.connector == c)
                .map(|r| r.name.clone())
                .collect()
        };
        let planned = sc::plan(change, &current, &states, known)?;
        let (todo, same): (Vec<_>, Vec<_>) =
            (planned.into_iter()).partition(|p| p.after != sc::GatingValue::of(p.row));
        let mut outcome = GatingOutcome {
            changed: todo.len() as u32,
            unchanged: same.len() as u32,
            ..Default::default()
        };
        if todo.is_empty() {
            tx.rollback("ending a change with nothing to do").await?;
            return Ok(outcome);
        }
        write(&mut conn, change, &todo, actor).await?;
        let action = change.op.audit_action();
        let single = (connectors.len() == 1).then(|| connectors[0]);
        record(&mut conn, change, &todo, (actor, action, single)).await?;
        let sent_back = sc::sent_back(&todo);
        let reason = format!("back to review: scope gating changed ({action})");
        outcome.sent_back =
            providers::back_to_draft(&mut conn, actor, sent_back, "scopes.back_to_draft", &reason)
                .await?;
        outcome.regated = sc::regated(&todo);
        tx.commit("committing the gating change").await?;
        Ok(outcome)
    }
}

const GATING: versioned::Upsert = versioned::Upsert {
    head: "INSERT INTO scope_gating (provider_slug, scope_name, requires_firearm, firearm_type, \
           reason, version, changed_by, changed_at, suggestion_dismissed) VALUES ",
    tail: " ON CONFLICT (provider_slug, scope_name) DO UPDATE SET \
           requires_firearm = excluded.requires_firearm, firearm_type = excluded.firearm_type, \
           reason = excluded.reason, version = excluded.version, \
           changed_by = excluded.changed_by, changed_at = excluded.changed_at, \
           suggestion_dismissed = excluded.suggestion_dismissed \
           WHERE scope_gating.version = excluded.version - 1 \
           RETURNING provider_slug, scope_name AS item",
    doing: "writing scope gating",
};

fn gating_key<'p>(p: &'p sc::Planned<'_>) -> (&'p str, &'p str) {
    (&p.row.connector, &p.row.name)
}

/// Writes the planned values, each only if its version is still the one read (else a conflict).
async fn write(
    conn: &mut Conn<'_>,
    change: &GatingChange,
    todo: &[sc::Planned<'_>],
    actor: &str,
) -> Result<()> {
    let now = Utc::now();
    let reason = change.reason();
    versioned::upsert(conn, &GATING, todo, gating_key, |p| {
        // Dismissing a suggestion keeps the reason the scope already had.
        let why = match change.op {
            sc::GatingOp::Dismiss => p.row.reason.as_deref(),
            _ => reason,
        };
        vec![
            Arg::from(&p.row.connector),
            Arg::from(&p.row.name),
            Arg::from(p.after.gating_override),
            Arg::from(p.after.firearm_type.as_deref()),
            Arg::from(why),
            Arg::from(p.row.version + 1),
            Arg::from(actor),
            Arg::from(now),
            Arg::from(p.after.dismissed),
        ]
    })
    .await
}

/// The one audit entry of a change: every scope before and after.
async fn record(
    conn: &mut Conn<'_>,
    change: &GatingChange,
    todo: &[sc::Planned<'_>],
    who: (&str, &str, Option<&str>),
) -> Result<()> {
    let firearm_type = match &change.op {
        sc::GatingOp::Gate { firearm_type } | sc::GatingOp::SetType { firearm_type } => {
            firearm_type.clone()
        }
        _ => None,
    };
    let detail = json!({ "scopes": todo.len(), "reason": change.reason(),
                         "firearm_type": firearm_type });
    audit_log::append_batch(conn, who, detail, todo, |p, after| {
        let before = sc::GatingValue::of(p.row);
        let (gated, v) = match after {
            true => (p.effective_after(), &p.after),
            false => (p.row.effective_gated, &before),
        };
        json!({ "connector": p.row.connector, "scope": p.row.name, "gated": gated,
                "override": v.gating_override, "firearm_type": v.firearm_type,
                "dismissed": v.dismissed })
    })
    .await
}
