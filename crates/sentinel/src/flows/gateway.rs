//! What the MCP gateway asks before a tool call goes to a connector: is the connector approved
//! as its files are now, is its `mcp.py` exactly what the sentinel generates from the approved
//! manifest, and which environment its process gets (the vault's allow-list plus its own keys).

use crate::generate::{overrides, stub_of};
use crate::scan::{MANIFEST_FILE, MCP_FILE};
use crate::vault::connector_env;
use crate::vault::run::inherited_env;
use crate::SentinelError;
use godconfig_codegen::render_mcp;
use godconfig_registry::Registry;
use godconfig_vault::Vault;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The folder of `slug` under `dir`, or NotFound for anything that is not a plain folder name.
pub fn connector_dir(dir: &Path, slug: &str) -> Result<PathBuf, SentinelError> {
    if !godconfig_manifest::is_provider_slug(slug) {
        return Err(godconfig_registry::RegistryError::NotFound {
            slug: slug.to_string(),
        }
        .into());
    }
    Ok(dir.join(slug))
}

/// Allowed when `slug` is approved at the fingerprint of its files on disk now; returns that
/// fingerprint. Nothing is audited: the gateway writes the call's receipt.
pub async fn clear_call(store: &Registry, dir: &Path, slug: &str) -> Result<String, SentinelError> {
    let folder = connector_dir(dir, slug)?;
    let on_disk = tokio::task::spawn_blocking(move || crate::folder::fingerprint_on_disk(&folder))
        .await
        .map_err(|e| SentinelError::Dir {
            path: dir.join(slug),
            reason: e.to_string(),
        })?
        .map_err(|d| SentinelError::Dir {
            path: dir.join(slug),
            reason: format!("{} ({})", d.message, d.path),
        })?;
    store.may_run_now(slug, &on_disk).await?;
    Ok(on_disk)
}

/// The `mcp.py` the sentinel writes for `slug` from the manifest on disk (which `clear_call`
/// has just matched to the approval) under the gating in the registry now.
pub async fn expected_stub(
    store: &Registry,
    dir: &Path,
    slug: &str,
) -> Result<String, SentinelError> {
    let folder = connector_dir(dir, slug)?;
    let overrides = overrides(store).await?;
    let file = folder.join(MANIFEST_FILE);
    let bytes = crate::folder::read_manifest_of(&folder).map_err(|d| SentinelError::Dir {
        path: file.clone(),
        reason: format!("{}; {}", d.message, d.hint),
    })?;
    let stub =
        stub_of(slug, &file, &bytes, &overrides).map_err(|reason| SentinelError::Codegen {
            path: folder.join(MCP_FILE),
            reason,
        })?;
    render_mcp(&stub).map_err(|e| SentinelError::Codegen {
        path: folder.join(MCP_FILE),
        reason: e.to_string(),
    })
}

/// Refuses an `mcp.py` that differs from `expected` by a single byte: it is what runs with the
/// keys, and it is not part of the fingerprint.
pub fn check_stub(dir: &Path, slug: &str, expected: &str) -> Result<PathBuf, SentinelError> {
    use std::io::Read;
    let path = connector_dir(dir, slug)?.join(MCP_FILE);
    // A regular file of the expected size only (never a pipe, a device or a symlink).
    let read = crate::folder::open_regular(&path)
        .ok()
        .and_then(|(f, meta)| {
            let mut bytes = Vec::new();
            let same_size = meta.len() == expected.len() as u64;
            (same_size && f.take(meta.len() + 1).read_to_end(&mut bytes).is_ok()).then_some(bytes)
        });
    match read {
        Some(bytes) if bytes == expected.as_bytes() => Ok(path),
        _ => Err(SentinelError::StubChanged { path }),
    }
}

/// The environment of `slug`'s MCP server: the allow-listed variables of this process and
/// exactly its own keys. `KeysMissing` names every key the keyring lacks.
pub async fn server_env(
    store: &Registry,
    vault: &Vault,
    slug: &str,
) -> Result<Vec<(OsString, OsString)>, SentinelError> {
    let keys = connector_env(store, vault, slug).await?;
    let mut env = inherited_env(std::env::vars_os());
    env.extend(
        keys.into_iter()
            .map(|(name, value)| (OsString::from(name), OsString::from(value.expose()))),
    );
    Ok(env)
}
