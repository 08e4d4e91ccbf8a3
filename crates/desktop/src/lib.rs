//! The desktop app's services, free of Tauri so they are tested like any library: the settings
//! file, the open workspace (connectors folder + registry), sync with progress, and the watcher
//! of the connectors folder. The Tauri crate only adapts these to commands and events.

pub mod agents;
pub mod audit;
mod connector;
pub mod delta;
mod error;
pub mod first_run;
pub mod kpis;
pub mod new_connector;
pub mod pending;
pub mod queue;
pub mod reconnect;
mod scopes;
pub mod settings;
mod settings_problem;
pub mod sync;
pub mod utm;
pub mod vault;
pub mod watcher;
pub mod workspace;

pub use connector::{connector_view, ConnectorView};
pub use error::{AppError, ErrorCode};
pub use scopes::{change_gating, GatingResult};
pub use settings::{Settings, SettingsFile};
pub use sync::{ApproveItem, SyncProgress, SyncSummary};
pub use watcher::{WatcherState, WatcherStatus, WatcherSync};
pub use workspace::{
    default_registry, App, Picks, RegistryChoice, Workspace, WorkspaceInfo, WorkspaceState,
    CONNECTORS_DIR_ENV,
};
