//! The sentinel: the only way connectors get registered. It scans a connectors folder, validates
//! every manifest, registers the valid ones and generates their `mcp.py`. The CLI and the desktop
//! app both call this library.

mod error;
pub mod scan;
pub mod stubs;

pub use error::SentinelError;
pub use scan::{scan, Entry, Scan, MANIFEST_FILE, MCP_FILE};

use godconfig_manifest::{CheckReport, Diagnostic, Manifest, REPORT_VERSION};
use godconfig_registry::{effective_gated, RegistryStore, SyncInput, SyncReport, ValidConnector};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Validates every manifest in `dir`, whatever is registered.
pub fn check(dir: &Path) -> Result<CheckReport, SentinelError> {
    let scan = scan::scan(dir, &HashMap::new())?;
    Ok(CheckReport {
        version: REPORT_VERSION,
        checked: scan.entries.len(),
        valid: scan.entries.len() - scan.invalid(),
        invalid: scan.invalid(),
        diagnostics: scan.diagnostics().cloned().collect(),
    })
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
pub async fn sync(
    dir: &Path,
    store: &impl RegistryStore,
    opts: &SyncOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SyncOutcome, SentinelError> {
    let known = store.registered_hashes().await?;
    let scan = scan::scan(dir, &known)?;
    progress(Progress::Scanned {
        connectors: scan.entries.len(),
    });
    let mut input = SyncInput {
        source_dir: dir.display().to_string(),
        actor: opts.actor.clone(),
        ..Default::default()
    };
    for e in &scan.entries {
        input.present.insert(e.folder.clone());
        match &e.parsed {
            None => input.unparsed.push((e.folder.clone(), e.hash.clone())),
            Some(Ok(m)) => input.valid.push(ValidConnector {
                manifest: m.clone(),
                hash: e.hash.clone(),
                manifest_path: rel(&e.folder, scan::MANIFEST_FILE),
                mcp_path: rel(&e.folder, scan::MCP_FILE),
            }),
            Some(Err(_)) => input.rejected.push(e.folder.clone()),
        }
    }
    let report = store.sync(&input, opts.dry_run).await?;
    progress(Progress::Registered);
    let check = CheckReport {
        version: REPORT_VERSION,
        checked: scan.entries.len(),
        valid: scan.entries.len() - scan.invalid(),
        invalid: scan.invalid(),
        diagnostics: scan.diagnostics().cloned().collect(),
    };
    let written = if opts.dry_run {
        Vec::new()
    } else {
        generate(store, &scan, progress).await?
    };
    Ok(SyncOutcome {
        report,
        check,
        written,
    })
}

/// Writes the stale or missing `mcp.py` files of every valid connector.
async fn generate(
    store: &impl RegistryStore,
    scan: &Scan,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<PathBuf>, SentinelError> {
    let mut overrides: HashMap<String, Vec<(String, bool)>> = HashMap::new();
    for (slug, scope, gated) in store.gating_overrides().await? {
        overrides.entry(slug).or_default().push((scope, gated));
    }
    let stale: Vec<&Entry> = scan
        .entries
        .par_iter()
        .filter(|e| {
            !matches!(e.parsed, Some(Err(_))) && !stubs::is_current(&e.dir.join(MCP_FILE), &e.hash)
        })
        .collect();
    progress(Progress::Generating { total: stale.len() });
    let done = std::sync::atomic::AtomicUsize::new(0);
    stale
        .par_iter()
        .map(|e| {
            let manifest: Manifest = match &e.parsed {
                Some(Ok(m)) => m.clone(),
                // Registered earlier and unchanged, but its stub is missing or stale: parse it now.
                _ => match std::fs::read(e.dir.join(MANIFEST_FILE)).ok().and_then(|b| {
                    godconfig_manifest::parse_manifest(&e.display_path, &b, Some(&e.folder)).ok()
                }) {
                    Some(m) => m,
                    None => return Ok(None),
                },
            };
            let ov = overrides.get(&e.folder).map_or(&[][..], |v| v.as_slice());
            let gated = effective_gated(&manifest, ov);
            let path = stubs::write_stub(&e.dir, &stubs::stub_for(&manifest, &e.hash, &gated))?;
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(100) || n == stale.len() {
                progress(Progress::Generated { done: n });
            }
            Ok(Some(path))
        })
        .collect::<Result<Vec<_>, SentinelError>>()
        .map(|v| v.into_iter().flatten().collect())
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
