//! A second writer (another sentinel, later the app) waits its turn: never a raw
//! "database is locked", on SQLite or PostgreSQL.

mod common;
use common::*;

#[test]
fn concurrent_writers_on_postgres_serialize() {
    let pg = PgDb::new();
    let tmp = tempfile::tempdir().unwrap();
    let examples = all_examples();
    let slugs: Vec<&str> = examples.iter().map(String::as_str).collect();
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let dir = tmp.path().join(format!("c{i}"));
            copy_connectors(&dir, &slugs);
            edit(
                &dir.join("notion/manifest.yaml"),
                "display_name: Notion",
                &format!("display_name: Notion {i}"),
            );
            let url = pg.url.clone();
            std::thread::spawn(move || sync_process(&dir, &url).output().unwrap())
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let n = one(
        &pg.url,
        "SELECT CAST(COUNT(*) AS TEXT) FROM connector_providers",
    );
    assert_eq!(n, examples.len().to_string());
    // Exactly one run added the connectors; the others saw them registered.
    let added = audit_count(&pg.url, "action = 'sync.added'");
    assert_eq!(added, examples.len());
}

#[test]
fn concurrent_writers_never_see_database_is_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    let examples = all_examples();
    let slugs: Vec<&str> = examples.iter().map(String::as_str).collect();
    for i in 0..4 {
        let dir = tmp.path().join(format!("c{i}"));
        copy_connectors(&dir, &slugs);
        if i % 2 == 1 {
            edit(
                &dir.join("slack/manifest.yaml"),
                "display_name: Slack",
                &format!("display_name: Slack {i}"),
            );
        }
    }
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let dir = tmp.path().join(format!("c{i}"));
            let db = db.clone();
            std::thread::spawn(move || sync_process(&dir, &db).output().unwrap())
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    assert_eq!(one(db.to_str().unwrap(), "PRAGMA integrity_check"), "ok");
}
