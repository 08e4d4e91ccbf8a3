//! What `sentinel status` and stub generation read: each connector's counts, the registered
//! manifest hashes, and the admins' gating overrides.

use crate::db::{query, Arg};
use crate::error::{RegistryError as E, Result};
use crate::model::{Known, StatusRow};
use crate::store::Registry;
use std::collections::{BTreeSet, HashMap};

#[derive(sqlx::FromRow)]
struct Hash {
    slug: String,
    manifest_hash: String,
    fingerprint: String,
}

#[derive(sqlx::FromRow)]
struct Override {
    provider_slug: String,
    scope_name: String,
    requires_firearm: bool,
}

const STATUS_SQL: &str = "SELECT p.slug, p.display_name, p.status, p.manifest_hash, p.fingerprint,
    (SELECT COUNT(*) FROM connector_scopes s WHERE s.provider_slug = p.slug) AS scopes,
    (SELECT COUNT(*) FROM connector_scopes s LEFT JOIN scope_gating g
        ON g.provider_slug = s.provider_slug AND g.scope_name = s.name
        WHERE s.provider_slug = p.slug AND COALESCE(g.requires_firearm, s.requires_firearm))
      AS gated,
    (SELECT COUNT(*) FROM platform_metrics m WHERE m.provider_slug = p.slug) AS metrics
    FROM connector_providers p ORDER BY p.slug";

impl Registry {
    /// Every registered connector with its counts, by slug.
    pub async fn status(&self) -> Result<Vec<StatusRow>> {
        let op = "reading status";
        let mut pooled = self.db().acquire(op).await?;
        query(STATUS_SQL)
            .fetch_all(pooled.conn())
            .await
            .map_err(E::db(op))
    }

    /// Manifest hash and fingerprint of the connectors registered and not removed, by slug.
    pub async fn registered_hashes(&self) -> Result<HashMap<String, Known>> {
        self.registered_hashes_of(None).await
    }

    /// The same, of the connectors in `only` when it is given (an incremental sync).
    pub async fn registered_hashes_of(
        &self,
        only: Option<&BTreeSet<String>>,
    ) -> Result<HashMap<String, Known>> {
        let op = "reading registered hashes";
        if only.is_some_and(|o| o.is_empty()) {
            return Ok(HashMap::new());
        }
        let mut pooled = self.db().acquire(op).await?;
        let mut q = query(
            "SELECT slug, manifest_hash, fingerprint FROM connector_providers \
             WHERE status <> 'removed'",
        );
        if let Some(only) = only {
            q.push(" AND slug IN ");
            q.push_tuple(only.iter().map(Arg::from));
        }
        let rows: Vec<Hash> = q.fetch_all(pooled.conn()).await.map_err(E::db(op))?;
        Ok((rows.into_iter())
            .map(|h| {
                let known = Known {
                    manifest_hash: h.manifest_hash,
                    fingerprint: h.fingerprint,
                };
                (h.slug, known)
            })
            .collect())
    }

    /// Admins' gating overrides: (connector, scope, requires_firearm).
    pub async fn gating_overrides(&self) -> Result<Vec<(String, String, bool)>> {
        let op = "reading gating overrides";
        let mut pooled = self.db().acquire(op).await?;
        let rows: Vec<Override> = query(
            "SELECT provider_slug, scope_name, requires_firearm FROM scope_gating \
             WHERE requires_firearm IS NOT NULL ORDER BY provider_slug, scope_name",
        )
        .fetch_all(pooled.conn())
        .await
        .map_err(E::db(op))?;
        Ok((rows.into_iter())
            .map(|o| (o.provider_slug, o.scope_name, o.requires_firearm))
            .collect())
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Registry::Sqlite(_) => "sqlite",
            Registry::Postgres(_) => "postgres",
        }
    }

    /// Whether the connection to a server is encrypted (TLS); None for a local SQLite file.
    pub fn encrypted(&self) -> Option<bool> {
        match self {
            Registry::Sqlite(_) => None,
            Registry::Postgres(s) => Some(s.encrypted()),
        }
    }
}
