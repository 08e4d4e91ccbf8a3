//! The UTM builder: templates (edit, preview, import, export), the link builder and its history.

use super::{ask_path, AppState, Ask};
use crate::error::{ipc, registry, CmdResult};
use godconfig_desktop::utm::{ImportReport, Preview};
use godconfig_desktop::AppError;
use godconfig_registry::utm::{LinkRecord, StoredTemplate, UtmTemplateOp};
use godconfig_utm::{LinkRequest, UtmTemplate};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

#[tauri::command]
#[specta::specta]
pub async fn utm_templates(app: AppState<'_>) -> CmdResult<Vec<StoredTemplate>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.utm_templates().await.map_err(registry)
}

/// Add, edit (compare-and-set) or delete a template; `utm.refused` lists every violation.
#[tauri::command]
#[specta::specta]
pub async fn change_utm_template(
    app: AppState<'_>,
    op: UtmTemplateOp,
) -> CmdResult<Option<StoredTemplate>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .change_utm_template(&op, &app.reviewer())
        .await
        .map_err(registry)
}

/// The template form's live preview on a sample link; nothing is saved.
#[tauri::command]
#[specta::specta]
pub fn utm_preview_template(template: UtmTemplate, sample: LinkRequest) -> Preview {
    godconfig_desktop::utm::preview_template(&template, &sample)
}

/// The link builder's live preview with the stored template; nothing is recorded.
#[tauri::command]
#[specta::specta]
pub async fn utm_preview_link(app: AppState<'_>, request: LinkRequest) -> CmdResult<Preview> {
    let ws = app.workspace().await.map_err(ipc)?;
    godconfig_desktop::utm::preview_link(&ws, &request)
        .await
        .map_err(ipc)
}

/// Builds the link and keeps it in the history.
#[tauri::command]
#[specta::specta]
pub async fn build_utm_link(app: AppState<'_>, request: LinkRequest) -> CmdResult<LinkRecord> {
    let ws = app.workspace().await.map_err(ipc)?;
    godconfig_desktop::utm::build(&ws, &request, &app.reviewer())
        .await
        .map_err(ipc)
}

/// Newest first; `search` matches the URL, connector or campaign.
#[tauri::command]
#[specta::specta]
pub async fn utm_links(
    app: AppState<'_>,
    search: Option<String>,
    limit: u32,
) -> CmdResult<Vec<LinkRecord>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .utm_links(search.as_deref(), limit.clamp(1, 500))
        .await
        .map_err(registry)
}

/// Every (connector, content type) the manifests declare.
#[tauri::command]
#[specta::specta]
pub async fn utm_capabilities(app: AppState<'_>) -> CmdResult<Vec<(String, String)>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.utm_capabilities(None).await.map_err(registry)
}

/// Asks where to save (native dialog) and writes every template as YAML; the path, or null
/// when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_utm_templates(
    handle: AppHandle,
    app: AppState<'_>,
) -> CmdResult<Option<String>> {
    let ws = app.workspace().await.map_err(ipc)?;
    let dialog = handle
        .dialog()
        .file()
        .set_file_name("godconfig-utm-templates.yaml")
        .add_filter("YAML", &["yaml", "yml"]);
    let Some(path) = ask_path(dialog, Ask::Save).await else {
        return Ok(None);
    };
    godconfig_desktop::utm::export(&ws, &path)
        .await
        .map_err(ipc)?;
    Ok(Some(path.display().to_string()))
}

/// Asks for a YAML file (native dialog), checks it like a manifest and imports it all or nothing;
/// null when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_utm_templates(
    handle: AppHandle,
    app: AppState<'_>,
    replace: bool,
) -> CmdResult<Option<ImportReport>> {
    let ws = app.workspace().await.map_err(ipc)?;
    let dialog = handle.dialog().file().add_filter("YAML", &["yaml", "yml"]);
    let Some(path) = ask_path(dialog, Ask::Open).await else {
        return Ok(None);
    };
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        ipc(AppError::Import {
            path: file.clone(),
            reason: e.to_string(),
        })
    })?;
    godconfig_desktop::utm::import(&ws, file, &text, replace, &app.reviewer())
        .await
        .map(Some)
        .map_err(ipc)
}
