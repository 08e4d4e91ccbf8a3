//! The review queue as deltas, on SQLite and PostgreSQL: whole at first, then only the rows that
//! changed (a saved manifest: that one row, read alone when the watcher names it; nothing: no
//! row), whole again when a connector is added, even when named; and each connector's keys' health, which moves when a key is written to the real
//! keyring.

use godconfig_desktop::new_connector::{create, NewConnector, NewConnectorOutcome};
use godconfig_desktop::queue;
use godconfig_desktop::vault::{delete_key, write_key, KeyInput};
use godconfig_desktop::{App, SettingsFile};
use godconfig_vault::Secret;
use std::path::Path;

/// `tag` keeps the two backends' keyring entries apart when they run at once.
async fn story(registry: &str, tmp: &Path, tag: &str) {
    let dir = tmp.join("connectors");
    godconfig_testkit::copy_connectors(&dir, &["stripe", "shopify"]);
    let app = App::new(SettingsFile::at(tmp.join("settings.json"))).unwrap();
    app.open(dir.to_str().unwrap(), registry).await.unwrap();
    app.sync(&|_| {}).await.unwrap();
    let ws = app.workspace().await.unwrap();

    let first = queue::rows(&ws, None, None).await.unwrap();
    assert!(first.whole);
    let slugs: Vec<_> = first.rows.iter().map(|r| r.slug.as_str()).collect();
    assert_eq!(slugs, ["shopify", "stripe"]);
    let same = queue::rows(&ws, Some(first.version), None).await.unwrap();
    assert!(!same.whole && same.rows.is_empty(), "{same:?}");

    // A saved manifest: that row alone, with its new name.
    let manifest = dir.join("stripe/manifest.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let name = text
        .lines()
        .find_map(|l| l.strip_prefix("display_name: "))
        .unwrap()
        .to_string();
    godconfig_testkit::edit(
        &manifest,
        &format!("display_name: {name}"),
        "display_name: Stripe Live",
    );
    app.sync(&|_| {}).await.unwrap();
    // Named by the watcher: that row is read alone; a name the registry does not know is no row.
    let only = Some(vec!["stripe".to_string(), "nope".to_string()]);
    let patched = queue::rows(&ws, Some(same.version), only).await.unwrap();
    assert!(!patched.whole, "{patched:?}");
    let got: Vec<_> = (patched.rows.iter())
        .map(|r| (r.slug.as_str(), r.display_name.as_str()))
        .collect();
    assert_eq!(got, [("stripe", "Stripe Live")]);
    // Unnamed: the whole queue is read, and the same row comes.
    let changed = queue::rows(&ws, Some(same.version), None).await.unwrap();
    assert!(!changed.whole, "{changed:?}");
    let got: Vec<_> = changed
        .rows
        .iter()
        .map(|r| (r.slug.as_str(), r.display_name.as_str()))
        .collect();
    assert_eq!(got, [("stripe", "Stripe Live")]);

    // A new connector: the whole list, in slug order. Its key starts missing.
    let slug = format!("qdelta_{tag}_{}", std::process::id());
    let out = create(
        &app,
        NewConnector {
            slug: slug.clone(),
            name: None,
            auth: "api_key".into(),
            docs: None,
        },
    )
    .await
    .unwrap();
    assert!(
        matches!(out, NewConnectorOutcome::Created { .. }),
        "{out:?}"
    );
    let added = queue::rows(&ws, Some(changed.version), Some(vec![slug.clone()]))
        .await
        .unwrap();
    assert!(added.whole);
    let slugs: Vec<_> = added.rows.iter().map(|r| r.slug.as_str()).collect();
    assert_eq!(slugs, [slug.as_str(), "shopify", "stripe"]);

    let days = app.rotation_days();
    let keys = queue::keys(&ws, &app.vault, days, None, None)
        .await
        .unwrap();
    assert!(keys.whole);
    let mine = keys.rows.iter().find(|k| k.slug == slug).unwrap();
    assert_eq!((mine.present, mine.missing), (0, 1), "{mine:?}");

    // Written to the keyring: that connector's counts alone come back.
    let vault_key = format!("PROVIDER_{}_API_KEY", slug.to_uppercase());
    let input = KeyInput {
        vault_key: vault_key.clone(),
        label: None,
        value: Secret::new("sk_test_queue".into()),
    };
    write_key(&ws.registry, &app.vault, input, "tester")
        .await
        .unwrap();
    let named = Some(vec![slug.clone()]);
    let moved = queue::keys(&ws, &app.vault, days, Some(keys.version), named).await;
    let whole = queue::keys(&ws, &app.vault, days, Some(keys.version), None).await;
    delete_key(&ws.registry, &app.vault, &vault_key, "tester")
        .await
        .unwrap();
    for moved in [moved.unwrap(), whole.unwrap()] {
        assert!(!moved.whole, "{moved:?}");
        assert_eq!(moved.rows.len(), 1, "{moved:?}");
        assert_eq!((moved.rows[0].present, moved.rows[0].missing), (1, 0));
        assert_eq!(moved.rows[0].slug, slug);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_queue_comes_as_deltas_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    story(db.to_str().unwrap(), tmp.path(), "lite").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_queue_comes_as_deltas_on_postgres() {
    let pg = godconfig_testkit::PgDb::new();
    let tmp = tempfile::tempdir().unwrap();
    story(&pg.url, tmp.path(), "pg").await;
}
