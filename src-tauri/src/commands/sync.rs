//! "Sync now", with progress streamed over a channel.

use super::AppState;
use crate::error::{ipc, CmdResult};
use godconfig_desktop::{SyncProgress, SyncSummary};
use tauri::ipc::Channel;

#[tauri::command]
#[specta::specta]
pub async fn sync_now(
    app: AppState<'_>,
    on_progress: Channel<SyncProgress>,
) -> CmdResult<SyncSummary> {
    let send = |p: SyncProgress| {
        let _ = on_progress.send(p);
    };
    app.sync(&send).await.map_err(ipc)
}
