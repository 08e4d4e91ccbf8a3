//! The gateway benchmark's corpus: generated connectors with ten tools each, two echo
//! connectors that need no network, and the approval of the generated ones in one statement.

use crate::corpus;
use std::path::Path;

/// Operations per generated connector (two from the corpus, the rest added here).
const TOOLS_PER_CONNECTOR: usize = 10;
pub const ECHO: &str = "bench_echo";
/// A second echo connector, first called once the gateway has settled.
pub const ECHO2: &str = "bench_echo_two";

/// The corpus with ten operations per connector, all on the connector's reading scope.
pub fn corpus(dir: &Path, n: u64, seed: u64) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for i in 1..=n {
        let (slug, mut text, _) = corpus::manifest_with(seed, i, corpus::DEFAULT_METRICS);
        let scope = text
            .lines()
            .skip_while(|l| !l.starts_with("  - name: list_"))
            .find_map(|l| l.strip_prefix("    scope: "))
            .ok_or("the corpus has no list operation")?
            .to_string();
        for k in 2..TOOLS_PER_CONNECTOR {
            text.push_str(&format!(
                "  - name: report_{k}\n    description: Report number {k} of recent activity\n    scope: {scope}\n    input_schema:\n      type: object\n      properties:\n        days: {{type: integer, minimum: 1, maximum: 90}}\n"
            ));
        }
        let d = dir.join(&slug);
        std::fs::create_dir(&d).map_err(|e| e.to_string())?;
        std::fs::write(
            d.join("service.py"),
            crate::service_py::service(&slug, &text),
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(d.join("manifest.yaml"), text).map_err(|e| e.to_string())?;
    }
    for slug in [ECHO, ECHO2] {
        let echo = dir.join(slug);
        std::fs::create_dir(&echo).map_err(|e| e.to_string())?;
        std::fs::write(
            echo.join("manifest.yaml"),
            format!("provider_slug: {slug}\ndisplay_name: Bench echo\nversion: 1.0.0\ndescription: Says the text back, with no network\ndocs_url: https://example.com/docs\nauth:\n  method: none\nscopes:\n  - name: echo:read\n    description: Read an echo\noperations:\n  - name: echo\n    description: Say the text back\n    scope: echo:read\n    input_schema:\n      type: object\n      properties:\n        text: {{type: string}}\n      required: [text]\n"),
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(
            echo.join("service.py"),
            "def echo(*, text):\n    return {\"text\": text}\n",
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Approves every generated connector at its registered files in one statement (what an
/// operator's approval writes; the gate's checks are not what is measured here).
pub async fn approve_corpus(db: &Path) -> Result<(), String> {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.display()))
        .await
        .map_err(|e| e.to_string())?;
    sqlx::raw_sql(
        "INSERT INTO connector_approvals (provider_slug, approved_by, approved_at, manifest_hash, \
         manifest_snapshot, fingerprint) SELECT slug, 'bench', '2026-01-01T00:00:00Z', \
         manifest_hash, '{}', fingerprint FROM connector_providers WHERE slug LIKE 'conn_%'; \
         UPDATE connector_providers SET status = 'approved', is_approved = 1 WHERE slug LIKE 'conn_%';",
    )
    .execute(&mut c)
    .await
    .map_err(|e| e.to_string())?;
    c.close().await.map_err(|e| e.to_string())
}
