//! The scope manager: scopes with their gating, gating changes, and the firearm-type registry.

use super::AppState;
use crate::error::{ipc, registry, CmdResult};
use godconfig_desktop::GatingResult;
use godconfig_registry::{FirearmOp, FirearmType, GatingChange, ScopeRow};

/// Every scope of one connector, or of all of them; the UI filters them as you type.
#[tauri::command]
#[specta::specta]
pub async fn scopes_list(app: AppState<'_>, connector: Option<String>) -> CmdResult<Vec<ScopeRow>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .scopes(connector.as_deref())
        .await
        .map_err(registry)
}

/// One batch, one confirmation in the UI, one audit entry; all of it or nothing.
#[tauri::command]
#[specta::specta]
pub async fn change_gating(app: AppState<'_>, change: GatingChange) -> CmdResult<GatingResult> {
    let ws = app.workspace().await.map_err(ipc)?;
    godconfig_desktop::change_gating(&ws, &change, &app.reviewer())
        .await
        .map_err(ipc)
}

#[tauri::command]
#[specta::specta]
pub async fn firearm_types(app: AppState<'_>) -> CmdResult<Vec<FirearmType>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.firearm_types().await.map_err(registry)
}

/// Add, edit, retire, restore or delete a type; returns it as it is now (None once deleted).
#[tauri::command]
#[specta::specta]
pub async fn change_firearm_type(
    app: AppState<'_>,
    op: FirearmOp,
) -> CmdResult<Option<FirearmType>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .change_firearm_type(&op, &app.reviewer())
        .await
        .map_err(registry)
}
