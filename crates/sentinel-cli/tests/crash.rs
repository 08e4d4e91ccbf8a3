//! Killing a sync at any moment leaves the registry consistent and every mcp.py whole.

mod common;
use common::*;
use std::path::Path;
use std::time::Duration;

fn corpus(dir: &Path, n: usize) {
    for i in 0..n {
        let slug = format!("c{i:04}");
        std::fs::create_dir_all(dir.join(&slug)).unwrap();
        let scopes: String = (0..10)
            .map(|s| format!("  - name: scope_{s}:write\n    description: Scope {s}\n    requires_firearm: {}\n", s % 3 == 0))
            .collect();
        let manifest = format!(
            "provider_slug: {slug}\ndisplay_name: Connector {i}\nscopes:\n{scopes}kpis:\n  - raw: metric_{i}\n    standard: orders\noperations:\n  - name: do_{i}\n    scope: scope_0:write\n    input_schema: {{type: object, properties: {{id: {{type: string}}}}}}\n"
        );
        std::fs::write(dir.join(&slug).join("manifest.yaml"), manifest).unwrap();
    }
}

fn consistent(db: &Path) {
    let url = db.to_str().unwrap();
    assert_eq!(one(url, "PRAGMA integrity_check"), "ok");
    if one(
        url,
        "SELECT CAST(COUNT(*) AS TEXT) FROM sqlite_master WHERE name = 'connector_providers'",
    ) == "0"
    {
        // Killed while migrating: the migration transaction left nothing behind.
        let recorded = one(
            url,
            "SELECT CAST(COUNT(*) AS TEXT) FROM sqlite_master WHERE name = 'schema_migrations'",
        );
        assert_eq!(recorded, "0", "migrations half applied");
        return;
    }
    // A connector is registered with all its scopes or not at all.
    let partial = rows(url, "SELECT p.slug FROM connector_providers p WHERE (SELECT COUNT(*) FROM connector_scopes s WHERE s.provider_slug = p.slug) <> 10");
    assert!(
        partial.is_empty(),
        "half-registered connectors: {partial:?}"
    );
    let runs = one(url, "SELECT CAST(COUNT(*) AS TEXT) FROM sync_runs");
    let audited = one(
        url,
        "SELECT CAST(COUNT(DISTINCT sync_run_id) AS TEXT) FROM audit_log",
    );
    assert!(audited <= runs, "audit rows without their run");
}

fn stubs_whole(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let stub = e.unwrap().path().join("mcp.py");
        if let Ok(text) = std::fs::read_to_string(&stub) {
            assert!(
                text.trim_end().ends_with("mcp.run()"),
                "{} is truncated",
                stub.display()
            );
            n += 1;
        }
    }
    n
}

#[test]
fn killing_a_sync_midway_leaves_everything_consistent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    corpus(&dir, 1500);
    let db = tmp.path().join("r.db");
    let mut killed_early = 0;
    for delay_ms in [5u64, 30, 80, 150, 300, 600] {
        let mut child = sync_process(&dir, &db)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            killed_early += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        if db.exists() {
            consistent(&db);
        }
        stubs_whole(&dir);
    }
    assert!(
        killed_early > 0,
        "no run was interrupted: the corpus is too small to test crash safety"
    );
    // A full run afterwards completes the work.
    sync_cmd(&dir, &db).assert().success();
    consistent(&db);
    assert_eq!(
        one(
            db.to_str().unwrap(),
            "SELECT CAST(COUNT(*) AS TEXT) FROM connector_providers"
        ),
        "1500"
    );
    assert_eq!(stubs_whole(&dir), 1500);
}
