//! The connector page: the registry's view of one connector plus, for each secret it requires,
//! whether the OS keyring holds it. Values are never read.

use crate::error::{AppError, ErrorCode, Result};
use godconfig_registry::{ConnectorDetail, DetailStore, Registry};
use godconfig_vault::Vault;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SecretStatus {
    /// The vault key name, `PROVIDER_{SLUG}_{KEY}`.
    pub name: String,
    /// None when the keyring could not be asked (see `vault_error`).
    pub present: Option<bool>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectorView {
    pub detail: ConnectorDetail,
    pub secrets: Vec<SecretStatus>,
    /// Why presence is unknown; a missing or locked keyring is a warning, not a failure.
    pub vault_error: Option<ErrorCode>,
}

pub async fn connector_view(
    registry: &Registry,
    vault: &Vault,
    slug: &str,
) -> Result<ConnectorView> {
    let detail = registry.detail(slug).await?;
    let names = detail.secrets.clone();
    let vault = vault.clone();
    // The keyring call blocks (and may wait for an unlock prompt): keep it off async workers.
    let presence = tokio::task::spawn_blocking(move || vault.presence(&names))
        .await
        .unwrap_or_else(|e| {
            Err(godconfig_vault::VaultError::Keyring {
                detail: e.to_string(),
            })
        });
    let (present, vault_error) = match presence {
        Ok(p) => (p.into_iter().map(Some).collect(), None),
        Err(e) => (
            vec![None; detail.secrets.len()],
            Some(AppError::from(e).to_ipc()),
        ),
    };
    let secrets = detail
        .secrets
        .iter()
        .zip(present)
        .map(|(name, present)| SecretStatus {
            name: name.clone(),
            present,
        })
        .collect();
    Ok(ConnectorView {
        detail,
        secrets,
        vault_error,
    })
}
