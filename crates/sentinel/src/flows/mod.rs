//! Flows that every front end triggers the same way (the CLI, the app, next the gateway): each
//! step after the first runs only once the one before has committed. Front ends parse, confirm
//! and print; what they do to the registry and the folder is here.

pub mod agents;
pub mod approval;
pub mod doctor;
pub mod gateway;
pub mod kpis;
pub mod utm;

use crate::{sync, Progress, SentinelError, SyncOptions, SyncOutcome};
use godconfig_registry::{GatingChange, GatingOutcome, Registry, RegistryError};
use std::path::{Path, PathBuf};

/// A sync, then the team policy's approval expiry, which every real sync applies.
pub struct SyncRun {
    pub outcome: SyncOutcome,
    /// Approvals sent back to review (none for a plan). `Err` when the sync committed but the
    /// expiry failed: the caller still reports the sync.
    pub expired: Result<Vec<String>, RegistryError>,
}

pub async fn sync_with_policy(
    dir: &Path,
    registry: &Registry,
    opts: &SyncOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SyncRun, SentinelError> {
    let outcome = sync(dir, registry, opts, progress).await?;
    let expired = if opts.dry_run {
        Ok(Vec::new())
    } else {
        registry
            .expire_approvals(chrono::Utc::now(), &opts.actor)
            .await
    };
    Ok(SyncRun { outcome, expired })
}

/// A gating change, then the `mcp.py` of each connector whose effective gating moved, so a stub
/// never lags the registry.
pub struct Gated {
    pub outcome: GatingOutcome,
    /// The stubs rewritten; none without a connectors folder. `Err` when the change committed
    /// but a stub could not be rewritten (the next sync retries).
    pub stubs: Result<Vec<PathBuf>, SentinelError>,
}

pub async fn change_gating(
    dir: Option<&Path>,
    registry: &Registry,
    change: &GatingChange,
    actor: &str,
) -> Result<Gated, SentinelError> {
    let outcome = registry.change_gating(change, actor).await?;
    let stubs = match dir {
        Some(dir) if !outcome.regated.is_empty() => {
            crate::refresh_stubs(dir, registry, &outcome.regated).await
        }
        _ => Ok(Vec::new()),
    };
    Ok(Gated { outcome, stubs })
}
