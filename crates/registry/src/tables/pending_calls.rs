//! `pending_calls`: a tool call whose policy is `ask`, waiting for a person (in the app, or
//! `sentinel mcp answer`, on this machine or, in team mode, another). The gateway opens the row,
//! polls it, and closes it as `timeout` when nobody answered in time.

use crate::db::{query, Conn};
use crate::error::{RegistryError as E, Result};
use crate::gateway::Answer;
use crate::store::Registry;
use crate::tables::audit_log::{self, NewEntry};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::types::Json;

/// A call that asked a person, as the app and `sentinel mcp pending` show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PendingCall {
    pub id: i64,
    pub connector: String,
    pub operation: String,
    pub scope: String,
    pub firearm_type: Option<String>,
    /// The call's arguments while it waits; cleared once answered.
    pub arguments: Option<Value>,
    pub client: Option<String>,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub answer: Option<Answer>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// What the gateway knows when it asks.
pub struct NewPendingCall<'a> {
    pub connector: &'a str,
    pub operation: &'a str,
    pub scope: &'a str,
    pub firearm_type: Option<&'a str>,
    pub arguments: &'a Value,
    pub client: Option<&'a str>,
    pub requested_by: &'a str,
    pub timeout: chrono::Duration,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    provider_slug: String,
    operation: String,
    scope_name: String,
    firearm_type: Option<String>,
    arguments: Option<Json<Value>>,
    client: Option<String>,
    requested_by: String,
    requested_at: DateTime<Utc>,
    deadline: DateTime<Utc>,
    answer: Option<String>,
    answered_by: Option<String>,
    answered_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "SELECT id, provider_slug, operation, scope_name, firearm_type, arguments, \
    client, requested_by, requested_at, deadline, answer, answered_by, answered_at \
    FROM pending_calls";

fn pending(r: Row) -> PendingCall {
    PendingCall {
        id: r.id,
        connector: r.provider_slug,
        operation: r.operation,
        scope: r.scope_name,
        firearm_type: r.firearm_type,
        arguments: r.arguments.map(|j| j.0),
        client: r.client,
        requested_by: r.requested_by,
        requested_at: r.requested_at,
        deadline: r.deadline,
        answer: r.answer.as_deref().and_then(Answer::parse),
        answered_by: r.answered_by,
        answered_at: r.answered_at,
    }
}

async fn one(conn: &mut Conn<'_>, id: i64, op: &'static str) -> Result<PendingCall> {
    let mut q = query(COLUMNS);
    q.push(" WHERE id = ").push_bind(id);
    q.fetch_optional::<Row>(conn.reborrow())
        .await
        .map_err(E::db(op))?
        .map(pending)
        .ok_or(E::NoPendingCall { id })
}

impl Registry {
    /// Opens a call that waits for a person; its deadline is `timeout` from now.
    pub async fn open_pending_call(&self, call: NewPendingCall<'_>) -> Result<PendingCall> {
        let op = "asking a person about a tool call";
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let now = Utc::now();
        #[derive(sqlx::FromRow)]
        struct Id {
            id: i64,
        }
        let id: Id = query(
            "INSERT INTO pending_calls (provider_slug, operation, scope_name, firearm_type, \
             arguments, client, requested_by, requested_at, deadline) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(call.connector)
        .bind(call.operation)
        .bind(call.scope)
        .bind(call.firearm_type)
        .bind(call.arguments)
        .bind(call.client)
        .bind(call.requested_by)
        .bind(now)
        .bind(now + call.timeout)
        .fetch_one(conn.reborrow())
        .await
        .map_err(E::db(op))?;
        let row = one(&mut conn, id.id, op).await?;
        tx.commit(op).await?;
        Ok(row)
    }

    /// The calls waiting for an answer (before their deadline), oldest first.
    pub async fn pending_calls(&self) -> Result<Vec<PendingCall>> {
        let op = "reading the calls waiting for an answer";
        let mut pooled = self.db().acquire(op).await?;
        let mut q = query(COLUMNS);
        q.push(" WHERE answer IS NULL AND deadline > ")
            .push_bind(Utc::now())
            .push(" ORDER BY id");
        let rows: Vec<Row> = q.fetch_all(pooled.conn()).await.map_err(E::db(op))?;
        Ok(rows.into_iter().map(pending).collect())
    }

    /// One call, answered or not.
    pub async fn pending_call(&self, id: i64) -> Result<PendingCall> {
        let op = "reading a call that asked";
        let mut pooled = self.db().acquire(op).await?;
        one(&mut pooled.conn(), id, op).await
    }

    /// A person's answer (`allow` or `deny`; `timeout` is the gateway's, see `close_pending_call`).
    /// Refused when the call was already answered or its deadline passed. The arguments are
    /// cleared and the answer audited (`mcp.call_answered`).
    pub async fn answer_pending_call(
        &self,
        id: i64,
        answer: Answer,
        actor: &str,
    ) -> Result<PendingCall> {
        let op = "answering a tool call";
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let call = one(&mut conn, id, op).await?;
        let now = Utc::now();
        if let Some(given) = call.answer {
            return Err(E::CallAnswered {
                id,
                answer: given.as_str(),
            });
        }
        if answer == Answer::Timeout || now >= call.deadline {
            return Err(E::CallAnswered {
                id,
                answer: Answer::Timeout.as_str(),
            });
        }
        let call = close(&mut conn, &call, (answer, actor, now), op).await?;
        tx.commit(op).await?;
        Ok(call)
    }

    /// Closes as `timeout` every call past its deadline that nobody closed (its gateway
    /// stopped while it waited), clearing its arguments; one `mcp.calls_expired` audit entry
    /// names them. Returns their ids.
    pub async fn expire_pending_calls(&self, actor: &str) -> Result<Vec<i64>> {
        let op = "closing the calls whose time ran out";
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let now = Utc::now();
        let mut q = query(COLUMNS);
        q.push(" WHERE answer IS NULL AND deadline <= ")
            .push_bind(now);
        let rows: Vec<Row> = q.fetch_all(conn.reborrow()).await.map_err(E::db(op))?;
        if rows.is_empty() {
            tx.rollback(op).await?;
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        query(
            "UPDATE pending_calls SET answer = 'timeout', answered_by = $1, answered_at = $2, \
             arguments = NULL WHERE answer IS NULL AND deadline <= $2",
        )
        .bind(actor)
        .bind(now)
        .execute(conn.reborrow())
        .await
        .map_err(E::db(op))?;
        let entry = NewEntry {
            actor,
            action: "mcp.calls_expired",
            slug: None,
            detail: Some(json!({ "pending_ids": ids })),
            before: None,
            after: None,
        };
        audit_log::append(&mut conn, entry).await?;
        tx.commit(op).await?;
        Ok(ids)
    }

    /// The gateway's end of the wait: `timeout` if nobody answered, else the answer given
    /// (a person may have answered a moment before).
    pub async fn close_pending_call(&self, id: i64, actor: &str) -> Result<PendingCall> {
        let op = "closing a call nobody answered";
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let call = one(&mut conn, id, op).await?;
        if call.answer.is_some() {
            tx.rollback(op).await?;
            return Ok(call);
        }
        let call = close(&mut conn, &call, (Answer::Timeout, actor, Utc::now()), op).await?;
        tx.commit(op).await?;
        Ok(call)
    }
}

async fn close(
    conn: &mut Conn<'_>,
    call: &PendingCall,
    (answer, actor, now): (Answer, &str, DateTime<Utc>),
    op: &'static str,
) -> Result<PendingCall> {
    query(
        "UPDATE pending_calls SET answer = $1, answered_by = $2, answered_at = $3, \
         arguments = NULL WHERE id = $4 AND answer IS NULL",
    )
    .bind(answer.as_str())
    .bind(actor)
    .bind(now)
    .bind(call.id)
    .execute(conn.reborrow())
    .await
    .map_err(E::db(op))?;
    let entry = NewEntry {
        actor,
        action: "mcp.call_answered",
        slug: Some(&call.connector),
        detail: Some(json!({
            "pending_id": call.id,
            "tool": call.operation,
            "answer": answer,
        })),
        before: None,
        after: None,
    };
    audit_log::append(conn, entry).await?;
    one(conn, call.id, op).await
}
