//! Team mode: who the registry says you are, and the team policy.

use super::AppState;
use crate::error::{ipc, registry, CmdResult};
use godconfig_registry::{Identity, PolicyChange, TeamPolicy};

/// The current user and their roles: the database's `session_user` in team mode.
#[tauri::command]
#[specta::specta]
pub async fn whoami(app: AppState<'_>) -> CmdResult<Identity> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .identity(&app.reviewer())
        .await
        .map_err(registry)
}

#[tauri::command]
#[specta::specta]
pub async fn team_policy(app: AppState<'_>) -> CmdResult<TeamPolicy> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.team_policy().await.map_err(registry)
}

/// Admins change the four-eyes rule and the approval expiry (compare-and-set on the version).
#[tauri::command]
#[specta::specta]
pub async fn set_team_policy(app: AppState<'_>, change: PolicyChange) -> CmdResult<TeamPolicy> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .set_team_policy(&change, &app.reviewer())
        .await
        .map_err(registry)
}
