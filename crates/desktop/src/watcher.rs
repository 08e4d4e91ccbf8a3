//! The app's watcher: the sentinel's watch loop (`godconfig_sentinel::watch`) on the open
//! workspace's connectors folder, on a task of its own, and the state the UI shows. At most one
//! runs: it is restarted when the workspace changes or the toggle is turned on, and stopped when
//! the toggle is turned off or the app exits, always after the sync in progress (if any). Its
//! syncs and "Sync now" hold the same lock, so the two never run at once.

use crate::error::{AppError, ErrorCode};
use crate::sync::{self, SyncSummary};
use crate::workspace::Workspace;
use chrono::{DateTime, Utc};
use godconfig_sentinel::watch::{watch, WatchEvent, WatchOptions};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{oneshot, watch as channel};

/// What the watcher is doing.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WatcherStatus {
    /// Not watching: turned off, or no workspace is open (then `dir` is null).
    Off,
    /// Setting up the OS's watches.
    Starting,
    Watching,
    /// A sync runs: of these connector folders, or of the whole folder (null).
    Syncing {
        folders: Option<Vec<String>>,
    },
    /// The folder is gone; nothing was removed, the watcher waits for it to come back.
    FolderGone,
    /// The last sync failed and what is registered is unchanged (`stopped: false`: still
    /// watching), or the folder cannot be watched at all (`stopped: true`).
    Error {
        error: ErrorCode,
        stopped: bool,
    },
}

/// The last sync the watcher ran.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WatcherSync {
    /// When it committed.
    pub at: DateTime<Utc>,
    /// The connector folders it synced; null for the whole folder (the start, the folder back,
    /// a rescan, a burst of more than 500 folders).
    pub folders: Option<Vec<String>>,
    /// Changed paths in the burst (0 for the first sync).
    pub changes: u32,
    /// From the first change of the burst to the commit (for the first sync: its duration).
    pub after_change_ms: u32,
    pub summary: SyncSummary,
}

/// What the UI shows: the toggle, the status, the last sync.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WatcherState {
    /// The toggle, as saved in the settings (on unless turned off).
    pub enabled: bool,
    /// The folder watched, or to watch; null when no workspace is open.
    pub dir: Option<String>,
    pub status: WatcherStatus,
    pub last_sync: Option<WatcherSync>,
    /// The last problem the OS's watcher reported (a full sync followed it), since the start.
    pub warning: Option<String>,
}

/// The running watch task and how to stop it.
struct Running {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Returns once the task ended: after the sync in progress, never in the middle of one.
    async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// The watcher's controller, held by `App`.
pub struct Watcher {
    state: channel::Sender<WatcherState>,
    running: tokio::sync::Mutex<Option<Running>>,
}

impl Watcher {
    pub fn new(enabled: bool) -> Watcher {
        Watcher {
            state: channel::Sender::new(WatcherState {
                enabled,
                dir: None,
                status: WatcherStatus::Off,
                last_sync: None,
                warning: None,
            }),
            running: tokio::sync::Mutex::new(None),
        }
    }

    pub fn state(&self) -> WatcherState {
        self.state.borrow().clone()
    }

    /// Every change of the state (a front end turns them into events).
    pub fn subscribe(&self) -> channel::Receiver<WatcherState> {
        self.state.subscribe()
    }

    pub fn is_running(&self) -> bool {
        self.running.try_lock().map_or(true, |r| r.is_some())
    }

    /// Stops the running watcher, if any, then watches `ws`'s folder when `enabled`.
    pub async fn restart(&self, ws: Option<Arc<Workspace>>, enabled: bool, opts: WatchOptions) {
        let mut running = self.running.lock().await;
        if let Some(old) = running.take() {
            old.stop().await;
        }
        let dir = ws.as_ref().map(|w| w.connectors_dir.display().to_string());
        self.state.send_modify(|s| {
            if s.dir != dir {
                s.last_sync = None;
            }
            s.enabled = enabled;
            s.dir = dir;
            s.warning = None;
            s.status = match (&s.dir, enabled) {
                (Some(_), true) => WatcherStatus::Starting,
                _ => WatcherStatus::Off,
            };
        });
        let Some(ws) = ws.filter(|_| enabled) else {
            return;
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let state = self.state.clone();
        let task = tokio::spawn(async move {
            let started = Mutex::new(Instant::now());
            let on = |e: WatchEvent| {
                let whole = matches!(e, WatchEvent::Synced { folders: None, .. });
                apply(&state, &started, e);
                if whole {
                    release_memory();
                }
            };
            let stop = async {
                let _ = stopped.await;
            };
            let result = watch(&ws.connectors_dir, &ws.registry, &opts, &on, stop).await;
            if let Err(e) = result {
                tracing::warn!(code = %e.code(), "the connectors folder cannot be watched: {e}");
                let error = AppError::from(e).to_ipc();
                state.send_modify(|s| {
                    s.status = WatcherStatus::Error {
                        error,
                        stopped: true,
                    }
                });
            }
        });
        *running = Some(Running { stop, task });
    }

    /// Stops the running watcher (after the sync in progress) and says so.
    pub async fn stop(&self) {
        let mut running = self.running.lock().await;
        if let Some(old) = running.take() {
            old.stop().await;
        }
        self.state.send_modify(|s| s.status = WatcherStatus::Off);
    }
}

/// After a sync of the whole folder, gives the heap it used back to the OS. glibc keeps freed
/// memory in its arenas (one per worker thread), and the first sync of 10,000 connectors
/// (read, parsed and checked) would stay in the app's resident memory for its whole life:
/// +60 MB measured (docs/performance.md). An incremental sync is small; none is needed then.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the OS; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn names(folders: &Option<BTreeSet<String>>) -> Option<Vec<String>> {
    folders.as_ref().map(|f| f.iter().cloned().collect())
}

fn ms(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_millis()).unwrap_or(u32::MAX)
}

/// One event of the loop into the state. `started` is when the sync in progress started.
fn apply(state: &channel::Sender<WatcherState>, started: &Mutex<Instant>, e: WatchEvent) {
    match e {
        WatchEvent::Watching { .. } => state.send_modify(|s| s.status = WatcherStatus::Watching),
        WatchEvent::Syncing { folders } => {
            *started.lock().expect("watcher clock") = Instant::now();
            state.send_modify(|s| {
                s.status = WatcherStatus::Syncing {
                    folders: names(&folders),
                }
            });
        }
        WatchEvent::Synced {
            folders,
            outcome,
            since,
            changes,
        } => {
            let elapsed = ms(*started.lock().expect("watcher clock"));
            let last = WatcherSync {
                at: Utc::now(),
                folders: names(&folders),
                changes: u32::try_from(changes).unwrap_or(u32::MAX),
                after_change_ms: ms(since),
                summary: sync::summary(*outcome, Vec::new(), elapsed),
            };
            tracing::info!(
                folders = ?last.folders,
                after_change_ms = last.after_change_ms,
                "the watcher synced"
            );
            state.send_modify(|s| {
                s.status = WatcherStatus::Watching;
                s.last_sync = Some(last);
            });
        }
        WatchEvent::SyncFailed { error } => {
            tracing::warn!(code = %error.code(), "a watcher sync failed: {error}");
            let error = AppError::from(error).to_ipc();
            state.send_modify(|s| {
                s.status = WatcherStatus::Error {
                    error,
                    stopped: false,
                }
            });
        }
        WatchEvent::FolderGone => state.send_modify(|s| s.status = WatcherStatus::FolderGone),
        WatchEvent::WatchError { message } => {
            tracing::warn!("the OS's watcher: {message}; a full sync follows");
            state.send_modify(|s| s.warning = Some(message));
        }
        // The controller says what comes next (off, or starting again).
        WatchEvent::Stopped => {}
    }
}
