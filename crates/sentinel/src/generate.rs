//! Which `mcp.py` files are missing or stale, and writing them on the blocking pool so that
//! they are written while the registry transaction runs.

use crate::error::SentinelError;
use crate::scan::{Scan, MANIFEST_FILE, MCP_FILE};
use crate::stubs;
use godconfig_codegen::McpStub;
use godconfig_manifest::Manifest;
use godconfig_registry::{effective_gated, ValidConnector};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Operator gating overrides by connector: (scope, requires_firearm).
pub type Overrides = HashMap<String, Vec<(String, bool)>>;

/// The stubs to (re)write: one per valid connector whose `mcp.py` is missing or out of date.
/// A stub renders the manifest on disk, so it never has to wait for the registry.
pub fn stale_stubs(
    scan: &Scan,
    valid: &[ValidConnector],
    overrides: &Overrides,
) -> Vec<(PathBuf, McpStub)> {
    let parsed: HashMap<&str, &Manifest> = valid.iter().map(|v| (v.slug(), &v.manifest)).collect();
    scan.entries
        .par_iter()
        .filter(|e| {
            !matches!(e.parsed, Some(Err(_))) && !stubs::is_current(&e.dir.join(MCP_FILE), &e.hash)
        })
        .filter_map(|e| {
            let reparsed;
            let manifest = match parsed.get(e.folder.as_str()) {
                Some(m) => *m,
                // Registered earlier and unchanged, but its stub is missing or stale: parse it now.
                None => {
                    let bytes = std::fs::read(e.dir.join(MANIFEST_FILE)).ok()?;
                    reparsed = godconfig_manifest::parse_manifest(
                        &e.display_path,
                        &bytes,
                        Some(&e.folder),
                    )
                    .ok()?;
                    &reparsed
                }
            };
            let ov = overrides.get(&e.folder).map_or(&[][..], |v| v.as_slice());
            let gated = effective_gated(manifest, ov);
            Some((e.dir.clone(), stubs::stub_for(manifest, &e.hash, &gated)))
        })
        .collect()
}

/// Renders and writes every stub in parallel, counting progress in `done`.
pub async fn write_all(
    stubs: Vec<(PathBuf, McpStub)>,
    done: Arc<AtomicUsize>,
) -> Result<Vec<PathBuf>, SentinelError> {
    let task = tokio::task::spawn_blocking(move || {
        stubs
            .par_iter()
            .map(|(dir, stub)| {
                let path = stubs::write_stub(dir, stub)?;
                done.fetch_add(1, Ordering::Relaxed);
                Ok(path)
            })
            .collect::<Result<Vec<_>, SentinelError>>()
    });
    task.await.map_err(|e| SentinelError::Write {
        path: PathBuf::from("mcp.py"),
        reason: e.to_string(),
    })?
}
