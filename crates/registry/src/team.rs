//! Team mode on PostgreSQL: the database enforces the roles (`team_roles.sql`, installed by
//! `sentinel db init-roles`), records `session_user` as the actor, and holds the team policy.
//! On SQLite there is one person: every role, no team mode.

use crate::error::{RegistryError as E, Result};
use crate::postgres::PgStore;
use crate::store::Registry;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The roles a person can hold, without their `godconfig_` prefix.
pub const ROLES: [&str; 4] = ["admin", "developer", "operator", "sentinel"];

const INIT_SQL: &str = include_str!("team_roles.sql");

/// Who is connected and what the database lets them do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Identity {
    /// The database's `session_user` in team mode; the OS user otherwise.
    pub user: String,
    pub team_mode: bool,
    /// Sorted, without the `godconfig_` prefix: "admin", "developer", "operator", "sentinel".
    pub roles: Vec<String>,
}

impl Identity {
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// The team policy: one row, every backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamPolicy {
    pub team_mode: bool,
    pub four_eyes: bool,
    /// Approvals of connectors with gated scopes expire after this many days; None: never.
    pub approval_expiry_days: Option<i32>,
    pub version: i64,
}

/// The rules an admin sets, whole; `version` is the one they saw (compare-and-set).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PolicyChange {
    pub version: i64,
    pub four_eyes: bool,
    /// None: approvals never expire.
    pub approval_expiry_days: Option<i32>,
}

pub const EXPIRY_DAYS: std::ops::RangeInclusive<i32> = 1..=3650;

impl PolicyChange {
    /// The policy after the change: refused if someone changed it since `self.version` was read,
    /// or if the expiry is out of range.
    pub(crate) fn apply(&self, p: &TeamPolicy) -> Result<TeamPolicy> {
        if p.version != self.version {
            return Err(E::Conflict {
                what: vec!["the team policy".to_string()],
            });
        }
        if let Some(d) = self
            .approval_expiry_days
            .filter(|d| !EXPIRY_DAYS.contains(d))
        {
            return Err(E::BadPolicy {
                reason: format!("an approval expiry of {d} days is out of range"),
            });
        }
        Ok(TeamPolicy {
            team_mode: p.team_mode,
            four_eyes: self.four_eyes,
            approval_expiry_days: self.approval_expiry_days,
            version: p.version + 1,
        })
    }
}

/// The connectors whose approval (slug, approved at) is at least `days` old at `now`.
pub(crate) fn expired(
    approvals: impl IntoIterator<Item = (String, DateTime<Utc>)>,
    now: DateTime<Utc>,
    days: i32,
) -> Vec<String> {
    let cutoff = now - chrono::Duration::days(i64::from(days));
    approvals
        .into_iter()
        .filter(|(_, at)| *at <= cutoff)
        .map(|(slug, _)| slug)
        .collect()
}

impl PgStore {
    /// Creates the roles, grants, policies and triggers, and turns team mode on. Needs the
    /// owner of the tables with CREATEROLE; idempotent.
    pub async fn init_roles(&self) -> Result<Identity> {
        let op = "setting up the team roles";
        let mut tx = self.begin_write().await?;
        sqlx::raw_sql(INIT_SQL)
            .execute(&mut *tx)
            .await
            .map_err(E::db(op))?;
        sqlx::query("INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, session_user, 'team.init_roles', $2)")
            .bind(chrono::Utc::now())
            .bind(sqlx::types::Json(serde_json::json!({ "roles": ROLES })))
            .execute(&mut *tx)
            .await
            .map_err(E::db(op))?;
        tx.commit().await.map_err(E::db(op))?;
        self.identity().await
    }

    pub async fn identity(&self) -> Result<Identity> {
        let (user, team_mode, roles): (String, bool, Vec<String>) = sqlx::query_as(
            "SELECT session_user::text,
                COALESCE((SELECT team_mode FROM team_policy WHERE id = 1), FALSE),
                ARRAY(SELECT substr(rolname, 11) FROM pg_roles
                      WHERE rolname = ANY($1) AND pg_has_role(session_user, oid, 'USAGE') ORDER BY rolname)",
        )
        .bind(ROLES.map(|r| format!("godconfig_{r}")).to_vec())
        .fetch_one(self.pool())
        .await
        .map_err(E::db("reading who is connected"))?;
        Ok(Identity {
            user,
            team_mode,
            roles,
        })
    }
}

impl Registry {
    /// `os_user` names the person where the database does not (SQLite, PostgreSQL without team mode).
    pub async fn identity(&self, os_user: &str) -> Result<Identity> {
        let solo = || Identity {
            user: os_user.to_string(),
            team_mode: false,
            roles: ROLES.map(String::from).to_vec(),
        };
        match self {
            Registry::Sqlite(_) => Ok(solo()),
            Registry::Postgres(s) => {
                let id = s.identity().await?;
                Ok(if id.team_mode { id } else { solo() })
            }
        }
    }

    /// Team mode exists on PostgreSQL only.
    pub async fn init_roles(&self) -> Result<Identity> {
        match self {
            Registry::Sqlite(_) => Err(E::TeamModeNeedsPostgres),
            Registry::Postgres(s) => s.init_roles().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn policy(version: i64) -> TeamPolicy {
        TeamPolicy {
            team_mode: true,
            four_eyes: true,
            approval_expiry_days: None,
            version,
        }
    }

    fn change(version: i64, days: Option<i32>) -> PolicyChange {
        PolicyChange {
            version,
            four_eyes: false,
            approval_expiry_days: days,
        }
    }

    #[test]
    fn a_change_applies_to_the_version_it_was_made_on() {
        let after = change(3, Some(30)).apply(&policy(3)).unwrap();
        assert_eq!(
            (after.version, after.four_eyes, after.approval_expiry_days),
            (4, false, Some(30))
        );
        assert!(after.team_mode, "team mode is not the admin's to change");
        let stale = change(2, None).apply(&policy(3)).unwrap_err();
        assert_eq!(stale.code(), "registry.conflict");
        let out_of_range = change(3, Some(0)).apply(&policy(3)).unwrap_err();
        assert_eq!(out_of_range.code(), "team.bad_policy");
    }

    #[test]
    fn an_approval_expires_once_it_is_as_old_as_the_policy_says() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let ago = |days| now - chrono::Duration::days(days);
        let approvals = [
            ("old".to_string(), ago(31)),
            ("edge".to_string(), ago(30)),
            ("new".to_string(), ago(29)),
        ];
        assert_eq!(expired(approvals, now, 30), ["old", "edge"]);
    }
}
