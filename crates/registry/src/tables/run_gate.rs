//! Before a connector's keys leave the keyring: the facts `run::may_run` judges, read in the
//! same write transaction as the audit entry, so a refusal is recorded as surely as a run.

use crate::db::query;
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
    /// `on_disk`; audited either way (`vault.exec`, `vault.exec_draft`, `vault.exec_refused`).
    pub async fn check_run(
        &self,
        slug: &str,
        on_disk: &str,
        mode: RunMode,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
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
        let facts = RunFacts {
            status: Status::parse(&row.status).unwrap_or(Status::Draft),
            registered: row.fingerprint,
            approved: row.approved,
            on_disk: on_disk.to_string(),
        };
        let verdict = may_run(slug, &facts, mode);
        let (action, reason) = match &verdict {
            Ok(()) => (mode.audit_action(), None),
            Err(E::RunRefused { reason, .. }) => ("vault.exec_refused", Some(reason.as_str())),
            Err(_) => ("vault.exec_refused", None),
        };
        let entry = NewEntry {
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
        };
        audit_log::append(&mut conn, entry).await?;
        tx.commit("recording the run").await?;
        verdict
    }
}
