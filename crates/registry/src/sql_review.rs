//! Review SQL (gate, approve, reject, revoke, audit), written once for both backends like `sql.rs`.

macro_rules! review_sql {
    ($store:ident, $db:ty) => {
        use crate::review::{Action, Approval, ApproveRequest, AuditEntry, Gate};

        impl $store {
            async fn write_problems(tx: &mut Tx, input: &SyncInput) -> Result<()> {
                crate::tables::manifest_problems::replace(&mut crate::db::Conn::from(&mut **tx), &input.problems).await
            }

            async fn gate_in(tx: &mut Tx, slug: &str) -> Result<Gate> {
                crate::tables::gate::read(&mut crate::db::Conn::from(&mut **tx), slug).await
            }

            async fn audit_in(tx: &mut Tx, actor: &str, action: &str, slug: &str, detail: serde_json::Value, before: Status, after: Status) -> Result<()> {
                let mut conn = crate::db::Conn::from(&mut **tx);
                crate::tables::audit_log::append_status(&mut conn, actor, action, slug, detail, (before, after)).await
            }

            async fn audit_json(
                tx: &mut Tx,
                actor: &str,
                action: &str,
                slug: Option<&str>,
                detail: serde_json::Value,
                before: Option<serde_json::Value>,
                after: Option<serde_json::Value>,
            ) -> Result<()> {
                let entry = crate::tables::audit_log::NewEntry { actor, action, slug, detail: Some(detail), before, after };
                crate::tables::audit_log::append(&mut crate::db::Conn::from(&mut **tx), entry).await
            }

            async fn back_to_draft(tx: &mut Tx, actor: &str, slugs: Vec<String>, action: &str, reason: &str) -> Result<Vec<String>> {
                crate::tables::providers::back_to_draft(&mut crate::db::Conn::from(&mut **tx), actor, slugs, action, reason).await
            }

            async fn set_status(tx: &mut Tx, slug: &str, status: Status, reason: Option<&str>) -> Result<()> {
                crate::tables::providers::set_status(&mut crate::db::Conn::from(&mut **tx), slug, status, reason).await
            }
        }

        impl crate::store::ReviewStore for $store {
            async fn gate(&self, slug: &str) -> Result<Gate> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading the gate"))?;
                Self::gate_in(&mut tx, slug).await
            }

            async fn approve(&self, requests: &[ApproveRequest], actor: &str) -> Result<Vec<Approval>> {
                let mut tx = self.begin_write().await?;
                let (mut refused, mut approvals) = (Vec::new(), Vec::new());
                for r in requests {
                    let gate = Self::gate_in(&mut tx, &r.slug).await?;
                    if Action::Approve.transition(gate.status).is_none() {
                        return Err(E::WrongStatus { slug: r.slug.clone(), action: "approve", status: gate.status.as_str() });
                    }
                    if let Some(expected) = r.expected_hash.as_ref().filter(|h| **h != gate.manifest_hash) {
                        return Err(E::HashMismatch { slug: r.slug.clone(), expected: expected.clone(), actual: gate.manifest_hash });
                    }
                    if !gate.passes() {
                        refused.push(gate);
                        continue;
                    }
                    let (old, _) = Self::load_old(&mut tx, &[r.slug.as_str()]).await?;
                    let approval = Approval { slug: r.slug.clone(), approved_by: actor.to_string(), approved_at: chrono::Utc::now(), manifest_hash: gate.manifest_hash.clone() };
                    sqlx::query(
                        "INSERT INTO connector_approvals (provider_slug, approved_by, approved_at, manifest_hash, manifest_snapshot) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (provider_slug) DO UPDATE SET approved_by = excluded.approved_by, approved_at = excluded.approved_at, \
                         manifest_hash = excluded.manifest_hash, manifest_snapshot = excluded.manifest_snapshot",
                    )
                    .bind(&approval.slug)
                    .bind(&approval.approved_by)
                    .bind(approval.approved_at)
                    .bind(&approval.manifest_hash)
                    .bind(Json(&old[&r.slug]))
                    .execute(&mut *tx)
                    .await
                    .map_err(E::db("recording the approval"))?;
                    Self::set_status(&mut tx, &r.slug, Status::Approved, None).await?;
                    Self::audit_in(&mut tx, actor, "operator.approved", &r.slug, serde_json::json!({ "manifest_hash": gate.manifest_hash }), gate.status, Status::Approved).await?;
                    approvals.push(approval);
                }
                if !refused.is_empty() {
                    // One confirmation covers the batch: all of it is approved, or none.
                    return Err(E::GateRefused { gates: refused });
                }
                tx.commit().await.map_err(E::db("committing the approval"))?;
                Ok(approvals)
            }

            async fn decide(&self, slug: &str, action: Action, actor: &str, reason: &str) -> Result<()> {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(E::ReasonRequired { action: action.as_str() });
                }
                let mut tx = self.begin_write().await?;
                let gate = Self::gate_in(&mut tx, slug).await?;
                let to = action.transition(gate.status).filter(|_| action != Action::Approve).ok_or(E::WrongStatus {
                    slug: slug.to_string(),
                    action: action.as_str(),
                    status: gate.status.as_str(),
                })?;
                Self::set_status(&mut tx, slug, to, Some(reason)).await?;
                if action == Action::Revoke {
                    sqlx::query("DELETE FROM connector_approvals WHERE provider_slug = $1").bind(slug).execute(&mut *tx).await.map_err(E::db("revoking the approval"))?;
                }
                let name = if action == Action::Reject { "operator.rejected" } else { "operator.revoked" };
                Self::audit_in(&mut tx, actor, name, slug, serde_json::json!({ "reason": reason }), gate.status, to).await?;
                tx.commit().await.map_err(E::db("committing the decision"))
            }

            async fn audit(&self, slug: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
                let sql = "SELECT id, at, actor, action, provider_slug, detail, before_json, after_json FROM audit_log \
                           WHERE ($1 IS NULL OR provider_slug = $1) ORDER BY id DESC LIMIT $2";
                let rows = sqlx::query(sql).bind(slug).bind(limit).fetch_all(&self.pool).await.map_err(E::db("reading the audit log"))?;
                rows.iter()
                    .map(|r| {
                        let json = |i: usize| r.try_get::<Option<Json<serde_json::Value>>, _>(i).map(|v| v.map(|j| j.0));
                        Ok(AuditEntry {
                            id: r.try_get(0)?,
                            at: r.try_get(1)?,
                            actor: r.try_get(2)?,
                            action: r.try_get(3)?,
                            provider_slug: r.try_get(4)?,
                            detail: json(5)?,
                            before: json(6)?,
                            after: json(7)?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .map_err(E::db("decoding the audit log"))
            }
        }
    };
}

pub(crate) use review_sql;
