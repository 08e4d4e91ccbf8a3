//! Developer keys: the keyring (`godconfig_vault`) holds the values, the registry the metadata.
//! The CLI and the app both go through these functions, so the order of writes is the same:
//!
//! - set: keyring first, then the metadata row. A failed keyring write leaves no row; a failed
//!   row write removes a key that was not there before.
//! - delete: the row first, then the keyring. If the keyring refuses, the row is put back.
//!
//! Either way a row never claims a key the keyring does not hold; at worst a key is left without
//! a row, which health shows as present, "set outside God Config".
//!
//! Keyring calls block (D-Bus round trips, maybe an unlock prompt): they run on tokio's blocking
//! pool.

mod health;
pub mod run;

pub use health::{assess, Health, SecretHealth, DEFAULT_ROTATION_DAYS};

use crate::SentinelError;
use godconfig_registry::{DevAccount, Registry};
use godconfig_vault::{Secret, Vault, VaultError};
use serde::Serialize;

/// Secret health of one connector or all, with why it is unknown when the keyring did not answer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VaultReport {
    pub secrets: Vec<SecretHealth>,
    pub rotation_days: u32,
    /// `{code, message}` of the keyring failure; health is then `unknown`.
    pub keyring_error: Option<KeyringProblem>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeyringProblem {
    pub code: godconfig_registry::error::Code,
    pub message: String,
}

impl VaultReport {
    pub fn count(&self, health: Health) -> usize {
        self.secrets.iter().filter(|s| s.health == health).count()
    }
}

/// Runs a blocking keyring call off the async workers.
async fn blocking<T: Send + 'static>(
    vault: &Vault,
    f: impl FnOnce(&Vault) -> Result<T, VaultError> + Send + 'static,
) -> Result<T, VaultError> {
    let vault = vault.clone();
    tokio::task::spawn_blocking(move || f(&vault))
        .await
        .unwrap_or_else(|e| {
            Err(VaultError::Keyring {
                detail: format!("the keyring call stopped: {e}"),
            })
        })
}

/// Health of the secrets of `connector` (or of every registered connector). A keyring that does
/// not answer gives `unknown` health and the problem, not an error: the registry part still shows.
pub async fn status(
    store: &Registry,
    vault: &Vault,
    connector: Option<&str>,
    rotation_days: u32,
) -> Result<VaultReport, SentinelError> {
    let required = store.required_secrets(connector).await?;
    let accounts = store.dev_accounts(connector).await?;
    let names: Vec<String> = required.iter().map(|r| r.vault_key.clone()).collect();
    let present = blocking(vault, move |v| v.present_among(&names)).await;
    let (present, keyring_error) = match present {
        Ok(p) => (Some(p), None),
        Err(e) => (
            None,
            Some(KeyringProblem {
                code: e.code(),
                message: format!("{e}; {}", e.hint()),
            }),
        ),
    };
    let now = chrono::Utc::now();
    let secrets = assess(required, &accounts, present.as_ref(), now, rotation_days);
    Ok(VaultReport {
        secrets,
        rotation_days,
        keyring_error,
    })
}

/// Writes `value` as `vault_key` (a first set or a replacement) and records who did it. The
/// value is trimmed; a blank one is refused. `label`: None keeps the current one, a blank one
/// clears it. Returns the metadata, never the value.
pub async fn set_key(
    store: &Registry,
    vault: &Vault,
    vault_key: &str,
    value: Secret,
    label: Option<&str>,
    actor: &str,
) -> Result<DevAccount, SentinelError> {
    godconfig_vault::check_account(vault_key)?;
    // Refuse an unknown key before touching the keyring.
    store.resolve_vault_key(vault_key).await?;
    let value = value.trimmed();
    let name = vault_key.to_string();
    let existed = blocking(vault, move |v| {
        let existed = v.presence(std::slice::from_ref(&name))?[0];
        v.set(&name, &value)?;
        Ok(existed)
    })
    .await?;
    // A row without a key in the keyring (deleted by another tool) is not "replaced": it starts over.
    match store.record_key_set(vault_key, label, actor, existed).await {
        Ok(account) => Ok(account),
        Err(e) => {
            if !existed {
                // No row, so no key: take back what was just written (best effort).
                let name = vault_key.to_string();
                let _ = blocking(vault, move |v| v.delete(&name)).await;
            }
            Err(e.into())
        }
    }
}

/// Deletes `vault_key`'s metadata, then the key from the keyring; if the keyring refuses, the
/// row is put back. So a row never claims a key the keyring no longer holds. False when
/// neither existed.
pub async fn delete_key(
    store: &Registry,
    vault: &Vault,
    vault_key: &str,
    actor: &str,
) -> Result<bool, SentinelError> {
    godconfig_vault::check_account(vault_key)?;
    let row = store.record_key_deleted(vault_key, actor).await?;
    let name = vault_key.to_string();
    match blocking(vault, move |v| v.delete(&name)).await {
        Ok(in_keyring) => Ok(in_keyring || row.is_some()),
        Err(e) => {
            if let Some(row) = &row {
                // Best effort: if this fails too, the key is left without a row (allowed), never
                // a row without a key.
                let _ = store.restore_dev_account(row, actor).await;
            }
            Err(e.into())
        }
    }
}

/// The values of exactly `slug`'s required keys, as `(PROVIDER_{SLUG}_{KEY}, value)`, for a
/// child process's environment. `vault.missing` names every key that is not in the keyring.
pub async fn connector_env(
    store: &Registry,
    vault: &Vault,
    slug: &str,
) -> Result<Vec<(String, Secret)>, SentinelError> {
    let names: Vec<String> = store
        .required_secrets(Some(slug))
        .await?
        .into_iter()
        .map(|r| r.vault_key)
        .collect();
    for name in &names {
        // Refuses a name another connector's key also spells: it would hand over that key.
        store.resolve_vault_key(name).await?;
    }
    let values = blocking(vault, move |v| {
        names
            .into_iter()
            .map(|n| v.read(&n).map(|value| (n, value)))
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    let missing: Vec<String> = values
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| n.clone())
        .collect();
    if !missing.is_empty() {
        return Err(SentinelError::KeysMissing {
            slug: slug.to_string(),
            keys: missing,
        });
    }
    Ok(values
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n, v)))
        .collect())
}
