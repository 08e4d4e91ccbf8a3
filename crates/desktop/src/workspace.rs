//! The open workspace: a connectors folder and a registry. The app holds at most one; opening
//! another replaces it only once the new one has opened, so a typo never leaves the app empty.

use crate::error::{AppError, Result};
use crate::settings::{Settings, SettingsFile};
use crate::sync::{self, SyncProgress, SyncSummary};
use crate::watcher::{Watcher, WatcherState};
use godconfig_registry::{CacheSize, DbTarget, Registry};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Set by `./dev run` and the end-to-end tests; wins over the remembered folder.
pub const CONNECTORS_DIR_ENV: &str = "GODCONFIG_CONNECTORS_DIR";

pub struct Workspace {
    pub connectors_dir: PathBuf,
    pub target: DbTarget,
    pub registry: Registry,
    /// What the webview holds of the review queue, to send it only what changed.
    pub queue: crate::queue::QueueVersions,
}

/// What the UI shows of the workspace: never a password.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WorkspaceInfo {
    pub connectors_dir: String,
    pub registry: String,
    pub backend: String,
    /// Whether the connection to a PostgreSQL server is encrypted (TLS); None for SQLite.
    pub encrypted: Option<bool>,
    pub reviewer: String,
}

impl Workspace {
    pub async fn open(connectors_dir: &str, registry: &str) -> Result<Workspace> {
        let dir = PathBuf::from(connectors_dir.trim());
        if !dir.is_dir() {
            return Err(AppError::NotAFolder(dir.display().to_string()));
        }
        let target = DbTarget::parse(registry)?;
        if let DbTarget::Sqlite(path) = &target {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| AppError::cannot_write(parent, e))?;
            }
        }
        // A long-running reader: a small page cache per connection (see `CacheSize`).
        let registry = Registry::open_with(&target, CacheSize::Interactive).await?;
        Ok(Workspace {
            connectors_dir: dir,
            target,
            registry,
            queue: Default::default(),
        })
    }

    fn info(&self, reviewer: String) -> WorkspaceInfo {
        WorkspaceInfo {
            connectors_dir: self.connectors_dir.display().to_string(),
            registry: self.target.display(),
            backend: self.registry.backend().to_string(),
            encrypted: self.registry.encrypted(),
            reviewer,
        }
    }
}

/// Which registry to open. A file can only come from the native dialog (`Picked`): the webview
/// never names a path itself.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RegistryChoice {
    /// The embedded SQLite file in the user's data directory.
    Default,
    /// The file last picked in the dialog.
    Picked,
    Postgres {
        url: String,
    },
}

/// What the dialogs picked, not yet opened.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct Picks {
    pub connectors_dir: Option<String>,
    pub registry_file: Option<String>,
    /// Where the welcome screen creates a new workspace (first_run.rs).
    pub new_folder: Option<String>,
}

/// The app's state: settings, the open workspace, the one sync that may run, the watcher.
pub struct App {
    pub(crate) settings_file: SettingsFile,
    pub(crate) settings: Mutex<Settings>,
    picks: Mutex<Picks>,
    current: tokio::sync::RwLock<Option<Arc<Workspace>>>,
    /// Held by every sync, "Sync now"'s and the watcher's: one at a time.
    syncing: Arc<tokio::sync::Mutex<()>>,
    /// Held by "Sync now" (waiting for a watcher's sync included): a second one is refused.
    sync_now: tokio::sync::Mutex<()>,
    watcher: Watcher,
    /// False until the start-up workspace was opened (or failed to).
    ready: tokio::sync::watch::Sender<bool>,
    startup_error: Mutex<Option<crate::ErrorCode>>,
    /// Why the settings file could not be read, while it cannot: nothing is written to it then
    /// (settings_problem.rs).
    pub(crate) settings_problem: Mutex<Option<crate::ErrorCode>>,
    /// The OS keyring; connects on first use.
    pub vault: godconfig_vault::Vault,
}

/// What the workspace screen shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WorkspaceState {
    pub open: Option<WorkspaceInfo>,
    pub picks: Picks,
    /// Why the remembered workspace did not open at start, if it did not.
    pub startup_error: Option<crate::ErrorCode>,
    /// Why the settings file cannot be read, if it cannot: the app shows only that, and how to
    /// fix it, until it is fixed or moved aside.
    pub settings_problem: Option<crate::ErrorCode>,
    pub default_registry: String,
    /// What the welcome screen offers; only while no workspace is open.
    pub first_run: Option<crate::first_run::FirstRun>,
}

impl App {
    /// The app with the settings of `settings_file`; one that cannot be read gives the defaults
    /// and a `settings_problem`, never an app that does not start.
    pub fn new(settings_file: SettingsFile) -> Result<App> {
        let (settings, problem) = match settings_file.load() {
            Ok(s) => (s, None),
            Err(e) => (Settings::default(), Some(e.to_ipc())),
        };
        Ok(App {
            settings_problem: Mutex::new(problem),
            watcher: Watcher::new(settings.watcher_on()),
            settings_file,
            settings: Mutex::new(settings),
            picks: Mutex::new(Picks::default()),
            current: tokio::sync::RwLock::new(None),
            syncing: Arc::new(tokio::sync::Mutex::new(())),
            sync_now: tokio::sync::Mutex::new(()),
            ready: tokio::sync::watch::Sender::new(false),
            startup_error: Mutex::new(None),
            vault: godconfig_vault::Vault::os(),
        })
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().expect("settings lock").clone()
    }

    fn update(&self, f: impl FnOnce(&mut Settings)) -> Result<Settings> {
        let mut next = self.settings();
        f(&mut next);
        if self.settings_problem().is_some() {
            // The unreadable file is the user's to fix or move aside: never overwritten.
            return Err(AppError::Settings {
                path: self.settings_file.path().display().to_string(),
                op: "written",
                reason:
                    "it could not be read, so it is left as it is until it is fixed or moved aside"
                        .into(),
            });
        }
        // What is kept (and sent to the UI) is what was written: never a password.
        let next = self.settings_file.save(&next)?;
        *self.settings.lock().expect("settings lock") = next.clone();
        Ok(next)
    }

    /// The workspace to open at start: the environment, else the remembered one. The registry
    /// defaults to the embedded SQLite file. None when no connectors folder is known yet.
    pub fn startup_choice(&self) -> Option<(String, String)> {
        let s = self.settings();
        let dir = std::env::var(CONNECTORS_DIR_ENV)
            .ok()
            .filter(|d| !d.trim().is_empty())
            .or(s.connectors_dir)?;
        let registry = match std::env::var(godconfig_registry::DATABASE_URL_ENV) {
            Ok(u) if !u.trim().is_empty() => u,
            _ => s.registry.unwrap_or_else(default_registry),
        };
        Some((dir, registry))
    }

    /// Opens the start-up workspace, if one is known; an error is kept for the UI to show.
    pub async fn open_at_start(&self) -> bool {
        let mut opened = false;
        if let Some((dir, registry)) = self.startup_choice() {
            match self.open(&dir, &registry).await {
                Ok(_) => opened = true,
                Err(e) => *self.startup_error.lock().expect("error lock") = Some(e.to_ipc()),
            }
        }
        self.ready.send_replace(true);
        opened
    }

    /// The workspace screen's state, once start-up is over.
    pub async fn state(&self) -> WorkspaceState {
        let _ = self.ready.subscribe().wait_for(|r| *r).await;
        let open = self.info().await;
        WorkspaceState {
            first_run: open.is_none().then(|| self.first_run()),
            open,
            picks: self.picks(),
            startup_error: self.startup_error.lock().expect("error lock").clone(),
            settings_problem: self.settings_problem(),
            default_registry: default_registry(),
        }
    }

    /// Opens a workspace, remembers it, and makes it current.
    pub async fn open(&self, connectors_dir: &str, registry: &str) -> Result<WorkspaceInfo> {
        let ws = Arc::new(Workspace::open(connectors_dir, registry).await?);
        self.update(|s| {
            s.connectors_dir = Some(ws.connectors_dir.display().to_string());
            s.registry = Some(registry.trim().to_string());
        })?;
        let info = ws.info(self.settings().reviewer());
        *self.current.write().await = Some(ws);
        *self.startup_error.lock().expect("error lock") = None;
        Ok(info)
    }

    /// Records a folder picked in the native dialog.
    pub fn pick_connectors_dir(&self, path: String) -> Picks {
        let mut p = self.picks.lock().expect("picks lock");
        p.connectors_dir = Some(path);
        p.clone()
    }

    /// Records a registry file picked in the native dialog.
    pub fn pick_registry_file(&self, path: String) -> Picks {
        let mut p = self.picks.lock().expect("picks lock");
        p.registry_file = Some(path);
        p.clone()
    }

    /// Records where the welcome screen creates a new workspace.
    pub fn pick_new_folder(&self, path: String) -> Picks {
        let mut p = self.picks.lock().expect("picks lock");
        p.new_folder = Some(path);
        p.clone()
    }

    pub fn picks(&self) -> Picks {
        self.picks.lock().expect("picks lock").clone()
    }

    pub(crate) fn clear_picks(&self) {
        *self.picks.lock().expect("picks lock") = Picks::default();
    }

    /// Opens the picked folder (or the current one) with the chosen registry.
    pub async fn open_choice(&self, choice: RegistryChoice) -> Result<WorkspaceInfo> {
        let picks = self.picks();
        let current = self.current.read().await.clone();
        let dir = picks
            .connectors_dir
            .or_else(|| current.map(|w| w.connectors_dir.display().to_string()))
            .ok_or(AppError::NoFolderPicked)?;
        let registry = match choice {
            RegistryChoice::Default => default_registry(),
            RegistryChoice::Picked => picks.registry_file.ok_or(AppError::NoFilePicked)?,
            RegistryChoice::Postgres { url } => match DbTarget::parse(&url)? {
                DbTarget::Postgres(_) => url,
                DbTarget::Sqlite(_) => {
                    return Err(godconfig_registry::RegistryError::BadUrl {
                        url: "(not a postgres:// URL)".into(),
                    }
                    .into())
                }
            },
        };
        let info = self.open(&dir, &registry).await?;
        self.clear_picks();
        Ok(info)
    }

    pub async fn workspace(&self) -> Result<Arc<Workspace>> {
        self.current
            .read()
            .await
            .clone()
            .ok_or(AppError::NoWorkspace)
    }

    pub async fn info(&self) -> Option<WorkspaceInfo> {
        let reviewer = self.settings().reviewer();
        self.current.read().await.as_ref().map(|w| w.info(reviewer))
    }

    /// None clears the name (the OS user name is used again).
    pub fn set_reviewer_name(&self, name: Option<String>) -> Result<Settings> {
        let name = match name {
            Some(n) if n.trim().is_empty() => return Err(AppError::BlankName),
            other => other.map(|n| n.trim().to_string()),
        };
        self.update(|s| s.reviewer_name = name)
    }

    /// None goes back to the default (90 days); 1 to 3650 days.
    pub fn set_rotation_days(&self, days: Option<u32>) -> Result<Settings> {
        if days.is_some_and(|d| !(1..=3650).contains(&d)) {
            return Err(AppError::BadRotation);
        }
        self.update(|s| s.rotation_days = days)
    }

    pub fn rotation_days(&self) -> u32 {
        self.settings().rotation_days()
    }

    pub fn reviewer(&self) -> String {
        self.settings().reviewer()
    }

    /// Runs a sync ("Sync now"); refuses a second one while one runs, and waits for the
    /// watcher's sync in progress, if any, to finish first.
    pub async fn sync(&self, progress: &(dyn Fn(SyncProgress) + Sync)) -> Result<SyncSummary> {
        let _mine = self
            .sync_now
            .try_lock()
            .map_err(|_| AppError::SyncRunning)?;
        let ws = self.workspace().await?;
        let _running = self.syncing.lock().await;
        sync::run(&ws.connectors_dir, &ws.registry, &self.reviewer(), progress).await
    }

    /// Resolves once no sync is running (used before the app exits).
    pub async fn sync_finished(&self) {
        let _ = self.syncing.lock().await;
    }

    pub fn is_syncing(&self) -> bool {
        self.syncing.try_lock().is_err()
    }

    /// The watcher's toggle, status and last sync.
    pub fn watcher_state(&self) -> WatcherState {
        self.watcher.state()
    }

    /// Every change of the watcher's state.
    pub fn watcher_updates(&self) -> tokio::sync::watch::Receiver<WatcherState> {
        self.watcher.subscribe()
    }

    /// (Re)starts the watcher on the open workspace's folder, as the toggle says; stops the
    /// one running first. Call it after opening a workspace.
    pub async fn restart_watcher(&self) {
        let ws = self.current.read().await.clone();
        let mut opts = godconfig_sentinel::watch::WatchOptions::new(self.reviewer());
        opts.lock = Some(self.syncing.clone());
        let on = self.settings().watcher_on();
        self.watcher.restart(ws, on, opts).await;
    }

    /// Turns the watcher on or off and remembers it. On, it first syncs the whole folder, so
    /// what changed while it was off is registered.
    pub async fn set_watcher(&self, on: bool) -> Result<WatcherState> {
        self.update(|s| s.watcher = Some(on))?;
        self.restart_watcher().await;
        Ok(self.watcher_state())
    }

    /// Before the app exits: stops the watcher and waits for any sync to finish.
    pub async fn shutdown(&self) {
        self.watcher.stop().await;
        self.sync_finished().await;
    }

    /// Whether exiting now must wait (`shutdown`): a watcher runs, or a sync does.
    pub fn busy(&self) -> bool {
        self.watcher.is_running() || self.is_syncing()
    }
}

/// The embedded default registry, as a path.
pub fn default_registry() -> String {
    godconfig_registry::default_sqlite_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "registry.db".to_string())
}
