//! Live updates: a task per open workspace waits on the registry's watcher (SQLite
//! `data_version`, PostgreSQL LISTEN/NOTIFY) and tells the webview, which refetches.

use godconfig_desktop::App;
use godconfig_registry::RegistryStore;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

/// Emitted when any writer (this app, another app, a sentinel) committed to the registry.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct RegistryChanged {
    pub backend: String,
}

/// The running watch task, replaced when another workspace opens.
#[derive(Default)]
pub struct LiveTask(Mutex<Option<tauri::async_runtime::JoinHandle<()>>>);

pub async fn restart(handle: &AppHandle) {
    let Ok(ws) = handle.state::<App>().workspace().await else {
        return;
    };
    let task_handle = handle.clone();
    let task = tauri::async_runtime::spawn(async move {
        let backend = ws.registry.backend().to_string();
        loop {
            let mut watcher = match ws.registry.watch().await {
                Ok(w) => w,
                Err(e) => {
                    tracing::warn!(code = e.code(), "live updates unavailable, retrying: {e}");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            };
            while watcher.changed().await.is_ok() {
                let event = RegistryChanged {
                    backend: backend.clone(),
                };
                if let Err(e) = event.emit(&task_handle) {
                    tracing::warn!("cannot emit registry-changed: {e}");
                }
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let live = handle.state::<LiveTask>();
    let old = live.0.lock().expect("live lock").replace(task);
    if let Some(old) = old {
        old.abort();
    }
}
