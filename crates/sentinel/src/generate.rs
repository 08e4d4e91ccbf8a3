//! Which `mcp.py` files are missing or stale, and writing them on the blocking pool so that
//! they are written while the registry transaction runs.

use crate::error::SentinelError;
use crate::scan::{Scan, MANIFEST_FILE, MCP_FILE};
use crate::stat_cache::mcp_key;
use crate::stubs;
use godconfig_codegen::{gating_fingerprint, McpStub};
use godconfig_manifest::{content_hash, parse_manifest, Manifest};
use godconfig_registry::{effective_gated, Registry, ValidConnector};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Operator gating overrides by connector: (scope, requires_firearm).
pub type Overrides = HashMap<String, Vec<(String, bool)>>;

/// Every operator gating override in the registry, by connector.
pub async fn overrides(store: &Registry) -> Result<Overrides, SentinelError> {
    let mut by_slug = Overrides::new();
    for (slug, scope, gated) in store.gating_overrides().await? {
        by_slug.entry(slug).or_default().push((scope, gated));
    }
    Ok(by_slug)
}

fn overrides_of<'a>(overrides: &'a Overrides, slug: &str) -> &'a [(String, bool)] {
    overrides.get(slug).map_or(&[], Vec::as_slice)
}

fn stub(m: &Manifest, hash: &str, ov: &[(String, bool)], gating: String) -> McpStub {
    stubs::stub_for(m, hash, &effective_gated(m, ov), gating)
}

/// The stubs to (re)write: one per valid connector whose `mcp.py` is missing or out of date
/// (manifest, generator or gating overrides changed). A stub renders the manifest on disk, so it
/// never has to wait for the registry.
pub fn stale_stubs(
    scan: &Scan,
    valid: &[ValidConnector],
    overrides: &Overrides,
) -> Vec<(PathBuf, McpStub)> {
    let parsed: HashMap<&str, &Manifest> = valid.iter().map(|v| (v.slug(), &v.manifest)).collect();
    let generator = godconfig_codegen::generator_fingerprint();
    scan.entries
        .par_iter()
        .filter(|e| !matches!(e.parsed, Some(Err(_))))
        .filter_map(|e| {
            let ov = overrides_of(overrides, &e.folder);
            let gating = gating_fingerprint(ov);
            let path = e.dir.join(MCP_FILE);
            let key = mcp_key(&e.hash, generator, &gating);
            let read = || stubs::is_current(&path, &e.hash, &gating);
            let current = match e.cached {
                true => scan.cache.mcp_current(&e.folder, &path, &key, read),
                false => read(),
            };
            if current {
                return None;
            }
            let reparsed;
            let manifest = match parsed.get(e.folder.as_str()) {
                Some(m) => *m,
                // Registered earlier and unchanged, but its stub is missing or stale: parse it now.
                None => {
                    let bytes = crate::folder::read_manifest_of(&e.dir).ok()?;
                    reparsed = parse_manifest(&e.display_path, &bytes, Some(&e.folder)).ok()?;
                    &reparsed
                }
            };
            Some((e.dir.clone(), stub(manifest, &e.hash, ov, gating)))
        })
        .collect()
}

/// Each stub's folder name, with its directory and the `mcp_key` its `mcp.py` will be current for.
pub fn keys_of(stubs: &[(PathBuf, McpStub)]) -> HashMap<String, (PathBuf, String)> {
    let generator = godconfig_codegen::generator_fingerprint();
    (stubs.iter())
        .filter_map(|(dir, s)| {
            let folder = dir.file_name()?.to_str()?.to_string();
            let key = mcp_key(&s.manifest_hash, generator, &s.gating);
            Some((folder, (dir.clone(), key)))
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

/// Rewrites the stale `mcp.py` of just these connectors (`dir/<slug>/`) under the gating
/// overrides now in `store`; call it right after changing an override. As in a sync, a folder
/// whose manifest is missing or invalid is skipped, and so is a slug that is not a plain folder
/// name. Returns the files written.
pub async fn refresh_stubs(
    dir: &Path,
    store: &Registry,
    slugs: &[String],
) -> Result<Vec<PathBuf>, SentinelError> {
    let overrides = overrides(store).await?;
    let dirs: Vec<(String, PathBuf)> = slugs
        .iter()
        .filter(|s| is_folder_name(s))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|s| (s.clone(), dir.join(s)))
        .collect();
    let stale = tokio::task::spawn_blocking(move || {
        dirs.iter()
            .filter_map(|(slug, dir)| stale_in(slug, dir, &overrides))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| SentinelError::Write {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    write_all(stale, Arc::new(AtomicUsize::new(0))).await
}

/// The stub of `slug` from its manifest's bytes (read from `file`), under `overrides`.
pub(crate) fn stub_of(
    slug: &str,
    file: &Path,
    bytes: &[u8],
    overrides: &Overrides,
) -> Result<McpStub, String> {
    let hash = content_hash(bytes);
    let ov = overrides_of(overrides, slug);
    let manifest = parse_manifest(&file.display().to_string(), bytes, Some(slug))
        .map_err(|_| format!("{} is not a valid manifest", file.display()))?;
    Ok(stub(&manifest, &hash, ov, gating_fingerprint(ov)))
}

/// The stub of the connector folder `dir`, if its `mcp.py` is stale and its manifest valid.
fn stale_in(slug: &str, dir: &Path, overrides: &Overrides) -> Option<(PathBuf, McpStub)> {
    let file = dir.join(MANIFEST_FILE);
    let bytes = crate::folder::read_manifest_of(dir).ok()?;
    let hash = content_hash(&bytes);
    let ov = overrides_of(overrides, slug);
    let gating = gating_fingerprint(ov);
    if stubs::is_current(&dir.join(MCP_FILE), &hash, &gating) {
        return None;
    }
    let manifest = parse_manifest(&file.display().to_string(), &bytes, Some(slug)).ok()?;
    Some((dir.to_path_buf(), stub(&manifest, &hash, ov, gating)))
}

/// A folder `scan` would visit: no path separators, not hidden, not `__…`.
fn is_folder_name(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && !slug.starts_with("__")
        && !slug.contains(['/', '\\', ':'])
}
