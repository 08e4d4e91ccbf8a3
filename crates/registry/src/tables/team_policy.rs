//! `team_policy`: the one row of team rules (four-eyes, approval expiry), on both backends.

use crate::db::{query, Conn, Db};
use crate::error::{RegistryError as E, Result};
use crate::store::Registry;
use crate::tables::{audit_log, providers};
use crate::team::{self, PolicyChange, TeamPolicy};
use chrono::{DateTime, Utc};

/// Approved connectors with at least one effectively gated scope, and when they were approved.
const EXPIRABLE_SQL: &str = "SELECT a.provider_slug, a.approved_at FROM connector_approvals a \
    JOIN connector_providers p ON p.slug = a.provider_slug \
    WHERE p.status = 'approved' AND EXISTS (SELECT 1 FROM connector_scopes s \
        LEFT JOIN scope_gating g ON g.provider_slug = s.provider_slug AND g.scope_name = s.name \
        WHERE s.provider_slug = p.slug AND COALESCE(g.requires_firearm, s.requires_firearm)) \
    ORDER BY a.provider_slug";

#[derive(sqlx::FromRow)]
struct Expirable {
    provider_slug: String,
    approved_at: DateTime<Utc>,
}

async fn read(conn: &mut Conn<'_>) -> Result<TeamPolicy> {
    query(
        "SELECT team_mode, four_eyes, approval_expiry_days, version FROM team_policy WHERE id = 1",
    )
    .fetch_one(conn.reborrow())
    .await
    .map_err(E::db("reading the team policy"))
}

async fn read_from(db: Db<'_>) -> Result<TeamPolicy> {
    read(&mut db.acquire("reading the team policy").await?.conn()).await
}

impl Registry {
    pub async fn team_policy(&self) -> Result<TeamPolicy> {
        read_from(self.db()).await
    }

    /// Changes the rules (compare-and-set on the policy's version); one audit entry.
    pub async fn set_team_policy(&self, change: &PolicyChange, actor: &str) -> Result<TeamPolicy> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let before = read(&mut conn).await?;
        let after = change.apply(&before)?;
        query(
            "UPDATE team_policy SET four_eyes = $1, approval_expiry_days = $2, \
             version = version + 1 WHERE id = 1",
        )
        .bind(after.four_eyes)
        .bind(after.approval_expiry_days)
        .execute(conn.reborrow())
        .await
        .map_err(E::db("changing the team policy"))?;
        // In team mode the database records the change itself, whoever makes it.
        if !before.team_mode {
            let what = (actor, "team.policy_changed", "recording the policy change");
            audit_log::append_change(&mut conn, what, &before, &after).await?;
        }
        tx.commit("committing the policy change").await?;
        Ok(after)
    }

    /// With an approval expiry set, approved connectors with gated scopes whose approval is
    /// older go back to draft, each with a `review.expired` audit entry. Returns them.
    pub async fn expire_approvals(&self, now: DateTime<Utc>, actor: &str) -> Result<Vec<String>> {
        let Some(days) = read_from(self.db()).await?.approval_expiry_days else {
            return Ok(Vec::new());
        };
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let rows: Vec<Expirable> = query(EXPIRABLE_SQL)
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db("reading approvals"))?;
        let approvals = rows.into_iter().map(|r| (r.provider_slug, r.approved_at));
        let expired = team::expired(approvals, now, days);
        if expired.is_empty() {
            // Nothing changed: no commit, so nobody's screens are woken up.
            tx.rollback("ending the expiry check").await?;
            return Ok(expired);
        }
        let reason =
            format!("approval expired: older than {days} days (team policy); review it again");
        let expired =
            providers::back_to_draft(&mut conn, actor, expired, "review.expired", &reason).await?;
        tx.commit("committing expired approvals").await?;
        Ok(expired)
    }
}
