//! `sentinel doctor` and the app's About: what this build is (version, commit, registry schema),
//! and whether this machine has what the product needs: the registry reachable and migrated, the
//! OS keyring unlocked, Python with `mcp` for the gateway, WebKitGTK for the app. Each problem
//! says how to fix it.

use godconfig_registry::{schema_version, DbTarget, Registry};
use godconfig_vault::Vault;
use serde::Serialize;
use std::path::Path;

/// What this build is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct About {
    pub version: String,
    /// The git commit it was built from (`unknown` outside a checkout).
    pub commit: String,
    /// The registry schema it writes: its latest migration.
    pub schema: String,
}

impl About {
    /// This build, with the `commit` its binary's build script recorded.
    pub fn new(commit: &str) -> About {
        About {
            version: env!("CARGO_PKG_VERSION").to_string(),
            commit: commit.to_string(),
            schema: schema_version().to_string(),
        }
    }
}

impl std::fmt::Display for About {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let About {
            version,
            commit,
            schema,
        } = self;
        write!(f, "{version} (commit {commit}, registry schema {schema})")
    }
}

/// One thing the product needs, as found on this machine.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `registry`, `keyring`, `python`, `webkitgtk`.
    pub name: &'static str,
    pub ok: bool,
    /// What was found, or what is wrong.
    pub detail: String,
    /// How to fix it, for a problem.
    pub fix: Option<String>,
}

fn check(name: &'static str, found: Result<String, (String, String)>) -> Check {
    match found {
        Ok(detail) => Check {
            name,
            ok: true,
            detail,
            fix: None,
        },
        Err((detail, fix)) => Check {
            name,
            ok: false,
            detail,
            fix: Some(fix),
        },
    }
}

/// Every check, in order. `connectors` is where a `.venv` with `mcp` may be found.
pub async fn doctor(target: &DbTarget, connectors: &Path, python: Option<&Path>) -> Vec<Check> {
    let mut out = vec![check("registry", registry(target).await)];
    let vault = Vault::os();
    let keyring = tokio::task::spawn_blocking(move || keyring(&vault))
        .await
        .unwrap_or_else(|e| Err((e.to_string(), "run `sentinel doctor` again".into())));
    out.push(check("keyring", keyring));
    out.push(check("python", python_with_mcp(python, connectors)));
    out.push(check("webkitgtk", webkitgtk()));
    out
}

async fn registry(target: &DbTarget) -> Result<String, (String, String)> {
    let shown = target.display();
    let failed = |e: &dyn std::fmt::Display, hint: &str| (format!("{shown}: {e}"), hint.into());
    let store = Registry::open(target)
        .await
        .map_err(|e| failed(&e, e.hint()))?;
    let applied = store.applied_schema().await;
    let connectors = store.status().await.map(|rows| rows.len());
    store.close().await;
    let applied = applied.map_err(|e| failed(&e, e.hint()))?;
    let want = schema_version();
    if applied != want {
        let e = format!("schema {applied}, this build writes {want}");
        return Err(failed(
            &e,
            "a newer God Config migrated this registry: upgrade this one to match it",
        ));
    }
    let n = connectors.map_err(|e| failed(&e, e.hint()))?;
    let s = if n == 1 { "" } else { "s" };
    Ok(format!("{shown} (schema {applied}, {n} connector{s})"))
}

fn keyring(vault: &Vault) -> Result<String, (String, String)> {
    match vault.presence(&["PROVIDER_DOCTOR_PROBE".to_string()]) {
        Ok(_) => Ok("the OS keyring answers and is unlocked".into()),
        Err(e) => Err((e.to_string(), e.hint().to_string())),
    }
}

fn python_with_mcp(explicit: Option<&Path>, connectors: &Path) -> Result<String, (String, String)> {
    let fix = "the gateway runs each connector's mcp.py with Python 3 and the `mcp` package: \
               `python3 -m venv .venv && .venv/bin/pip install mcp` beside the connectors \
               folder, or set GODCONFIG_PYTHON to a Python that has it";
    let found =
        crate::python::find(explicit, connectors).map_err(|e| (e.to_string(), fix.into()))?;
    let version = std::process::Command::new(&found)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('mcp'))",
        ])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "version unknown".into());
    Ok(format!("{} (mcp {version})", found.display()))
}

/// The WebKitGTK the desktop app links (Linux); the CLI does not need it.
fn webkitgtk() -> Result<String, (String, String)> {
    if !cfg!(target_os = "linux") {
        return Ok("not needed on this system (the app uses the system's WebView)".into());
    }
    const LIB: &str = "libwebkit2gtk-4.1.so.0";
    let fix = "the desktop app needs WebKitGTK 4.1: `sudo apt install libwebkit2gtk-4.1-0` \
               (Debian, Ubuntu) or `sudo dnf install webkit2gtk4.1` (Fedora); the CLI works \
               without it";
    let listed = std::process::Command::new("ldconfig")
        .arg("-p")
        .output()
        .or_else(|_| {
            std::process::Command::new("/sbin/ldconfig")
                .arg("-p")
                .output()
        })
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    match listed.lines().find(|l| l.trim_start().starts_with(LIB)) {
        Some(line) => Ok(line.rsplit("=> ").next().unwrap_or(LIB).trim().to_string()),
        None => Err((format!("{LIB} is not installed"), fix.into())),
    }
}
