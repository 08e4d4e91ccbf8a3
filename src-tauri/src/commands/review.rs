//! The review queue, the connector page, and the operator's decisions.

use super::AppState;
use crate::error::{ipc, registry, CmdResult};
use godconfig_desktop::{connector_view, ApproveItem, ConnectorView};
use godconfig_registry::{Action, Approval, CodeReview, QueueRow};

#[tauri::command]
#[specta::specta]
pub async fn review_queue(app: AppState<'_>) -> CmdResult<Vec<QueueRow>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.queue().await.map_err(registry)
}

#[tauri::command]
#[specta::specta]
pub async fn connector_detail(app: AppState<'_>, slug: String) -> CmdResult<ConnectorView> {
    let ws = app.workspace().await.map_err(ipc)?;
    connector_view(&ws.registry, &app.vault, &slug, app.rotation_days())
        .await
        .map_err(ipc)
}

/// What changed in the connector's files and tools since its approval (every file, when it was
/// never approved).
#[tauri::command]
#[specta::specta]
pub async fn connector_code_review(app: AppState<'_>, slug: String) -> CmdResult<CodeReview> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.code_review(&slug).await.map_err(registry)
}

/// Approves every item or none (one confirmation covers the batch).
#[tauri::command]
#[specta::specta]
pub async fn approve(app: AppState<'_>, items: Vec<ApproveItem>) -> CmdResult<Vec<Approval>> {
    let ws = app.workspace().await.map_err(ipc)?;
    let requests: Vec<_> = items.into_iter().map(Into::into).collect();
    ws.registry
        .approve(&requests, &app.reviewer())
        .await
        .map_err(registry)
}

#[tauri::command]
#[specta::specta]
pub async fn reject(app: AppState<'_>, slug: String, reason: String) -> CmdResult<()> {
    decide(&app, &slug, Action::Reject, &reason).await
}

#[tauri::command]
#[specta::specta]
pub async fn revoke(app: AppState<'_>, slug: String, reason: String) -> CmdResult<()> {
    decide(&app, &slug, Action::Revoke, &reason).await
}

/// Reject and revoke differ only in the action; the registry checks status and reason.
async fn decide(app: &AppState<'_>, slug: &str, action: Action, reason: &str) -> CmdResult<()> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .decide(slug, action, &app.reviewer(), reason)
        .await
        .map_err(registry)
}
