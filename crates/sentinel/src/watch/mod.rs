//! Watches a connectors folder and registers what changes: the connectors a change touches, and
//! only those, once per burst. `sentinel watch` and the app run the same loop.
//!
//! Events come from `notify` through its debouncer (one event per path once the path is quiet);
//! a batch then waits until the whole folder has been quiet for `settle`, so a `git checkout`
//! of a thousand files is one sync. A sync is never interrupted: a stop request is honoured
//! between syncs.

mod paths;

pub use paths::{folder_of, folders_of, is_transient};

use crate::flows::sync_with_policy;
use crate::{sync_folders, SentinelError, SyncOptions, SyncOutcome};
use godconfig_registry::Registry;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use std::collections::BTreeSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// More folders than this in one burst: one full sync instead of naming them all.
const FULL_SYNC_ABOVE: usize = 500;

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Who the audit log names for the syncs.
    pub actor: String,
    /// How long a path must be quiet before its change counts (the debouncer's timeout).
    pub debounce: Duration,
    /// How long the whole folder must be quiet before a sync starts.
    pub settle: Duration,
    /// Held for each sync, if set: another writer that takes it too (the app's "Sync now")
    /// never runs at the same time. The watcher waits for it before syncing.
    pub lock: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl WatchOptions {
    pub fn new(actor: String) -> Self {
        WatchOptions {
            actor,
            debounce: Duration::from_millis(20),
            settle: Duration::from_millis(20),
            lock: None,
        }
    }
}

/// What a watcher reports, in order.
pub enum WatchEvent {
    /// Watching the folder (canonical path).
    Watching { dir: PathBuf },
    /// A sync starts (the lock, if any, is held): of `folders`, or of the whole folder (`None`).
    Syncing { folders: Option<BTreeSet<String>> },
    /// A sync ran: of `folders`, or of the whole folder (`None`: the start, the folder back, a
    /// rescan). `since` is when the first change of the batch arrived; `changes` counts the
    /// changed paths the batch held.
    Synced {
        folders: Option<BTreeSet<String>>,
        outcome: Box<SyncOutcome>,
        since: Instant,
        changes: usize,
    },
    /// A sync failed; what is registered is as it was, and the watcher goes on.
    SyncFailed { error: SentinelError },
    /// The folder is gone: nothing is removed, the watcher waits for it to come back.
    FolderGone,
    /// The OS's watcher reported a problem (a queue overflow, a limit); a full sync follows.
    WatchError { message: String },
    /// Stopped, after the sync in progress (if any) finished.
    Stopped,
}

/// What a batch of events asks for.
#[derive(Default)]
struct Batch {
    folders: BTreeSet<String>,
    full: bool,
    changes: usize,
    errors: Vec<String>,
}

impl Batch {
    fn add(&mut self, dir: &Path, result: DebounceEventResult) {
        match result {
            Ok(events) => {
                for e in events {
                    if matches!(e.event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    self.full |= e.event.need_rescan();
                    for p in &e.event.paths {
                        if let Some(folder) = folder_of(dir, p) {
                            self.changes += 1;
                            self.folders.insert(folder);
                        }
                    }
                }
            }
            Err(errors) => {
                self.full = true;
                self.errors
                    .extend(errors.into_iter().map(|e| e.to_string()));
            }
        }
    }
}

fn watch_error(dir: &Path, e: notify_debouncer_full::notify::Error) -> SentinelError {
    let mut reason = e.to_string();
    if matches!(
        e.kind,
        notify_debouncer_full::notify::ErrorKind::MaxFilesWatch
    ) {
        reason.push_str(
            "; raise the limit: sudo sysctl fs.inotify.max_user_watches=524288 (one per folder)",
        );
    }
    SentinelError::Watch {
        path: dir.to_path_buf(),
        reason,
    }
}

/// Watches `dir` until `stop` completes: a full sync first, then one sync per burst of changes.
/// Fails only when the folder cannot be watched at all.
pub async fn watch(
    dir: &Path,
    store: &Registry,
    opts: &WatchOptions,
    on: &(dyn Fn(WatchEvent) + Sync),
    stop: impl Future<Output = ()>,
) -> Result<(), SentinelError> {
    let dir = dir.canonicalize().map_err(|e| SentinelError::Dir {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let (tx, mut rx) = mpsc::unbounded_channel::<DebounceEventResult>();
    let handler = move |r: DebounceEventResult| {
        let _ = tx.send(r);
    };
    let mut debouncer =
        new_debouncer(opts.debounce, None, handler).map_err(|e| watch_error(&dir, e))?;
    debouncer
        .watch(&dir, RecursiveMode::Recursive)
        .map_err(|e| watch_error(&dir, e))?;
    // The parent shows the folder coming back after it was deleted.
    if let Some(parent) = dir.parent() {
        let _ = debouncer.watch(parent, RecursiveMode::NonRecursive);
    }
    on(WatchEvent::Watching { dir: dir.clone() });
    let sync = SyncOptions {
        dry_run: false,
        actor: opts.actor.clone(),
    };
    let lock = opts.lock.as_deref();
    run_sync(&dir, store, &sync, lock, None, (Instant::now(), 0), on).await;
    tokio::pin!(stop);
    let mut gone = false;
    'outer: loop {
        let first = tokio::select! {
            _ = &mut stop => break,
            r = rx.recv() => r,
        };
        let Some(first) = first else { break };
        let since = Instant::now();
        let mut batch = Batch::default();
        batch.add(&dir, first);
        loop {
            tokio::select! {
                biased;
                // Nothing of this batch is applied yet: stopping now leaves nothing half done.
                _ = &mut stop => break 'outer,
                r = rx.recv() => match r {
                    Some(r) => batch.add(&dir, r),
                    None => break,
                },
                _ = tokio::time::sleep(opts.settle) => break,
            }
        }
        for message in std::mem::take(&mut batch.errors) {
            on(WatchEvent::WatchError { message });
        }
        if !dir.is_dir() {
            if !gone {
                gone = true;
                on(WatchEvent::FolderGone);
            }
            continue;
        }
        if gone {
            gone = false;
            batch.full = true;
            if let Err(e) = debouncer.watch(&dir, RecursiveMode::Recursive) {
                on(WatchEvent::WatchError {
                    message: watch_error(&dir, e).to_string(),
                });
            }
        }
        let only = match batch.full || batch.folders.len() > FULL_SYNC_ABOVE {
            true => None,
            false if batch.folders.is_empty() => continue,
            false => Some(batch.folders),
        };
        run_sync(&dir, store, &sync, lock, only, (since, batch.changes), on).await;
    }
    debouncer.stop_nonblocking();
    on(WatchEvent::Stopped);
    Ok(())
}

/// One sync, reported. A full one applies the team policy's approval expiry as `sentinel sync`
/// does; an incremental one leaves that to the next full sync.
async fn run_sync(
    dir: &Path,
    store: &Registry,
    opts: &SyncOptions,
    lock: Option<&tokio::sync::Mutex<()>>,
    only: Option<BTreeSet<String>>,
    (since, changes): (Instant, usize),
    on: &(dyn Fn(WatchEvent) + Sync),
) {
    let _held = match lock {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    on(WatchEvent::Syncing {
        folders: only.clone(),
    });
    let quiet = |_| {};
    let result = match &only {
        Some(folders) => sync_folders(dir, store, opts, folders, &quiet).await,
        None => sync_with_policy(dir, store, opts, &quiet)
            .await
            .map(|run| run.outcome),
    };
    on(match result {
        Ok(outcome) => WatchEvent::Synced {
            folders: only,
            outcome: Box::new(outcome),
            since,
            changes,
        },
        Err(error) => WatchEvent::SyncFailed { error },
    });
}
