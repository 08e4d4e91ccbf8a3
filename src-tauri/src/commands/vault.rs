//! The vault: secret health, and the VaultWriter. `vault_set_key` is the only command that
//! receives a secret, and no command ever returns one.

use super::AppState;
use crate::error::{ipc, CmdResult};
use godconfig_desktop::vault::{self, KeyInput};
use godconfig_desktop::Settings;
use godconfig_registry::DevAccount;
use godconfig_sentinel::vault::VaultReport;

/// Health of one connector's secrets, or of every registered connector's.
#[tauri::command]
#[specta::specta]
pub async fn vault_status(app: AppState<'_>, connector: Option<String>) -> CmdResult<VaultReport> {
    let ws = app.workspace().await.map_err(ipc)?;
    vault::report(
        &ws.registry,
        &app.vault,
        connector.as_deref(),
        app.rotation_days(),
    )
    .await
    .map_err(ipc)
}

/// Writes a developer key to the OS keyring and records who set it; returns the metadata only.
#[tauri::command]
#[specta::specta]
pub async fn vault_set_key(app: AppState<'_>, input: KeyInput) -> CmdResult<DevAccount> {
    let ws = app.workspace().await.map_err(ipc)?;
    vault::write_key(&ws.registry, &app.vault, input, &app.reviewer())
        .await
        .map_err(ipc)
}

/// Deletes a developer key from the keyring, then its metadata; false when there was none.
#[tauri::command]
#[specta::specta]
pub async fn vault_delete_key(app: AppState<'_>, vault_key: String) -> CmdResult<bool> {
    let ws = app.workspace().await.map_err(ipc)?;
    vault::delete_key(&ws.registry, &app.vault, &vault_key, &app.reviewer())
        .await
        .map_err(ipc)
}

/// The age after which a key is "stale"; None resets it to 90 days.
#[tauri::command]
#[specta::specta]
pub async fn set_rotation_days(app: AppState<'_>, days: Option<u32>) -> CmdResult<Settings> {
    app.set_rotation_days(days).map_err(ipc)
}
