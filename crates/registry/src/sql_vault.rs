//! The vault's registry SQL (required secrets, developer-key metadata), written once for both
//! backends like `sql.rs`. Values never come here: they live in the OS keyring.

macro_rules! vault_sql {
    ($store:ident, $db:ty) => {
        use crate::dev_accounts::{clean_label, vault_key, DevAccount, RequiredSecret};

        type AccountRow = (String, String, Option<String>, String, chrono::DateTime<chrono::Utc>, Option<chrono::DateTime<chrono::Utc>>);

        impl $store {
            async fn required_in(tx: &mut Tx, connector: Option<&str>) -> Result<Vec<RequiredSecret>> {
                let rows: Vec<(String, String, String, String)> = sqlx::query_as(
                    "SELECT p.slug, p.display_name, p.status, s.key_name FROM connector_secrets s \
                     JOIN connector_providers p ON p.slug = s.provider_slug \
                     WHERE ($1 IS NULL AND p.status <> 'removed') OR p.slug = $1 ORDER BY p.slug, s.position",
                )
                .bind(connector)
                .fetch_all(&mut **tx)
                .await
                .map_err(E::db("reading required secrets"))?;
                if let Some(c) = connector.filter(|_| rows.is_empty()) {
                    Self::gate_in(tx, c).await?; // NotFound for an unknown connector
                }
                Ok(rows
                    .into_iter()
                    .map(|(slug, display_name, status, key)| RequiredSecret {
                        vault_key: vault_key(&slug, &key),
                        status: Status::parse(&status).unwrap_or(Status::Draft),
                        slug,
                        display_name,
                        key,
                    })
                    .collect())
            }

            async fn accounts_in(tx: &mut Tx, connector: Option<&str>) -> Result<Vec<DevAccount>> {
                let rows: Vec<AccountRow> = sqlx::query_as(
                    "SELECT provider_slug, key_name, label, set_by, set_at, rotated_at FROM connector_dev_accounts \
                     WHERE ($1 IS NULL OR provider_slug = $1) ORDER BY provider_slug, key_name",
                )
                .bind(connector)
                .fetch_all(&mut **tx)
                .await
                .map_err(E::db("reading developer keys"))?;
                Ok(rows
                    .into_iter()
                    .map(|(slug, key, label, set_by, set_at, rotated_at)| DevAccount { vault_key: vault_key(&slug, &key), slug, key, label, set_by, set_at, rotated_at })
                    .collect())
            }

            async fn resolve_in(tx: &mut Tx, name: &str) -> Result<RequiredSecret> {
                let required = Self::required_in(tx, None).await?;
                let mut matches: Vec<RequiredSecret> = required.iter().filter(|r| r.vault_key == name).cloned().collect();
                match matches.len() {
                    1 => Ok(matches.remove(0)),
                    // `acme` + SHOP_TOKEN and `acme_shop` + TOKEN are both PROVIDER_ACME_SHOP_TOKEN.
                    n if n > 1 => Err(E::AmbiguousVaultKey {
                        vault_key: name.to_string(),
                        connectors: matches.into_iter().map(|r| r.slug).collect(),
                    }),
                    _ => Err(E::UnknownVaultKey {
                        vault_key: name.to_string(),
                        did_you_mean: godconfig_manifest::diagnostic::did_you_mean(name, required.iter().map(|r| r.vault_key.as_str())).map(str::to_string),
                    }),
                }
            }

            async fn write_account(tx: &mut Tx, a: &DevAccount) -> Result<()> {
                sqlx::query(
                    "INSERT INTO connector_dev_accounts (provider_slug, key_name, label, set_by, set_at, rotated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (provider_slug, key_name) DO UPDATE SET label = excluded.label, set_by = excluded.set_by, \
                     set_at = excluded.set_at, rotated_at = excluded.rotated_at",
                )
                .bind(&a.slug)
                .bind(&a.key)
                .bind(&a.label)
                .bind(&a.set_by)
                .bind(a.set_at)
                .bind(a.rotated_at)
                .execute(&mut **tx)
                .await
                .map_err(E::db("recording a developer key"))?;
                Ok(())
            }

            fn account_json(a: &Option<DevAccount>) -> Option<serde_json::Value> {
                a.as_ref().map(|a| serde_json::json!({ "label": a.label, "set_by": a.set_by, "set_at": a.set_at, "rotated_at": a.rotated_at }))
            }
        }

        impl crate::store::VaultStore for $store {
            async fn required_secrets(&self, connector: Option<&str>) -> Result<Vec<RequiredSecret>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading required secrets"))?;
                Self::required_in(&mut tx, connector).await
            }

            async fn dev_accounts(&self, connector: Option<&str>) -> Result<Vec<DevAccount>> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading developer keys"))?;
                Self::accounts_in(&mut tx, connector).await
            }

            async fn resolve_vault_key(&self, vault_key: &str) -> Result<RequiredSecret> {
                let mut tx = self.pool.begin().await.map_err(E::db("reading required secrets"))?;
                Self::resolve_in(&mut tx, vault_key).await
            }

            async fn record_key_set(&self, vault_key: &str, label: Option<&str>, actor: &str, replaced: bool) -> Result<DevAccount> {
                let mut tx = self.begin_write().await?;
                let required = Self::resolve_in(&mut tx, vault_key).await?;
                let before = Self::accounts_in(&mut tx, Some(&required.slug)).await?.into_iter().find(|a| a.key == required.key);
                let rotation = before.as_ref().filter(|_| replaced);
                // Microseconds: what PostgreSQL keeps, so the row returned equals the row read back.
                let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
                let label = match label {
                    Some(l) => clean_label(Some(l)),
                    None => before.as_ref().and_then(|b| b.label.clone()),
                };
                let after = DevAccount {
                    slug: required.slug.clone(),
                    key: required.key.clone(),
                    vault_key: required.vault_key.clone(),
                    label,
                    set_by: actor.to_string(),
                    set_at: rotation.map_or(now, |b| b.set_at),
                    rotated_at: rotation.map(|_| now),
                };
                Self::write_account(&mut tx, &after).await?;
                let action = if rotation.is_some() { "vault.key_rotated" } else { "vault.key_set" };
                let detail = serde_json::json!({ "key": after.vault_key });
                let after_json = Self::account_json(&Some(after.clone()));
                Self::audit_json(&mut tx, actor, action, Some(&after.slug), detail, Self::account_json(&before), after_json).await?;
                tx.commit().await.map_err(E::db("committing a developer key"))?;
                Ok(after)
            }

            async fn record_key_deleted(&self, vault_key: &str, actor: &str) -> Result<Option<DevAccount>> {
                let mut tx = self.begin_write().await?;
                // Any row, also of a connector removed since: deleting must always be possible.
                let before = Self::accounts_in(&mut tx, None).await?.into_iter().find(|a| a.vault_key == vault_key);
                let Some(row) = &before else {
                    return Ok(None);
                };
                sqlx::query("DELETE FROM connector_dev_accounts WHERE provider_slug = $1 AND key_name = $2")
                    .bind(&row.slug)
                    .bind(&row.key)
                    .execute(&mut *tx)
                    .await
                    .map_err(E::db("deleting a developer key's metadata"))?;
                let detail = serde_json::json!({ "key": vault_key });
                Self::audit_json(&mut tx, actor, "vault.key_deleted", Some(&row.slug), detail, Self::account_json(&before), None).await?;
                tx.commit().await.map_err(E::db("committing a developer key's deletion"))?;
                Ok(before)
            }

            async fn restore_dev_account(&self, account: &DevAccount, actor: &str) -> Result<()> {
                let mut tx = self.begin_write().await?;
                Self::write_account(&mut tx, account).await?;
                let detail = serde_json::json!({ "key": account.vault_key, "why": "the keyring did not delete the key" });
                Self::audit_json(&mut tx, actor, "vault.key_restored", Some(&account.slug), detail, None, Self::account_json(&Some(account.clone()))).await?;
                tx.commit().await.map_err(E::db("committing a developer key"))?;
                Ok(())
            }
        }
    };
}

pub(crate) use vault_sql;
