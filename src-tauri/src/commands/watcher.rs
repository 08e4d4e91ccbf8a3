//! The connectors folder's watcher: its state, and the toggle.

use super::AppState;
use crate::error::{ipc, CmdResult};
use godconfig_desktop::WatcherState;

#[tauri::command]
#[specta::specta]
pub async fn watcher_state(app: AppState<'_>) -> CmdResult<WatcherState> {
    Ok(app.watcher_state())
}

/// Turns the watcher on (a full sync first) or off (after the sync in progress); remembered.
#[tauri::command]
#[specta::specta]
pub async fn set_watcher(app: AppState<'_>, on: bool) -> CmdResult<WatcherState> {
    app.set_watcher(on).await.map_err(ipc)
}
