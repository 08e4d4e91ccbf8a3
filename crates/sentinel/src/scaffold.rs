//! Ordering a connector (`sentinel new`): a folder with a `manifest.yaml` that passes `check`
//! (the schema modeline, short commented examples of each section), a `service.py` with one
//! function per example operation, and a `README.md`. The folder appears whole or not at all.

use crate::SentinelError;
use godconfig_manifest::{parse_manifest, Diagnostic};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod prompt;
pub use prompt::agent_prompt;

/// The auth methods of manifest v1.
pub const AUTH_METHODS: [&str; 5] = ["oauth2", "api_key", "bearer", "basic", "none"];

/// What the operator orders.
#[derive(Debug, Clone)]
pub struct Order {
    pub slug: String,
    pub name: Option<String>,
    pub auth: String,
    pub docs: Option<String>,
}

/// The files of a new connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffold {
    pub manifest: String,
    pub service: String,
    pub readme: String,
}

/// The keys a connector with this auth method usually needs.
fn secrets(auth: &str) -> &'static [&'static str] {
    match auth {
        "oauth2" => &["CLIENT_ID", "CLIENT_SECRET", "ACCESS_TOKEN"],
        "api_key" => &["API_KEY"],
        "bearer" => &["ACCESS_TOKEN"],
        "basic" => &["USERNAME", "PASSWORD"],
        _ => &[],
    }
}

/// A display name from the slug: `acme_forms` -> `Acme Forms`.
fn title(slug: &str) -> String {
    slug.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// YAML double-quoted scalar (serde_json's string escaping is valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A value written bare when it is one of `plain`'s, else quoted: whatever was typed (a slug
/// with a line break, an unknown auth method) stays one YAML value that `check` then refuses.
fn bare_if(s: &str, plain: bool) -> String {
    match plain {
        true => s.to_string(),
        false => quoted(s),
    }
}

/// A name inside a Python docstring or a Markdown heading: one line, no quote or backslash
/// that could end the string.
fn prose(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\\', "/")
        .replace('"', "'")
}

pub fn scaffold(o: &Order) -> Scaffold {
    let name = o.name.clone().unwrap_or_else(|| title(&o.slug));
    let keys = secrets(&o.auth);
    let slug = bare_if(&o.slug, godconfig_manifest::is_provider_slug(&o.slug));
    let auth = bare_if(&o.auth, AUTH_METHODS.contains(&o.auth.as_str()));
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# yaml-language-server: $schema=../../schemas/manifest-v1.schema.json"
    );
    let _ = writeln!(
        m,
        "# Ordered with `sentinel new`. Replace the examples with the provider's real scopes and"
    );
    let _ = writeln!(
        m,
        "# operations (connectors/AGENTS.md says how), then run `sentinel check`."
    );
    let _ = writeln!(m, "provider_slug: {slug}");
    let _ = writeln!(m, "display_name: {}", quoted(&name));
    let _ = writeln!(m, "version: 0.1.0");
    let _ = writeln!(m, "description: >-\n  {} connector. Its scopes and operations are examples until they are written\n  from the provider's documentation.", prose(&name));
    match &o.docs {
        Some(url) => {
            let _ = writeln!(m, "docs_url: {}", quoted(url));
        }
        None => {
            let _ = writeln!(
                m,
                "# docs_url: https://developers.example.com/docs (the provider's API reference)"
            );
        }
    }
    let _ = writeln!(m, "auth:\n  method: {auth}");
    if !keys.is_empty() {
        let _ = writeln!(
            m,
            "# Keys, read by service.py from PROVIDER_{}_<KEY> (`sentinel vault set`).",
            prose(&o.slug.to_uppercase())
        );
        let _ = writeln!(m, "secrets:");
        for k in keys {
            let _ = writeln!(m, "  - {k}");
        }
    }
    m.push_str(
        "# Every scope the provider grants, named exactly as its documentation names it. A scope that\n\
         # moves money, deletes data or sends messages says `requires_firearm: true`.\n\
         scopes:\n  - name: items:read\n    description: Read items\n  - name: items:write\n    description: Create, change and delete items\n    requires_firearm: true\n\
         # Platform metrics it can report, each with the core KPI it suggests:\n\
         # kpis:\n#   - raw: items_created\n#     standard: conversions\n#     description: Items created per day\n\
         # Content types whose campaign links the UTM builder governs:\n\
         # utm_capabilities: [email, social]\n\
         # One MCP tool per operation; service.py has a function of the same name that takes the\n\
         # schema's properties as keyword-only arguments.\n\
         operations:\n  - name: list_items\n    description: List the most recent items\n    scope: items:read\n    input_schema:\n      type: object\n      properties:\n        limit:\n          type: integer\n          minimum: 1\n          maximum: 100\n      additionalProperties: false\n\
         \x20 - name: create_item\n    description: Create one item\n    scope: items:write\n    input_schema:\n      type: object\n      properties:\n        title:\n          type: string\n          minLength: 1\n      required: [title]\n      additionalProperties: false\n",
    );
    let upper = o.slug.to_uppercase();
    let key = keys.first().copied().unwrap_or("API_KEY");
    let name = prose(&name);
    let service = format!(
        "\"\"\"{name} connector: one function per manifest operation. Standard library only.\n\n\
         Keys come from PROVIDER_{upper}_* environment variables, which `sentinel vault exec\n\
         --connector {slug}` and the gateway inject. Importing has no side effects.\n\"\"\"\n\
         import os\n\n\n\
         def _secret(key):\n    name = f\"PROVIDER_{upper}_{{key}}\"\n    value = os.environ.get(name)\n\
         \x20   if not value:\n        raise RuntimeError(f\"{{name}} is not set; run: sentinel vault set {{name}}\")\n\
         \x20   return value\n\n\n\
         def list_items(*, limit=50):\n    \"\"\"List the most recent items (at most `limit`).\"\"\"\n\
         \x20   _secret(\"{key}\")\n    raise NotImplementedError(\"list_items: call the provider's API here\")\n\n\n\
         def create_item(*, title):\n    \"\"\"Create one item named `title`.\"\"\"\n\
         \x20   _secret(\"{key}\")\n    raise NotImplementedError(\"create_item: call the provider's API here\")\n",
        slug = o.slug,
    );
    let readme = format!(
        "# {name}\n\nOrdered with `sentinel new {slug}`. To finish it:\n\n\
         1. Write `manifest.yaml` from the provider's documentation: its real scope names, every\n   \
         dangerous scope with `requires_firearm: true`, one operation per action.\n\
         2. Write `service.py`: one function per operation, standard library only, keys from\n   \
         `PROVIDER_{upper}_<KEY>`, an actionable error on every non-2xx answer.\n\
         3. `sentinel check` until it reports nothing, then `sentinel sync`: it arrives as a draft\n   \
         for an operator to review. Never approve it yourself, never write a `.env`.\n",
        slug = o.slug,
    );
    Scaffold {
        manifest: m,
        service,
        readme,
    }
}

/// What `create` did: the folder written, or the manifest's diagnostics (a bad slug, a bad
/// docs URL) and nothing written.
pub enum Ordered {
    Created(PathBuf),
    Invalid(Vec<Diagnostic>),
}

/// Writes the connector `o.slug` under `dir`: refused if the folder exists; the files are
/// written in a temporary folder beside it, then renamed into place.
pub fn create(dir: &Path, o: &Order) -> Result<Ordered, SentinelError> {
    let target = dir.join(&o.slug);
    let files = scaffold(o);
    let shown = target.join(crate::MANIFEST_FILE).display().to_string();
    // The slug is checked as a manifest's is, so `new` and `check` say the same.
    let folder = godconfig_manifest::is_provider_slug(&o.slug).then_some(o.slug.as_str());
    if let Err(diags) = parse_manifest(&shown, files.manifest.as_bytes(), folder) {
        return Ok(Ordered::Invalid(diags));
    }
    if target.symlink_metadata().is_ok() {
        return Err(SentinelError::Exists { path: target });
    }
    let werr = |e: std::io::Error| SentinelError::Write {
        path: target.clone(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(werr)?;
    let tmp = tempfile::Builder::new()
        .prefix(".new-")
        .tempdir_in(dir)
        .map_err(werr)?;
    for (name, text) in [
        (crate::MANIFEST_FILE, &files.manifest),
        ("service.py", &files.service),
        ("README.md", &files.readme),
    ] {
        std::fs::write(tmp.path().join(name), text).map_err(werr)?;
    }
    // rename(2) onto an existing directory fails unless it is empty; checked above, and a
    // folder made in between is refused here rather than merged into.
    let kept = tmp.keep();
    if let Err(e) = std::fs::rename(&kept, &target) {
        let _ = std::fs::remove_dir_all(&kept);
        return Err(match target.exists() {
            true => SentinelError::Exists { path: target },
            false => werr(e),
        });
    }
    Ok(Ordered::Created(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An order with defaults (also used by `prompt.rs`'s tests).
    pub(super) fn order(slug: &str, auth: &str) -> Order {
        Order {
            slug: slug.into(),
            name: None,
            auth: auth.into(),
            docs: None,
        }
    }

    #[test]
    fn every_auth_method_gives_a_manifest_that_passes() {
        for auth in AUTH_METHODS {
            let s = scaffold(&order("acme_forms", auth));
            let parsed = parse_manifest("m.yaml", s.manifest.as_bytes(), Some("acme_forms"));
            let m = parsed.unwrap_or_else(|d| panic!("{auth}: {d:?}\n{}", s.manifest));
            assert_eq!(m.display_name, "Acme Forms");
            assert_eq!(m.operations.len(), 2);
            for op in &m.operations {
                assert!(
                    s.service.contains(&format!("def {}(*, ", op.name)),
                    "{}",
                    s.service
                );
            }
            assert_eq!(m.secrets.is_empty(), auth == "none");
        }
    }

    #[test]
    fn names_and_urls_are_data() {
        let mut o = order("acme", "api_key");
        o.name = Some("Acme: \"quoted\" # not a comment".into());
        o.docs = Some("https://acme.example.com/docs".into());
        let s = scaffold(&o);
        let m = parse_manifest("m.yaml", s.manifest.as_bytes(), Some("acme")).unwrap();
        assert_eq!(m.display_name, "Acme: \"quoted\" # not a comment");
        assert_eq!(m.docs_url.as_deref(), Some("https://acme.example.com/docs"));
        // A name cannot end service.py's docstring.
        o.name = Some("Acme \"\"\" \\ end".into());
        assert!(scaffold(&o)
            .service
            .starts_with("\"\"\"Acme ''' / end connector"));
    }

    #[test]
    fn a_typed_slug_or_auth_stays_one_value_that_check_refuses() {
        let dir = tempfile::tempdir().unwrap();
        for (slug, auth) in [
            ("acme\n#/../../escaped", "api_key"),
            ("acme", "none\n  token_url: https://x.example.com"),
        ] {
            match create(dir.path(), &order(slug, auth)).unwrap() {
                Ordered::Invalid(d) => assert!(!d.is_empty()),
                Ordered::Created(p) => panic!("{slug:?} {auth:?} created {}", p.display()),
            }
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
