//! The MCP gateway's side of the app (issue 19): the calls waiting for a person and their
//! answers, each tool's policy, connecting an MCP client, and the recent tool calls.

use super::AppState;
use crate::error::{ipc, registry, CmdResult};
use godconfig_desktop::agents::{self, AgentsView};
use godconfig_registry::gateway::{Answer, Policy};
use godconfig_registry::{AuditEntry, PendingCall, ServedTool};
use godconfig_sentinel::flows::agents::{Client, Installed};

/// The calls waiting for an answer, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn pending_calls(app: AppState<'_>) -> CmdResult<Vec<PendingCall>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.pending_calls().await.map_err(registry)
}

/// *Allow once* or *Deny*; refused when the call was already answered or its time ran out.
#[tauri::command]
#[specta::specta]
pub async fn answer_call(app: AppState<'_>, id: i64, answer: Answer) -> CmdResult<PendingCall> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .answer_pending_call(id, answer, &app.reviewer())
        .await
        .map_err(registry)
}

/// Every tool of a connector with its policy in force, approved or not.
#[tauri::command]
#[specta::specta]
pub async fn tool_policies(app: AppState<'_>, slug: String) -> CmdResult<Vec<ServedTool>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.tools_of(&slug).await.map_err(registry)
}

/// Sets one tool's policy (admins); no policy (null) goes back to the default. Returns the
/// policy in force before and after.
#[tauri::command]
#[specta::specta]
pub async fn set_tool_policy(
    app: AppState<'_>,
    slug: String,
    operation: String,
    policy: Option<Policy>,
) -> CmdResult<(Policy, Policy)> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .set_tool_policy((&slug, &operation), policy, &app.reviewer())
        .await
        .map_err(registry)
}

/// The four MCP clients, whether each has the gateway, and the command it would run.
#[tauri::command]
#[specta::specta]
pub async fn agent_clients(app: AppState<'_>) -> CmdResult<AgentsView> {
    let ws = app.workspace().await.map_err(ipc)?;
    agents::view(&ws).map_err(ipc)
}

/// Adds the gateway to one client's configuration file (the rest kept, a backup written).
#[tauri::command]
#[specta::specta]
pub async fn connect_agent(app: AppState<'_>, client: Client) -> CmdResult<Installed> {
    let ws = app.workspace().await.map_err(ipc)?;
    agents::connect(&ws, client).map_err(ipc)
}

/// The newest tool-call receipts (`mcp.call` audit entries), newest first.
#[tauri::command]
#[specta::specta]
pub async fn recent_calls(app: AppState<'_>, limit: u32) -> CmdResult<Vec<AuditEntry>> {
    let ws = app.workspace().await.map_err(ipc)?;
    let limit = i64::from(limit.clamp(1, 500));
    ws.registry.recent_calls(limit).await.map_err(registry)
}
