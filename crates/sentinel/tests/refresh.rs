//! `refresh_stubs` rewrites just the named connectors' stale stubs after a gating override
//! changes, against a real SQLite registry.

use godconfig_registry::{DbTarget, Registry};
use godconfig_sentinel::{refresh_stubs, sync, SyncOptions};
use std::path::{Path, PathBuf};

fn copy_example(dir: &Path, slug: &str) {
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../connectors")
        .join(slug);
    std::fs::create_dir_all(dir.join(slug)).unwrap();
    for file in ["manifest.yaml", "service.py"] {
        std::fs::copy(from.join(file), dir.join(slug).join(file)).unwrap();
    }
}

/// The lines generated for one tool, from its `_tool(` call to the next.
fn tool_block(code: &str, name: &str) -> String {
    let start = code
        .find(&format!("_tool(\n            \"{name}\","))
        .unwrap_or_else(|| panic!("no tool {name}"));
    let rest = &code[start + 1..];
    let end = rest.find("_tool(\n").unwrap_or(rest.len());
    rest[..end].to_string()
}

fn create_page_is_destructive(dir: &Path) -> bool {
    let code = std::fs::read_to_string(dir.join("notion/mcp.py")).unwrap();
    tool_block(&code, "create_page").contains("destructiveHint=True")
}

async fn sql(db: &Path, statement: &str) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display()))
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn refresh_rewrites_only_the_named_stale_stubs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    for slug in ["notion", "slack"] {
        copy_example(&dir, slug);
    }
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    std::fs::write(dir.join("broken/manifest.yaml"), "provider_slug: [").unwrap();
    let db = tmp.path().join("r.db");
    let store = Registry::open(&DbTarget::Sqlite(db.clone())).await.unwrap();
    let opts = SyncOptions {
        dry_run: false,
        actor: "test".into(),
    };
    let out = sync(&dir, &store, &opts, &|_| {}).await.unwrap();
    assert_eq!(out.written.len(), 2);
    assert!(!create_page_is_destructive(&dir));

    let slugs: Vec<String> = [
        "notion",
        "slack",
        "broken",
        "missing",
        "../connectors/notion",
    ]
    .map(String::from)
    .to_vec();
    assert!(refresh_stubs(&dir, &store, &slugs)
        .await
        .unwrap()
        .is_empty());

    // insert_content is declared not gated; the operator gates it.
    sql(
        &db,
        "INSERT INTO scope_gating (provider_slug, scope_name, requires_firearm) \
         VALUES ('notion', 'insert_content', 1)",
    )
    .await;
    let written = refresh_stubs(&dir, &store, &slugs).await.unwrap();
    assert_eq!(written, vec![dir.join("notion/mcp.py")]);
    assert!(create_page_is_destructive(&dir));
    assert!(refresh_stubs(&dir, &store, &slugs)
        .await
        .unwrap()
        .is_empty());
    // A sync agrees the stub is current.
    let out = sync(&dir, &store, &opts, &|_| {}).await.unwrap();
    assert!(out.written.is_empty());

    sql(
        &db,
        "DELETE FROM scope_gating WHERE provider_slug = 'notion'",
    )
    .await;
    let written = refresh_stubs(&dir, &store, &["notion".to_string()])
        .await
        .unwrap();
    assert_eq!(written, vec![dir.join("notion/mcp.py")]);
    assert!(!create_page_is_destructive(&dir));
    store.close().await;
}
