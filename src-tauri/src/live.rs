//! Live updates: a task per open workspace waits on the registry's watcher (SQLite
//! `data_version`, PostgreSQL LISTEN/NOTIFY) and tells the webview, which refetches. After each
//! change it also looks for tool calls that started waiting for a person, and announces each
//! one with a desktop notification. Another task forwards each change of the connectors
//! folder's watcher (`godconfig_desktop::watcher`) as `WatcherChanged`.

use godconfig_desktop::pending::{self, Announced};
use godconfig_desktop::{App, WatcherState, Workspace};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;
use tokio::sync::Notify;

/// Emitted when any writer (this app, another app, a sentinel) committed to the registry.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct RegistryChanged {
    pub backend: String,
    /// The connectors this change is known to touch, when the app's own watcher just synced
    /// them; None: anything may have changed. A hint only: another writer's commit in the same
    /// moment is not named, so a screen that reads only these reloads whole soon after.
    pub connectors: Option<Vec<String>>,
}

/// Emitted when the registry's server goes away (`online: false`, with when the next attempt is)
/// and when it is back (`online: true`, followed by a `RegistryChanged`: changes were missed).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct RegistryConnection {
    pub online: bool,
    pub retry_in_ms: u32,
    /// What failed, for the banner (never a secret: the URL's password is not in it).
    pub reason: Option<String>,
}

/// Emitted on each change of the connectors folder's watcher: toggled, syncing, synced, the
/// folder gone, an error.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct WatcherChanged(pub WatcherState);

/// Forwards the watcher's state to the webview for as long as the app runs. After each of its
/// syncs it asks the registry's watcher to look at once (SQLite is otherwise polled every
/// 200 ms), so open screens reload as soon as the sync committed, and once.
pub fn forward_watcher(handle: &AppHandle) {
    let mut updates = handle.state::<App>().watcher_updates();
    let handle = handle.clone();
    tauri::async_runtime::spawn(async move {
        let mut synced = None;
        while updates.changed().await.is_ok() {
            let state = updates.borrow_and_update().clone();
            let at = state.last_sync.as_ref().map(|l| l.at);
            if at.is_some() && at != synced {
                synced = at;
                let live = handle.state::<LiveTask>();
                let folders = state.last_sync.as_ref().and_then(|l| l.folders.clone());
                *live.hint.lock().expect("hint lock") = folders.map(|f| (Instant::now(), f));
                live.look.notify_one();
            }
            if let Err(e) = WatcherChanged(state).emit(&handle) {
                tracing::warn!("cannot emit watcher-changed: {e}");
            }
        }
    });
}

/// The running watch task, replaced when another workspace opens, and how to make it look at
/// the registry at once.
#[derive(Default)]
pub struct LiveTask {
    task: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
    look: Arc<Notify>,
    /// The folders the watcher's last sync touched, and when: named in the next change seen.
    hint: Arc<Mutex<Option<Hint>>>,
}

/// When the watcher's sync ended, and the folders it synced.
type Hint = (Instant, Vec<String>);

/// A hint older than this is not about the change just seen.
const HINT_FRESH: Duration = Duration::from_millis(500);

fn take_hint(hint: &Mutex<Option<Hint>>) -> Option<Vec<String>> {
    let taken = hint.lock().expect("hint lock").take();
    taken
        .filter(|(at, _)| at.elapsed() <= HINT_FRESH)
        .map(|(_, f)| f)
}

pub async fn restart(handle: &AppHandle) {
    let Ok(ws) = handle.state::<App>().workspace().await else {
        return;
    };
    let task_handle = handle.clone();
    let look = handle.state::<LiveTask>().look.clone();
    let hint = handle.state::<LiveTask>().hint.clone();
    let task = tauri::async_runtime::spawn(async move {
        let backend = ws.registry.backend().to_string();
        let changed = |connectors: Option<Vec<String>>| {
            let event = RegistryChanged {
                backend: backend.clone(),
                connectors,
            };
            if let Err(e) = event.emit(&task_handle) {
                tracing::warn!("cannot emit registry-changed: {e}");
            }
        };
        let connection = |online: bool, retry: Duration, reason: Option<String>| {
            let event = RegistryConnection {
                online,
                retry_in_ms: u32::try_from(retry.as_millis()).unwrap_or(u32::MAX),
                reason,
            };
            if let Err(e) = event.emit(&task_handle) {
                tracing::warn!("cannot emit registry-connection: {e}");
            }
        };
        let mut announced = Announced::default();
        let mut attempt = 0u32;
        loop {
            let reason = match ws.registry.watch().await {
                Ok(mut watcher) => {
                    if attempt > 0 {
                        tracing::info!("registry reachable again; live updates resumed");
                        connection(true, Duration::ZERO, None);
                        changed(None);
                    }
                    attempt = 0;
                    announce(&task_handle, &ws, &mut announced).await;
                    loop {
                        match watcher.changed_or(&look).await {
                            Ok(()) => {
                                changed(take_hint(&hint));
                                announce(&task_handle, &ws, &mut announced).await;
                            }
                            Err(e) => break e,
                        }
                    }
                }
                Err(e) => e,
            };
            let wait = godconfig_desktop::reconnect::backoff(attempt);
            attempt = attempt.saturating_add(1);
            tracing::warn!(
                code = %reason.code(),
                "registry unreachable, retrying in {wait:?}: {reason}"
            );
            connection(false, wait, Some(reason.to_string()));
            tokio::time::sleep(wait).await;
        }
    });
    let live = handle.state::<LiveTask>();
    let old = live.task.lock().expect("live lock").replace(task);
    if let Some(old) = old {
        old.abort();
    }
}

/// A desktop notification for each call that started waiting since the last look. Failing to
/// notify (no notification server, a registry error) only logs: the panel shows the call anyway.
async fn announce(handle: &AppHandle, ws: &Workspace, announced: &mut Announced) {
    let waiting = match ws.registry.pending_calls().await {
        Ok(waiting) => waiting,
        Err(e) => {
            tracing::debug!("cannot read the waiting calls for notifications: {e}");
            return;
        }
    };
    let now = chrono::Utc::now();
    for call in announced.news(&waiting, now) {
        let (title, body) = pending::notification(call, now);
        let shown = handle
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show();
        match shown {
            Ok(()) => tracing::info!(id = call.id, "desktop notification for a waiting call"),
            Err(e) => tracing::warn!(id = call.id, "cannot show a desktop notification: {e}"),
        }
    }
}
