//! `audit_log`: every change, who made it and when, with the state before and after.

use crate::db::{query, Conn};
use crate::error::{RegistryError as E, Result};
use crate::model::Status;
use crate::review::AuditEntry;
use crate::tables::audit_chain;
use serde_json::{json, Value};

/// One entry to append. Its time is the writer's clock on SQLite, the server's on PostgreSQL.
pub(crate) struct NewEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub slug: Option<&'a str>,
    pub detail: Option<Value>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub(crate) async fn append(conn: &mut Conn<'_>, e: NewEntry<'_>) -> Result<()> {
    append_as(conn, e, "writing the audit log").await
}

/// The one audit entry of a batch change: `detail`, and each item before and after (`state`
/// of the item, false then true).
pub(crate) async fn append_batch<T>(
    conn: &mut Conn<'_>,
    (actor, action, slug): (&str, &str, Option<&str>),
    detail: Value,
    items: &[T],
    state: impl Fn(&T, bool) -> Value,
) -> Result<()> {
    let entry = NewEntry {
        actor,
        action,
        slug,
        detail: Some(detail),
        before: Some(items.iter().map(|i| state(i, false)).collect()),
        after: Some(items.iter().map(|i| state(i, true)).collect()),
    };
    append(conn, entry).await
}

/// `append`, with `op` naming what was being recorded if it fails.
async fn append_as(conn: &mut Conn<'_>, e: NewEntry<'_>, op: &'static str) -> Result<()> {
    audit_chain::insert(conn, None, std::slice::from_ref(&e), op).await
}

/// An entry for a connector whose status changed from `before` to `after`.
pub(crate) async fn append_status(
    conn: &mut Conn<'_>,
    actor: &str,
    action: &str,
    slug: &str,
    detail: Value,
    (before, after): (Status, Status),
) -> Result<()> {
    let status = |s: Status| Some(json!({ "status": s }));
    let entry = NewEntry {
        actor,
        action,
        slug: Some(slug),
        detail: Some(detail),
        before: status(before),
        after: status(after),
    };
    append(conn, entry).await
}

/// An entry without a connector whose before and after are whole values (a policy); `op` names
/// what was being recorded if it fails.
pub(crate) async fn append_change(
    conn: &mut Conn<'_>,
    (actor, action, op): (&str, &str, &'static str),
    before: &impl serde::Serialize,
    after: &impl serde::Serialize,
) -> Result<()> {
    let to_value = |v: serde_json::Result<Value>| {
        v.map(Some).map_err(|e| E::Database {
            op,
            reason: e.to_string(),
        })
    };
    let entry = NewEntry {
        actor,
        action,
        slug: None,
        detail: None,
        before: to_value(serde_json::to_value(before))?,
        after: to_value(serde_json::to_value(after))?,
    };
    append_as(conn, entry, op).await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: chrono::DateTime<chrono::Utc>,
    actor: String,
    action: String,
    provider_slug: Option<String>,
    detail: Option<sqlx::types::Json<Value>>,
    before_json: Option<sqlx::types::Json<Value>>,
    after_json: Option<sqlx::types::Json<Value>>,
}

impl crate::store::Registry {
    /// Newest first, optionally for one connector.
    pub async fn audit(&self, slug: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_of(slug, None, limit).await
    }

    /// Newest first, optionally for one connector and one action.
    pub async fn audit_of(
        &self,
        slug: Option<&str>,
        action: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let op = "reading the audit log";
        let mut pooled = self.db().acquire(op).await?;
        let rows: Vec<Row> = query(
            "SELECT id, at, actor, action, provider_slug, detail, before_json, after_json \
             FROM audit_log WHERE ($1 IS NULL OR provider_slug = $1) \
             AND ($2 IS NULL OR action = $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(slug)
        .bind(action)
        .bind(limit)
        .fetch_all(pooled.conn())
        .await
        .map_err(E::db(op))?;
        Ok((rows.into_iter())
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                actor: r.actor,
                action: r.action,
                provider_slug: r.provider_slug,
                detail: r.detail.map(|j| j.0),
                before: r.before_json.map(|j| j.0),
                after: r.after_json.map(|j| j.0),
            })
            .collect())
    }
}
