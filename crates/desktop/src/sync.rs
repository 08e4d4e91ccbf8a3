//! "Sync now": the sentinel run in-process, reported the way `sentinel sync` reports it.

use godconfig_manifest::Diagnostic;
use godconfig_registry::{ConnectorChange, Registry};
use godconfig_sentinel::{flows, Progress, SyncOptions, SyncOutcome};
use serde::Serialize;
use std::path::Path;

/// Progress events for the progress bar.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum SyncProgress {
    Scanned { connectors: u32 },
    Registered,
    Generating { total: u32 },
    Generated { done: u32 },
}

impl From<Progress> for SyncProgress {
    fn from(p: Progress) -> Self {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        match p {
            Progress::Scanned { connectors } => SyncProgress::Scanned {
                connectors: n(connectors),
            },
            Progress::Registered => SyncProgress::Registered,
            Progress::Generating { total } => SyncProgress::Generating { total: n(total) },
            Progress::Generated { done } => SyncProgress::Generated { done: n(done) },
        }
    }
}

/// A rejected manifest and why.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Rejected {
    pub folder: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// The same summary as `sentinel sync`: added, changed, removed, rejected.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SyncSummary {
    pub added: Vec<ConnectorChange>,
    pub changed: Vec<ConnectorChange>,
    pub removed: Vec<ConnectorChange>,
    pub unchanged: u32,
    pub rejected: Vec<Rejected>,
    pub stubs_written: u32,
    pub elapsed_ms: u32,
    /// Approvals the team policy's expiry sent back to review after the sync.
    pub expired: Vec<String>,
}

/// Runs one sync. The registry work is one transaction: it commits whole or not at all, so
/// stopping the app mid-way loses nothing.
pub async fn run(
    dir: &Path,
    registry: &Registry,
    actor: &str,
    progress: &(dyn Fn(SyncProgress) + Sync),
) -> crate::error::Result<SyncSummary> {
    let started = std::time::Instant::now();
    let opts = SyncOptions {
        dry_run: false,
        actor: actor.to_string(),
    };
    let run = flows::sync_with_policy(dir, registry, &opts, &|p| progress(p.into())).await?;
    let expired = run.expired?;
    let elapsed_ms = started.elapsed().as_millis() as u32;
    Ok(summary(run.outcome, expired, elapsed_ms))
}

/// A sync's outcome as the app shows it (also the watcher's last sync): each rejected folder
/// with its diagnostics.
pub fn summary(out: SyncOutcome, expired: Vec<String>, elapsed_ms: u32) -> SyncSummary {
    let mut rejected: Vec<Rejected> = out
        .report
        .rejected
        .iter()
        .map(|folder| Rejected {
            folder: folder.clone(),
            diagnostics: Vec::new(),
        })
        .collect();
    for d in godconfig_sentinel::sorted(&out.check.diagnostics) {
        // Diagnostics name `DIR/<folder>/<file>`.
        let folder = Path::new(&d.path).parent().and_then(|p| p.file_name());
        if let Some(r) = rejected
            .iter_mut()
            .find(|r| folder.is_some_and(|f| f == r.folder.as_str()))
        {
            r.diagnostics.push(d.clone());
        }
    }
    SyncSummary {
        added: out.report.added,
        changed: out.report.changed,
        removed: out.report.removed,
        unchanged: out.report.unchanged as u32,
        rejected,
        stubs_written: out.written.len() as u32,
        elapsed_ms,
        expired,
    }
}

/// One connector to approve, pinned to the manifest hash and the files the operator looked at.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
pub struct ApproveItem {
    pub slug: String,
    pub manifest_hash: String,
    pub fingerprint: String,
}

impl From<ApproveItem> for godconfig_registry::ApproveRequest {
    fn from(i: ApproveItem) -> Self {
        godconfig_registry::ApproveRequest {
            slug: i.slug,
            expected_hash: Some(i.manifest_hash),
            expected_fingerprint: Some(i.fingerprint),
        }
    }
}
