//! Team policy SQL (four-eyes switch, approval expiry), written once for both backends.

pub(crate) const POLICY_SQL: &str =
    "SELECT team_mode, four_eyes, approval_expiry_days, version FROM team_policy WHERE id = 1";

/// Approved connectors with at least one effectively gated scope, and when they were approved.
pub(crate) const EXPIRABLE_SQL: &str = "SELECT a.provider_slug, a.approved_at FROM connector_approvals a \
    JOIN connector_providers p ON p.slug = a.provider_slug \
    WHERE p.status = 'approved' AND EXISTS (SELECT 1 FROM connector_scopes s LEFT JOIN scope_gating g \
        ON g.provider_slug = s.provider_slug AND g.scope_name = s.name \
        WHERE s.provider_slug = p.slug AND COALESCE(g.requires_firearm, s.requires_firearm)) \
    ORDER BY a.provider_slug";

macro_rules! team_sql {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn policy_in<'e, X: sqlx::Executor<'e, Database = $db>>(x: X) -> Result<crate::team::TeamPolicy> {
                let (team_mode, four_eyes, approval_expiry_days, version) = sqlx::query_as(crate::sql_team::POLICY_SQL)
                    .fetch_one(x)
                    .await
                    .map_err(E::db("reading the team policy"))?;
                Ok(crate::team::TeamPolicy { team_mode, four_eyes, approval_expiry_days, version })
            }

            pub async fn team_policy(&self) -> Result<crate::team::TeamPolicy> {
                Self::policy_in(&self.pool).await
            }

            /// Changes the rules (compare-and-set on the policy's version); one audit entry.
            pub async fn set_team_policy(&self, change: &crate::team::PolicyChange, actor: &str) -> Result<crate::team::TeamPolicy> {
                let mut tx = self.begin_write().await?;
                let before = Self::policy_in(&mut *tx).await?;
                if before.version != change.version {
                    return Err(E::Conflict { what: vec!["the team policy".to_string()] });
                }
                let after = change.apply(&before)?;
                sqlx::query("UPDATE team_policy SET four_eyes = $1, approval_expiry_days = $2, version = version + 1 WHERE id = 1")
                    .bind(after.four_eyes)
                    .bind(after.approval_expiry_days)
                    .execute(&mut *tx)
                    .await
                    .map_err(E::db("changing the team policy"))?;
                sqlx::query("INSERT INTO audit_log (at, actor, action, before_json, after_json) VALUES ($1, $2, 'team.policy_changed', $3, $4)")
                    .bind(chrono::Utc::now())
                    .bind(actor)
                    .bind(Json(&before))
                    .bind(Json(&after))
                    .execute(&mut *tx)
                    .await
                    .map_err(E::db("recording the policy change"))?;
                tx.commit().await.map_err(E::db("committing the policy change"))?;
                Ok(after)
            }

            /// With an approval expiry set, approved connectors with gated scopes whose approval is
            /// older go back to draft, each with a `review.expired` audit entry. Returns them.
            pub async fn expire_approvals(&self, now: chrono::DateTime<chrono::Utc>, actor: &str) -> Result<Vec<String>> {
                let Some(days) = Self::policy_in(&self.pool).await?.approval_expiry_days else {
                    return Ok(Vec::new());
                };
                let cutoff = now - chrono::Duration::days(i64::from(days));
                let mut tx = self.begin_write().await?;
                let rows: Vec<(String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(crate::sql_team::EXPIRABLE_SQL)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(E::db("reading approvals"))?;
                let expired: Vec<String> = rows.into_iter().filter(|(_, at)| *at <= cutoff).map(|(slug, _)| slug).collect();
                if expired.is_empty() {
                    // Nothing changed: no commit, so nobody's screens are woken up.
                    tx.rollback().await.map_err(E::db("ending the expiry check"))?;
                    return Ok(expired);
                }
                let reason = format!("approval expired: older than {days} days (team policy); review it again");
                let expired = Self::back_to_draft(&mut tx, actor, expired, "review.expired", &reason).await?;
                tx.commit().await.map_err(E::db("committing expired approvals"))?;
                Ok(expired)
            }
        }
    };
}

pub(crate) use team_sql;
