//! The sentinel: the only way connectors get registered. It scans a connectors folder, validates
//! every manifest, registers the valid ones and generates their `mcp.py`. The CLI and the desktop
//! app both call this library.

mod cached;
pub mod contract;
mod error;
pub mod flows;
pub mod folder;
mod generate;
pub mod python;
pub mod scaffold;
pub mod scan;
mod stat_cache;
pub mod stubs;
pub mod vault;
pub mod watch;

pub use error::SentinelError;
pub use generate::refresh_stubs;
pub use scan::{scan, Entry, Scan, MANIFEST_FILE, MCP_FILE};

use godconfig_manifest::{CheckReport, Diagnostic};
use godconfig_registry::{Registry, SyncInput, SyncReport, ValidConnector};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Validates every manifest in `dir`, whatever is registered.
pub fn check(dir: &Path) -> Result<CheckReport, SentinelError> {
    Ok(scan::scan(dir, None)?.report())
}

pub struct SyncOptions {
    /// Compute the plan, write nothing (`--plan`).
    pub dry_run: bool,
    pub actor: String,
}

/// Steps of a sync, for progress bars.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Scanned { connectors: usize },
    Registered,
    Generating { total: usize },
    Generated { done: usize },
}

pub struct SyncOutcome {
    pub report: SyncReport,
    pub check: CheckReport,
    /// mcp.py files written (empty for a plan).
    pub written: Vec<PathBuf>,
}

fn rel(slug: &str, file: &str) -> String {
    format!("{slug}/{file}")
}

/// Registers every valid connector of `dir`; invalid ones are reported and left as registered.
/// Stale `mcp.py` files (manifest, generator or gating overrides changed) are written while the
/// registry transaction runs (not for a plan).
pub async fn sync(
    dir: &Path,
    store: &Registry,
    opts: &SyncOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SyncOutcome, SentinelError> {
    sync_in(dir, store, opts, None, progress).await
}

/// `sync`, of the connector folders named in `only` (a watcher's incremental sync): the others
/// are not read and stay as registered; a named folder that is gone is removed.
pub async fn sync_folders(
    dir: &Path,
    store: &Registry,
    opts: &SyncOptions,
    only: &BTreeSet<String>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SyncOutcome, SentinelError> {
    sync_in(dir, store, opts, Some(only), progress).await
}

async fn sync_in(
    dir: &Path,
    store: &Registry,
    opts: &SyncOptions,
    only: Option<&BTreeSet<String>>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SyncOutcome, SentinelError> {
    let started = std::time::Instant::now();
    let known = store.registered_hashes_of(only).await?;
    let mut scan = scan::scan_in(dir, Some(&known), only)?;
    tracing::info!(elapsed = ?started.elapsed(), connectors = scan.entries.len(), "scanned");
    progress(Progress::Scanned {
        connectors: scan.entries.len(),
    });
    let mut input = sync_input(dir, &mut scan, &opts.actor);
    input.only = only.cloned();
    let check = scan.report();
    if opts.dry_run {
        let report = store.sync(&input, true).await?;
        return Ok(SyncOutcome {
            report,
            check,
            written: Vec::new(),
        });
    }
    let overrides = generate::overrides(store).await?;
    let stale = generate::stale_stubs(&scan, &input.valid, &overrides);
    progress(Progress::Generating { total: stale.len() });
    let done = Arc::new(AtomicUsize::new(0));
    let registered = Arc::new(tokio::sync::Notify::new());
    let cache = scan.take_cache();
    let writing = tokio::spawn(write_and_save(
        stale,
        done.clone(),
        cache,
        registered.clone(),
    ));
    let report = ticking(store.sync(&input, false), &done, progress).await;
    registered.notify_one();
    tracing::info!(elapsed = ?started.elapsed(), "registered");
    progress(Progress::Registered);
    let written = ticking(writing, &done, progress)
        .await
        .map_err(|e| SentinelError::Write {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
    tracing::info!(elapsed = ?started.elapsed(), "generated");
    // A registry error wins: it says why nothing was registered.
    let report = report?;
    Ok(SyncOutcome {
        report,
        check,
        written: written?,
    })
}

/// Writes the stubs, then saves the stat cache. If the registry is still busy once the writes
/// have settled (a cold sync), the folders written to are stamped again first, so that the next
/// sync finds them in the cache; a sync that would have to wait for that does not.
async fn write_and_save(
    stale: Vec<(PathBuf, godconfig_codegen::McpStub)>,
    done: Arc<AtomicUsize>,
    cache: scan::CacheToSave,
    registered: Arc<tokio::sync::Notify>,
) -> Result<Vec<PathBuf>, SentinelError> {
    let keys = generate::keys_of(&stale);
    let written = generate::write_all(stale, done).await;
    let mut restamp = false;
    if written.is_ok() && !keys.is_empty() && cache.enabled() {
        let settle = std::time::Duration::from_nanos(stat_cache::SETTLE_NS as u64);
        restamp = tokio::select! {
            _ = tokio::time::sleep(settle) => true,
            _ = registered.notified() => false,
        };
    }
    let saving = tokio::task::spawn_blocking(move || {
        let mut cache = cache;
        if restamp {
            cache.restamp(&keys);
        }
        cache.save();
    });
    // The cache only makes the next sync faster: a failure to save it is not this sync's.
    let _ = saving.await;
    written
}

/// Valid manifests move into the input; rejected ones stay in the scan with their diagnostics.
fn sync_input(dir: &Path, scan: &mut Scan, actor: &str) -> SyncInput {
    let mut input = SyncInput {
        source_dir: dir.display().to_string(),
        actor: actor.to_string(),
        ..Default::default()
    };
    for e in &mut scan.entries {
        input.present.insert(e.folder.clone());
        match e.parsed.take() {
            None => input.unparsed.push((e.folder.clone(), e.hash.clone())),
            Some(Ok(manifest)) => input.valid.push(ValidConnector {
                manifest,
                hash: e.hash.clone(),
                manifest_path: rel(&e.folder, scan::MANIFEST_FILE),
                mcp_path: rel(&e.folder, scan::MCP_FILE),
                files: std::mem::take(&mut e.files),
                fingerprint: e.fingerprint.clone(),
            }),
            Some(Err(d)) => {
                input.rejected.push(e.folder.clone());
                let json = serde_json::to_value(&d).unwrap_or_default();
                input.problems.push((e.folder.clone(), json));
                e.parsed = Some(Err(d));
            }
        }
    }
    input
}

/// Awaits `fut`, reporting how many stubs are written every 100 ms meanwhile.
async fn ticking<F: std::future::Future>(
    fut: F,
    done: &AtomicUsize,
    progress: &(dyn Fn(Progress) + Sync),
) -> F::Output {
    tokio::pin!(fut);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    loop {
        tokio::select! {
            out = &mut fut => return out,
            _ = tick.tick() => progress(Progress::Generated { done: done.load(Ordering::Relaxed) }),
        }
    }
}

/// Diagnostics of a check, errors first within each file, in path order.
pub fn sorted(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut v: Vec<&Diagnostic> = diags.iter().collect();
    v.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    v
}

/// Who is acting, for the audit log: the OS user name.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}
