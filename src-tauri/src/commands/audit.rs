//! The audit log, its hash chain's verification and its CSV export.

use super::{ask_path, AppState, Ask};
use crate::error::{ipc, registry, CmdResult};
use godconfig_registry::{AuditEntry, ChainReport};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// Newest first, optionally for one connector and one action (`mcp.call`: the tool calls).
#[tauri::command]
#[specta::specta]
pub async fn audit_log(
    app: AppState<'_>,
    slug: Option<String>,
    action: Option<String>,
    limit: u32,
) -> CmdResult<Vec<AuditEntry>> {
    let ws = app.workspace().await.map_err(ipc)?;
    let limit = i64::from(limit.max(1));
    ws.registry
        .audit_of(slug.as_deref(), action.as_deref(), limit)
        .await
        .map_err(registry)
}

/// Walks the audit log's hash chain from the first entry (`sentinel audit verify`).
#[tauri::command]
#[specta::specta]
pub async fn verify_audit(app: AppState<'_>) -> CmdResult<ChainReport> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.verify_audit().await.map_err(registry)
}

/// Asks where to save (native dialog), writes the whole filtered log; returns the path, or null
/// when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_audit_csv(
    handle: AppHandle,
    app: AppState<'_>,
    slug: Option<String>,
    action: Option<String>,
) -> CmdResult<Option<String>> {
    let ws = app.workspace().await.map_err(ipc)?;
    let calls = if action.as_deref() == Some(godconfig_registry::CALL_ACTION) {
        "-tool-calls"
    } else {
        ""
    };
    let name = format!(
        "godconfig-audit-{}{calls}.csv",
        slug.as_deref().unwrap_or("all")
    );
    let dialog = handle
        .dialog()
        .file()
        .set_file_name(name)
        .add_filter("CSV", &["csv"]);
    let Some(path) = ask_path(dialog, Ask::Save).await else {
        return Ok(None);
    };
    godconfig_desktop::audit::export_csv(&ws, (slug.as_deref(), action.as_deref()), &path)
        .await
        .map_err(ipc)?;
    Ok(Some(path.display().to_string()))
}
