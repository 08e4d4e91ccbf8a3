//! `connector_secrets` as the vault reads them, and `connector_dev_accounts`: who set which
//! developer key when. Values never come here: they live in the OS keyring.

use crate::db::{query, Conn};
use crate::dev_accounts::{
    account_json, clean_label, not_held_by_removed, resolve, vault_key, DevAccount, RequiredSecret,
};
use crate::error::{RegistryError as E, Result};
use crate::model::Status;
use crate::store::Registry;
use crate::tables::{audit_log, gate};
use audit_log::NewEntry;
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(sqlx::FromRow)]
struct SecretRow {
    slug: String,
    display_name: String,
    status: String,
    key_name: String,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    provider_slug: String,
    key_name: String,
    label: Option<String>,
    set_by: String,
    set_at: DateTime<Utc>,
    rotated_at: Option<DateTime<Utc>>,
}

/// Secrets of every connector but removed ones, or of the one named (`review.not_found` if
/// unknown), by slug then manifest order.
async fn required(conn: &mut Conn<'_>, connector: Option<&str>) -> Result<Vec<RequiredSecret>> {
    let rows: Vec<SecretRow> = query(
        "SELECT p.slug, p.display_name, p.status, s.key_name FROM connector_secrets s \
         JOIN connector_providers p ON p.slug = s.provider_slug \
         WHERE ($1 IS NULL AND p.status <> 'removed') OR p.slug = $1 ORDER BY p.slug, s.position",
    )
    .bind(connector)
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db("reading required secrets"))?;
    if let Some(c) = connector.filter(|_| rows.is_empty()) {
        gate::read(conn, c).await?; // NotFound for an unknown connector
    }
    Ok(rows
        .into_iter()
        .map(|r| RequiredSecret {
            vault_key: vault_key(&r.slug, &r.key_name),
            status: Status::parse(&r.status).unwrap_or(Status::Draft),
            slug: r.slug,
            display_name: r.display_name,
            key: r.key_name,
        })
        .collect())
}

async fn accounts(conn: &mut Conn<'_>, connector: Option<&str>) -> Result<Vec<DevAccount>> {
    let rows: Vec<AccountRow> = query(
        "SELECT provider_slug, key_name, label, set_by, set_at, rotated_at \
         FROM connector_dev_accounts WHERE ($1 IS NULL OR provider_slug = $1) \
         ORDER BY provider_slug, key_name",
    )
    .bind(connector)
    .fetch_all(conn.reborrow())
    .await
    .map_err(E::db("reading developer keys"))?;
    Ok(rows
        .into_iter()
        .map(|r| DevAccount {
            vault_key: vault_key(&r.provider_slug, &r.key_name),
            slug: r.provider_slug,
            key: r.key_name,
            label: r.label,
            set_by: r.set_by,
            set_at: r.set_at,
            rotated_at: r.rotated_at,
        })
        .collect())
}

async fn write(conn: &mut Conn<'_>, a: &DevAccount) -> Result<()> {
    query(
        "INSERT INTO connector_dev_accounts \
         (provider_slug, key_name, label, set_by, set_at, rotated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (provider_slug, key_name) DO UPDATE SET label = excluded.label, \
         set_by = excluded.set_by, set_at = excluded.set_at, rotated_at = excluded.rotated_at",
    )
    .bind(&a.slug)
    .bind(&a.key)
    .bind(a.label.as_deref())
    .bind(&a.set_by)
    .bind(a.set_at)
    .bind(a.rotated_at)
    .execute(conn.reborrow())
    .await
    .map_err(E::db("recording a developer key"))?;
    Ok(())
}

impl Registry {
    /// Secrets that registered connectors require, by slug then manifest order: every
    /// connector but removed ones, or the one named (`review.not_found` if unknown).
    pub async fn required_secrets(&self, connector: Option<&str>) -> Result<Vec<RequiredSecret>> {
        let mut tx = self.db().begin("reading required secrets").await?;
        required(&mut tx.conn(), connector).await
    }

    /// Metadata rows, also of connectors removed since.
    pub async fn dev_accounts(&self, connector: Option<&str>) -> Result<Vec<DevAccount>> {
        let mut tx = self.db().begin("reading developer keys").await?;
        accounts(&mut tx.conn(), connector).await
    }

    /// The connector secret behind `PROVIDER_{SLUG}_{KEY}` (`vault.unknown_key`, did-you-mean).
    pub async fn resolve_vault_key(&self, vault_key: &str) -> Result<RequiredSecret> {
        let mut tx = self.db().begin("reading required secrets").await?;
        let mut conn = tx.conn();
        let secret = resolve(&required(&mut conn, None).await?, vault_key)?;
        not_held_by_removed(&accounts(&mut conn, None).await?, &secret)?;
        Ok(secret)
    }

    /// Records a key just written to the keyring: a rotation when a row exists and the keyring
    /// held a value before (`replaced`), else a first set. `label` None keeps the current one,
    /// blank clears it. Audited (`vault.key_set` / `vault.key_rotated`), without the value.
    pub async fn record_key_set(
        &self,
        vault_key: &str,
        label: Option<&str>,
        actor: &str,
        replaced: bool,
    ) -> Result<DevAccount> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        let secret = resolve(&required(&mut conn, None).await?, vault_key)?;
        let all = accounts(&mut conn, None).await?;
        not_held_by_removed(&all, &secret)?;
        let before = (all.into_iter()).find(|a| a.slug == secret.slug && a.key == secret.key);
        let rotation = before.as_ref().filter(|_| replaced);
        // Microseconds: what PostgreSQL keeps, so the row returned equals the row read back.
        let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
        let label = match label {
            Some(l) => clean_label(Some(l)),
            None => before.as_ref().and_then(|b| b.label.clone()),
        };
        let after = DevAccount {
            slug: secret.slug,
            key: secret.key,
            vault_key: secret.vault_key,
            label,
            set_by: actor.to_string(),
            set_at: rotation.map_or(now, |b| b.set_at),
            rotated_at: rotation.map(|_| now),
        };
        write(&mut conn, &after).await?;
        let entry = NewEntry {
            actor,
            action: if rotation.is_some() {
                "vault.key_rotated"
            } else {
                "vault.key_set"
            },
            slug: Some(&after.slug),
            detail: Some(json!({ "key": after.vault_key })),
            before: before.as_ref().map(account_json),
            after: Some(account_json(&after)),
        };
        audit_log::append(&mut conn, entry).await?;
        tx.commit("committing a developer key").await?;
        Ok(after)
    }

    /// Drops the metadata of a key about to be deleted from the keyring; the row it removed, if
    /// any. Audited.
    pub async fn record_key_deleted(
        &self,
        vault_key: &str,
        actor: &str,
    ) -> Result<Option<DevAccount>> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        // Any row, also of a connector removed since: deleting must always be possible.
        let before = (accounts(&mut conn, None).await?)
            .into_iter()
            .find(|a| a.vault_key == vault_key);
        let Some(row) = &before else {
            return Ok(None);
        };
        query("DELETE FROM connector_dev_accounts WHERE provider_slug = $1 AND key_name = $2")
            .bind(&row.slug)
            .bind(&row.key)
            .execute(conn.reborrow())
            .await
            .map_err(E::db("deleting a developer key's metadata"))?;
        let entry = NewEntry {
            actor,
            action: "vault.key_deleted",
            slug: Some(&row.slug),
            detail: Some(json!({ "key": vault_key })),
            before: Some(account_json(row)),
            after: None,
        };
        audit_log::append(&mut conn, entry).await?;
        tx.commit("committing a developer key's deletion").await?;
        Ok(before)
    }

    /// Puts back a row `record_key_deleted` removed, when the keyring then refused to delete the
    /// key. Audited (`vault.key_restored`).
    pub async fn restore_dev_account(&self, account: &DevAccount, actor: &str) -> Result<()> {
        let mut tx = self.db().begin_write().await?;
        let mut conn = tx.conn();
        write(&mut conn, account).await?;
        let why = "the keyring did not delete the key";
        let entry = NewEntry {
            actor,
            action: "vault.key_restored",
            slug: Some(&account.slug),
            detail: Some(json!({ "key": account.vault_key, "why": why })),
            before: None,
            after: Some(account_json(account)),
        };
        audit_log::append(&mut conn, entry).await?;
        tx.commit("committing a developer key").await?;
        Ok(())
    }
}
