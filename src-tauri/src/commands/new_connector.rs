//! New connector: order a connector folder in the workspace (what `sentinel new` writes), get
//! the prompt for a coding agent, and sync.

use super::AppState;
use crate::error::{ipc, CmdResult};
use godconfig_desktop::new_connector::{self, NewConnector, NewConnectorOutcome};

/// Writes `<connectors>/<slug>/` (refused when it exists, `sentinel.exists`; `check`'s
/// diagnostics and nothing written for a bad slug or URL), then runs the normal sync.
#[tauri::command]
#[specta::specta]
pub async fn new_connector(
    app: AppState<'_>,
    order: NewConnector,
) -> CmdResult<NewConnectorOutcome> {
    new_connector::create(&app, order).await.map_err(ipc)
}
