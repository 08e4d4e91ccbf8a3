//! `tool_policies`: an admin's allow, ask or block per tool, and the tools the gateway serves
//! (every operation of every connector approved at its registered fingerprint).

use crate::db::query;
use crate::error::{RegistryError as E, Result};
use crate::gateway::{effective_policy, Policy};
use crate::store::Registry;
use crate::tables::audit_log::{self, NewEntry};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::types::Json;

/// One tool as the gateway publishes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ServedTool {
    pub connector: String,
    pub operation: String,
    pub description: Option<String>,
    pub input_schema: Option<Value>,
    pub scope: String,
    /// The scope's gating in effect (the admin's override, else the manifest's).
    pub gated: bool,
    pub firearm_type: Option<String>,
    /// The policy in force, and whether an admin set it.
    pub policy: Policy,
    pub policy_set: bool,
    /// The fingerprint the connector was approved at (and registered with).
    pub fingerprint: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    connector: String,
    operation: String,
    description: Option<String>,
    input_schema: Option<Json<Value>>,
    scope: String,
    declared_gated: Option<bool>,
    gating_override: Option<bool>,
    firearm_type: Option<String>,
    policy: Option<String>,
    fingerprint: String,
}

/// Every operation with its scope's gating and its policy; `SERVED_TAIL` keeps those of
/// approved connectors whose approval is for the registered fingerprint.
const TOOLS_SQL: &str = "SELECT o.provider_slug AS connector, o.name AS operation, \
    o.description AS description, o.input_schema AS input_schema, o.scope_name AS scope, \
    s.requires_firearm AS declared_gated, g.requires_firearm AS gating_override, \
    g.firearm_type AS firearm_type, t.policy AS policy, p.fingerprint AS fingerprint \
  FROM connector_operations o \
  JOIN connector_providers p ON p.slug = o.provider_slug \
  LEFT JOIN connector_scopes s ON s.provider_slug = o.provider_slug AND s.name = o.scope_name \
  LEFT JOIN scope_gating g ON g.provider_slug = o.provider_slug AND g.scope_name = o.scope_name \
  LEFT JOIN tool_policies t ON t.provider_slug = o.provider_slug AND t.operation = o.name \
  WHERE ($1 IS NULL OR o.provider_slug = $1)";

const SERVED_TAIL: &str =
    " AND p.status = 'approved' AND EXISTS (SELECT 1 FROM connector_approvals a \
    WHERE a.provider_slug = p.slug AND a.fingerprint = p.fingerprint)";

const ORDER: &str = " ORDER BY o.provider_slug, o.position";

fn served(r: Row) -> ServedTool {
    let gated = r.gating_override.or(r.declared_gated).unwrap_or(false);
    let set = r.policy.as_deref().and_then(Policy::parse);
    ServedTool {
        connector: r.connector,
        operation: r.operation,
        description: r.description,
        input_schema: r.input_schema.map(|j| j.0),
        scope: r.scope,
        gated,
        firearm_type: r.firearm_type,
        policy: effective_policy(set, gated),
        policy_set: set.is_some(),
        fingerprint: r.fingerprint,
    }
}

impl Registry {
    /// The tools the gateway serves (blocked ones included, with their policy), by connector
    /// and position; `connector` narrows it to one.
    pub async fn served_tools(&self, connector: Option<&str>) -> Result<Vec<ServedTool>> {
        self.tools(connector, true).await
    }

    /// Every tool of one connector, approved or not, with the policy it has or would have
    /// (the connector page sets policies before an approval too).
    pub async fn tools_of(&self, connector: &str) -> Result<Vec<ServedTool>> {
        self.tools(Some(connector), false).await
    }

    async fn tools(&self, connector: Option<&str>, served_only: bool) -> Result<Vec<ServedTool>> {
        let op = "reading the tools";
        let mut pooled = self.db().acquire(op).await?;
        let mut q = query(TOOLS_SQL).bind(connector);
        if served_only {
            q.push(SERVED_TAIL);
        }
        q.push(ORDER);
        let rows: Vec<Row> = q.fetch_all(pooled.conn()).await.map_err(E::db(op))?;
        Ok(rows.into_iter().map(served).collect())
    }

    /// Sets the policy of one tool of a registered connector (approved or not: a policy can
    /// be set before the approval). `None` goes back to the default. Audited as
    /// `mcp.policy_changed` with the policy in force before and after.
    pub async fn set_tool_policy(
        &self,
        (slug, operation): (&str, &str),
        policy: Option<Policy>,
        actor: &str,
    ) -> Result<(Policy, Policy)> {
        let op = "setting a tool's policy";
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        #[derive(sqlx::FromRow)]
        struct Current {
            gated: Option<bool>,
            policy: Option<String>,
        }
        let current: Option<Current> = query(
            "SELECT COALESCE(g.requires_firearm, s.requires_firearm) AS gated, t.policy AS policy \
             FROM connector_operations o \
             LEFT JOIN connector_scopes s ON s.provider_slug = o.provider_slug AND s.name = o.scope_name \
             LEFT JOIN scope_gating g ON g.provider_slug = o.provider_slug AND g.scope_name = o.scope_name \
             LEFT JOIN tool_policies t ON t.provider_slug = o.provider_slug AND t.operation = o.name \
             WHERE o.provider_slug = $1 AND o.name = $2",
        )
        .bind(slug)
        .bind(operation)
        .fetch_optional(conn.reborrow())
        .await
        .map_err(E::db(op))?;
        let Some(current) = current else {
            return Err(self.unknown_tool(&mut conn, slug, operation).await);
        };
        let gated = current.gated.unwrap_or(false);
        let before = effective_policy(current.policy.as_deref().and_then(Policy::parse), gated);
        let after = effective_policy(policy, gated);
        match policy {
            Some(p) => query(
                "INSERT INTO tool_policies (provider_slug, operation, policy, changed_by, changed_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider_slug, operation) DO UPDATE \
                 SET policy = excluded.policy, changed_by = excluded.changed_by, \
                 changed_at = excluded.changed_at",
            )
            .bind(slug)
            .bind(operation)
            .bind(p.as_str())
            .bind(actor)
            .bind(chrono::Utc::now()),
            None => query("DELETE FROM tool_policies WHERE provider_slug = $1 AND operation = $2")
                .bind(slug)
                .bind(operation),
        }
        .execute(conn.reborrow())
        .await
        .map_err(E::db(op))?;
        // In team mode the database audits it (team_roles.sql), whoever writes.
        let team_mode: Option<bool> = query("SELECT team_mode FROM team_policy WHERE id = 1")
            .scalar_optional(conn.reborrow())
            .await
            .map_err(E::db(op))?;
        if team_mode == Some(true) {
            tx.commit(op).await?;
            return Ok((before, after));
        }
        let entry = NewEntry {
            actor,
            action: "mcp.policy_changed",
            slug: Some(slug),
            detail: Some(json!({ "operation": operation, "default": policy.is_none() })),
            before: Some(json!({ "policy": before })),
            after: Some(json!({ "policy": after })),
        };
        audit_log::append(&mut conn, entry).await?;
        tx.commit(op).await?;
        Ok((before, after))
    }

    /// The error for a tool that does not exist: no such connector, or no such operation (with
    /// the closest name).
    async fn unknown_tool(&self, conn: &mut crate::db::Conn<'_>, slug: &str, operation: &str) -> E {
        #[derive(sqlx::FromRow)]
        struct Name {
            name: String,
        }
        let names: Vec<Name> = match query(
            "SELECT name FROM connector_operations WHERE provider_slug = $1 ORDER BY position",
        )
        .bind(slug)
        .fetch_all(conn.reborrow())
        .await
        {
            Ok(names) => names,
            Err(e) => return E::db("reading operations")(e),
        };
        if names.is_empty() {
            return E::NotFound {
                slug: slug.to_string(),
            };
        }
        E::UnknownOperation {
            connector: slug.to_string(),
            operation: operation.to_string(),
            did_you_mean: godconfig_manifest::diagnostic::did_you_mean(
                operation,
                names.iter().map(|n| n.name.as_str()),
            )
            .map(str::to_string),
        }
    }
}
