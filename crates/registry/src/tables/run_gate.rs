//! Before a connector's keys leave the keyring: the facts `run::may_run` judges, read in the
//! same write transaction as the audit entry, so a refusal is recorded as surely as a run.

use crate::db::{query, Conn};
use crate::error::{RegistryError as E, Result};
use crate::model::Status;
use crate::run::{may_run, RunFacts, RunMode};
use crate::store::Registry;
use crate::tables::audit_log::{self, NewEntry};
use serde_json::json;

#[derive(sqlx::FromRow)]
struct Row {
    status: String,
    fingerprint: String,
    approved: Option<String>,
}

impl Registry {
    /// Allows or refuses giving `slug` its keys now that its files on disk have fingerprint
    /// `on_disk`. A refusal is audited here (`vault.exec_refused`); a run, once its keys are
    /// read, by `record_run`.
    pub async fn check_run(
        &self,
        slug: &str,
        on_disk: &str,
        mode: RunMode,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let facts = facts(&mut conn, slug, on_disk).await?;
        let verdict = may_run(slug, &facts, mode);
        let reason = match &verdict {
            Ok(()) => return tx.rollback("checking a run").await,
            Err(E::RunRefused { reason, .. }) => Some(reason.as_str()),
            Err(_) => None,
        };
        let detail = (mode, on_disk, reason);
        audit_log::append(
            &mut conn,
            run_entry(actor, "vault.exec_refused", slug, detail),
        )
        .await?;
        tx.commit("recording the refusal").await?;
        verdict
    }

    /// `may_run` for an approved run, without an audit entry: the gateway checks before each
    /// call and writes the call's receipt itself.
    pub async fn may_run_now(&self, slug: &str, on_disk: &str) -> Result<()> {
        let op = "reading the connector to run";
        let mut pooled = self.db().acquire(op).await?;
        let facts = facts(&mut pooled.conn(), slug, on_disk).await?;
        may_run(slug, &facts, RunMode::Approved)
    }

    /// Records a run whose keys were handed over (`vault.exec`, `vault.exec_draft`).
    pub async fn record_run(
        &self,
        slug: &str,
        on_disk: &str,
        mode: RunMode,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.db().begin_write().await?;
        let detail = (mode, on_disk, None);
        let entry = run_entry(actor, mode.audit_action(), slug, detail);
        audit_log::append(&mut tx.conn(), entry).await?;
        tx.commit("recording the run").await
    }
}

/// What `may_run` judges, read on `conn`.
async fn facts(conn: &mut Conn<'_>, slug: &str, on_disk: &str) -> Result<RunFacts> {
    let row: Row = query(
        "SELECT p.status, p.fingerprint, a.fingerprint AS approved FROM connector_providers p \
         LEFT JOIN connector_approvals a ON a.provider_slug = p.slug WHERE p.slug = $1",
    )
    .bind(slug)
    .fetch_optional(conn.reborrow())
    .await
    .map_err(E::db("reading the connector to run"))?
    .ok_or_else(|| E::NotFound {
        slug: slug.to_string(),
    })?;
    Ok(RunFacts {
        status: Status::parse(&row.status).unwrap_or(Status::Draft),
        registered: row.fingerprint,
        approved: row.approved,
        on_disk: on_disk.to_string(),
    })
}

fn run_entry<'a>(
    actor: &'a str,
    action: &'a str,
    slug: &'a str,
    (mode, on_disk, reason): (RunMode, &str, Option<&str>),
) -> NewEntry<'a> {
    NewEntry {
        actor,
        action,
        slug: Some(slug),
        detail: Some(json!({
            "draft": mode == RunMode::Draft,
            "fingerprint": on_disk,
            "reason": reason,
        })),
        before: None,
        after: None,
    }
}
