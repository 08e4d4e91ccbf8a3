//! `connector_approvals` and the review actions: approve (with the manifest snapshot), reject
//! and revoke. `review.rs` holds the rules (transitions, the gate); this module applies them.

use crate::db::{query, Conn};
use crate::error::{RegistryError as E, Result};
use crate::model::Status;
use crate::review::{Action, Approval, ApproveRequest, Gate};
use crate::store::Registry;
use crate::tables::{audit_log, gate, manifests, providers};
use serde_json::json;

impl Registry {
    /// The approval gate of one connector.
    pub async fn gate(&self, slug: &str) -> Result<Gate> {
        let op = "reading the gate";
        let mut pooled = self.db().acquire(op).await?;
        gate::read(&mut pooled.conn(), slug).await
    }

    /// Approves every request in one transaction, or none of them.
    pub async fn approve(&self, requests: &[ApproveRequest], actor: &str) -> Result<Vec<Approval>> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let (mut refused, mut approvals) = (Vec::new(), Vec::new());
        for r in requests {
            let gate = gate::read(&mut conn, &r.slug).await?;
            crate::review::check_approvable(&r.slug, &gate, r)?;
            if !gate.passes() {
                refused.push(gate);
                continue;
            }
            approvals.push(record(&mut conn, &gate, actor).await?);
        }
        if !refused.is_empty() {
            // One confirmation covers the batch: all of it is approved, or none.
            return Err(E::GateRefused { gates: refused });
        }
        tx.commit("committing the approval").await?;
        Ok(approvals)
    }

    /// Rejects a draft, or revokes an approval; both need a reason.
    pub async fn decide(
        &self,
        slug: &str,
        action: Action,
        actor: &str,
        reason: &str,
    ) -> Result<()> {
        let reason = crate::review::check_reason(action, reason)?;
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let gate = gate::read(&mut conn, slug).await?;
        let to = crate::review::decision(slug, action, gate.status)?;
        providers::set_status(&mut conn, slug, to, Some(reason)).await?;
        if action == Action::Revoke {
            query("DELETE FROM connector_approvals WHERE provider_slug = $1")
                .bind(slug)
                .execute(conn.reborrow())
                .await
                .map_err(E::db("revoking the approval"))?;
        }
        let detail = json!({ "reason": reason });
        let name = action.audit_action();
        audit_log::append_status(&mut conn, actor, name, slug, detail, (gate.status, to)).await?;
        tx.commit("committing the decision").await
    }
}

/// Records the approval of a connector whose gate passed: the snapshot of its registered
/// manifest, its status, and the audit entry.
async fn record(conn: &mut Conn<'_>, gate: &Gate, actor: &str) -> Result<Approval> {
    let slug = gate.slug.as_str();
    let (mut registered, _) = manifests::load(conn, &[slug]).await?;
    let snapshot = registered.remove(slug).ok_or_else(|| E::NotFound {
        slug: slug.to_string(),
    })?;
    let snapshot = serde_json::to_value(&snapshot).map_err(|e| E::Corrupt {
        op: "recording the approval",
        reason: e.to_string(),
    })?;
    let approval = Approval {
        slug: slug.to_string(),
        approved_by: actor.to_string(),
        approved_at: chrono::Utc::now(),
        manifest_hash: gate.manifest_hash.clone(),
        fingerprint: gate.fingerprint.clone(),
    };
    query(
        "INSERT INTO connector_approvals \
         (provider_slug, approved_by, approved_at, manifest_hash, manifest_snapshot, fingerprint) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (provider_slug) DO UPDATE SET \
         approved_by = excluded.approved_by, approved_at = excluded.approved_at, \
         manifest_hash = excluded.manifest_hash, \
         manifest_snapshot = excluded.manifest_snapshot, fingerprint = excluded.fingerprint",
    )
    .bind(&approval.slug)
    .bind(&approval.approved_by)
    .bind(approval.approved_at)
    .bind(&approval.manifest_hash)
    .bind(snapshot)
    .bind(&approval.fingerprint)
    .execute(conn.reborrow())
    .await
    .map_err(E::db("recording the approval"))?;
    providers::set_status(conn, slug, Status::Approved, None).await?;
    let detail = json!({ "manifest_hash": gate.manifest_hash, "fingerprint": gate.fingerprint });
    let change = (gate.status, Status::Approved);
    audit_log::append_status(conn, actor, "operator.approved", slug, detail, change).await?;
    Ok(approval)
}
