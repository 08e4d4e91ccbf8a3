//! The connector page: the registry's view of one connector plus the health of each secret it
//! requires (in the keyring, missing, or stale). Values are never read.

use crate::error::Result;
use godconfig_registry::{ConnectorDetail, Registry};
use godconfig_sentinel::vault::VaultReport;
use godconfig_vault::Vault;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectorView {
    pub detail: ConnectorDetail,
    /// A missing or locked keyring is a warning (`keyring_error`), not a failure.
    pub secrets: VaultReport,
}

pub async fn connector_view(
    registry: &Registry,
    vault: &Vault,
    slug: &str,
    rotation_days: u32,
) -> Result<ConnectorView> {
    let detail = registry.detail(slug).await?;
    let secrets = crate::vault::report(registry, vault, Some(slug), rotation_days).await?;
    Ok(ConnectorView { detail, secrets })
}
