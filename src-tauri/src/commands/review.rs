//! The review queue, the connector page, and the operator's decisions.

use super::AppState;
use crate::error::{ipc, registry, CmdResult};
use godconfig_desktop::delta::Delta;
use godconfig_desktop::queue::{self, KeyCounts};
use godconfig_desktop::{connector_view, ApproveItem, ConnectorView};
use godconfig_registry::{Action, Approval, CodeReview, QueueRow};

/// The queue, whole or the rows that changed since the version the webview holds; `only`: the
/// connectors a `registry-changed` named.
#[tauri::command]
#[specta::specta]
pub async fn review_queue(
    app: AppState<'_>,
    since: Option<u32>,
    only: Option<Vec<String>>,
) -> CmdResult<Delta<QueueRow>> {
    let ws = app.workspace().await.map_err(ipc)?;
    queue::rows(&ws, since, only).await.map_err(ipc)
}

/// Each connector's keys' health, for the queue's lines, whole or what changed since `since`.
#[tauri::command]
#[specta::specta]
pub async fn queue_keys(
    app: AppState<'_>,
    since: Option<u32>,
    only: Option<Vec<String>>,
) -> CmdResult<Delta<KeyCounts>> {
    let ws = app.workspace().await.map_err(ipc)?;
    queue::keys(&ws, &app.vault, app.rotation_days(), since, only)
        .await
        .map_err(ipc)
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
