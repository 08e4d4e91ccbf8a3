//! Picking and opening the workspace, and the settings.

use super::{ask_path, AppState, Ask};
use crate::error::{ipc, CmdResult};
use godconfig_desktop::{Picks, RegistryChoice, Settings, WorkspaceInfo, WorkspaceState};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

#[tauri::command]
#[specta::specta]
pub async fn workspace_info(app: AppState<'_>) -> CmdResult<WorkspaceState> {
    Ok(app.state().await)
}

#[tauri::command]
#[specta::specta]
pub async fn get_settings(app: AppState<'_>) -> CmdResult<Settings> {
    Ok(app.settings())
}

/// `null` goes back to the OS user name.
#[tauri::command]
#[specta::specta]
pub async fn set_reviewer_name(app: AppState<'_>, name: Option<String>) -> CmdResult<Settings> {
    app.set_reviewer_name(name).map_err(ipc)
}

/// Opens the native folder dialog; the webview never sends a path.
#[tauri::command]
#[specta::specta]
pub async fn pick_connectors_dir(handle: AppHandle, app: AppState<'_>) -> CmdResult<Picks> {
    let dialog = handle
        .dialog()
        .file()
        .set_title("Choose the connectors folder");
    match ask_path(dialog, Ask::Folder).await {
        Some(path) => Ok(app.pick_connectors_dir(path.display().to_string())),
        None => Ok(app.picks()),
    }
}

/// Opens the native save dialog, which picks an existing registry file or names a new one.
#[tauri::command]
#[specta::specta]
pub async fn pick_registry_file(handle: AppHandle, app: AppState<'_>) -> CmdResult<Picks> {
    let dialog = handle
        .dialog()
        .file()
        .set_title("Choose or create a registry file")
        .set_file_name("registry.db")
        .add_filter("SQLite registry", &["db", "sqlite", "sqlite3"]);
    match ask_path(dialog, Ask::Save).await {
        Some(path) => Ok(app.pick_registry_file(path.display().to_string())),
        None => Ok(app.picks()),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn open_workspace(
    handle: AppHandle,
    app: AppState<'_>,
    registry: RegistryChoice,
) -> CmdResult<WorkspaceInfo> {
    let info = app.open_choice(registry).await.map_err(ipc)?;
    crate::live::restart(&handle).await;
    app.restart_watcher().await;
    Ok(info)
}

/// Reads the settings file again once the person fixed it, then opens the start-up workspace.
#[tauri::command]
#[specta::specta]
pub async fn retry_settings(handle: AppHandle, app: AppState<'_>) -> CmdResult<WorkspaceState> {
    app.retry_settings().map_err(ipc)?;
    crate::open_at_start(&handle).await;
    Ok(app.state().await)
}

/// Moves the unreadable settings file aside (kept beside it) and starts from the defaults.
#[tauri::command]
#[specta::specta]
pub async fn move_settings_aside(
    handle: AppHandle,
    app: AppState<'_>,
) -> CmdResult<WorkspaceState> {
    app.move_settings_aside().map_err(ipc)?;
    crate::open_at_start(&handle).await;
    Ok(app.state().await)
}

/// What this build is, for Settings' About: version, commit, registry schema.
#[tauri::command]
#[specta::specta]
pub async fn about() -> CmdResult<godconfig_sentinel::flows::doctor::About> {
    Ok(godconfig_sentinel::flows::doctor::About::new(env!(
        "GODCONFIG_COMMIT"
    )))
}

/// The welcome screen: where a new workspace is created, from the native folder dialog.
#[tauri::command]
#[specta::specta]
pub async fn pick_new_folder(handle: AppHandle, app: AppState<'_>) -> CmdResult<Picks> {
    let dialog = handle
        .dialog()
        .file()
        .set_title("Choose or create an empty folder for your connectors");
    match ask_path(dialog, Ask::Folder).await {
        Some(path) => Ok(app.pick_new_folder(path.display().to_string())),
        None => Ok(app.picks()),
    }
}

/// The welcome screen: a new connectors folder (the examples, or empty) on the embedded
/// registry, then the live updates and the watcher, which syncs it.
#[tauri::command]
#[specta::specta]
pub async fn create_workspace(
    handle: AppHandle,
    app: AppState<'_>,
    start: godconfig_desktop::first_run::Start,
) -> CmdResult<WorkspaceInfo> {
    let info = app.create_workspace(start).await.map_err(ipc)?;
    crate::live::restart(&handle).await;
    app.restart_watcher().await;
    Ok(info)
}
