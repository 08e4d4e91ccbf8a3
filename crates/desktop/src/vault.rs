//! The vault screen and the VaultWriter: secret health, and writing or deleting a developer key.
//! The value arrives once, in [`KeyInput`], goes to the keyring, and is dropped (zeroized);
//! nothing returned here carries it.

use crate::error::Result;
use godconfig_registry::{DevAccount, Registry};
use godconfig_sentinel::vault::{self, VaultReport};
use godconfig_vault::{Secret, Vault};
use serde::Deserialize;

/// What the VaultWriter sends. `Debug` shows the value as `<redacted>`; it is never serialized.
#[derive(Debug, Deserialize, specta::Type)]
pub struct KeyInput {
    /// `PROVIDER_{SLUG}_{KEY}`.
    pub vault_key: String,
    pub label: Option<String>,
    #[specta(type = String)]
    pub value: Secret,
}

/// Health of one connector's secrets, or of every connector's.
pub async fn report(
    registry: &Registry,
    vault: &Vault,
    connector: Option<&str>,
    rotation_days: u32,
) -> Result<VaultReport> {
    Ok(vault::status(registry, vault, connector, rotation_days).await?)
}

/// Stores the key in the keyring, then records who set it. Returns the metadata only.
pub async fn write_key(
    registry: &Registry,
    vault: &Vault,
    input: KeyInput,
    actor: &str,
) -> Result<DevAccount> {
    let KeyInput {
        vault_key,
        label,
        value,
    } = input;
    Ok(vault::set_key(registry, vault, &vault_key, value, label.as_deref(), actor).await?)
}

/// Deletes the key from the keyring, then its metadata.
pub async fn delete_key(
    registry: &Registry,
    vault: &Vault,
    vault_key: &str,
    actor: &str,
) -> Result<bool> {
    Ok(vault::delete_key(registry, vault, vault_key, actor).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_input_debug_never_shows_the_value() {
        let input: KeyInput = serde_json::from_str(
            r#"{"vault_key":"PROVIDER_X_API_KEY","label":null,"value":"sk_live_hunter2"}"#,
        )
        .unwrap();
        let shown = format!("{input:?}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
