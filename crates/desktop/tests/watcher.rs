//! The app's watcher through its services, on a real folder, a real SQLite file and a real
//! PostgreSQL database: on by default, it registers the folder, then a save syncs only its
//! connector; "Sync now" waits for the watcher's sync instead of failing; turned off (and
//! remembered), a save is not registered, and on again it is; the folder deleted shows as gone
//! with nothing removed, and put back it is synced whole; the app's exit stops it.

use godconfig_desktop::{App, SettingsFile, WatcherState, WatcherStatus};
use godconfig_testkit::{edit, repo};
use std::path::Path;
use std::time::Duration;

const ACME_SERVICE: &str = "def list_responses(*, form_id):\n    return {\"form_id\": form_id}\n";

/// Two connectors: acme_forms (with its code) and acme_shop.
fn connectors(dir: &Path) {
    for slug in ["acme_forms", "acme_shop"] {
        std::fs::create_dir_all(dir.join(slug)).unwrap();
        std::fs::copy(
            repo().join("e2e/fixtures").join(slug).join("manifest.yaml"),
            dir.join(slug).join("manifest.yaml"),
        )
        .unwrap();
    }
    std::fs::write(dir.join("acme_forms/service.py"), ACME_SERVICE).unwrap();
}

/// Waits (20 s at most) until the watcher's state passes `f`.
async fn until(app: &App, what: &str, f: impl Fn(&WatcherState) -> bool) -> WatcherState {
    let mut updates = app.watcher_updates();
    let wait = async {
        loop {
            let state = updates.borrow_and_update().clone();
            if f(&state) {
                return state;
            }
            updates.changed().await.unwrap();
        }
    };
    match tokio::time::timeout(Duration::from_secs(20), wait).await {
        Ok(state) => state,
        Err(_) => panic!("the watcher never {what}: {:#?}", app.watcher_state()),
    }
}

fn synced(state: &WatcherState, folders: Option<&[&str]>) -> bool {
    let want = folders.map(|f| f.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    state.status == WatcherStatus::Watching
        && state.last_sync.as_ref().is_some_and(|l| l.folders == want)
}

async fn name_of(app: &App, slug: &str) -> String {
    let ws = app.workspace().await.unwrap();
    let queue = ws.registry.queue().await.unwrap();
    let row = queue.iter().find(|r| r.slug == slug).unwrap();
    row.display_name.clone()
}

async fn story(registry: &str, tmp: &Path) {
    let dir = tmp.join("connectors");
    connectors(&dir);
    let settings = tmp.join("settings.json");
    let app = App::new(SettingsFile::at(&settings)).unwrap();
    assert!(app.watcher_state().enabled, "on by default");
    app.open(dir.to_str().unwrap(), registry).await.unwrap();
    app.restart_watcher().await;

    // The first sync registers the whole folder.
    let first = until(&app, "synced the whole folder", |s| synced(s, None)).await;
    assert_eq!(first.dir.as_deref(), Some(dir.to_str().unwrap()));
    assert_eq!(first.last_sync.unwrap().summary.added.len(), 2);

    // A save syncs that connector only.
    edit(
        &dir.join("acme_forms/manifest.yaml"),
        "display_name: Acme Forms",
        "display_name: Acme Forms Saved",
    );
    let one = until(&app, "synced acme_forms", |s| {
        synced(s, Some(&["acme_forms"]))
    })
    .await;
    let last = one.last_sync.unwrap();
    assert_eq!(last.summary.changed.len(), 1, "{:?}", last.summary);
    assert_eq!(last.summary.changed[0].slug, "acme_forms");
    assert!(last.changes >= 1);
    assert!(last.after_change_ms < 10_000, "{}", last.after_change_ms);
    assert_eq!(name_of(&app, "acme_forms").await, "Acme Forms Saved");

    // A broken service.py: rejected with its diagnostics, the registered rows kept.
    std::fs::write(
        dir.join("acme_forms/service.py"),
        ACME_SERVICE.replace("list_responses", "list_response"),
    )
    .unwrap();
    let rejected = until(&app, "rejected acme_forms", |s| {
        s.last_sync
            .as_ref()
            .is_some_and(|l| !l.summary.rejected.is_empty())
    })
    .await;
    let r = &rejected.last_sync.unwrap().summary.rejected[0];
    assert_eq!(r.folder, "acme_forms");
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "missing-function"),
        "{r:?}"
    );
    std::fs::write(dir.join("acme_forms/service.py"), ACME_SERVICE).unwrap();
    until(&app, "took the fix", |s| {
        s.status == WatcherStatus::Watching
            && s.last_sync
                .as_ref()
                .is_some_and(|l| l.summary.rejected.is_empty())
    })
    .await;

    // "Sync now" and a watcher's sync take turns: a save, then Sync now at once.
    edit(
        &dir.join("acme_shop/manifest.yaml"),
        "display_name: Acme Shop",
        "display_name: Acme Shop Both",
    );
    let now = app.sync(&|_| {}).await.unwrap();
    assert!(now.rejected.is_empty());
    until(&app, "settled", |s| s.status == WatcherStatus::Watching).await;
    assert_eq!(name_of(&app, "acme_shop").await, "Acme Shop Both");

    // Off: remembered, and a save is not registered.
    let off = app.set_watcher(false).await.unwrap();
    assert_eq!((off.enabled, &off.status), (false, &WatcherStatus::Off));
    assert!(
        !App::new(SettingsFile::at(&settings))
            .unwrap()
            .watcher_state()
            .enabled
    );
    edit(
        &dir.join("acme_forms/manifest.yaml"),
        "display_name: Acme Forms Saved",
        "display_name: Acme Forms Paused",
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(name_of(&app, "acme_forms").await, "Acme Forms Saved");

    // On again: the whole folder first, so the save made meanwhile is registered.
    assert!(app.set_watcher(true).await.unwrap().enabled);
    let back = until(&app, "synced the whole folder again", |s| {
        synced(s, None)
            && s.last_sync
                .as_ref()
                .is_some_and(|l| l.summary.changed.len() == 1)
    })
    .await;
    assert_eq!(
        back.last_sync.unwrap().summary.changed[0].slug,
        "acme_forms"
    );
    assert_eq!(name_of(&app, "acme_forms").await, "Acme Forms Paused");

    // The folder deleted: gone, nothing removed; put back whole: synced whole, watched again.
    let away = tmp.join("connectors.away");
    std::fs::rename(&dir, &away).unwrap();
    until(&app, "saw the folder go", |s| {
        s.status == WatcherStatus::FolderGone
    })
    .await;
    let ws = app.workspace().await.unwrap();
    assert_eq!(
        ws.registry.queue().await.unwrap().len(),
        2,
        "nothing removed"
    );
    std::fs::rename(&away, &dir).unwrap();
    until(&app, "synced the folder back", |s| synced(s, None)).await;
    edit(
        &dir.join("acme_shop/manifest.yaml"),
        "display_name: Acme Shop Both",
        "display_name: Acme Shop Back",
    );
    until(&app, "synced acme_shop", |s| {
        synced(s, Some(&["acme_shop"]))
    })
    .await;
    assert_eq!(name_of(&app, "acme_shop").await, "Acme Shop Back");

    // The app's exit: the watcher stops, after any sync.
    assert!(app.busy());
    app.shutdown().await;
    assert_eq!(app.watcher_state().status, WatcherStatus::Off);
    assert!(!app.busy());
}

#[tokio::test(flavor = "multi_thread")]
async fn watcher_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    story(db.to_str().unwrap(), tmp.path()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn watcher_on_postgres() {
    let pg = godconfig_testkit::PgDb::new();
    let tmp = tempfile::tempdir().unwrap();
    story(&pg.url, tmp.path()).await;
}
