//! Giving one connector its keys to run: only when it is approved as it is on disk (or, with
//! `--draft`, a draft under development), and into an environment that holds nothing else of
//! value: a short allow-list of the caller's variables plus that connector's keys. Never a
//! registry URL, a database credential or another connector's key.

use super::connector_env;
use crate::SentinelError;
use godconfig_registry::run::RunMode;
use godconfig_registry::Registry;
use godconfig_vault::{Secret, Vault};
use std::ffi::OsString;
use std::path::Path;

/// Variables a connector's process inherits from the caller: where programs are, whose home and
/// locale, the temp dir, the terminal, proxies and CA bundles for its HTTPS calls. `LC_*` too.
pub const INHERITED: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "LANGUAGE",
    "TZ",
    "TMPDIR",
    "TEMP",
    "TMP",
    "TERM",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "SYSTEMROOT",
    "WINDIR",
    "COMSPEC",
    "PATHEXT",
];

/// The caller's variables a connector's process may see, from `vars` (`std::env::vars_os()`).
pub fn inherited_env(
    vars: impl Iterator<Item = (OsString, OsString)>,
) -> Vec<(OsString, OsString)> {
    vars.filter(|(name, _)| {
        let name = name.to_string_lossy();
        INHERITED.contains(&name.as_ref()) || name.starts_with("LC_")
    })
    .collect()
}

/// The keys of `slug` for a run in `mode`, after the registry allowed it; a refusal and a run
/// whose keys were read are audited, a run stopped by a missing key is not.
/// `connector_dir` is the connector's folder, whose files are fingerprinted now.
pub async fn run_env(
    store: &Registry,
    vault: &Vault,
    connector_dir: &Path,
    (slug, mode, actor): (&str, RunMode, &str),
) -> Result<Vec<(String, Secret)>, SentinelError> {
    // A slug is a folder name, never a path: nothing outside the connectors folder is read.
    if !godconfig_manifest::is_provider_slug(slug) {
        return Err(godconfig_registry::RegistryError::NotFound {
            slug: slug.to_string(),
        }
        .into());
    }
    let on_disk =
        crate::folder::fingerprint_on_disk(connector_dir).map_err(|d| SentinelError::Dir {
            path: connector_dir.to_path_buf(),
            reason: format!("{} ({})", d.message, d.path),
        })?;
    store.check_run(slug, &on_disk, mode, actor).await?;
    let env = connector_env(store, vault, slug).await?;
    store.record_run(slug, &on_disk, mode, actor).await?;
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_allow_list_is_inherited() {
        let vars = [
            ("PATH", "/usr/bin"),
            ("LC_ALL", "C.UTF-8"),
            ("GODCONFIG_DATABASE_URL", "postgres://u:p@h/db"),
            ("PGPASSWORD", "p"),
            ("PROVIDER_OTHER_TOKEN", "t"),
            ("AWS_SECRET_ACCESS_KEY", "k"),
        ]
        .map(|(k, v)| (OsString::from(k), OsString::from(v)));
        let kept: Vec<String> = inherited_env(vars.into_iter())
            .into_iter()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        assert_eq!(kept, ["PATH", "LC_ALL"]);
    }
}
